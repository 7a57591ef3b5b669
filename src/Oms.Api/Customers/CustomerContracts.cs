using Oms.Domain.Common;
using Oms.Api.Platform.Auth;
using System.ComponentModel.DataAnnotations;
using Oms.Api.Platform.Http;
using Oms.Domain.Customers;

namespace Oms.Api.Customers;

/// <summary>The <c>Customers</c> section of configuration: where the segments begin.</summary>
public sealed class CustomerOptions
{
    /// <summary>Days since the last order within which a customer is new, active or loyal (default 90); after that, at risk.</summary>
    public int ActiveDays { get; set; } = 90;
    /// <summary>Days since the last order after which a customer is lapsed (default 365).</summary>
    public int LapsedDays { get; set; } = 365;
    /// <summary>Orders from which a recent customer is loyal (default 5).</summary>
    public int LoyalOrders { get; set; } = 5;

    /// <summary>Feedback answers (POST /api/v1/feedback/{token}) one client address may send per minute (default 10).</summary>
    public int FeedbackPerClientPerMinute { get; set; } = 10;

    public SegmentThresholds Thresholds() => SegmentThresholds.Checked(ActiveDays, LapsedDays, LoyalOrders);
}

/// <summary>What the customer's orders in one currency are worth: placed and not cancelled, less refunds.</summary>
public sealed record CustomerValueDto
{
    /// <summary>ISO 4217.</summary>
    public required string Currency { get; init; }
    /// <summary>Minor units.</summary>
    public required long Amount { get; init; }
    /// <summary>Orders in this currency, placed and not cancelled.</summary>
    public required int Orders { get; init; }
    /// <summary>Amount / orders, in minor units, rounded half away from zero.</summary>
    public required long AverageOrderValue { get; init; }
}

public sealed record MarketingConsentDto
{
    public required bool Granted { get; init; }
    /// <summary>Where the customer said so: checkout, newsletter_form, support_call, …</summary>
    public required string Source { get; init; }
    public required DateTimeOffset At { get; init; }
}

/// <summary>An address the customer's orders went to or were billed to; the most recent of each kind is the default for it.</summary>
public sealed record CustomerAddressDto
{
    [Personal] public required AddressDto Address { get; init; }
    /// <summary>When an order last used it.</summary>
    public required DateTimeOffset LastUsedAt { get; init; }
    public required bool DefaultShipping { get; init; }
    public required bool DefaultBilling { get; init; }
}

/// <summary>
/// One person across channels: found by their e-mail address, with what they told us and figures kept current as
/// their orders move. The addresses they used: GET /customers/{id}/addresses.
/// </summary>
public sealed record CustomerDto
{
    public required Guid Id { get; init; }
    /// <summary>The address the first order came with (lower case).</summary>
    [Personal(PersonalField.Email)] public required string Email { get; init; }
    [Personal(PersonalField.Name)] public required string? Name { get; init; }
    [Personal(PersonalField.Phone)] public required string? Phone { get; init; }
    /// <summary>BCP 47, e.g. de-DE.</summary>
    public required string? Locale { get; init; }
    public required string? Notes { get; init; }
    public required IReadOnlyList<string> Tags { get; init; }
    /// <summary>The customer's id on each channel that knows them (a marketplace's buyer id), by channel.</summary>
    public required IReadOnlyDictionary<string, string> ExternalIds { get; init; }
    public required MarketingConsentDto? MarketingConsent { get; init; }
    /// <summary>Orders placed and not cancelled (an exchange's replacement is not one).</summary>
    public required int OrderCount { get; init; }
    /// <summary>Per currency, in currency order.</summary>
    public required IReadOnlyList<CustomerValueDto> LifetimeValue { get; init; }
    public required DateTimeOffset? FirstOrderAt { get; init; }
    public required DateTimeOffset? LastOrderAt { get; init; }
    /// <summary>Orders with at least one unit received back.</summary>
    public required int OrdersReturned { get; init; }
    public required int UnitsReturned { get; init; }
    /// <summary>OrdersReturned / OrderCount, 0-1 to four places (0 without orders).</summary>
    public required decimal ReturnRate { get; init; }
    /// <summary>From the order count and the last order's date, with the thresholds in configuration (Customers:ActiveDays, LapsedDays, LoyalOrders).</summary>
    public required CustomerSegment Segment { get; init; }
    /// <summary>Someone should get in touch (set by a low rating, cleared by staff).</summary>
    public required bool FollowUp { get; init; }
    /// <summary>Set when this customer was a duplicate merged into another: that one stands for them now.</summary>
    public required Guid? MergedInto { get; init; }
    /// <summary>When the customer's personal data was erased (their figures stay for the books).</summary>
    public required DateTimeOffset? ErasedAt { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    public required int Version { get; init; }

    public static CustomerDto From(Customer c, SegmentThresholds segments, DateTimeOffset now) => new()
    {
        Id = c.Id.Value, Email = c.Email, Name = c.Name, Phone = c.Phone, Locale = c.Locale, Notes = c.Notes, Tags = [.. c.Tags],
        ExternalIds = new Dictionary<string, string>(c.ExternalIds),
        MarketingConsent = c.Consent is { } consent ? new MarketingConsentDto { Granted = consent.Granted, Source = consent.Source, At = consent.At } : null,
        OrderCount = c.OrderCount,
        LifetimeValue = [.. c.Figures.Value.Select(v => new CustomerValueDto { Currency = v.Currency, Amount = v.Amount, Orders = v.Orders, AverageOrderValue = v.AverageOrder })],
        FirstOrderAt = c.FirstOrderAt, LastOrderAt = c.LastOrderAt, OrdersReturned = c.OrdersReturned, UnitsReturned = c.UnitsReturned, ReturnRate = c.Figures.ReturnRate,
        Segment = segments.Of(c.OrderCount, c.LastOrderAt, now), FollowUp = c.FollowUp, MergedInto = c.MergedInto?.Value, ErasedAt = c.ErasedAt,
        CreatedAt = c.CreatedAt, UpdatedAt = c.UpdatedAt, Version = c.Version,
    };
}

/// <summary>Fields left out stay as they are; an empty string clears a text field.</summary>
public sealed record UpdateCustomerRequest
{
    [StringLength(200)] public string? Name { get; init; }
    [StringLength(50)] public string? Phone { get; init; }
    /// <summary>BCP 47, e.g. de-DE.</summary>
    [StringLength(35)] public string? Locale { get; init; }
    [StringLength(4000)] public string? Notes { get; init; }
    /// <summary>Replaces the tags (at most 50).</summary>
    [MaxLength(Customer.MaxTags)] public IReadOnlyList<string>? Tags { get; init; }
    /// <summary>Channel → the customer's id there; an empty value removes a channel's.</summary>
    public Dictionary<string, string>? ExternalIds { get; init; }
    /// <summary>Marketing consent as the customer just gave or withdrew it.</summary>
    public ConsentRequest? MarketingConsent { get; init; }
    /// <summary>False once someone got in touch.</summary>
    public bool? FollowUp { get; init; }
}

/// <summary>What an entry of a customer's timeline is about.</summary>
public enum CustomerEventKind { Order, Payment, Refund, Shipment, Return, Contact, Note, Feedback }

/// <summary>One thing that happened with a customer: their orders' steps, payments, refunds, shipments and returns, logged contacts and notes, feedback.</summary>
public sealed record CustomerTimelineEntryDto
{
    /// <summary>Stable for the entry (what it is about and where it came from).</summary>
    public required string Id { get; init; }
    public required DateTimeOffset At { get; init; }
    public required CustomerEventKind Kind { get; init; }
    /// <summary>One line a person can read, e.g. "OMS-100042 shipped (parcelpost 00340434161094042557)".</summary>
    public required string Summary { get; init; }
    public required Guid? OrderId { get; init; }
    public required string? OrderNumber { get; init; }
    /// <summary>Who did it: the API key's name, system, or null for the customer.</summary>
    public required string? Actor { get; init; }
    /// <summary>For a contact or note: how.</summary>
    public required ContactChannel? Channel { get; init; }
    /// <summary>For feedback: 1-5.</summary>
    public required int? Rating { get; init; }
}

/// <summary>A contact with the customer (a call, an e-mail, a chat) or a note about them.</summary>
public sealed record LogContactRequest
{
    /// <summary>call, email, chat, note or other.</summary>
    public required ContactChannel Channel { get; init; }
    [StringLength(CustomerContact.MaxSummaryLength, MinimumLength = 1)] public required string Summary { get; init; }
    /// <summary>When it happened (default: now).</summary>
    public DateTimeOffset? At { get; init; }
}

public sealed record CustomerContactDto
{
    public required Guid Id { get; init; }
    public required Guid CustomerId { get; init; }
    public required ContactChannel Channel { get; init; }
    public required string Summary { get; init; }
    public required string Actor { get; init; }
    public required DateTimeOffset At { get; init; }

