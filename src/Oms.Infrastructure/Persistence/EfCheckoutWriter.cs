using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using Oms.Domain.Common;
using Oms.Domain.Customers;
using Oms.Domain.Inventory;

namespace Oms.Infrastructure.Persistence;

/// <summary>
/// The checkout through EF, as every other use case: one query per read, the aggregates added to the change tracker,
/// <c>SaveChangesAsync</c> and the commit. SQLite's writer, and the reference the fast path is compared with.
/// </summary>
public sealed class EfCheckoutWriter(OmsDbContext db) : ICheckoutWriter
{
    // The last 50 orders are history enough, and keep this one indexed read (ix_orders_customer_id_created_at, read
    // backwards) however long a customer's history is. Compiled once per model (EF would otherwise rebuild and hash
    // the expression tree per call).
    private static readonly CompiledQuery<Func<OmsDbContext, CustomerId?, IAsyncEnumerable<TotalAt>>> RecentOrders = new(() => EF.CompileAsyncQuery(
        (OmsDbContext db, CustomerId? customer) => db.Orders.AsNoTracking().Where(o => o.CustomerId == customer).OrderByDescending(o => o.CreatedAt).Take(50)
            .Select(o => new TotalAt(o.Total, o.CreatedAt))));

    private sealed record TotalAt(long Total, DateTimeOffset CreatedAt);

    public async Task<CheckoutRead> ReadAsync(CheckoutReadRequest request, CancellationToken ct)
    {
        var products = await ProductTerms.ReadAsync(db, request.Skus, ct);
        var stock = request.WithStock ? await StockRow.ReadAsync(db, [.. request.Skus], ct) : null;
        _customer = request.CustomerId is { } named
            ? await db.Customers.SingleOrDefaultAsync(c => c.Id == named, ct)
            : await db.Customers.SingleOrDefaultAsync(c => c.Email == request.Email, ct);
        if (_customer?.MergedInto is { } survivor) _customer = await db.Customers.SingleAsync(c => c.Id == survivor, ct);
        var recent = new List<(long, DateTimeOffset)>(4);
        if (_customer is not null)
            await foreach (var o in RecentOrders.For(db)(db, _customer.Id).WithCancellation(ct)) recent.Add((o.Total, o.CreatedAt));
        var sameIp = request.ClientIp is { } ip ? await db.Orders.CountAsync(o => o.ClientIp == ip && o.CreatedAt >= request.Since, ct) : 0;
        var customer = _customer is { } c ? new CheckoutCustomer(c.Id, c.ErasedAt is not null) : null;
        return new CheckoutRead(products, stock, recent, sameIp, customer);
    }

    private Customer? _customer;

    public Task CustomerOrderedAsync(CheckoutCustomer customer, Money total, DateTimeOffset now, CancellationToken ct)
    {
        if (_customer is not { } c || c.Id != customer.Id) throw new InvalidOperationException("The customer was not read by this checkout.");
        c.OrderPlaced(total, now);
        return Task.CompletedTask;
    }

    public void Add(object aggregate) => db.Add(aggregate);

    public bool ReservesWithSave => false;

    public void ReserveWithSave(IReadOnlyList<(NodeId Node, string Sku, int Quantity)> rows, DateTimeOffset now) =>
        throw new NotSupportedException("EF's checkout reserves before it saves.");

    public bool IsRefusal(DbUpdateException exception) => false;

    public async Task SaveAndCommitAsync(IDbContextTransaction transaction, CancellationToken ct)
    {
        await db.SaveChangesAsync(ct);
        await transaction.CommitAsync(ct);
    }

    public void Reset() => _customer = null;
}
