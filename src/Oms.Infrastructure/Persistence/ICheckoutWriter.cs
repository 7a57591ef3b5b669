using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Oms.Domain.Common;
using Oms.Domain.Customers;
using Oms.Domain.Inventory;

namespace Oms.Infrastructure.Persistence;

/// <summary>
/// How a checkout (placing an order, with its payment, routing and reservation when it comes paid) reaches the
/// database: its reads before the write, and its one save and commit. The composition root picks the implementation
/// (<see cref="CheckoutWriters"/>): <see cref="EfCheckoutWriter"/> goes through EF's <c>SaveChangesAsync</c> like every
/// other use case; <see cref="FastPath.FastCheckoutWriter"/> is the PostgreSQL fast path (one round trip to read, one to
/// write, reserve and commit). Both write the same rows (the differential test compares them); the order service
/// names this seam and nothing else of the fast path.
/// </summary>
public interface ICheckoutWriter
{
    /// <summary>
    /// What placing an order reads before it writes: the lines' products (with every stock row of them when
    /// <see cref="CheckoutReadRequest.WithStock"/>), the customer (by e-mail, or the one named) with their last 50
    /// orders and the orders from the same IP since <see cref="CheckoutReadRequest.Since"/>, for the risk rules.
    /// </summary>
    Task<CheckoutRead> ReadAsync(CheckoutReadRequest request, CancellationToken ct);

    /// <summary>The order belongs to a customer who exists (<see cref="CheckoutRead.Customer"/>): their figures count it, with the save.</summary>
    Task CustomerOrderedAsync(CheckoutCustomer customer, Money total, DateTimeOffset now, CancellationToken ct);

    /// <summary>A new aggregate (with everything it owns) that <see cref="SaveAndCommitAsync"/> writes.</summary>
    void Add(object aggregate);

    /// <summary>True when <see cref="ReserveWithSave"/> can send the reservation with the write.</summary>
    bool ReservesWithSave { get; }

    /// <summary>
    /// Reserves every (node, SKU, quantity) with the save, in its round trip, all or nothing, and only while every row
    /// stays at or above its reorder point and above zero (crossing one sets off signals that must be decided under the
    /// row lock). Anything else makes the save fail with nothing written (<see cref="IsRefusal"/>): roll back and
    /// reserve the ordinary way. Rows are locked in (node, SKU) order.
    /// </summary>
    void ReserveWithSave(IReadOnlyList<(NodeId Node, string Sku, int Quantity)> rows, DateTimeOffset now);

    /// <summary>True when the save failed because the reservation sent with it refused.</summary>
    bool IsRefusal(DbUpdateException exception);

    /// <summary>Saves what was added and changed, and commits <paramref name="transaction"/> (begun by the caller). Dispose the transaction as usual.</summary>
    Task SaveAndCommitAsync(IDbContextTransaction transaction, CancellationToken ct);

    /// <summary>Forgets what was added and the reservation (the attempt was rolled back).</summary>
    void Reset();
}

/// <param name="Skus">Distinct SKUs of the order's lines.</param>
/// <param name="Email">The customer's e-mail, trimmed and lower-case.</param>
/// <param name="CustomerId">The customer the request names; otherwise the e-mail finds them.</param>
public sealed record CheckoutReadRequest(IReadOnlyList<string> Skus, bool WithStock, string Email, string? ClientIp, DateTimeOffset Since, CustomerId? CustomerId = null);

/// <param name="Stock">Null when not asked for.</param>
/// <param name="Recent">The customer's last 50 orders, newest first.</param>
/// <param name="Customer">The customer of the e-mail or of the id the request named (the survivor of a merge); null when there is none yet.</param>
public sealed record CheckoutRead(Dictionary<string, ProductTerms> Products, IReadOnlyList<StockRow>? Stock, IReadOnlyList<(long Total, DateTimeOffset CreatedAt)> Recent,
    int OrdersFromIp, CheckoutCustomer? Customer = null);

/// <summary>A customer as a checkout reads them: who, and whether their personal data was erased.</summary>
public sealed record CheckoutCustomer(CustomerId Id, bool Erased);

/// <summary>What ordering a product needs of it: its price, whether it can be ordered, and how routing and backorders treat it.</summary>
public sealed record ProductTerms(string Sku, string Name, bool Active, long PriceAmount, string Currency, int WeightGrams,
    BackorderPolicy BackorderPolicy, DateOnly? PreorderAvailableOn)
{
    /// <summary>The products of <paramref name="skus"/> (those that exist), by SKU.</summary>
    public static async Task<Dictionary<string, ProductTerms>> ReadAsync(OmsDbContext db, IEnumerable<string> skus, CancellationToken ct)
    {
        var list = skus.Distinct().ToList();
        return await db.Products.AsNoTracking().Where(p => list.Contains(p.Sku))
            .Select(p => new ProductTerms(p.Sku, p.Name, p.Active, p.PriceAmount, p.Currency, p.WeightGrams, p.BackorderPolicy, p.PreorderAvailableOn))
            .ToDictionaryAsync(p => p.Sku, ct);
    }
}

/// <summary>A stock row as routing reads it; <see cref="ReorderPoint"/> only where a checkout's first read needs it (null otherwise).</summary>
public sealed record StockRow(NodeId NodeId, string Sku, int OnHand, int Reserved, int SafetyStock, int? ReorderPoint = null)
{
    /// <summary>Every node's stock row of <paramref name="skus"/>, without reorder points.</summary>
    public static Task<List<StockRow>> ReadAsync(OmsDbContext db, IReadOnlyCollection<string> skus, CancellationToken ct) =>
        db.Stock.AsNoTracking().Where(s => skus.Contains(s.Sku)).Select(s => new StockRow(s.NodeId, s.Sku, s.OnHand, s.Reserved, s.SafetyStock, null)).ToListAsync(ct);
}

/// <summary>Which <see cref="ICheckoutWriter"/> the composition root uses: <c>Database:CheckoutWriter</c>.</summary>
public enum CheckoutWriters
{
    /// <summary>The fast path on PostgreSQL (the default there); not available on SQLite.</summary>
    Fast,
    /// <summary>EF's unit of work, as every other use case (SQLite's only choice).</summary>
    Ef,
}
