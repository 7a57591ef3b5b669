using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Oms.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class OrdersByStatusNewestFirst : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_orders_status",
                table: "orders");

            migrationBuilder.CreateIndex(
                name: "ix_orders_status_number",
                table: "orders",
                columns: new[] { "status", "number" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_orders_status_number",
                table: "orders");

            migrationBuilder.CreateIndex(
                name: "ix_orders_status",
                table: "orders",
                column: "status");
        }
    }
}
