using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Oms.Infrastructure.Persistence.Migrations.Postgres
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
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.CreateTable(
                name: "exchange_rates",
                columns: table => new
                {
                    @base = table.Column<string>(name: "base", type: "character varying(3)", maxLength: 3, nullable: false),
                    quote = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    date = table.Column<DateOnly>(type: "date", nullable: false),
                    rate = table.Column<decimal>(type: "numeric(28,10)", precision: 28, scale: 10, nullable: false),
                    updated_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_exchange_rates", x => new { x.@base, x.quote, x.date });
                });

            migrationBuilder.CreateTable(
                name: "report_lines",
                columns: table => new
                {
                    order_id = table.Column<Guid>(type: "uuid", nullable: false),
                    part = table.Column<int>(type: "integer", nullable: false),
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    hour = table.Column<int>(type: "integer", nullable: false),
                    currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    channel = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    country = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: true),
                    seller = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    customer_id = table.Column<Guid>(type: "uuid", nullable: true),
                    cancelled = table.Column<bool>(type: "boolean", nullable: false),
                    sku = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false),
                    brand = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    category = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    node = table.Column<string>(type: "character varying(50)", maxLength: 50, nullable: true),
                    units = table.Column<int>(type: "integer", nullable: false),
                    returned_units = table.Column<int>(type: "integer", nullable: false),
                    gross = table.Column<long>(type: "bigint", nullable: false),
                    net = table.Column<long>(type: "bigint", nullable: false),
                    refunded = table.Column<long>(type: "bigint", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_report_lines", x => new { x.order_id, x.part });
                });

            migrationBuilder.CreateTable(
                name: "report_orders",
                columns: table => new
                {
                    order_id = table.Column<Guid>(type: "uuid", nullable: false),
                    number = table.Column<long>(type: "bigint", nullable: false),
                    placed_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    day = table.Column<DateOnly>(type: "date", nullable: false),
                    currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    channel = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    country = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: true),
                    seller = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: true),
                    customer_id = table.Column<Guid>(type: "uuid", nullable: true),
                    gross = table.Column<long>(type: "bigint", nullable: false),
                    net = table.Column<long>(type: "bigint", nullable: false),
                    refunded = table.Column<long>(type: "bigint", nullable: false),
                    cancelled = table.Column<bool>(type: "boolean", nullable: false),
                    units = table.Column<int>(type: "integer", nullable: false),
                    returned_units = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_report_orders", x => x.order_id);
                });

            migrationBuilder.CreateTable(
                name: "report_requests",
                columns: table => new
                {
                    position = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    order_id = table.Column<Guid>(type: "uuid", nullable: false),
                    requested_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false),
                    attempts = table.Column<int>(type: "integer", nullable: false),
                    due_at = table.Column<DateTimeOffset>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_report_requests", x => x.position);
                });

            migrationBuilder.CreateTable(
                name: "report_rollups",
                columns: table => new
                {
                    dimension = table.Column<string>(type: "character varying(10)", maxLength: 10, nullable: false),
                    grain = table.Column<short>(type: "smallint", nullable: false),
                    period = table.Column<DateOnly>(type: "date", nullable: false),
                    key = table.Column<string>(type: "character varying(100)", maxLength: 100, nullable: false),
                    channel = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    country = table.Column<string>(type: "character varying(2)", maxLength: 2, nullable: false),
                    currency = table.Column<string>(type: "character varying(3)", maxLength: 3, nullable: false),
                    orders = table.Column<int>(type: "integer", nullable: false),
                    units = table.Column<int>(type: "integer", nullable: false),
                    returned_units = table.Column<int>(type: "integer", nullable: false),
                    gross = table.Column<long>(type: "bigint", nullable: false),
                    net = table.Column<long>(type: "bigint", nullable: false),
                    refunded = table.Column<long>(type: "bigint", nullable: false),
                    cancelled = table.Column<int>(type: "integer", nullable: false)
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
            migrationBuilder.Sql("INSERT INTO report_requests (order_id, requested_at, attempts, due_at) SELECT id, now(), 0, now() FROM orders;");
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
