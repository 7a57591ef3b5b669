using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Oms.Infrastructure.Persistence.Migrations.Postgres
{
    /// <summary>
    /// <c>oms_reserve_stock</c>: reserves every (node, SKU, quantity) or raises SQLSTATE OMS01, so that it can ride in
    /// front of a checkout's write, in the same round trip (<c>StockCounters.ReserveWithSave</c>). It also refuses a
    /// reservation that would take a row below its reorder point or to zero, since those set off signals that must be
    /// decided under the row lock before the write (the caller then reserves the usual way).
    /// The model does not change (the snapshot stays as it is), so this migration carries no target model.
    /// </summary>
    [DbContext(typeof(PostgresOmsDbContext))]
    [Migration("20261127184500_ReserveStockFunction")]
    public partial class ReserveStockFunction : Migration
    {
        /// <summary>The function as this migration creates it (<see cref="ReserveStockRowByRow"/> goes back to it).</summary>
        internal const string Function = """
            CREATE FUNCTION oms_reserve_stock(p_nodes uuid[], p_skus text[], p_quantities integer[], p_at timestamp with time zone)
            RETURNS integer LANGUAGE plpgsql AS $$
            DECLARE
                taken integer;
            BEGIN
                -- As StockCounters' multi-row reservation: each row locked through its key, in (node, SKU) order.
                WITH wanted AS (SELECT * FROM unnest(p_nodes, p_skus, p_quantities) AS w(node_id, sku, quantity)),
                locked AS (SELECT l.node_id, l.sku FROM (SELECT * FROM wanted ORDER BY node_id, sku) w
                           CROSS JOIN LATERAL (SELECT s.node_id, s.sku FROM stock_items s WHERE s.node_id = w.node_id AND s.sku = w.sku FOR UPDATE) l)
                UPDATE stock_items s SET reserved = s.reserved + w.quantity, updated_at = p_at
                FROM wanted w, locked l
                WHERE s.node_id = w.node_id AND s.sku = w.sku AND l.node_id = s.node_id AND l.sku = s.sku
                  AND s.on_hand - s.reserved - s.safety_stock - w.quantity >= GREATEST(COALESCE(s.reorder_point, 0), 1);
                GET DIAGNOSTICS taken = ROW_COUNT;
                IF taken <> cardinality(p_nodes) THEN
                    RAISE EXCEPTION 'The stock of this order''s lines changed since it was read.' USING ERRCODE = 'OMS01';
                END IF;
                RETURN taken;
            END $$;
            """;

        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(Function);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql("DROP FUNCTION oms_reserve_stock(uuid[], text[], integer[], timestamp with time zone);");
        }
    }
}
