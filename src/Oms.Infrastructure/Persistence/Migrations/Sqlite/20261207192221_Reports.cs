using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Oms.Infrastructure.Persistence.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class Reports : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "seller",
                table: "orders",
                type: "TEXT",
                maxLength: 100,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "exchange_rates",
                columns: table => new
                {
                    @base = table.Column<string>(name: "base", type: "TEXT", maxLength: 3, nullable: false),
                    quote = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    date = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    rate = table.Column<decimal>(type: "TEXT", precision: 28, scale: 10, nullable: false),
                    updated_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_exchange_rates", x => new { x.@base, x.quote, x.date });
                });

            migrationBuilder.CreateTable(
                name: "report_lines",
                columns: table => new
                {
                    order_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    part = table.Column<int>(type: "INTEGER", nullable: false),
                    day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    hour = table.Column<int>(type: "INTEGER", nullable: false),
                    currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    channel = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    country = table.Column<string>(type: "TEXT", maxLength: 2, nullable: true),
                    seller = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    customer_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    cancelled = table.Column<bool>(type: "INTEGER", nullable: false),
                    sku = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    brand = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    category = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    node = table.Column<string>(type: "TEXT", maxLength: 50, nullable: true),
                    units = table.Column<int>(type: "INTEGER", nullable: false),
                    returned_units = table.Column<int>(type: "INTEGER", nullable: false),
                    gross = table.Column<long>(type: "INTEGER", nullable: false),
                    net = table.Column<long>(type: "INTEGER", nullable: false),
                    refunded = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_report_lines", x => new { x.order_id, x.part });
                });

            migrationBuilder.CreateTable(
                name: "report_orders",
                columns: table => new
                {
                    order_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    number = table.Column<long>(type: "INTEGER", nullable: false),
                    placed_at = table.Column<long>(type: "INTEGER", nullable: false),
                    day = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    channel = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    country = table.Column<string>(type: "TEXT", maxLength: 2, nullable: true),
                    seller = table.Column<string>(type: "TEXT", maxLength: 100, nullable: true),
                    customer_id = table.Column<Guid>(type: "TEXT", nullable: true),
                    gross = table.Column<long>(type: "INTEGER", nullable: false),
                    net = table.Column<long>(type: "INTEGER", nullable: false),
                    refunded = table.Column<long>(type: "INTEGER", nullable: false),
                    cancelled = table.Column<bool>(type: "INTEGER", nullable: false),
                    units = table.Column<int>(type: "INTEGER", nullable: false),
                    returned_units = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_report_orders", x => x.order_id);
                });

            migrationBuilder.CreateTable(
                name: "report_requests",
                columns: table => new
                {
                    position = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    order_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    requested_at = table.Column<long>(type: "INTEGER", nullable: false),
                    attempts = table.Column<int>(type: "INTEGER", nullable: false),
                    due_at = table.Column<long>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_report_requests", x => x.position);
                });

            migrationBuilder.CreateTable(
                name: "report_rollups",
                columns: table => new
                {
                    dimension = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    grain = table.Column<short>(type: "INTEGER", nullable: false),
                    period = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    key = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    channel = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    country = table.Column<string>(type: "TEXT", maxLength: 2, nullable: false),
                    currency = table.Column<string>(type: "TEXT", maxLength: 3, nullable: false),
                    orders = table.Column<int>(type: "INTEGER", nullable: false),
                    units = table.Column<int>(type: "INTEGER", nullable: false),
                    returned_units = table.Column<int>(type: "INTEGER", nullable: false),
                    gross = table.Column<long>(type: "INTEGER", nullable: false),
                    net = table.Column<long>(type: "INTEGER", nullable: false),
                    refunded = table.Column<long>(type: "INTEGER", nullable: false),
                    cancelled = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_report_rollups", x => new { x.dimension, x.grain, x.period, x.key, x.channel, x.country, x.currency });
                });

            migrationBuilder.CreateIndex(
                name: "ix_report_lines_day_node",
                table: "report_lines",
                columns: new[] { "day", "node" });

            migrationBuilder.CreateIndex(
                name: "ix_report_orders_currency_gross",
                table: "report_orders",
                columns: new[] { "currency", "gross" });

            migrationBuilder.CreateIndex(
                name: "ix_report_orders_day",
                table: "report_orders",
                column: "day");

            migrationBuilder.CreateIndex(
                name: "ix_report_requests_due_at",
                table: "report_requests",
                column: "due_at");
        
            // Orders placed before the reports existed are folded in by the rollup worker after the upgrade.
            migrationBuilder.Sql("INSERT INTO report_requests (order_id, requested_at, attempts, due_at) SELECT id, 0, 0, 0 FROM orders;");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "exchange_rates");

            migrationBuilder.DropTable(
                name: "report_lines");

            migrationBuilder.DropTable(
                name: "report_orders");

            migrationBuilder.DropTable(
                name: "report_requests");

            migrationBuilder.DropTable(
                name: "report_rollups");

            migrationBuilder.DropColumn(
                name: "seller",
                table: "orders");
        }
    }
}
