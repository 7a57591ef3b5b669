using Microsoft.EntityFrameworkCore;
using Oms.Api.Platform.Auth;
using Oms.Domain.Common;
using Oms.Domain.Customers;
using Oms.Domain.Orders;
using Oms.Infrastructure.Persistence;

namespace Oms.Api.Notifications;

/// <summary>The e-mail log: per order and per customer, newest first.</summary>
public sealed class NotificationQueries(OmsDbContext db, Visibility seen)
{
    public const int MaxPerList = 500;

    public async Task<IReadOnlyList<NotificationDto>> ForOrderAsync(OrderId orderId, CancellationToken ct)
    {
        if (!await seen.Orders.AnyAsync(o => o.Id == orderId, ct)) throw new NotFoundException("order", orderId.Value);
        return (await db.Notifications.AsNoTracking().Where(n => n.OrderId == orderId.Value).OrderByDescending(n => n.Id).Take(MaxPerList).ToListAsync(ct))
            .Select(NotificationDto.From).ToList();
    }

    /// <summary>Of the customer's orders (and of those of the records merged into them).</summary>
    public async Task<IReadOnlyList<NotificationDto>> ForCustomerAsync(CustomerId customerId, CancellationToken ct)
    {
        if (!await seen.Customers.AnyAsync(c => c.Id == customerId, ct)) throw new NotFoundException("customer", customerId.Value);
        CustomerId? owner = customerId;
        var owners = await db.Customers.AsNoTracking().Where(c => c.Id == customerId || c.MergedInto == owner).Select(c => (CustomerId?)c.Id).ToListAsync(ct);
        var orders = (await seen.Orders.Where(o => owners.Contains(o.CustomerId)).Select(o => o.Id).ToListAsync(ct)).Select(o => o.Value).ToList();
        return (await db.Notifications.AsNoTracking().Where(n => orders.Contains(n.OrderId)).OrderByDescending(n => n.Id).Take(MaxPerList).ToListAsync(ct))
            .Select(NotificationDto.From).ToList();
    }
}
