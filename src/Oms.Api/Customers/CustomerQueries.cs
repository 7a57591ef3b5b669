using Oms.Api.Platform.Auth;
using System.Globalization;
using System.Linq.Expressions;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Oms.Api.Platform.Errors;
using Oms.Api.Platform.Http;
using Oms.Domain.Common;
using Oms.Domain.Customers;
using Oms.Infrastructure.Persistence;
using Oms.Infrastructure.Persistence.Configurations;

namespace Oms.Api.Customers;

/// <summary>How a list of customers is sorted, as clients write it: <c>lastOrderAt</c>, <c>-lifetimeValue</c>, …</summary>
public sealed record CustomerOrder(CustomerSort By, bool Descending)
{
    public static readonly CustomerOrder Default = new(CustomerSort.CreatedAt, Descending: true);

    public static CustomerOrder Parse(string? sort, string field = "sort")
    {
        if (string.IsNullOrEmpty(sort)) return Default;
        var descending = sort.StartsWith('-');
        var name = descending ? sort[1..] : sort;
        foreach (var by in Enum.GetValues<CustomerSort>())
            if (string.Equals(name, JsonNamingPolicyName(by), StringComparison.Ordinal)) return new CustomerOrder(by, descending);
        throw RequestValidationException.For(field, "One of createdAt, lastOrderAt, orderCount, lifetimeValue, each with a leading - for descending.");
    }

    private static string JsonNamingPolicyName(CustomerSort by) => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(by.ToString());

    public override string ToString() => (Descending ? "-" : "") + JsonNamingPolicyName(By);
}

public sealed class CustomerQueries(OmsDbContext db, IOptions<CustomerOptions> options, TimeProvider clock, IServiceProvider services, Visibility seen, PersonalDataViews views)
{
    private SegmentThresholds Segments => options.Value.Thresholds();

    public CustomerDto Map(Customer c) => CustomerDto.From(c, Segments, clock.GetUtcNow());

    public async Task<CustomerDto> GetAsync(CustomerId id, CancellationToken ct)
    {
        var customer = Map(await seen.Customers.SingleOrDefaultAsync(c => c.Id == id, ct) ?? throw new NotFoundException("customer", id.Value));
        await views.CustomersAsync([customer.Id], ct, one: true);
        return customer;
    }

