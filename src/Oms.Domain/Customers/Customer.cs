using Oms.Domain.Common;

namespace Oms.Domain.Customers;

public readonly record struct CustomerId(Guid Value) : IComparable<CustomerId>
{
    /// <summary>Version 7 ids order by creation time: lists break ties by id (a keyset).</summary>
    public int CompareTo(CustomerId other) => Value.CompareTo(other.Value);

    public static CustomerId New(DateTimeOffset now) => new(Uuid.V7(now));
    public override string ToString() => Value.ToString();
}

/// <summary>Whether the customer agreed to marketing, where they said so, and when.</summary>
public sealed record MarketingConsent(bool Granted, string Source, DateTimeOffset At);

/// <summary>Something that happened to a customer (customer.created, .updated, .merged, .erased).</summary>
public sealed record CustomerChanged(string Type, Guid AggregateId, DateTimeOffset OccurredAt, Guid? MergedInto = null) : IDomainEvent;

/// <summary>
/// One person across channels (issue 36): found by their e-mail address, with what they told us and their figures.
/// The addresses they used are their orders' (read from them, not kept twice). A merged customer points at the one
/// that absorbed it; an erased one keeps only what the books need.
/// </summary>
public sealed class Customer : AggregateRoot
{
    public const int MaxTags = 50;
    public const string Erased = "erased";

    private readonly List<string> _tags = [];

    private Customer() { }

    public CustomerId Id { get; private set; }
    /// <summary>The address that finds this customer (normalised, one customer per address); a merged duplicate keeps its own, which leads to the survivor.</summary>
    public string Email { get; private set; } = "";
    public string? Name { get; private set; }
    public string? Phone { get; private set; }
    public string? Locale { get; private set; }
    public string? Notes { get; private set; }
    public MarketingConsent? Consent { get; private set; }
    /// <summary>Kept current as their orders move (placed, cancelled, refunded, returned), never computed per read.</summary>
    public CustomerFigures Figures
    {
        get => new()
        {
            Orders = OrderCount, FirstOrderAt = FirstOrderAt, LastOrderAt = LastOrderAt, OrdersReturned = OrdersReturned, UnitsReturned = UnitsReturned,
            Value = Value.Count == 0 || Value.All(v => v.Orders != 0 || v.Amount != 0) ? Value : [.. Value.Where(v => v.Orders != 0 || v.Amount != 0)],
        };
        private set => (OrderCount, FirstOrderAt, LastOrderAt, OrdersReturned, UnitsReturned, Value) =
            (value.Orders, value.FirstOrderAt, value.LastOrderAt, value.OrdersReturned, value.UnitsReturned, value.Value);
    }

