using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Microsoft.Extensions.Logging;
using Oms.Domain.Common;
using Oms.Domain.Customers;
using Oms.Domain.Inventory;
using Oms.Infrastructure.Persistence.Configurations;

namespace Oms.Infrastructure.Persistence.FastPath;

/// <summary>
/// The checkout on PostgreSQL in two round trips after BEGIN: one reads what placing an order needs (products, their
/// stock, the customer's history) as three statements; one writes every new row with one statement
/// (<see cref="InsertOnlySave"/>), reserves the stock (<c>oms_reserve_stock</c>, SQLSTATE <c>OMS01</c> when it refuses)
/// and commits. EF's unit of work would send some twenty INSERTs, a reservation and a COMMIT one after the other
/// (docs/performance.md, "The checkout's lines"). Chosen by the composition root (<see cref="CheckoutWriters.Fast"/>);
/// the model is checked at start-up (<see cref="Verify"/>), and a save the statement cannot write goes through EF
/// with a warning and a count in <see cref="FastPathFallbacks"/>, never silently.
/// </summary>
public sealed class FastCheckoutWriter(OmsDbContext db, FastPathFallbacks fallbacks, ILogger<FastCheckoutWriter> log) : ICheckoutWriter
{
    /// <summary>The aggregates a checkout adds: <see cref="Verify"/> checks that the statement can write each of them.</summary>
    public static readonly Type[] Writes =
    [
        typeof(Oms.Domain.Orders.Order), typeof(Oms.Domain.Payments.Payment), typeof(Oms.Domain.Routing.RoutingDecision),
        typeof(Oms.Domain.Routing.Allocation), typeof(Oms.Domain.Fulfilment.FulfilmentOrder), typeof(Oms.Domain.Routing.Backorder),
        typeof(Customer),
    ];

    /// <summary>
    /// Throws when the model has an aggregate of <see cref="Writes"/> the one statement cannot write (a column type it
    /// does not know, a value only the database computes): at start-up, not as a slower checkout.
    /// </summary>
    public static void Verify(OmsDbContext db)
    {
        var reasons = InsertOnlySave.Declines(db.Model, Writes);
        if (reasons.Count > 0)
            throw new InvalidOperationException("The checkout's fast path cannot write this model (Database:CheckoutWriter=Fast): " + string.Join("; ", reasons) +
                                                ". Teach FastPath/InsertOnlySave the new column, or choose Database:CheckoutWriter=Ef.");
    }

    private List<object> _added = [];
    private Statement? _reservation;

    private const string ProductsSql =
        "SELECT p.sku, p.name, p.active, p.price_amount, p.currency, p.weight_grams, p.backorder_policy, p.preorder_available_on";
    // Each wanted SKU's product and stock rows are found through their keys (one LATERAL subquery per SKU; OFFSET 0
    // keeps the product's from being flattened into a join), whatever the tables' sizes: inside our transactions the
    // plan is generic, and for a small catalog PostgreSQL's generic plan scanned both tables whole and hash-joined them
    // (0.105 against 0.030-0.048 ms per call, EXPLAIN ANALYZE at 200 SKUs over 4 nodes). The SKUs are distinct.
    private const string ProductsFrom = " FROM unnest($1::text[]) AS w(sku) CROSS JOIN LATERAL (SELECT * FROM products p WHERE p.sku = w.sku OFFSET 0) p";
    private const string ProductsWithStockSql = ProductsSql + ", s.node_id, s.on_hand, s.reserved, s.safety_stock, s.reorder_point" + ProductsFrom +
        " LEFT JOIN LATERAL (SELECT * FROM stock_items s WHERE s.sku = p.sku) s ON true";
    private const string ProductsOnlySql = ProductsSql + ProductsFrom;
    // The customer (of the e-mail, or of the id the request named: the survivor when it was merged) and their last 50
    // orders for the risk rules, in one statement: one row at least, the customer's columns on every row. FOR KEY SHARE
    // keeps a merge of the customer (FOR UPDATE) from committing between this read and the write, and does not stop
    // the customer's other checkouts, whose figures updates take FOR NO KEY UPDATE.
    private const string HistorySql = "SELECT c.id, c.erased_at IS NOT NULL, o.total, o.created_at FROM (SELECT 1) AS one LEFT JOIN LATERAL (SELECT id, merged_into FROM customers WHERE ";
    private const string HistoryRest = " FOR KEY SHARE) f ON true LEFT JOIN LATERAL (SELECT id, erased_at FROM customers WHERE id = COALESCE(f.merged_into, f.id) FOR KEY SHARE) c ON true" +
        " LEFT JOIN LATERAL (SELECT total, created_at FROM orders WHERE customer_id = c.id ORDER BY created_at DESC LIMIT 50) o ON true";
    private const string HistoryByEmailSql = HistorySql + "email = $1" + HistoryRest;
    private const string HistoryByIdSql = HistorySql + "id = $1" + HistoryRest;
    // A known customer's figures count the order (as Customer.OrderPlaced counts it; the differential test compares
    // the two), written in front of the checkout's inserts in its one statement: relative, so that two checkouts of
    // one customer do not undo each other, and the row is locked only from the write to the COMMIT.
    private const string CustomerOrderedSql = "c AS (UPDATE customers SET order_count = order_count + 1, first_order_at = LEAST(first_order_at, $2), " +
        "last_order_at = GREATEST(last_order_at, $2), lifetime_value = jsonb_set(lifetime_value, ARRAY[$3::text], jsonb_build_object(" +
        "'amount', COALESCE((lifetime_value #>> ARRAY[$3::text, 'amount'])::bigint, 0) + $4, 'orders', COALESCE((lifetime_value #>> ARRAY[$3::text, 'orders'])::int, 0) + 1)), " +
        "updated_at = $2, version = version + 1 WHERE id = $1)";
    private static readonly System.Data.DbType?[] CustomerOrderedTypes = [System.Data.DbType.Guid, System.Data.DbType.DateTimeOffset, System.Data.DbType.String, System.Data.DbType.Int64];
    private const string OrdersByIpSql = "SELECT count(*)::int FROM orders o WHERE o.client_ip = $1 AND o.created_at >= $2";
    private const string ReserveSql = "SELECT oms_reserve_stock($1, $2, $3, $4)";

