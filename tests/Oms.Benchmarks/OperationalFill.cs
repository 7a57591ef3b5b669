using System.Diagnostics;
using Npgsql;

namespace Oms.Benchmarks;

/// <summary>
/// The operational rows behind the report facts the report benchmark made: customers, orders and their lines and a
/// timeline entry, a routing decision, allocations, fulfilment orders and shipments per node, a payment, returns for
/// the returned units, the inventory ledger's shipped entries and the stock they leave. The operations and stock
/// reports, the per-node projection and the customer filter read these tables, not the facts. Made in PostgreSQL
/// from the facts (set-based, a few minutes for a million orders); times follow a hash of the order id: shipped 4 to
/// 59 hours after placing, delivered 12 to 107 hours after that, a delivery promised four days after the order day,
/// so some ship and deliver late. Orders of the last days are still on their way.
/// </summary>
internal static class OperationalFill
{
    private static readonly string[] Steps =
    [
        """
        INSERT INTO customers (id, email, name, order_count, orders_returned, units_returned, lifetime_value, external_ids, follow_up, created_at, updated_at, tags, version)
        SELECT DISTINCT ON (customer_id) customer_id, 'customer-' || customer_id || '@example.com', 'Customer ' || left(customer_id::text, 8), 0, 0, 0, '[]'::jsonb, '{}', false,
               now() - interval '800 days', now(), '{}', 0
        FROM report_orders WHERE customer_id IS NOT NULL
        """,
        """
        CREATE UNLOGGED TABLE bench_times AS
        SELECT order_id, placed_at, h,
               placed_at + make_interval(hours => 4 + h % 56) AS shipped_at,
               placed_at + make_interval(hours => 4 + h % 56 + 12 + (h / 64) % 96) AS delivered_at,
               (placed_at AT TIME ZONE 'UTC')::date + 4 AS promised
        FROM (SELECT order_id, placed_at, abs(hashtext(order_id::text)) AS h FROM report_orders) x
        """,
        """
        INSERT INTO orders (id, number, channel, status, customer_email, shipping_address_country, delivery_type, priority, currency, subtotal, shipping_total,
                            tax_rate_basis_points, tax_total, total, metadata, created_at, updated_at, amount_paid, risk_score, risk_reasons, delivered_at, version,
                            customer_id, seller, confirmed_at, promised_delivery_date)
        SELECT r.order_id, r.number, CASE r.channel WHEN 'pos' THEN 'Pos' WHEN 'api' THEN 'Api' ELSE initcap(r.channel) END,
               CASE WHEN r.cancelled THEN 'Cancelled' WHEN t.delivered_at <= now() THEN 'Delivered' WHEN t.shipped_at <= now() THEN 'Shipped' ELSE 'Allocated' END,
               'customer@example.com', r.country, 'Ship', 'Standard', r.currency, r.gross, 0, 0, 0, r.gross, '{}', r.placed_at, r.placed_at, r.gross, 0, '{}',
               CASE WHEN NOT r.cancelled AND t.delivered_at <= now() THEN t.delivered_at END, 0, r.customer_id, r.seller, r.placed_at, t.promised
        FROM report_orders r JOIN bench_times t USING (order_id)
        """,
        """
        INSERT INTO order_timeline (id, at, event, "to", actor, order_id)
        SELECT md5('t' || order_id::text)::uuid, placed_at, 'Placed', 'Confirmed', 'bench', order_id FROM report_orders
        """,
        """
        INSERT INTO order_lines (id, sku, name, quantity, unit_price, total, order_id)
        SELECT md5(order_id::text || part)::uuid, sku, 'Product ' || sku, units, gross / greatest(units, 1), gross, order_id FROM report_lines
        """,
        """
        INSERT INTO routing_decisions (id, order_id, trigger, outcome, candidates, short, at)
        SELECT md5('d' || order_id::text)::uuid, order_id, 'Confirmation', 'allocated', '[]', '[]', placed_at FROM report_orders WHERE NOT cancelled
        """,
        """
        CREATE UNLOGGED TABLE bench_parts AS
        SELECT l.order_id, l.node, n.id AS node_id, r.number, r.placed_at, t.shipped_at, t.delivered_at,
               md5('f' || l.order_id::text || l.node)::uuid AS fo_id, md5('a' || l.order_id::text || l.node)::uuid AS allocation_id,
               json_agg(json_build_object('orderLineId', md5(l.order_id::text || l.part)::uuid, 'sku', l.sku, 'name', 'Product ' || l.sku, 'quantity', l.units, 'shortPicked', 0))::text AS lines
        FROM report_lines l JOIN report_orders r USING (order_id) JOIN bench_times t USING (order_id) JOIN fulfilment_nodes n ON n.code = l.node
        WHERE NOT r.cancelled AND l.node IS NOT NULL
        GROUP BY l.order_id, l.node, n.id, r.number, r.placed_at, t.shipped_at, t.delivered_at
        """,
        """
        INSERT INTO allocations (id, order_id, node_id, node_code, decision_id, status, created_at, updated_at, lines, version)
        SELECT allocation_id, order_id, node_id, node, md5('d' || order_id::text)::uuid, CASE WHEN shipped_at <= now() THEN 'Shipped' ELSE 'Reserved' END,
               placed_at, placed_at, '[]', 0 FROM bench_parts
        """,
        """
        INSERT INTO fulfilment_orders (id, allocation_id, order_id, order_number, node_id, node_code, pickup, expedited, order_placed_at, status, created_at, updated_at,
                                       picked_at, packed_at, shipped_at, lines, version)
        SELECT fo_id, allocation_id, order_id, number::text, node_id, node, false, false, placed_at, CASE WHEN shipped_at <= now() THEN 'Shipped' ELSE 'Open' END,
               placed_at, placed_at, CASE WHEN shipped_at <= now() THEN shipped_at END, CASE WHEN shipped_at <= now() THEN shipped_at END,
               CASE WHEN shipped_at <= now() THEN shipped_at END, lines, 0
        FROM bench_parts
        """,
        """
        INSERT INTO shipments (id, order_id, order_number, fulfilment_order_id, node_code, carrier, service, tracking_number, status, status_at, delivered_at, created_at, updated_at, version)
        SELECT md5('s' || fo_id::text)::uuid, order_id, number::text, fo_id, node, CASE WHEN node = 'GB-LON-3PL' THEN 'royal-mail' ELSE 'dhl' END, 'standard', 'T' || number || left(node, 2),
               CASE WHEN delivered_at <= now() THEN 'Delivered' ELSE 'InTransit' END, least(delivered_at, now()), CASE WHEN delivered_at <= now() THEN delivered_at END,
               shipped_at, shipped_at, 0
        FROM bench_parts WHERE shipped_at <= now()
        """,
        """
        INSERT INTO payments (id, order_id, method, status, currency, amount, authorized, captured, refunded, capture_pending, history, created_at, updated_at, version)
        SELECT md5('p' || r.order_id::text)::uuid, r.order_id, CASE WHEN t.h % 10 = 0 THEN 'Invoice' WHEN t.h % 10 = 1 THEN 'BankTransfer' ELSE 'Card' END,
               CASE WHEN r.cancelled THEN 'Voided' WHEN r.refunded > 0 THEN 'PartiallyRefunded' ELSE 'Captured' END, r.currency, r.gross, r.gross,
               CASE WHEN r.cancelled THEN 0 ELSE r.gross END, r.refunded, 0, '[]', r.placed_at, r.placed_at, 0
        FROM report_orders r JOIN bench_times t USING (order_id)
        """,
        """
        INSERT INTO returns (id, order_id, sequence, number, status, currency, refund_amount, restocking_fee, created_at, updated_at, received_at, version)
        SELECT md5('r' || r.order_id::text)::uuid, r.order_id, 1, r.number || '-R1', 'Refunded', r.currency, r.refunded, 0, t.delivered_at + interval '5 days',
               t.delivered_at + interval '9 days', t.delivered_at + interval '8 days', 0
        FROM report_orders r JOIN bench_times t USING (order_id)
        WHERE r.returned_units > 0 AND NOT r.cancelled
        """,
        """
        INSERT INTO return_lines (order_line_id, sku, quantity, reason, disposition, return_id)
        SELECT md5(l.order_id::text || l.part)::uuid, l.sku, l.returned_units,
               (ARRAY['SizeOrFit', 'NoLongerNeeded', 'Damaged', 'WrongItem', 'NotAsDescribed'])[1 + abs(hashtext(l.order_id::text || l.part)) % 5], 'Restock',
               md5('r' || l.order_id::text)::uuid
        FROM report_lines l JOIN returns x ON x.id = md5('r' || l.order_id::text)::uuid
        WHERE l.returned_units > 0
        """,
        """
        INSERT INTO inventory_ledger (node_id, sku, reason, on_hand_before, on_hand_after, reserved_before, reserved_after, actor, reference, at)
        SELECT node_id, sku, 'Shipped', 1000000 - shipped + units, 1000000 - shipped, units, 0, 'bench', number::text, shipped_at
        FROM (SELECT p.node_id, l.sku, l.units, p.number, p.shipped_at,
                     sum(l.units) OVER (PARTITION BY p.node_id, l.sku ORDER BY p.shipped_at, p.number) AS shipped
              FROM bench_parts p JOIN report_lines l ON l.order_id = p.order_id AND l.node = p.node
              WHERE p.shipped_at <= now()) x
        """,
        """
        INSERT INTO stock_items (node_id, sku, on_hand, reserved, safety_stock, updated_at)
        SELECT n.id, p.sku, 1000000 - coalesce(s.shipped, 0), 0, 0, now()
        FROM fulfilment_nodes n CROSS JOIN products p
        LEFT JOIN (SELECT node_id, sku, sum(on_hand_before - on_hand_after) AS shipped FROM inventory_ledger GROUP BY node_id, sku) s ON s.node_id = n.id AND s.sku = p.sku
        """,
        "UPDATE products SET cost_amount = price_amount * 55 / 100",
        "DROP TABLE bench_times",
        "DROP TABLE bench_parts",
    ];

    public static async Task RunAsync(string cs)
    {
        await using var connection = new NpgsqlConnection(cs);
        await connection.OpenAsync();
        foreach (var step in Steps)
        {
            var watch = Stopwatch.StartNew();
            await using var command = new NpgsqlCommand(step, connection) { CommandTimeout = 3600 };
            var rows = await command.ExecuteNonQueryAsync();
            var what = step.TrimStart().Split('\n')[0].Trim();
            Console.WriteLine($"  {what[..Math.Min(60, what.Length)]}: {rows:N0} rows in {watch.Elapsed.TotalSeconds:F0} s");
        }
    }

    public static readonly string[] Tables =
        ["customers", "orders", "order_timeline", "order_lines", "routing_decisions", "allocations", "fulfilment_orders", "shipments", "payments", "returns", "return_lines", "inventory_ledger", "stock_items"];
}
