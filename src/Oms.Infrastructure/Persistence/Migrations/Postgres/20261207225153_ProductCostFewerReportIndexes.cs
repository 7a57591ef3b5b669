using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Oms.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ProductCostFewerReportIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_report_orders_customer_id",
                table: "report_orders");

            migrationBuilder.DropIndex(
                name: "ix_report_lines_sku_day",
                table: "report_lines");

            migrationBuilder.AddColumn<long>(
                name: "cost_amount",
                table: "products",
                type: "bigint",
                nullable: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "cost_amount",
                table: "products");

            migrationBuilder.CreateIndex(
                name: "ix_report_orders_customer_id",
                table: "report_orders",
                column: "customer_id");

            migrationBuilder.CreateIndex(
                name: "ix_report_lines_sku_day",
                table: "report_lines",
                columns: new[] { "sku", "day" });
        }
    }
}
