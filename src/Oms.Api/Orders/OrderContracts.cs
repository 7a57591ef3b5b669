using Oms.Domain.Common;
using Oms.Api.Platform.Auth;
using System.Linq.Expressions;
using System.ComponentModel.DataAnnotations;
using Oms.Api.Platform.Http;
using Oms.Api.Platform.Validation;
using Oms.Domain.Orders;

namespace Oms.Api.Orders;

/// <summary>
/// The follow-up after delivery: a link for the customer (POST /api/v1/feedback/{token}, no key needed) that works
/// until <see cref="ExpiresAt"/>, and what they answered.
/// </summary>
public sealed record OrderFeedbackDto
{
    /// <summary>Unguessable; send it to the customer (the order.delivered event carries it).</summary>
    public required string Token { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
    /// <summary>1-5, once answered.</summary>
    public required int? Rating { get; init; }
    public required string? Comment { get; init; }
    public required FeedbackReason? Reason { get; init; }
    public required DateTimeOffset? ReceivedAt { get; init; }
}

/// <summary>The buyer.</summary>
public sealed record OrderCustomerDto
{
    [Required, EmailAddress, StringLength(320), Personal(PersonalField.Email)]
    public required string Email { get; init; }

    [StringLength(200), Personal(PersonalField.Name)]
    public string? Name { get; init; }

    [StringLength(50), Personal(PersonalField.Phone)]
    public string? Phone { get; init; }

    /// <summary>
    /// A business buyer's VAT identifier (kept upper case without spaces or dots). On the invoice; when the seller and the
    /// buyer are registered in two EU member states, the order is reverse-charged: no VAT is charged.
    /// </summary>
    [VatId, StringLength(30)]
    public string? VatId { get; init; }
}

/// <summary>A new order from any channel.</summary>
public sealed record PlaceOrderRequest
{
    /// <summary>Where the order was captured.</summary>
    public required OrderChannel Channel { get; init; }

    /// <summary>The channel's own order id. A second order with the same channel and reference returns the first one (200) instead of creating a duplicate.</summary>
    [StringLength(100, MinimumLength = 1)]
    public string? ChannelOrderRef { get; init; }

    /// <summary>Who sold the order: a sales person, a store's till, a marketplace's seller id (the reports rank sellers by it).</summary>
    [StringLength(Order.MaxSellerLength, MinimumLength = 1)]
    public string? Seller { get; init; }

    /// <summary>When the order must leave the warehouse, as the channel set it (a marketplace's ship-by date); without it the node's cut-off decides. Within 30 days before and a year after placement.</summary>
    public DateTimeOffset? ShipBy { get; init; }

    /// <summary>The day (UTC) delivery was promised to the shopper at the time of sale; without it the reports work one out from the node's cut-off and the carrier service's transit time. No earlier than shipBy's day.</summary>
    public DateOnly? PromisedDeliveryDate { get; init; }

    public required OrderCustomerDto Customer { get; init; }
    /// <summary>
    /// The customer record the order belongs to (GET /api/v1/customers). Without it, the customer's e-mail finds their
    /// record or makes one; with it, the order goes to that customer (or, when it was merged, to the one it was merged into).
    /// </summary>
    public Guid? CustomerId { get; init; }

    /// <summary>Required unless the order is picked up.</summary>
    public AddressDto? ShippingAddress { get; init; }

    /// <summary>Defaults to the shipping address.</summary>
    public AddressDto? BillingAddress { get; init; }

    /// <summary>Defaults to shipping.</summary>
    public DeliveryDto? Delivery { get; init; }

    public OrderPriority Priority { get; init; } = OrderPriority.Standard;

    /// <summary>ISO 4217 currency of every amount on the order.</summary>
    [Required, CurrencyCode]
    public required string Currency { get; init; }

    [MinLength(1), MaxLength(Order.MaxLines)]
    public required List<OrderLineRequest> Lines { get; init; }