    /// <summary>One round trip (with the transaction's BEGIN and settings): the products with their stock, the customer's orders, the IP's.</summary>
    public async Task<CheckoutRead> ReadAsync(CheckoutReadRequest request, CancellationToken ct)
    {
        var skus = request.Skus as string[] ?? [.. request.Skus];
        Statement products = new(request.WithStock ? ProductsWithStockSql : ProductsOnlySql, [skus], Reused: true),
            history = request.CustomerId is { } named ? new(HistoryByIdSql, [named.Value], Reused: true) : new(HistoryByEmailSql, [request.Email], Reused: true);
        await using var batch = request.ClientIp is not { } ip
            ? db.RawBatch(products, history)
            : db.RawBatch(products, history, new(OrdersByIpSql, [ip, request.Since], Reused: true));
        var terms = new Dictionary<string, ProductTerms>(skus.Length);
        List<StockRow>? stock = request.WithStock ? [] : null;
        var recent = new List<(long, DateTimeOffset)>(4);
        var byIp = 0;
        CheckoutCustomer? customer = null;
        await using var reader = await batch.ExecuteReaderAsync(ct);
        var result = 0;
        do
        {
            if (reader.FieldCount == 0) continue; // the transaction's settings, sent in front (WriteTransactionSettings)
            switch (result++)
            {
                case 0:
                    while (await reader.ReadAsync(ct))
                    {
                        var sku = reader.GetString(0);
                        if (!terms.ContainsKey(sku))
                            terms[sku] = new ProductTerms(sku, reader.GetString(1), reader.GetBoolean(2), reader.GetInt64(3), reader.GetString(4),
                                reader.GetInt32(5), Enum.Parse<BackorderPolicy>(reader.GetString(6)), reader.IsDBNull(7) ? null : reader.GetFieldValue<DateOnly>(7));
                        if (stock is not null && !reader.IsDBNull(8))
                            stock.Add(new StockRow(new NodeId(reader.GetGuid(8)), sku, reader.GetInt32(9), reader.GetInt32(10), reader.GetInt32(11),
                                reader.IsDBNull(12) ? null : reader.GetInt32(12)));
                    }
                    break;
                case 1:
                    while (await reader.ReadAsync(ct))
                    {
                        if (customer is null && !reader.IsDBNull(0)) customer = new CheckoutCustomer(new CustomerId(reader.GetGuid(0)), reader.GetBoolean(1));
                        if (!reader.IsDBNull(2)) recent.Add((reader.GetInt64(2), reader.GetFieldValue<DateTimeOffset>(3)));
                    }
                    break;
                default:
                    if (await reader.ReadAsync(ct)) byIp = reader.GetInt32(0);
                    break;
            }
        } while (await reader.NextResultAsync(ct));
        batch.Completed();
        return new CheckoutRead(terms, stock, recent, byIp, customer);
    }

    private Statement? _customer;

    public Task CustomerOrderedAsync(CheckoutCustomer customer, Money total, DateTimeOffset now, CancellationToken ct)
    {
        _customer = new(CustomerOrderedSql, [customer.Id.Value, now.ToUniversalTime(), total.Currency, total.Amount], Reused: true, CustomerOrderedTypes);
        return Task.CompletedTask;
    }

    /// <summary>Kept out of EF's change tracker: attaching the graph, detecting changes in it and accepting them took a quarter of a checkout's CPU in the API.</summary>
    public void Add(object aggregate) => _added.Add(aggregate);

    public bool ReservesWithSave => true;

    public void ReserveWithSave(IReadOnlyList<(NodeId Node, string Sku, int Quantity)> rows, DateTimeOffset now) =>
        _reservation = _reservation is null
            ? new(ReserveSql, [rows.Select(r => r.Node.Value).ToArray(), rows.Select(r => r.Sku).ToArray(), rows.Select(r => r.Quantity).ToArray(), now.ToUniversalTime()], Reused: true)
            : throw new InvalidOperationException("One reservation with a save.");

    public bool IsRefusal(DbUpdateException exception) => PostgresOmsDbContext.IsRefusal(exception.InnerException);

    public async Task SaveAndCommitAsync(IDbContextTransaction transaction, CancellationToken ct)
    {
        var (added, reservation, customer) = (_added, _reservation, _customer);
        Reset();
        // Null: written and committed in one round trip. Otherwise EF wrote it, and the transaction still has to commit.
        if (await db.SaveInOneStatementAsync(added, reservation, ct, customer) is not { } why) return;
        fallbacks.Add(why);
        log.LogWarning("The checkout's one-statement write declined ({Reason}); EF wrote it instead", why);
        await transaction.CommitAsync(ct);
    }

    public void Reset()
    {
        _added = [];
        _reservation = null;
        _customer = null;
    }
}
