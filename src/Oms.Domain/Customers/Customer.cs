using Oms.Domain.Common;

namespace Oms.Domain.Customers;

public readonly record struct CustomerId(Guid Value)
{
    public static CustomerId New(DateTimeOffset now) => new(Uuid.V7(now));
    public override string ToString() => Value.ToString();
}

/// <summary>Whether the customer agreed to marketing, where they said so, and when.</summary>
public sealed record MarketingConsent(bool Granted, string Source, DateTimeOffset At);

/// <summary>An address the customer used, and whether it is their default for shipping or billing.</summary>
public sealed record KnownAddress(Address Address, bool DefaultShipping, bool DefaultBilling);

/// <summary>Something that happened to a customer (customer.created, .updated, .merged, .erased).</summary>
public sealed record CustomerChanged(string Type, Guid AggregateId, DateTimeOffset OccurredAt, Guid? MergedInto = null) : IDomainEvent;

/// <summary>
/// One person across channels (issue 36): found by any of their e-mail addresses, with what they told us, the
/// addresses they used, and their figures. A merged customer points at the one that absorbed it; an erased one keeps
/// only what the books need.
/// </summary>
public sealed class Customer : AggregateRoot
{
    public const int MaxAddresses = 20;
    public const int MaxTags = 50;
    public const string Erased = "erased";

    private readonly List<KnownAddress> _addresses = [];
    private readonly List<string> _tags = [];

    private Customer() { }

    public CustomerId Id { get; private set; }
    /// <summary>The address orders arrived with first (normalised); further ones lead here through the address table.</summary>
    public string Email { get; private set; } = "";
    public string? Name { get; private set; }
    public string? Phone { get; private set; }
    public string? Locale { get; private set; }
    public string? Notes { get; private set; }
    public MarketingConsent? Consent { get; private set; }
    public CustomerFigures Figures { get; private set; } = CustomerFigures.None;
    public bool FollowUp { get; private set; }
    public CustomerId? MergedInto { get; private set; }
    public DateTimeOffset? ErasedAt { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    public IReadOnlyList<KnownAddress> Addresses => _addresses;
    public IReadOnlyList<string> Tags => _tags;

    public static Customer Create(string email, string? name, string? phone, DateTimeOffset now)
    {
        var customer = new Customer { Id = CustomerId.New(now), Email = CustomerEmail.Normalize(email), Name = name, Phone = phone, CreatedAt = now, UpdatedAt = now };
        customer.Raise(new CustomerChanged("customer.created", customer.Id.Value, now));
        return customer;
    }

    /// <summary>An order was placed for this customer: its figures count it, and its addresses join the address book.</summary>
    public void OrderPlaced(Money total, Address? shipping, Address? billing, DateTimeOffset now)
    {
        EnsureLive();
        Figures = Figures.OrderPlaced(total, now);
        if (shipping is not null) Remember(shipping, shipping: true, billing: false);
        if (billing is not null) Remember(billing, shipping: false, billing: true);
        UpdatedAt = now;
    }

    public void OrderCancelled(Money total, DateTimeOffset now)
    {
        EnsureLive();
        Figures = Figures.OrderCancelled(total);
        UpdatedAt = now;
    }

    public void Returned(int units, Money refunded, bool firstReturnOfOrder, DateTimeOffset now)
    {
        EnsureLive();
        Figures = Figures.Returned(units, refunded, firstReturnOfOrder);
        UpdatedAt = now;
    }

    /// <summary>
    /// Adds an address the customer used, once (the same address again is not a second entry). The first address of
    /// a kind becomes the default for it; later ones do not move the default.
    /// </summary>
    public void Remember(Address address, bool shipping, bool billing)
    {
        var i = _addresses.FindIndex(a => a.Address == address);
        var noShipping = !_addresses.Any(a => a.DefaultShipping);
        var noBilling = !_addresses.Any(a => a.DefaultBilling);
        if (i >= 0)
        {
            _addresses[i] = _addresses[i] with { DefaultShipping = _addresses[i].DefaultShipping || (shipping && noShipping), DefaultBilling = _addresses[i].DefaultBilling || (billing && noBilling) };
            return;
        }
        if (_addresses.Count >= MaxAddresses) return; // the address book keeps the first ones; orders keep their own copy
        _addresses.Add(new KnownAddress(address, shipping && noShipping, billing && noBilling));
    }

    public void Tag(IEnumerable<string> tags, DateTimeOffset now)
    {
        EnsureLive();
        var all = _tags.Union(tags.Select(t => t.Trim()).Where(t => t.Length > 0), StringComparer.Ordinal).ToList();
        if (all.Count > MaxTags) throw new DomainException("customer.too_many_tags", $"A customer has at most {MaxTags} tags.", "tags");
        _tags.Clear();
        _tags.AddRange(all);
        Changed(now);
    }

    public void ConsentTo(bool granted, string source, DateTimeOffset now)
    {
        EnsureLive();
        Consent = new MarketingConsent(granted, source, now);
        Changed(now);
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
    /// This customer absorbs <paramref name="duplicate"/>: figures add up, tags and addresses join (defaults stay
    /// this customer's), and the duplicate points here from now on.
    /// </summary>
    public void Absorb(Customer duplicate, DateTimeOffset now)
    {
        EnsureLive();
        duplicate.EnsureLive();
        if (duplicate.Id == Id) throw new DomainException("customer.merge_with_itself", "A customer cannot be merged into itself.", "duplicateId");
        Figures = Figures.Plus(duplicate.Figures);
        foreach (var a in duplicate._addresses) Remember(a.Address, a.DefaultShipping, a.DefaultBilling);
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
    /// books'), the address book, tags, notes and consent go.
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
        _addresses.Clear();
        _tags.Clear();
        FollowUp = false;
        ErasedAt = now;
        UpdatedAt = now;
        Raise(new CustomerChanged("customer.erased", Id.Value, now));
    }

    private void Changed(DateTimeOffset now)
    {
        UpdatedAt = now;
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
