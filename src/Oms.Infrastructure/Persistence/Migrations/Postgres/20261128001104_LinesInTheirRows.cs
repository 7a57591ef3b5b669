using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Oms.Infrastructure.Persistence.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class LinesInTheirRows : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Each row takes its lines as the JSON the application writes (camelCase, in the order they were added).
            migrationBuilder.AddColumn<string>(
                name: "lines",
                table: "allocations",
                type: "text",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.AddColumn<string>(
                name: "lines",
                table: "fulfilment_orders",
                type: "text",
                nullable: false,
                defaultValue: "[]");

            migrationBuilder.Sql("UPDATE allocations a SET lines = coalesce((SELECT json_agg(json_build_object('orderLineId', l.order_line_id, 'sku', l.sku, 'quantity', l.quantity) ORDER BY l.id) FROM allocation_lines l WHERE l.allocation_id = a.id)::text, '[]');");
            migrationBuilder.Sql("UPDATE fulfilment_orders f SET lines = coalesce((SELECT json_agg(json_build_object('orderLineId', l.order_line_id, 'sku', l.sku, 'name', l.name, 'quantity', l.quantity, 'shortPicked', l.short_picked) ORDER BY l.id) FROM fulfilment_order_lines l WHERE l.fulfilment_order_id = f.id)::text, '[]');");

            migrationBuilder.DropTable(
                name: "allocation_lines");

            migrationBuilder.DropTable(
                name: "fulfilment_order_lines");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "allocation_lines",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    allocation_id = table.Column<Guid>(type: "uuid", nullable: false),
                    order_line_id = table.Column<Guid>(type: "uuid", nullable: false),
                    quantity = table.Column<int>(type: "integer", nullable: false),
                    sku = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_allocation_lines", x => x.id);
                    table.ForeignKey(
                        name: "fk_allocation_lines_allocations_allocation_id",
                        column: x => x.allocation_id,
                        principalTable: "allocations",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateTable(
                name: "fulfilment_order_lines",
                columns: table => new
                {
                    id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    fulfilment_order_id = table.Column<Guid>(type: "uuid", nullable: false),
                    name = table.Column<string>(type: "character varying(300)", maxLength: 300, nullable: false),
                    order_line_id = table.Column<Guid>(type: "uuid", nullable: false),
                    quantity = table.Column<int>(type: "integer", nullable: false),
                    short_picked = table.Column<int>(type: "integer", nullable: false),
                    sku = table.Column<string>(type: "character varying(64)", maxLength: 64, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("pk_fulfilment_order_lines", x => x.id);
                    table.ForeignKey(
                        name: "fk_fulfilment_order_lines_fulfilment_orders_fulfilment_order_id",
                        column: x => x.fulfilment_order_id,
                        principalTable: "fulfilment_orders",
                        principalColumn: "id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "ix_allocation_lines_allocation_id",
                table: "allocation_lines",
                column: "allocation_id");

            migrationBuilder.CreateIndex(
                name: "ix_fulfilment_order_lines_fulfilment_order_id",
                table: "fulfilment_order_lines",
                column: "fulfilment_order_id");

            migrationBuilder.Sql("INSERT INTO allocation_lines (allocation_id, order_line_id, quantity, sku) SELECT a.id, (e->>'orderLineId')::uuid, (e->>'quantity')::int, e->>'sku' FROM allocations a, json_array_elements(a.lines::json) WITH ORDINALITY AS x(e, n) ORDER BY a.id, x.n;");
            migrationBuilder.Sql("INSERT INTO fulfilment_order_lines (fulfilment_order_id, order_line_id, sku, name, quantity, short_picked) SELECT f.id, (e->>'orderLineId')::uuid, e->>'sku', e->>'name', (e->>'quantity')::int, (e->>'shortPicked')::int FROM fulfilment_orders f, json_array_elements(f.lines::json) WITH ORDINALITY AS x(e, n) ORDER BY f.id, x.n;");

            migrationBuilder.DropColumn(
                name: "lines",
                table: "fulfilment_orders");

            migrationBuilder.DropColumn(
                name: "lines",
                table: "allocations");
        }
    }
}
