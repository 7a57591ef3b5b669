using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Oms.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class OrderConfirmedAt : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "confirmed_at",
                table: "orders",
                type: "timestamp with time zone",
                nullable: true);

            // Orders confirmed before the column existed: the first confirmation in their timeline.
            migrationBuilder.Sql("""
                UPDATE orders AS o SET confirmed_at = t.at FROM (SELECT order_id, min("at") AS at FROM order_timeline WHERE "from" = 'Pending' AND "to" = 'Confirmed' GROUP BY order_id) AS t WHERE t.order_id = o.id;
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
