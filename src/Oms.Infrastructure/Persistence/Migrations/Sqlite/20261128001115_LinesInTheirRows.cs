using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Oms.Infrastructure.Persistence.Migrations.Sqlite
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

            migrationBuilder.Sql("UPDATE allocations SET lines = coalesce((SELECT json_group_array(json_object('orderLineId', lower(l.order_line_id), 'sku', l.sku, 'quantity', l.quantity)) FROM (SELECT * FROM allocation_lines WHERE allocation_id = allocations.id ORDER BY id) l), '[]');");
            migrationBuilder.Sql("UPDATE fulfilment_orders SET lines = coalesce((SELECT json_group_array(json_object('orderLineId', lower(l.order_line_id), 'sku', l.sku, 'name', l.name, 'quantity', l.quantity, 'shortPicked', l.short_picked)) FROM (SELECT * FROM fulfilment_order_lines WHERE fulfilment_order_id = fulfilment_orders.id ORDER BY id) l), '[]');");

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
                    id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    allocation_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    order_line_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    quantity = table.Column<int>(type: "INTEGER", nullable: false),
                    sku = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
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
                    id = table.Column<int>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    fulfilment_order_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    name = table.Column<string>(type: "TEXT", maxLength: 300, nullable: false),
                    order_line_id = table.Column<Guid>(type: "TEXT", nullable: false),
                    quantity = table.Column<int>(type: "INTEGER", nullable: false),
                    short_picked = table.Column<int>(type: "INTEGER", nullable: false),
                    sku = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false)
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

            migrationBuilder.Sql("INSERT INTO allocation_lines (allocation_id, order_line_id, quantity, sku) SELECT a.id, upper(json_extract(e.value, '$.orderLineId')), json_extract(e.value, '$.quantity'), json_extract(e.value, '$.sku') FROM allocations a, json_each(a.lines) e ORDER BY a.id, e.key;");
            migrationBuilder.Sql("INSERT INTO fulfilment_order_lines (fulfilment_order_id, order_line_id, sku, name, quantity, short_picked) SELECT f.id, upper(json_extract(e.value, '$.orderLineId')), json_extract(e.value, '$.sku'), json_extract(e.value, '$.name'), json_extract(e.value, '$.quantity'), json_extract(e.value, '$.shortPicked') FROM fulfilment_orders f, json_each(f.lines) e ORDER BY f.id, e.key;");

            migrationBuilder.DropColumn(
                name: "lines",
                table: "fulfilment_orders");

            migrationBuilder.DropColumn(
                name: "lines",
                table: "allocations");
        }
    }
}
