using Microsoft.EntityFrameworkCore;
using Oms.Domain.Customers;
using Oms.Domain.Orders;
using Oms.Domain.Payments;
using Oms.Domain.Returns;
using Oms.Infrastructure.Persistence;

namespace Oms.Api.Customers;

/// <summary>
/// A customer's figures follow their orders in the transaction that moved them, whichever use case did: an order
/// cancelled or its total edited, money refunded on one of its payments, a return's status moved. The checkout keeps
/// them itself (the customer's row is written with the order); everything else is worked out again from the orders
/// (<see cref="CustomerFigures.Of"/>), which is what the figures are by definition.
/// </summary>
public sealed class CustomerFiguresFollower(TimeProvider clock) : ISaveFollower
{
    public IReadOnlyCollection<Guid>? Touched(OmsDbContext db)
    {
        HashSet<Guid>? orders = null;
        foreach (var entry in db.ChangeTracker.Entries())
        {
            if (entry.State != EntityState.Modified) continue;
            var order = entry.Entity switch
            {
                Order o when entry.Property(nameof(Order.Total)).IsModified
                             || (entry.Property(nameof(Order.Status)).IsModified
                                 && (o.Status == OrderStatus.Cancelled || Equals(entry.Property(nameof(Order.Status)).OriginalValue, OrderStatus.Cancelled))) => o.Id.Value,
                Payment p when entry.Property(nameof(Payment.Refunded)).IsModified => p.OrderId.Value,
                Return r when entry.Property(nameof(Return.Status)).IsModified => r.OrderId.Value,
                _ => (Guid?)null,
            };
            if (order is { } id) (orders ??= []).Add(id);
        }
        return orders;
    }

    public async Task<int> FollowAsync(OmsDbContext db, IReadOnlyCollection<Guid> touched, CancellationToken ct)
    {
        var orderIds = touched.Select(i => new OrderId(i)).ToList();
        var ids = (await db.Orders.AsNoTracking().Where(o => orderIds.Contains(o.Id) && o.CustomerId != null).Select(o => o.CustomerId).Distinct().ToListAsync(ct))
            .Select(c => c!.Value).ToList();
        return ids.Count == 0 ? 0 : await RefreshAsync(db, ids, clock.GetUtcNow(), ct);
    }

    /// <summary>Works the figures of <paramref name="ids"/> out again from their orders and saves those that differ from what is stored.</summary>
    public static async Task<int> RefreshAsync(OmsDbContext db, IReadOnlyCollection<CustomerId> ids, DateTimeOffset now, CancellationToken ct)
    {
        var figures = await FiguresAsync(db, ids, ct);
        var list = ids.ToList();
        var changed = false;
        foreach (var customer in await db.Customers.Where(c => list.Contains(c.Id)).ToListAsync(ct))
            changed |= customer.Refresh(figures.GetValueOrDefault(customer.Id, CustomerFigures.None), now);
        return changed ? await db.SaveChangesAsync(ct) : 0;
    }

    private static readonly ReturnStatus[] Received = [ReturnStatus.Received, ReturnStatus.Inspected, ReturnStatus.Refunded, ReturnStatus.Exchanged];

    /// <summary>The figures of <paramref name="ids"/> from their orders, payments and returns as stored now (three queries).</summary>
    public static async Task<Dictionary<CustomerId, CustomerFigures>> FiguresAsync(OmsDbContext db, IReadOnlyCollection<CustomerId> ids, CancellationToken ct)
    {
        var wanted = ids.Select(i => (CustomerId?)i).ToList();
        var orders = await db.Orders.AsNoTracking().Where(o => wanted.Contains(o.CustomerId) && o.ReplacementForReturnId == null)
            .Select(o => new { o.CustomerId, o.Id, o.Currency, o.Total, Cancelled = o.Status == OrderStatus.Cancelled, o.CreatedAt }).ToListAsync(ct);
        var orderIds = orders.Select(o => o.Id).ToList();
        var refunded = await db.Payments.AsNoTracking().Where(p => orderIds.Contains(p.OrderId) && p.Refunded > 0)
            .GroupBy(p => p.OrderId).Select(g => new { g.Key, Refunded = g.Sum(p => p.Refunded) }).ToDictionaryAsync(g => g.Key, g => g.Refunded, ct);
        var returned = (await db.Returns.AsNoTracking().Where(r => orderIds.Contains(r.OrderId) && Received.Contains(r.Status))
                .Select(r => new { r.OrderId, Units = r.Lines.Sum(l => l.Quantity) }).ToListAsync(ct))
            .GroupBy(r => r.OrderId).ToDictionary(g => g.Key, g => g.Sum(r => r.Units));
        return orders.GroupBy(o => o.CustomerId!.Value).ToDictionary(g => g.Key, g => CustomerFigures.Of(g.Select(o =>
            new OrderFacts(o.Currency, o.Total, o.Cancelled, refunded.GetValueOrDefault(o.Id), returned.GetValueOrDefault(o.Id), o.CreatedAt))));
    }
}
