using Microsoft.EntityFrameworkCore;
using Oms.Api.Platform.Validation;
using Oms.Domain.Common;
using Oms.Domain.Customers;
using Oms.Domain.Orders;
using Oms.Infrastructure.Persistence;

namespace Oms.Api.Customers;

public sealed class CustomerService(OmsDbContext db, UnitOfWork work, CustomerQueries queries, TimeProvider clock, ILogger<CustomerService> log)
{
    public async Task<CustomerDto> UpdateAsync(CustomerId id, UpdateCustomerRequest request, int? expectedVersion, CancellationToken ct)
    {
        RequestValidator.ThrowIfInvalid(request);
        return queries.Map(await work.ChangeAsync(async () =>
        {
            var customer = await db.Customers.SingleOrDefaultAsync(c => c.Id == id, ct) ?? throw new NotFoundException("customer", id.Value);
            customer.EnsureVersion(expectedVersion);
            var now = clock.GetUtcNow();
            customer.Update(request.Name, request.Phone, request.Locale, request.Notes, request.ExternalIds, now);
            if (request.Tags is { } tags) customer.ReplaceTags(tags, now);
            if (request.MarketingConsent is { } consent) customer.ConsentTo(consent.Granted, consent.Source, now);
            if (request.FollowUp is { } followUp) customer.FlagForFollowUp(followUp, now);
            return customer;
        }, ct));
    }

    /// <summary>
    /// Links orders placed before customers existed (or written without one, as the demo data is) to the customer of
    /// their e-mail, making the customers that are missing, and works their figures out from the orders: run at
    /// start-up after the migrations, in batches of <paramref name="batch"/> orders, oldest first. The customers made
    /// here raise no <c>customer.created</c>: they were not created now, a migration found them.
    /// </summary>
    public async Task<int> LinkUnlinkedOrdersAsync(CancellationToken ct, int batch = 500)
    {
        var linked = 0;
        while (true)
        {
            var orders = await db.Orders.AsNoTracking().Where(o => o.CustomerId == null).OrderBy(o => o.CreatedAt).Take(batch)
                .Select(o => new { o.Id, o.Customer, o.ShippingAddress, o.BillingAddress, o.CreatedAt }).ToListAsync(ct);
            if (orders.Count == 0) break;
            await work.ChangeAsync(async () =>
            {
                var emails = orders.Select(o => CustomerEmail.Normalize(o.Customer.Email)).Distinct().ToList();
                var known = await db.Customers.AsNoTracking().Where(c => emails.Contains(c.Email)).ToDictionaryAsync(c => c.Email, c => c.MergedInto ?? c.Id, ct);
                foreach (var group in orders.GroupBy(o => CustomerEmail.Normalize(o.Customer.Email)))
                {
                    if (known.ContainsKey(group.Key)) continue;
                    var first = group.First();
                    var customer = Customer.Create(group.Key, first.Customer.Name, first.Customer.Phone, first.CreatedAt);
                    foreach (var o in group)
                    {
                        if (o.ShippingAddress is { } shipping) customer.Remember(shipping, shipping: true, billing: false);
                        if (o.BillingAddress is { } billing) customer.Remember(billing, shipping: false, billing: true);
                    }
                    customer.ClearDomainEvents();
                    db.Customers.Add(customer);
                    known[group.Key] = customer.Id;
                }
                await db.SaveChangesAsync(ct);
                foreach (var group in orders.GroupBy(o => known[CustomerEmail.Normalize(o.Customer.Email)], o => o.Id))
                {
                    var ids = group.ToList();
                    CustomerId? customer = group.Key;
                    await db.Orders.Where(o => ids.Contains(o.Id)).ExecuteUpdateAsync(s => s.SetProperty(o => o.CustomerId, customer), ct);
                }
                await CustomerFiguresFollower.RefreshAsync(db, [.. known.Values.Distinct()], clock.GetUtcNow(), ct);
                return 0;
            }, ct);
            linked += orders.Count;
        }
        if (linked > 0) log.LogInformation("Linked {Orders} orders to their customers", linked);
        return linked;
    }
}
