using Microsoft.EntityFrameworkCore;
using Oms.Api.Platform.Validation;
using Oms.Domain.Common;
using Oms.Domain.Customers;
using Oms.Domain.Orders;
using Oms.Infrastructure.Persistence;

namespace Oms.Api.Customers;

public sealed class CustomerService(OmsDbContext db, UnitOfWork work, CustomerQueries queries, TimeProvider clock, ILogger<CustomerService> log, Platform.Auth.Actor actor,
    Microsoft.Extensions.Options.IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, Platform.Auth.Visibility seen)
{
    public async Task<CustomerDto> UpdateAsync(CustomerId id, UpdateCustomerRequest request, int? expectedVersion, CancellationToken ct)
    {
        RequestValidator.ThrowIfInvalid(request);
        return queries.Map(await work.ChangeAsync(async () =>
        {
            await seen.EnsureCustomerAsync(id, ct);
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

    /// <summary>Logs a contact with the customer (or a note about them) on their timeline.</summary>
    public async Task<CustomerContactDto> LogContactAsync(CustomerId id, LogContactRequest request, CancellationToken ct)
    {
        RequestValidator.ThrowIfInvalid(request);
        return CustomerContactDto.From(await work.ChangeAsync(async () =>
        {
            await seen.EnsureCustomerAsync(id, ct);
            var customer = await db.Customers.SingleOrDefaultAsync(c => c.Id == id, ct) ?? throw new NotFoundException("customer", id.Value);
            var contact = customer.LogContact(request.Channel, request.Summary, actor.Name, request.At, clock.GetUtcNow());
            db.CustomerContacts.Add(contact);
            return contact;
        }, ct));
    }

    /// <summary>
    /// <paramref name="id"/> absorbs <paramref name="duplicateId"/> (the same person under a second address): the
    /// duplicate's orders (and its own duplicates) move here, its details fill what this one lacks, the figures are
    /// worked out again from all the orders, and the duplicate stays as a pointer (its address finds this customer).
    /// Both rows are locked first, in id order: a checkout that read either customer finishes before, one that comes
    /// after finds the survivor (FastCheckoutWriter reads its customer FOR KEY SHARE).
    /// </summary>
    public async Task<CustomerDto> MergeAsync(CustomerId id, CustomerId duplicateId, int? expectedVersion, CancellationToken ct)
    {
        return queries.Map(await work.ChangeAsync(async () =>
        {
            await seen.EnsureCustomerAsync(id, ct);
            await seen.EnsureCustomerAsync(duplicateId, ct);
            await db.LockCustomersAsync([id.Value, duplicateId.Value], ct);
            var both = await db.Customers.Where(c => c.Id == id || c.Id == duplicateId).ToListAsync(ct);
            var survivor = both.SingleOrDefault(c => c.Id == id) ?? throw new NotFoundException("customer", id.Value);
            var duplicate = both.SingleOrDefault(c => c.Id == duplicateId)
                            ?? throw new DomainException("customer.not_found", $"No customer has the id {duplicateId.Value}.", "duplicateId");
            survivor.EnsureVersion(expectedVersion);
            var now = clock.GetUtcNow();
            survivor.Absorb(duplicate, now);
            CustomerId? from = duplicateId, to = id;
            await db.Orders.Where(o => o.CustomerId == from).ExecuteUpdateAsync(s => s.SetProperty(o => o.CustomerId, to), ct);
            await db.Customers.Where(c => c.MergedInto == from).ExecuteUpdateAsync(s => s.SetProperty(c => c.MergedInto, to), ct);
            await db.CustomerContacts.Where(c => c.CustomerId == duplicateId).ExecuteUpdateAsync(s => s.SetProperty(c => c.CustomerId, id), ct);
            await db.SaveChangesAsync(ct);
            await CustomerFiguresFollower.RefreshAsync(db, [id], now, ct);
            return survivor;
        }, ct));
    }

    /// <summary>
    /// Erasure (GDPR, irreversible): the person's data gives way to placeholders wherever it is kept, in one
    /// transaction: the customer and the duplicates merged into it, their orders (buyer, addresses, notes, metadata,
    /// IP, free text), their returns' comments, and what is kept for replay (event payloads and so webhook deliveries,
    /// receivers' answers, Idempotency-Key responses), their documents (buyer, addresses, who opened them). Amounts, SKUs, quantities, dates and countries stay for the
    /// books. Recorded as the customer's erasedAt and one customer.erased event.
    /// </summary>
    public async Task<CustomerDto> EraseAsync(CustomerId id, CancellationToken ct) => queries.Map(await work.ChangeAsync(async () =>
    {
        await db.LockCustomersAsync([id.Value], ct);
        // Documents being issued from these orders now finish first, and are scrubbed below with the others.
        await db.EnterErasureGateAsync(exclusive: true, ct);
        await seen.EnsureCustomerAsync(id, ct);
        var customer = await db.Customers.SingleOrDefaultAsync(c => c.Id == id, ct) ?? throw new NotFoundException("customer", id.Value);
        if (customer.MergedInto is { } survivor)
            throw new ConflictException("customer.merged", $"This customer was merged into {survivor}: erase that one, which erases this one too.");
        CustomerId? owner = id;
        var merged = await db.Customers.Where(c => c.MergedInto == owner).ToListAsync(ct);
        var orders = await db.Orders.Where(o => o.CustomerId == owner).ToListAsync(ct);
        var orderIds = orders.Select(o => o.Id).ToList();
        var returns = await db.Returns.Where(r => orderIds.Contains(r.OrderId)).ToListAsync(ct);

        // What identifies the person, as it may stand in free text and in stored JSON (escaped as the API writes it).
        var personal = new List<string?> { customer.Email, customer.Name, customer.Phone, customer.Notes };
        foreach (var c in merged) personal.AddRange([c.Email, c.Name, c.Phone, c.Notes]);
        foreach (var o in orders)
        {
            personal.AddRange([o.Customer.Email, o.Customer.Name, o.Customer.Phone, o.Customer.VatId, o.Notes, o.ClientIp]);
            foreach (var a in new[] { o.ShippingAddress, o.BillingAddress }.OfType<Address>()) personal.AddRange([a.Name, a.Company, a.Line1, a.Line2, a.Phone, a.PostalCode]);
            personal.AddRange(o.Metadata.Values);
        }
        foreach (var r in returns) personal.AddRange(r.Lines.Select(l => l.Comment).Append(r.Comment));
        var tokens = personal.OfType<string>().Select(t => t.Trim()).Where(t => t.Length >= 3 && t != Order.Erased).Distinct(StringComparer.Ordinal)
            .SelectMany(t => new[] { t, System.Text.Json.JsonSerializer.Serialize(t, json.Value.SerializerOptions)[1..^1] }).Distinct(StringComparer.Ordinal)
            .OrderByDescending(t => t.Length).ToList();
        // Whole values only (not within a longer word or number): a customer called Ada leaves Canada alone.
        var pattern = tokens.Count == 0 ? null : new System.Text.RegularExpressions.Regex(
            @"(?<![\p{L}\p{N}])(?:" + string.Join("|", tokens.Select(System.Text.RegularExpressions.Regex.Escape)) + @")(?![\p{L}\p{N}])",
            System.Text.RegularExpressions.RegexOptions.IgnoreCase | System.Text.RegularExpressions.RegexOptions.CultureInvariant);
        string Scrub(string text) => pattern is null ? text : pattern.Replace(text, Order.Erased);

        var now = clock.GetUtcNow();
        customer.Erase(now);
        foreach (var c in merged) c.Erase(now);
        foreach (var o in orders) o.ErasePersonalData(customer.Email, Scrub, now);
        foreach (var r in returns) r.ErasePersonalData();
        var owners = merged.Select(c => c.Id).Append(id).ToList();
        foreach (var contact in await db.CustomerContacts.Where(c => owners.Contains(c.CustomerId)).ToListAsync(ct)) contact.Erase();
        // Documents keep their numbers, lines and amounts; the buyer, the addresses and who opened them from where go.
        var documents = await db.Documents.Where(d => orderIds.Contains(d.OrderId)).ToListAsync(ct);
        foreach (var document in documents) document.ErasePersonalData(Scrub, now);
        var documentIds = documents.Select(d => d.Id).ToList();
        foreach (var activity in await db.DocumentActivity.Where(a => documentIds.Contains(a.DocumentId)).ToListAsync(ct)) activity.ErasePersonalData();
        // The e-mail log keeps what was sent and when, not to whom.
        var orderGuids = orderIds.Select(o => o.Value).ToList();
        foreach (var sent in await db.Notifications.Where(n => orderGuids.Contains(n.OrderId)).ToListAsync(ct)) sent.ErasePersonalData(customer.Email, Scrub);
        await db.SaveChangesAsync(ct);
        var aggregates = new List<Guid> { id.Value };
        aggregates.AddRange(merged.Select(c => c.Id.Value));
        aggregates.AddRange(orderIds.Select(o => o.Value));
        aggregates.AddRange(returns.Select(r => r.Id));
        aggregates.AddRange(documentIds.Select(d => d.Value));
        var scrubbed = await StoredPayloads.ScrubAsync(db, aggregates, [.. orderIds.Select(o => o.Value)], Scrub, ct);
        log.LogInformation("Erased customer {Customer}: {Orders} orders, {Returns} returns, {Payloads} stored payloads rewritten", id.Value, orders.Count, returns.Count, scrubbed);
        return customer;
    }, ct));

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
                .Select(o => new { o.Id, o.Customer, o.CreatedAt }).ToListAsync(ct);
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
