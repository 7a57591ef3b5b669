using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Oms.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ReportIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_report_orders_currency_gross",
                table: "report_orders");

            migrationBuilder.DropIndex(
                name: "ix_report_lines_day_node",
                table: "report_lines");

            migrationBuilder.CreateIndex(
                name: "ix_report_orders_gross",
                table: "report_orders",
                column: "gross");

            migrationBuilder.CreateIndex(
                name: "ix_report_lines_day",
                table: "report_lines",
                column: "day");
        
            // The rollups no longer keep customers' and SKUs' days nor weekdays: built again from the orders.
            migrationBuilder.Sql("DELETE FROM report_rollups; DELETE FROM report_lines; DELETE FROM report_orders; DELETE FROM report_requests;");
            migrationBuilder.Sql("INSERT INTO report_requests (order_id, requested_at, attempts, due_at) SELECT id, 0, 0, 0 FROM orders;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "ix_report_orders_gross",
                table: "report_orders");

            migrationBuilder.DropIndex(
                name: "ix_report_lines_day",
                table: "report_lines");

            migrationBuilder.CreateIndex(
                name: "ix_report_orders_currency_gross",
                table: "report_orders",
                columns: new[] { "currency", "gross" });

            migrationBuilder.CreateIndex(
                name: "ix_report_lines_day_node",
                table: "report_lines",
                columns: new[] { "day", "node" });
        }
    }
}