    // The figures as stored, on the customer's row: the value per currency in one column, so that a new customer is one
    // row (the checkout writes it) and a list can filter and sort by the value in one currency.
    public int OrderCount { get; private set; }
    public DateTimeOffset? FirstOrderAt { get; private set; }
    public DateTimeOffset? LastOrderAt { get; private set; }
    public int OrdersReturned { get; private set; }
    public int UnitsReturned { get; private set; }
    /// <summary>Per currency, in currency order (a currency whose orders were all cancelled may stay at zero).</summary>
    public IReadOnlyList<CurrencyValue> Value { get; private set; } = [];
    /// <summary>The customer's id on each channel that knows them (a marketplace's buyer id), by channel.</summary>
    public Dictionary<string, string> ExternalIds { get; private set; } = [];
    public bool FollowUp { get; private set; }
    public CustomerId? MergedInto { get; private set; }
    public DateTimeOffset? ErasedAt { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    public IReadOnlyList<string> Tags => _tags;

    public static Customer Create(string email, string? name, string? phone, DateTimeOffset now, CustomerId? id = null)
    {
        var customer = new Customer { Id = id ?? CustomerId.New(now), Email = CustomerEmail.Normalize(email), Name = name, Phone = phone, CreatedAt = now, UpdatedAt = now };
        customer.Raise(new CustomerChanged("customer.created", customer.Id.Value, now));
        return customer;
    }

    /// <summary>An order was placed for this customer: their figures count it.</summary>
    public void OrderPlaced(Money total, DateTimeOffset now)
    {
        EnsureLive();
        Figures = Figures.OrderPlaced(total, now);
        UpdatedAt = now;
    }

    /// <summary>
    /// The figures as worked out again from the customer's orders (after a cancellation, a refund, a return or a
    /// merge): the stored ones become these. Also for an erased customer, whose figures stay the books'.
    /// </summary>
    public bool Refresh(CustomerFigures figures, DateTimeOffset now)
    {
        if (MergedInto is not null || Figures.Equals(figures)) return false;
        Figures = figures;
        UpdatedAt = now;
        return true;
    }

    /// <summary>What the customer or staff said about them; null leaves a field as it is, "" clears it.</summary>
    public void Update(string? name, string? phone, string? locale, string? notes, IReadOnlyDictionary<string, string>? externalIds, DateTimeOffset now)
    {
        EnsureLive();
        if (name is not null) Name = name.Length == 0 ? null : name;
        if (phone is not null) Phone = phone.Length == 0 ? null : phone;
        if (locale is not null) Locale = locale.Length == 0 ? null : locale;
        if (notes is not null) Notes = notes.Length == 0 ? null : notes;
        if (externalIds is not null)
            foreach (var (channel, external) in externalIds)
                if (external.Length == 0) ExternalIds.Remove(channel);
                else ExternalIds[channel] = external;
        Changed(now);
    }

    /// <summary>Replaces the tags (the list as given, trimmed, without duplicates).</summary>
    public void ReplaceTags(IEnumerable<string> tags, DateTimeOffset now)
    {
        EnsureLive();
        var all = tags.Select(t => t.Trim()).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        if (all.Count > MaxTags) throw new DomainException("customer.too_many_tags", $"A customer has at most {MaxTags} tags.", "tags");
        _tags.Clear();
        _tags.AddRange(all);
        Changed(now);
    }

    /// <summary>Adds tags to those the customer has (trimmed, without duplicates).</summary>
    public void Tag(IEnumerable<string> tags, DateTimeOffset now) => ReplaceTags(_tags.Concat(tags), now);

    public void ConsentTo(bool granted, string source, DateTimeOffset now)
    {
        EnsureLive();
        Consent = new MarketingConsent(granted, source, now);
        Changed(now);
    }

    /// <summary>A contact with the customer (or a note about them) for their timeline: not for a merged or erased record.</summary>
    public CustomerContact LogContact(ContactChannel channel, string summary, string actor, DateTimeOffset? at, DateTimeOffset now)
    {
        EnsureLive();
        return CustomerContact.Log(Id, channel, summary, actor, at, now);
    }

    /// <summary>The customer rated an order: <see cref="Orders.OrderFeedback.LowRating"/> or less asks someone to get in touch.</summary>
    public void Rated(int rating, DateTimeOffset now)
    {
        if (rating <= Orders.OrderFeedback.LowRating) FlagForFollowUp(true, now);
    }

    /// <summary>A low rating asks someone to get in touch; clearing it says they did.</summary>
    public void FlagForFollowUp(bool flag, DateTimeOffset now)
    {
        EnsureLive();
        if (FollowUp == flag) return;
        FollowUp = flag;
        Changed(now);
    }

    /// <summary>
    /// This customer absorbs <paramref name="duplicate"/>: figures add up, tags and external ids join, details fill
    /// what this one lacks, and the duplicate points here from now on.
    /// </summary>
    public void Absorb(Customer duplicate, DateTimeOffset now)
    {
        EnsureLive();
        duplicate.EnsureLive();
        if (duplicate.Id == Id) throw new DomainException("customer.merge_with_itself", "A customer cannot be merged into itself.", "duplicateId");
        Figures = Figures.Plus(duplicate.Figures);
        foreach (var (channel, external) in duplicate.ExternalIds) ExternalIds.TryAdd(channel, external);
        foreach (var t in duplicate._tags.Where(t => !_tags.Contains(t, StringComparer.Ordinal)).Take(Math.Max(0, MaxTags - _tags.Count))) _tags.Add(t);
        Name ??= duplicate.Name;
        Phone ??= duplicate.Phone;
        Consent = Latest(Consent, duplicate.Consent);
        FollowUp |= duplicate.FollowUp;
        duplicate.MergedInto = Id;
        duplicate.UpdatedAt = now;
        duplicate.Raise(new CustomerChanged("customer.merged", duplicate.Id.Value, now, Id.Value));
        Changed(now);
    }

    /// <summary>
    /// Replaces everything that identifies the person with placeholders, for good: the figures stay (they are the
    /// books'), tags, notes, external ids and consent go.
    /// </summary>
    public void Erase(DateTimeOffset now)
    {
        if (ErasedAt is not null) throw new ConflictException("customer.erased", "This customer's personal data was erased already.");
        Email = $"{Erased}-{Id.Value:N}@invalid";
        Name = Erased;
        Phone = null;
        Locale = null;
        Notes = null;
        Consent = null;
        _tags.Clear();
        ExternalIds = [];
        FollowUp = false;
        ErasedAt = now;
        UpdatedAt = now;
        Raise(new CustomerChanged("customer.erased", Id.Value, now));
    }

    private void Changed(DateTimeOffset now)
    {
        UpdatedAt = now;
        if (DomainEvents is [.., CustomerChanged { Type: "customer.updated" }]) return; // one change, one event
        Raise(new CustomerChanged("customer.updated", Id.Value, now));
    }

    private void EnsureLive()
    {
        if (MergedInto is { } survivor)
            throw new ConflictException("customer.merged", $"This customer was merged into {survivor}: use that one.");
        if (ErasedAt is not null) throw new ConflictException("customer.erased", "This customer's personal data was erased.");
    }

    private static MarketingConsent? Latest(MarketingConsent? a, MarketingConsent? b) => a is null ? b : b is null ? a : a.At >= b.At ? a : b;
}