    /// <summary>What the customer was charged for shipping (e.g. by a marketplace), in minor units; computed when left out.</summary>
    [Range(typeof(long), "0", MoneyLimits.Max)]
    public long? ShippingAmount { get; init; }

    [StringLength(5000)]
    public string? Notes { get; init; }

    /// <summary>Your own string key/values: at most 50 keys of up to 40 characters, values up to 500.</summary>
    [MetadataLimits]
    public Dictionary<string, string>? Metadata { get; init; }

    /// <summary>The shopper's IP address as your channel saw it; used by the fraud checks.</summary>
    [StringLength(45), IpAddress]
    public string? ClientIp { get; init; }

    /// <summary>
    /// Money that came with the order (a marketplace or point-of-sale sale, a prepaid bank transfer), recorded as an
    /// offline payment received. When it covers the total, the order is confirmed, routed and reserved in the same
    /// request (or refused as a whole, 409, when the stock is not there). Cards go through POST /orders/{id}/payments.
    /// </summary>
    public PlacementPaymentRequest? Payment { get; init; }
}

/// <summary>An offline payment received with the order.</summary>
public sealed record PlacementPaymentRequest
{
    /// <summary>bank_transfer or other (cards need Stripe, cash on delivery and invoices are collected later: use POST /orders/{id}/payments).</summary>
    public required Oms.Domain.Payments.PaymentMethod Method { get; init; }

    /// <summary>Minor units received; defaults to the order total.</summary>
    [Range(typeof(long), "1", MoneyLimits.Max)]
    public long? Amount { get; init; }

    /// <summary>Your reference for the money (a marketplace payout id, a remittance text).</summary>
    [StringLength(200)]
    public string? Reference { get; init; }
}

/// <summary>Changes to an order that has not shipped; fields left out stay as they are. Totals are recomputed.</summary>
public sealed record UpdateOrderRequest
{
    /// <summary>The complete new list of lines.</summary>
    [MinLength(1), MaxLength(Order.MaxLines)]
    public List<OrderLineRequest>? Lines { get; init; }

    public AddressDto? ShippingAddress { get; init; }

    public AddressDto? BillingAddress { get; init; }

    /// <summary>An empty string clears the notes.</summary>
    [StringLength(5000)]
    public string? Notes { get; init; }

    /// <summary>Replaces the metadata as a whole.</summary>
    [MetadataLimits]
    public Dictionary<string, string>? Metadata { get; init; }

    /// <summary>Who sold the order; an empty string removes it. Alone in an edit, it may change at any time (it is bookkeeping, not what ships).</summary>
    [StringLength(Order.MaxSellerLength)]
    public string? Seller { get; init; }

