using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Oms.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ClientIpIndexPartial : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_orders_client_ip_created_at",
                table: "orders");

            migrationBuilder.CreateIndex(
                name: "ix_orders_client_ip_created_at",
                table: "orders",
                columns: new[] { "client_ip", "created_at" },
                filter: "client_ip IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_orders_client_ip_created_at",
                table: "orders");

            migrationBuilder.CreateIndex(
                name: "ix_orders_client_ip_created_at",
                table: "orders",
                columns: new[] { "client_ip", "created_at" });
        }
    }
}