    public static CustomerContactDto From(CustomerContact c) => new()
    {
        Id = c.Id, CustomerId = c.CustomerId.Value, Channel = c.Channel, Summary = c.Summary, Actor = c.Actor, At = c.At,
    };
}

/// <summary>Everything stored about a customer (GDPR access), as the API shows each part.</summary>
public sealed record CustomerExportDto
{
    public required DateTimeOffset ExportedAt { get; init; }
    public required CustomerDto Customer { get; init; }
    /// <summary>Records merged into this customer.</summary>
    public required IReadOnlyList<CustomerDto> Merged { get; init; }
    /// <summary>Every order of the customer, oldest first, with its lines, addresses and timeline.</summary>
    public required IReadOnlyList<Orders.OrderDto> Orders { get; init; }
    public required IReadOnlyList<Orders.TimelineEntryDto> OrderTimeline { get; init; }
    public required IReadOnlyList<Payments.PaymentDto> Payments { get; init; }
    public required IReadOnlyList<Fulfilment.ShipmentDto> Shipments { get; init; }
    public required IReadOnlyList<Returns.ReturnDto> Returns { get; init; }
    public required IReadOnlyList<CustomerContactDto> Contacts { get; init; }
}

/// <summary>The same person under a second record: that one's orders, details and figures come here.</summary>
public sealed record MergeCustomerRequest
{
    /// <summary>The customer to absorb; it stays as a pointer (mergedInto) and its address finds this customer from now on.</summary>
    public required Guid DuplicateId { get; init; }
}

public sealed record ConsentRequest
{
    public required bool Granted { get; init; }
    /// <summary>Where the customer said so: checkout, newsletter_form, support_call, …</summary>
    [StringLength(100, MinimumLength = 1)] public required string Source { get; init; }
}

/// <summary>How a customer list is sorted: a leading minus sorts descending.</summary>
public enum CustomerSort { CreatedAt, LastOrderAt, OrderCount, LifetimeValue }

/// <param name="Segment">Only customers in this segment now.</param>
/// <param name="Search">Part of the name, e-mail or phone, case-insensitive.</param>
/// <param name="Currency">The currency <c>lifetimeValue</c> sorts and filters by.</param>
/// <param name="MinLifetimeValue">At least this value in <paramref name="Currency"/>, minor units.</param>
public sealed record CustomerFilter(CustomerSegment? Segment = null, string? Tag = null, string? Email = null, string? Search = null, bool? FollowUp = null,
    int? MinOrders = null, string? Currency = null, long? MinLifetimeValue = null);