    /// <summary>Shipping charged, in minor units; when left out it is computed again from the new subtotal.</summary>
    [Range(typeof(long), "0", MoneyLimits.Max)]
    public long? ShippingAmount { get; init; }
}

/// <summary>Why the order is cancelled or held.</summary>
public sealed record OrderReasonRequest
{
    [Required, StringLength(500)]
    public required string Reason { get; init; }
}

/// <summary>An optional note on a release.</summary>
public sealed record ReleaseOrderRequest
{
    [StringLength(500)]
    public string? Reason { get; init; }
}

/// <summary>One line of an order, priced.</summary>
public sealed record OrderLineDto
{
    public required Guid Id { get; init; }
    public required string Sku { get; init; }
    /// <summary>Product name when the line was written.</summary>
    public required string Name { get; init; }
    public required int Quantity { get; init; }
    public required MoneyDto UnitPrice { get; init; }
    public required MoneyDto Total { get; init; }
}

/// <summary>An order as a seller sees it.</summary>
public sealed record OrderDto
{
    public required Guid Id { get; init; }
    /// <summary>Human-friendly number, e.g. OMS-100001.</summary>
    public required string Number { get; init; }
    public required OrderChannel Channel { get; init; }
    public required string? ChannelOrderRef { get; init; }
    /// <summary>Who sold the order (a sales person, a store's till, a marketplace's seller id); null when not said.</summary>
    public required string? Seller { get; init; }
    /// <summary>When the order must leave the warehouse, as the channel set it; null when the node's cut-off decides.</summary>
    public required DateTimeOffset? ShipBy { get; init; }
    /// <summary>The day delivery was promised at the time of sale, as the channel gave it; null when none was given.</summary>
    public required DateOnly? PromisedDeliveryDate { get; init; }
    public required OrderStatus Status { get; init; }
    public required OrderCustomerDto Customer { get; init; }
    /// <summary>The customer record the order belongs to (GET /api/v1/customers/{id}); null only on an order not linked yet.</summary>
    public required Guid? CustomerId { get; init; }
    [Personal] public required AddressDto? ShippingAddress { get; init; }
    [Personal] public required AddressDto? BillingAddress { get; init; }
    public required DeliveryDto Delivery { get; init; }
    public required OrderPriority Priority { get; init; }
    public required string Currency { get; init; }
    public required IReadOnlyList<OrderLineDto> Lines { get; init; }
    public required MoneyDto Subtotal { get; init; }
    public required MoneyDto ShippingTotal { get; init; }
    /// <summary>Tax rate applied to subtotal plus shipping, in basis points (1900 = 19 %).</summary>
    public required int TaxRateBasisPoints { get; init; }
    public required MoneyDto TaxTotal { get; init; }
    public required MoneyDto Total { get; init; }
    public required string? Notes { get; init; }
    public required IReadOnlyDictionary<string, string> Metadata { get; init; }
    public required string? CancelReason { get; init; }
    /// <summary>Money received and kept over all payments (captured less refunded).</summary>
    public required MoneyDto AmountPaid { get; init; }
    /// <summary>Total less what was paid.</summary>
    public required MoneyDto AmountOutstanding { get; init; }
    /// <summary>What was paid beyond the total (zero unless an over-payment was accepted or the total fell): to refund or keep as credit.</summary>
    public required MoneyDto AmountOverpaid { get; init; }
    /// <summary>Fraud score from the rules at placement (and the payment provider's verdict), with the reasons.</summary>
    public required RiskDto Risk { get; init; }
    /// <summary>When the order was first confirmed (paid or accepted, and routed); null while it waits for payment or review.</summary>
    public required DateTimeOffset? ConfirmedAt { get; init; }
    /// <summary>When the goods reached the customer (delivered or picked up); the return window counts from here.</summary>
    public required DateTimeOffset? DeliveredAt { get; init; }
    /// <summary>A carrier problem with one of the shipments (failed delivery, exception, returned to sender) until it clears.</summary>
    public required string? ShipmentIssue { get; init; }
    /// <summary>Set on an exchange's replacement order: the return it replaces goods for.</summary>
    public required Guid? ReplacementForReturnId { get; init; }
    /// <summary>The follow-up after delivery: the feedback link offered when the goods reached the customer, and their answer; null before.</summary>
    public required OrderFeedbackDto? Feedback { get; init; }
    /// <summary>What can be done with the order now.</summary>
    public required IReadOnlyList<OrderAction> AvailableActions { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    /// <summary>Concurrency version; also sent as the ETag. Send it back as If-Match (REST) or expectedVersion (GraphQL).</summary>
    public required int Version { get; init; }

    /// <summary>
    /// The same mapping as <see cref="From"/> as a query projection: lists and GraphQL pages select the columns into the
    /// contract directly instead of materialising each order (with its owned parts and their bookkeeping) first.
    /// <c>OrderReadTests</c> holds the two equal.
    /// </summary>
    public static readonly Expression<Func<Order, OrderDto>> Projection = o => new OrderDto
    {
        Id = o.Id.Value,
        Number = Order.FormatNumber(o.Number),
        Channel = o.Channel,
        ChannelOrderRef = o.ChannelOrderRef,
        Seller = o.Seller,
        ShipBy = o.ShipBy,
        PromisedDeliveryDate = o.PromisedDeliveryDate,
        Status = o.Status,
        Customer = new OrderCustomerDto { Email = o.Customer.Email, Name = o.Customer.Name, Phone = o.Customer.Phone, VatId = o.Customer.VatId },
        CustomerId = o.CustomerId.HasValue ? o.CustomerId.Value.Value : null,
        ShippingAddress = AddressDto.From(o.ShippingAddress),
        BillingAddress = AddressDto.From(o.BillingAddress),
        Delivery = new DeliveryDto { Type = o.Delivery.Type, PickupLocation = o.Delivery.PickupLocation },
        Priority = o.Priority,
        Currency = o.Currency,
        // The lines' columns alone, priced in the order's currency after the read: a subquery naming its outer row's
        // column is a lateral join, which SQLite does not have.
        Lines = LinesIn(o.Lines.Select(l => new LineColumns(l.Id, l.Sku, l.Name, l.Quantity, l.UnitPrice, l.Total)).ToList(), o.Currency),
        Subtotal = MoneyDto.From(o.Subtotal, o.Currency),
        ShippingTotal = MoneyDto.From(o.ShippingTotal, o.Currency),
        TaxRateBasisPoints = o.TaxRateBasisPoints,
        TaxTotal = MoneyDto.From(o.TaxTotal, o.Currency),
        Total = MoneyDto.From(o.Total, o.Currency),
        Notes = o.Notes,
        Metadata = o.Metadata,
        CancelReason = o.CancelReason,
        AmountPaid = MoneyDto.From(o.AmountPaid, o.Currency),
        AmountOutstanding = MoneyDto.From(Order.Outstanding(o.Total, o.AmountPaid), o.Currency),
        AmountOverpaid = MoneyDto.From(Order.Overpaid(o.Total, o.AmountPaid), o.Currency),
        Risk = new RiskDto { Score = o.RiskScore, Reasons = o.RiskReasons },
        ConfirmedAt = o.ConfirmedAt,
        DeliveredAt = o.DeliveredAt,
        ShipmentIssue = o.ShipmentIssue,
        ReplacementForReturnId = o.ReplacementForReturnId,
        Feedback = o.Feedback == null ? null : new OrderFeedbackDto
        {
            Token = o.Feedback.Token, ExpiresAt = o.Feedback.ExpiresAt, Rating = o.Feedback.Rating, Comment = o.Feedback.Comment, Reason = o.Feedback.Reason,
            ReceivedAt = o.Feedback.ReceivedAt,
        },
        AvailableActions = Order.ActionsFor(o.Status, o.HeldFrom),
        CreatedAt = o.CreatedAt,
        UpdatedAt = o.UpdatedAt,
        Version = o.Version,
    };

    internal sealed record LineColumns(Guid Id, string Sku, string Name, int Quantity, long UnitPrice, long Total);

    /// <summary>
    /// In the order they were placed (their ids sort that way, Order.ReplaceLines): the database keeps no order of its
    /// own for the rows of a join, and a page's query joins more than one table.
    /// </summary>
    private static List<OrderLineDto> LinesIn(List<LineColumns> lines, string currency)
    {
        lines.Sort((a, b) => a.Id.CompareTo(b.Id));
        return lines.ConvertAll(l => new OrderLineDto
        {
            Id = l.Id, Sku = l.Sku, Name = l.Name, Quantity = l.Quantity,
            UnitPrice = MoneyDto.From(l.UnitPrice, currency), Total = MoneyDto.From(l.Total, currency),
        });
    }

    public static OrderDto From(Order o) => new()
    {
        Id = o.Id.Value,
        Number = o.DisplayNumber,
        Channel = o.Channel,
        ChannelOrderRef = o.ChannelOrderRef,
        Seller = o.Seller,
        ShipBy = o.ShipBy,
        PromisedDeliveryDate = o.PromisedDeliveryDate,
        Status = o.Status,
        Customer = new OrderCustomerDto { Email = o.Customer.Email, Name = o.Customer.Name, Phone = o.Customer.Phone, VatId = o.Customer.VatId },
        CustomerId = o.CustomerId.HasValue ? o.CustomerId.Value.Value : null,
        ShippingAddress = AddressDto.From(o.ShippingAddress),
        BillingAddress = AddressDto.From(o.BillingAddress),
        Delivery = new DeliveryDto { Type = o.Delivery.Type, PickupLocation = o.Delivery.PickupLocation },
        Priority = o.Priority,
        Currency = o.Currency,
        // In the order they were placed, as a page shows them (LinesIn).
        Lines = o.Lines.OrderBy(l => l.Id).Select(l => new OrderLineDto
        {
            Id = l.Id, Sku = l.Sku, Name = l.Name, Quantity = l.Quantity,
            UnitPrice = MoneyDto.From(l.UnitPrice, o.Currency), Total = MoneyDto.From(l.Total, o.Currency),
        }).ToList(),
        Subtotal = MoneyDto.From(o.Subtotal, o.Currency),
        ShippingTotal = MoneyDto.From(o.ShippingTotal, o.Currency),
        TaxRateBasisPoints = o.TaxRateBasisPoints,
        TaxTotal = MoneyDto.From(o.TaxTotal, o.Currency),
        Total = MoneyDto.From(o.Total, o.Currency),
        Notes = o.Notes,
        Metadata = o.Metadata,
        CancelReason = o.CancelReason,
        AmountPaid = MoneyDto.From(o.AmountPaid, o.Currency),
        AmountOutstanding = MoneyDto.From(o.AmountOutstanding, o.Currency),
        AmountOverpaid = MoneyDto.From(o.AmountOverpaid, o.Currency),
        Risk = new RiskDto { Score = o.RiskScore, Reasons = o.RiskReasons },
        ConfirmedAt = o.ConfirmedAt,
        DeliveredAt = o.DeliveredAt,
        ShipmentIssue = o.ShipmentIssue,
        ReplacementForReturnId = o.ReplacementForReturnId,
        Feedback = o.Feedback == null ? null : new OrderFeedbackDto
        {
            Token = o.Feedback.Token, ExpiresAt = o.Feedback.ExpiresAt, Rating = o.Feedback.Rating, Comment = o.Feedback.Comment, Reason = o.Feedback.Reason,
            ReceivedAt = o.Feedback.ReceivedAt,
        },
        AvailableActions = o.AvailableActions(),
        CreatedAt = o.CreatedAt,
        UpdatedAt = o.UpdatedAt,
        Version = o.Version,
    };
}

/// <summary>The fraud assessment of an order.</summary>
public sealed record RiskDto
{
    public required int Score { get; init; }
    public required IReadOnlyList<string> Reasons { get; init; }
}

/// <summary>One entry of an order's timeline.</summary>
public sealed record TimelineEntryDto
{
    public required DateTimeOffset At { get; init; }
    public required TimelineEvent Event { get; init; }
    public required OrderStatus? From { get; init; }
    public required OrderStatus To { get; init; }
    /// <summary>The API key's name, or system.</summary>
    public required string Actor { get; init; }
    public required string? Reason { get; init; }
}

/// <summary>Filters for listing orders; all optional, combined with AND.</summary>
public sealed record OrderFilter
{
    public OrderStatus? Status { get; init; }
    public OrderChannel? Channel { get; init; }
    public string? CustomerEmail { get; init; }
    /// <summary>The orders of this customer record.</summary>
    public Guid? CustomerId { get; init; }
    /// <summary>Orders with at least one line of this SKU.</summary>
    public string? Sku { get; init; }
    /// <summary>Created at or after (inclusive).</summary>
    public DateTimeOffset? CreatedFrom { get; init; }
    /// <summary>Created before (exclusive).</summary>
    public DateTimeOffset? CreatedTo { get; init; }
}