    /// <summary>Customers by id (GraphQL batches them per page).</summary>
    public async Task<Dictionary<Guid, CustomerDto>> ByIdsAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct)
    {
        var wanted = ids.Select(i => new CustomerId(i)).ToList();
        var found = (await seen.Customers.Where(c => wanted.Contains(c.Id)).ToListAsync(ct)).ToDictionary(c => c.Id.Value, Map);
        await views.CustomersAsync(found.Keys, ct);
        return found;
    }

    /// <summary>Everything stored about the customer and the records merged into them (GDPR access).</summary>
    public async Task<CustomerExportDto> ExportAsync(CustomerId id, CancellationToken ct)
    {
        var customer = await seen.Customers.SingleOrDefaultAsync(c => c.Id == id, ct) ?? throw new NotFoundException("customer", id.Value);
        await views.CustomersAsync([id.Value], ct, one: true);
        CustomerId? owner = id;
        var merged = await db.Customers.AsNoTracking().Where(c => c.MergedInto == owner).OrderBy(c => c.Id).ToListAsync(ct);
        var orders = await seen.Orders.Where(o => o.CustomerId == owner).OrderBy(o => o.Number).ToListAsync(ct);
        var orderIds = orders.Select(o => o.Id.Value).ToList();
        // The other features' reads, as their own APIs show each part.
        var timelines = await services.GetRequiredService<Orders.OrderQueries>().TimelinesAsync(orderIds, ct);
        var payments = await services.GetRequiredService<Payments.PaymentQueries>().ForOrdersAsync(orderIds, ct);
        var shipments = await services.GetRequiredService<Fulfilment.FulfilmentQueries>().ShipmentsForOrdersAsync(orderIds, ct);
        var returns = await services.GetRequiredService<Returns.ReturnQueries>().ForOrdersAsync(orderIds, ct);
        IReadOnlyList<T> All<T>(Dictionary<Guid, IReadOnlyList<T>> byOrder) => [.. orderIds.SelectMany(o => byOrder.GetValueOrDefault(o) ?? [])];
        var owners = merged.Select(m => (CustomerId?)m.Id).Append(owner).ToList();
        var contacts = await db.CustomerContacts.AsNoTracking().Where(c => owners.Contains(c.CustomerId)).OrderBy(c => c.At).ToListAsync(ct);
        return new CustomerExportDto
        {
            ExportedAt = clock.GetUtcNow(), Customer = Map(customer), Merged = [.. merged.Select(Map)], Orders = [.. orders.Select(Orders.OrderDto.From)],
            OrderTimeline = All(timelines), Payments = All(payments), Shipments = All(shipments), Returns = All(returns),
            Contacts = [.. contacts.Select(CustomerContactDto.From)],
        };
    }

    /// <summary>
    /// The addresses the customers' orders used (shipping and billing), newest first, at most 20 each: the most recent
    /// shipping address is the default for shipping, the most recent billing one for billing. One query for them all.
    /// </summary>
    public async Task<Dictionary<Guid, IReadOnlyList<CustomerAddressDto>>> AddressesAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct)
    {
        var wanted = ids.Select(i => (CustomerId?)new CustomerId(i)).ToList();
        await views.CustomersAsync(ids, ct);
        var orders = await seen.Orders.Where(o => wanted.Contains(o.CustomerId)).OrderByDescending(o => o.CreatedAt)
            .Select(o => new { o.CustomerId, o.ShippingAddress, o.BillingAddress, o.CreatedAt }).ToListAsync(ct);
        var book = new Dictionary<Guid, IReadOnlyList<CustomerAddressDto>>();
        foreach (var group in orders.GroupBy(o => o.CustomerId!.Value.Value))
        {
            var list = new List<CustomerAddressDto>();
            var (shipping, billing) = (false, false);
            foreach (var o in group)
                foreach (var (address, isShipping) in new[] { (o.ShippingAddress, true), (o.BillingAddress, false) })
                {
                    if (AddressDto.From(address) is not { } dto) continue;
                    var i = list.FindIndex(a => a.Address == dto);
                    var makeDefault = isShipping ? !shipping : !billing;
                    if (isShipping) shipping = true;
                    else billing = true;
                    if (i >= 0)
                    {
                        list[i] = list[i] with { DefaultShipping = list[i].DefaultShipping || (isShipping && makeDefault), DefaultBilling = list[i].DefaultBilling || (!isShipping && makeDefault) };
                        continue;
                    }
                    if (list.Count >= 20) continue;
                    list.Add(new CustomerAddressDto { Address = dto, LastUsedAt = o.CreatedAt, DefaultShipping = isShipping && makeDefault, DefaultBilling = !isShipping && makeDefault });
                }
            book[group.Key] = list;
        }
        return ids.ToDictionary(id => id, id => book.GetValueOrDefault(id) ?? []);
    }

    /// <summary>
    /// The customers' timelines, newest first: their orders' steps, payments and refunds, shipments, returns, logged
    /// contacts and notes, and feedback. A fixed number of queries for any number of customers (GraphQL batches a page).
    /// </summary>
    public async Task<Dictionary<Guid, List<CustomerTimelineEntryDto>>> TimelinesAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct)
    {
        var wanted = ids.Select(i => (CustomerId?)new CustomerId(i)).ToList();
        var orders = await seen.Orders.Where(o => wanted.Contains(o.CustomerId))
            .Select(o => new { o.Id, o.Number, o.CustomerId, o.Currency, Feedback = o.Feedback == null ? null : new { o.Feedback.Rating, o.Feedback.Comment, o.Feedback.ReceivedAt } })
            .ToListAsync(ct);
        var byOrder = orders.ToDictionary(o => o.Id.Value);
        var orderIds = byOrder.Keys.ToList();
        var entries = ids.ToDictionary(id => id, _ => new List<CustomerTimelineEntryDto>());
        CustomerTimelineEntryDto Entry(Guid orderId, string id, DateTimeOffset at, CustomerEventKind kind, string summary, string? actor) => new()
        {
            Id = id, At = at, Kind = kind, Summary = summary, OrderId = orderId, OrderNumber = Domain.Orders.Order.FormatNumber(byOrder[orderId].Number), Actor = actor,
            Channel = null, Rating = null,
        };
        void Add(Guid orderId, CustomerTimelineEntryDto entry) => entries[byOrder[orderId].CustomerId!.Value.Value].Add(entry);
        static string Money(long amount, string currency) => $"{Currencies.Format(amount, currency)} {currency}";

        foreach (var (orderId, steps) in await services.GetRequiredService<Orders.OrderQueries>().TimelinesAsync(orderIds, ct))
        {
            var number = Domain.Orders.Order.FormatNumber(byOrder[orderId].Number);
            for (var i = 0; i < steps.Count; i++)
            {
                var s = steps[i];
                var what = s.Event switch
                {
                    Domain.Orders.TimelineEvent.Placed => "placed",
                    Domain.Orders.TimelineEvent.StatusChanged => Platform.Errors.WireEnum.Name(s.To),
                    Domain.Orders.TimelineEvent.Edited => "edited",
                    _ => "flagged",
                };
                Add(orderId, Entry(orderId, $"order:{orderId:N}:{i}", s.At, CustomerEventKind.Order, $"{number} {what.Replace('_', ' ')}" + (s.Reason is { } r ? $": {r}" : ""), s.Actor));
            }
        }
        foreach (var (orderId, payments) in await services.GetRequiredService<Payments.PaymentQueries>().ForOrdersAsync(orderIds, ct))
            foreach (var p in payments)
                for (var i = 0; i < p.History.Count; i++)
                {
                    var h = p.History[i];
                    var refund = h.Kind.Contains("refund", StringComparison.OrdinalIgnoreCase);
                    Add(orderId, Entry(orderId, $"payment:{p.Id:N}:{i}", h.At, refund ? CustomerEventKind.Refund : CustomerEventKind.Payment,
                        $"{Platform.Errors.WireEnum.Name(p.Method).Replace('_', ' ')} {h.Kind.Replace('_', ' ')} {Money(h.Amount, p.Amount.Currency)}", null));
                }
        foreach (var (orderId, shipments) in await services.GetRequiredService<Fulfilment.FulfilmentQueries>().ShipmentsForOrdersAsync(orderIds, ct))
            foreach (var s in shipments)
            {
                Add(orderId, Entry(orderId, $"shipment:{s.Id:N}:0", s.CreatedAt, CustomerEventKind.Shipment, $"{s.OrderNumber} shipped ({s.Carrier} {s.TrackingNumber})", null));
                if (s.DeliveredAt is { } delivered)
                    Add(orderId, Entry(orderId, $"shipment:{s.Id:N}:1", delivered, CustomerEventKind.Shipment, $"{s.OrderNumber} delivered ({s.Carrier} {s.TrackingNumber})", null));
            }
        foreach (var (orderId, returns) in await services.GetRequiredService<Returns.ReturnQueries>().ForOrdersAsync(orderIds, ct))
            foreach (var r in returns)
            {
                Add(orderId, Entry(orderId, $"return:{r.Id:N}:0", r.CreatedAt, CustomerEventKind.Return, $"{r.Number} requested ({r.Lines.Sum(l => l.Quantity)} units)", null));
                if (r.ReceivedAt is { } received)
                    Add(orderId, Entry(orderId, $"return:{r.Id:N}:1", received, CustomerEventKind.Return, $"{r.Number} received at {r.ReceivedAtNodeCode}", null));
            }
        foreach (var o in orders.Where(o => o.Feedback?.ReceivedAt is not null))
            Add(o.Id.Value, Entry(o.Id.Value, $"feedback:{o.Id.Value:N}", o.Feedback!.ReceivedAt!.Value, CustomerEventKind.Feedback,
                $"Rated {Domain.Orders.Order.FormatNumber(o.Number)} {o.Feedback.Rating}/5" + (o.Feedback.Comment is { } c ? $": {c}" : ""), null) with { Rating = o.Feedback.Rating });
        foreach (var c in await db.CustomerContacts.AsNoTracking().Where(c => wanted.Contains(c.CustomerId)).ToListAsync(ct))
            entries[c.CustomerId.Value].Add(new CustomerTimelineEntryDto
            {
                Id = $"contact:{c.Id:N}", At = c.At, Kind = c.Channel == ContactChannel.Note ? CustomerEventKind.Note : CustomerEventKind.Contact, Summary = c.Summary,
                OrderId = null, OrderNumber = null, Actor = c.Actor, Channel = c.Channel, Rating = null,
            });
        foreach (var list in entries.Values) list.Sort((a, b) => b.At != a.At ? b.At.CompareTo(a.At) : string.CompareOrdinal(b.Id, a.Id));
        return entries;
    }

    /// <summary>A page of a timeline (newest first) after a cursor of <see cref="TimelineCursorOf"/>.</summary>
    public static Page<CustomerTimelineEntryDto> TimelinePage(List<CustomerTimelineEntryDto> timeline, PageRequest page)
    {
        IEnumerable<CustomerTimelineEntryDto> rest = timeline;
        if (page.AfterPosition is { } position)
        {
            var parts = position.Split('|', 2);
            if (parts.Length != 2 || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) || ticks > DateTimeOffset.MaxValue.UtcTicks)
                throw RequestValidationException.For(page.AfterField, "The cursor is not one this API handed out for a timeline.");
            var at = new DateTimeOffset(ticks, TimeSpan.Zero);
            rest = timeline.Where(e => e.At < at || (e.At == at && string.CompareOrdinal(e.Id, parts[1]) < 0));
        }
        return page.Page(rest.Take(page.Take + 1).ToList(), e => e, TimelineCursorOf);
    }

    public static string TimelineCursorOf(CustomerTimelineEntryDto entry) => Cursor.Encode($"{entry.At.UtcTicks.ToString(CultureInfo.InvariantCulture)}|{entry.Id}");

    private static readonly DateTimeOffset NoOrder = DateTimeOffset.UnixEpoch;

    /// <summary>Merged customers are left out (their survivor stands for them); keyset paging on the sort key and the id.</summary>
    public async Task<Page<CustomerDto>> ListAsync(CustomerFilter filter, CustomerOrder order, PageRequest page, CancellationToken ct)
    {
        var q = seen.Customers.Where(c => c.MergedInto == null);
        var now = clock.GetUtcNow();
        if (filter.Segment is { } segment) q = InSegment(q, segment, Segments, now);
        if (filter.Tag is { Length: > 0 } tag) q = q.Where(c => c.Tags.Contains(tag));
        // A duplicate merged into a customer still finds them by its address.
        if (filter.Email is { Length: > 0 } email)
        {
            var normalized = CustomerEmail.Normalize(email);
            q = q.Where(c => c.Email == normalized || db.Customers.Any(d => d.MergedInto == c.Id && d.Email == normalized));
        }
        if (filter.Search is { Length: > 0 } search)
        {
            var pattern = "%" + search.Trim().ToLowerInvariant().Replace("\\", "\\\\").Replace("%", "\\%").Replace("_", "\\_") + "%";
            q = q.Where(c => EF.Functions.Like(c.Email, pattern, "\\") || EF.Functions.Like(c.Name!.ToLower(), pattern, "\\") || EF.Functions.Like(c.Phone!, pattern, "\\")
                             || db.Customers.Any(d => d.MergedInto == c.Id && EF.Functions.Like(d.Email, pattern, "\\")));
        }
        if (filter.FollowUp is { } followUp) q = q.Where(c => c.FollowUp == followUp);
        if (filter.MinOrders is { } min) q = q.Where(c => c.OrderCount >= min);
        var currency = filter.Currency is { Length: > 0 } given ? Currencies.Normalize(given) : null;
        if ((order.By == CustomerSort.LifetimeValue || filter.MinLifetimeValue is not null) && currency is null)
            throw RequestValidationException.For("currency", "Sorting or filtering by lifetime value needs the currency it is in.");
        if (filter.MinLifetimeValue is { } minValue) q = q.Where(c => CustomerValueJson.AmountIn(c.Value, currency!) >= minValue);

        var after = page.AfterPosition is { } position ? Position.Parse(position, order, page.AfterField) : null;
        var rows = order.By switch
        {
            // Version 7 ids are the creation order: no index of its own.
            CustomerSort.CreatedAt => await ById(q, order.Descending, after?.Id, page.Take, ct),
            CustomerSort.LastOrderAt => await Sorted(q, c => c.LastOrderAt ?? NoOrder, order.Descending, after?.Time, after?.Id, page.Take, ct),
            CustomerSort.OrderCount => await Sorted(q, c => c.OrderCount, order.Descending, after is null ? null : (int)after.Number, after?.Id, page.Take, ct),
            _ => await Sorted(q, c => CustomerValueJson.AmountIn(c.Value, currency!), order.Descending, after?.Number, after?.Id, page.Take, ct),
        };
        var dtos = rows.Select(Map).ToList();
        var shown = page.Page(dtos, d => d, d => CursorOf(d, order, currency));
        await views.CustomersAsync(shown.Data.Select(d => d.Id), ct);
        return shown;
    }

    /// <summary>The cursor that resumes a list in <paramref name="order"/> right after <paramref name="customer"/>.</summary>
    public static string CursorOf(CustomerDto customer, CustomerOrder order, string? currency)
    {
        var key = order.By switch
        {
            CustomerSort.CreatedAt => 0,
            CustomerSort.LastOrderAt => (customer.LastOrderAt ?? NoOrder).UtcTicks,
            CustomerSort.OrderCount => customer.OrderCount,
            _ => customer.LifetimeValue.FirstOrDefault(v => v.Currency == currency)?.Amount ?? 0,
        };
        return Cursor.Encode($"{order}|{key.ToString(CultureInfo.InvariantCulture)}|{customer.Id:D}");
    }

    private sealed record Position(long Number, Guid Id)
    {
        public DateTimeOffset Time => new(Number, TimeSpan.Zero);

        public static Position Parse(string position, CustomerOrder order, string field)
        {
            var parts = position.Split('|');
            if (parts.Length == 3 && parts[0] == order.ToString() && long.TryParse(parts[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n)
                && Guid.TryParse(parts[2], out var id) && (order.By is not CustomerSort.LastOrderAt || n is >= 0 and <= 3155378975999999999))
                return new Position(n, id);
            throw RequestValidationException.For(field, "The cursor is not one this API handed out for this sort.");
        }
    }

    private static async Task<List<Customer>> ById(IQueryable<Customer> q, bool descending, Guid? after, int take, CancellationToken ct)
    {
        if (after is { } a)
        {
            var id = new CustomerId(a);
            q = descending ? q.Where(c => c.Id.CompareTo(id) < 0) : q.Where(c => c.Id.CompareTo(id) > 0);
        }
        return await (descending ? q.OrderByDescending(c => c.Id) : q.OrderBy(c => c.Id)).Take(take + 1).ToListAsync(ct);
    }

    private sealed class Box<T>(T value)
    {
        public T Value { get; } = value;
    }

    /// <summary>
    /// <paramref name="q"/> sorted by <paramref name="key"/> and then the id, the page after (<paramref name="after"/>,
    /// <paramref name="afterId"/>) when given: <c>key &gt; k OR (key = k AND id &gt; i)</c>, mirrored when descending.
    /// </summary>
    private static async Task<List<Customer>> Sorted<TKey>(IQueryable<Customer> q, Expression<Func<Customer, TKey>> key, bool descending, TKey? after, Guid? afterId,
        int take, CancellationToken ct) where TKey : struct
    {
        if (after is { } k && afterId is { } i)
        {
            var c = key.Parameters[0];
            // Through a closure, so that EF sends them as parameters.
            var value = Expression.Property(Expression.Constant(new Box<TKey>(k)), nameof(Box<TKey>.Value));
            var id = Expression.Property(Expression.Constant(new Box<CustomerId>(new CustomerId(i))), nameof(Box<CustomerId>.Value));
            var byId = Expression.Call(Expression.Property(c, nameof(Customer.Id)), typeof(CustomerId).GetMethod(nameof(CustomerId.CompareTo), [typeof(CustomerId)])!, id);
            var zero = Expression.Constant(0);
            var body = descending
                ? Expression.OrElse(Expression.LessThan(key.Body, value), Expression.AndAlso(Expression.Equal(key.Body, value), Expression.LessThan(byId, zero)))
                : Expression.OrElse(Expression.GreaterThan(key.Body, value), Expression.AndAlso(Expression.Equal(key.Body, value), Expression.GreaterThan(byId, zero)));
            q = q.Where(Expression.Lambda<Func<Customer, bool>>(body, c));
        }
        var sorted = descending ? q.OrderByDescending(key).ThenByDescending(c => c.Id) : q.OrderBy(key).ThenBy(c => c.Id);
        return await sorted.Take(take + 1).ToListAsync(ct);
    }

    /// <summary>
    /// The customers in <paramref name="segment"/> now, as ranges of the stored order count and last order's date
    /// (<see cref="SegmentThresholds.Of"/> written as a filter; a test compares the two).
    /// </summary>
    private static IQueryable<Customer> InSegment(IQueryable<Customer> q, CustomerSegment segment, SegmentThresholds t, DateTimeOffset now)
    {
        var active = now.AddDays(-t.ActiveDays);
        var lapsed = now.AddDays(-t.LapsedDays);
        var loyal = t.LoyalOrders;
        return segment switch
        {
            CustomerSegment.New => q.Where(c => c.OrderCount <= 0 || c.LastOrderAt == null || (c.OrderCount == 1 && c.LastOrderAt >= active)),
            CustomerSegment.Active => q.Where(c => c.OrderCount > 1 && c.OrderCount < loyal && c.LastOrderAt >= active),
            CustomerSegment.Loyal => q.Where(c => c.OrderCount >= loyal && c.LastOrderAt >= active),
            CustomerSegment.AtRisk => q.Where(c => c.OrderCount > 0 && c.LastOrderAt < active && c.LastOrderAt >= lapsed),
            _ => q.Where(c => c.OrderCount > 0 && c.LastOrderAt < lapsed),
        };
    }
}
