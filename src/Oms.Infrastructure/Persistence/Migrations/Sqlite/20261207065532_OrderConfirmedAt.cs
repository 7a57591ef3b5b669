using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Oms.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class OrderConfirmedAt : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "confirmed_at",
                table: "orders",
                type: "INTEGER",
                nullable: true);

            // Orders confirmed before the column existed: the first confirmation in their timeline.
            migrationBuilder.Sql("""
                UPDATE orders SET confirmed_at = (SELECT min(t."at") FROM order_timeline t WHERE t.order_id = orders.id AND t."from" = 'Pending' AND t."to" = 'Confirmed');
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropColumn(
                name: "confirmed_at",
                table: "orders");
        }
    }
}
