using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Oms.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ReportRollupShape : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Customers' and SKUs' rows are no longer split by channel and country, and SKUs have days: built again from the orders.
            migrationBuilder.Sql("DELETE FROM report_rollups; DELETE FROM report_lines; DELETE FROM report_orders; DELETE FROM report_requests;");
            migrationBuilder.Sql("INSERT INTO report_requests (order_id, requested_at, attempts, due_at) SELECT id, 0, 0, 0 FROM orders;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {

        }
    }
}
