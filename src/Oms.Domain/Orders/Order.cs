using Oms.Domain.Common;

namespace Oms.Domain.Orders;

public readonly record struct OrderId(Guid Value)
{
    public static OrderId New(DateTimeOffset now) => new(Uuid.V7(now));
    public override string ToString() => Value.ToString();
}

/// <summary>Who ordered: an e-mail address, a name and phone, and a business buyer's VAT identifier (for the invoice and reverse charge).</summary>
public sealed record CustomerInfo(string Email, string? Name, string? Phone, string? VatId = null);

/// <summary>How the goods reach the customer: shipped, or collected at a location (a fulfilment node's code).</summary>
public sealed record Delivery(DeliveryType Type, string? PickupLocation);

/// <summary>An order line as priced by the service (catalog price or the caller's), before it becomes part of an order.</summary>
public sealed record LineItem(string Sku, string Name, int Quantity, long UnitPrice);

/// <summary>What the order costs on top of its lines: shipping, and the tax rate in basis points (1900 = 19 %).</summary>
public sealed record Charges(long Shipping, int TaxRateBasisPoints);

/// <summary>Everything a caller says when placing an order; <c>Id</c> when the caller reserved one (an idempotent retry places under the same id).</summary>
public sealed record OrderDraft(
    OrderChannel Channel,
    string? ChannelOrderRef,
    CustomerInfo Customer,
    Address? ShippingAddress,
    Address? BillingAddress,
    Delivery Delivery,
    OrderPriority Priority,
    string Currency,
    IReadOnlyList<LineItem> Lines,
    string? Notes,
    IReadOnlyDictionary<string, string> Metadata,
    string? ClientIp = null,
    Guid? ReplacementForReturnId = null,
    OrderId? Id = null,
    Customers.CustomerId? CustomerId = null,
    string? Seller = null,
    DateTimeOffset? ShipBy = null,
    DateOnly? PromisedDeliveryDate = null);

/// <summary>What an edit changes; a null member stays as it is.</summary>
public sealed record OrderEdit(
    IReadOnlyList<LineItem>? Lines,
    Address? ShippingAddress,
    Address? BillingAddress,
    string? Notes,
    IReadOnlyDictionary<string, string>? Metadata,
    string? Seller = null);

public sealed class OrderLine
{
    private OrderLine() { }

    internal OrderLine(LineItem item, Guid id)
    {
        Id = id;
        Sku = item.Sku;
        Name = item.Name;
        Quantity = item.Quantity;
        UnitPrice = item.UnitPrice;
        Total = checked(item.UnitPrice * item.Quantity);
    }

    public Guid Id { get; private set; }
    public string Sku { get; private set; } = "";
    public string Name { get; private set; } = "";
    public int Quantity { get; private set; }
    /// <summary>Minor units of the order's currency.</summary>
    public long UnitPrice { get; private set; }
    public long Total { get; private set; }
}

public sealed class OrderTimelineEntry
{
    private OrderTimelineEntry() { }

    internal OrderTimelineEntry(TimelineEvent kind, OrderStatus? from, OrderStatus to, string actor, string? reason, DateTimeOffset at)
    {
        Id = Uuid.V7(at);
        Event = kind;
        From = from;
        To = to;
        Actor = actor;
        Reason = reason;
        At = at;
    }

    internal void Scrub(Func<string, string> scrub)
    {
        if (Reason is { } reason) Reason = scrub(reason);
    }

    public Guid Id { get; private set; }
    public DateTimeOffset At { get; private set; }
    public TimelineEvent Event { get; private set; }
    public OrderStatus? From { get; private set; }
    public OrderStatus To { get; private set; }
    public string Actor { get; private set; } = "";
    public string? Reason { get; private set; }
}

public sealed class Order : AggregateRoot
{
    public const int MaxLines = 250;
    public const int MaxQuantity = 100_000;

    private readonly List<OrderLine> _lines = [];
    private readonly List<OrderTimelineEntry> _timeline = [];

    private Order() { }

    public OrderId Id { get; private set; }
    /// <summary>Human-friendly sequence number, shown as <see cref="DisplayNumber"/>.</summary>
    public long Number { get; private set; }
    public string DisplayNumber => FormatNumber(Number);
    public OrderChannel Channel { get; private set; }
    public string? ChannelOrderRef { get; private set; }
    public OrderStatus Status { get; private set; }
    /// <summary>While on hold: the status a release returns to.</summary>
    public OrderStatus? HeldFrom { get; private set; }
    public CustomerInfo Customer { get; private set; } = null!;
    /// <summary>The customer record the order belongs to (issue 36); null only on an order placed before customers existed and not linked yet.</summary>
    public Customers.CustomerId? CustomerId { get; private set; }
    public Address? ShippingAddress { get; private set; }
    public Address? BillingAddress { get; private set; }
    public Delivery Delivery { get; private set; } = null!;
    public OrderPriority Priority { get; private set; }
    public string Currency { get; private set; } = "";
    public long Subtotal { get; private set; }
    public long ShippingTotal { get; private set; }
    public int TaxRateBasisPoints { get; private set; }
    public long TaxTotal { get; private set; }
    public long Total { get; private set; }
    public string? Notes { get; private set; }
    /// <summary>Who sold the order (a sales person, a store's till, a marketplace's seller id), for the reports; optional.</summary>
    public string? Seller { get; private set; }
    /// <summary>When the order must leave the warehouse, as the channel set it (a marketplace's ship-by); null: the node's cut-off decides.</summary>
    public DateTimeOffset? ShipBy { get; private set; }
    /// <summary>The day delivery was promised at the time of sale, as the channel gave it; null: the reports work one out (docs/reports.md).</summary>
    public DateOnly? PromisedDeliveryDate { get; private set; }
    public Dictionary<string, string> Metadata { get; private set; } = [];
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public string? CancelReason { get; private set; }
    /// <summary>The shopper's IP address as the channel saw it, for fraud checks.</summary>
    public string? ClientIp { get; private set; }
    /// <summary>Money received and kept: captured less refunded, over all payments.</summary>
    public long AmountPaid { get; private set; }
    public int RiskScore { get; private set; }
    public List<string> RiskReasons { get; private set; } = [];
    /// <summary>When the goods reached the customer (delivered or picked up): the return window counts from here.</summary>
    /// <summary>When the order was first confirmed; null while it waits for payment or review.</summary>
    public DateTimeOffset? ConfirmedAt { get; private set; }
    public DateTimeOffset? DeliveredAt { get; private set; }
    /// <summary>A carrier problem with one of the order's shipments (failed delivery, exception, returned to sender), until it clears.</summary>
    public string? ShipmentIssue { get; private set; }
    /// <summary>The feedback link offered once the goods reached the customer, and their answer; null before.</summary>
    public OrderFeedback? Feedback { get; private set; }
    /// <summary>Set on an exchange's replacement order: the return it replaces goods for.</summary>
    public Guid? ReplacementForReturnId { get; private set; }

    /// <summary>What erased personal data reads as (GDPR erasure): in names, address lines and free text.</summary>
    public const string Erased = "erased";

    /// <summary>
    /// Erasure (GDPR): what identifies the buyer gives way to placeholders (<paramref name="placeholderEmail"/> for the
    /// address, <see cref="Erased"/> for names and street lines); free text goes or is passed through
    /// <paramref name="scrub"/>. Amounts, lines, SKUs, dates, statuses and the countries stay for the books. Raises
    /// nothing: erasure announces itself once, as <c>customer.erased</c>.
    /// </summary>
    public void ErasePersonalData(string placeholderEmail, Func<string, string> scrub, DateTimeOffset now)
    {
        Customer = new CustomerInfo(placeholderEmail, Erased, null);
        ShippingAddress = ErasedAddress(ShippingAddress);
        BillingAddress = ErasedAddress(BillingAddress);
        Notes = null;
        Metadata = [];
        ClientIp = null;
        if (CancelReason is { } reason) CancelReason = scrub(reason);
        if (ShipmentIssue is { } issue) ShipmentIssue = scrub(issue);
        foreach (var entry in _timeline) entry.Scrub(scrub);
        Feedback?.Erase();
        UpdatedAt = now;
    }

    /// <summary>
    /// The customer answered the feedback link: kept once, while the link is valid. Raises <c>order.updated</c>
    /// (changed: feedback) and <c>customer.feedback_received</c>, both carrying the order.
    /// </summary>
    public void ReceiveFeedback(int rating, string? comment, FeedbackReason? reason, DateTimeOffset now)
    {
        if (Feedback is not { } feedback) throw new DomainException("feedback.not_offered", "This order has not reached its customer yet.", "token");
        feedback.Receive(rating, comment, reason, now);
        UpdatedAt = now;
        Raise(new OrderUpdated(Id.Value, ["feedback"], now));
        Raise(new FeedbackReceived(Id.Value, now));
    }

    /// <summary>An address after erasure: the country stays (for the books' tax), everything else is a placeholder or gone.</summary>
    public static Address? ErasedAddress(Address? a) => a is null ? null : new Address(Erased, null, Erased, null, Erased, null, null, a.Country, null, null, null);

    public long AmountOutstanding => Outstanding(Total, AmountPaid);

    /// <summary>Money received beyond the total (an over-payment someone accepted, or a total lowered by an edit): to refund or keep as credit.</summary>
    public long AmountOverpaid => Overpaid(Total, AmountPaid);

    public static long Outstanding(long total, long paid) => Math.Max(0, total - paid);

    public static long Overpaid(long total, long paid) => Math.Max(0, paid - total);

    /// <summary>
    /// Money coming in may not take the order beyond its total, unless the caller says it is an over-payment
    /// (<paramref name="overpayment"/>): a typo or a retried call must not silently take more than was asked.
    /// </summary>
    public void EnsureCanTake(long amount, bool overpayment, string field = "amount")
    {
        if (!overpayment && amount > AmountOutstanding)
            throw new DomainException("payment.exceeds_total",
                $"The order's total is {Total} and {AmountPaid} is paid: at most {AmountOutstanding} more can come in. Send allowOverpayment: true to take more.", field);
    }

    public IReadOnlyList<OrderLine> Lines => _lines;
    public IReadOnlyList<OrderTimelineEntry> Timeline => _timeline;

    public static string FormatNumber(long number) => $"OMS-{number}";

    public static bool TryParseNumber(string text, out long number)
    {
        number = 0;
        var digits = text.StartsWith("OMS-", StringComparison.OrdinalIgnoreCase) ? text[4..] : text;
        return long.TryParse(digits, System.Globalization.NumberStyles.None, null, out number);
    }

    public static long SubtotalOf(IEnumerable<LineItem> lines)
    {
        try
        {
            return lines.Sum(l => checked(l.UnitPrice * l.Quantity));
        }
        catch (OverflowException)
        {
            throw new DomainException("order.amount_too_large", "The lines add up to more than an amount can hold: order fewer, or split the order.", "lines");
        }
    }

    public static Order Place(OrderDraft draft, long number, Charges charges, string actor, DateTimeOffset now)
    {
        var currency = Currencies.Normalize(draft.Currency);
        ValidateDelivery(draft.Delivery, draft.ShippingAddress);
        var order = new Order
        {
            Id = draft.Id ?? OrderId.New(now),
            Number = number,
            Channel = draft.Channel,
            ChannelOrderRef = draft.ChannelOrderRef,
            Status = OrderStatus.Pending,
            Customer = draft.Customer with { Email = Customers.CustomerEmail.Normalize(draft.Customer.Email) },
            CustomerId = draft.CustomerId,
            ShippingAddress = Copy(draft.ShippingAddress),
            BillingAddress = Copy(draft.BillingAddress ?? draft.ShippingAddress),
            Delivery = draft.Delivery,
            Priority = draft.Priority,
            Currency = currency,
            Notes = draft.Notes,
            Seller = NormalizeSeller(draft.Seller),
            ShipBy = draft.ShipBy?.ToUniversalTime(),
            PromisedDeliveryDate = draft.PromisedDeliveryDate,
            Metadata = new Dictionary<string, string>(draft.Metadata),
            ClientIp = draft.ClientIp,
            ReplacementForReturnId = draft.ReplacementForReturnId,
            CreatedAt = now,
            UpdatedAt = now,
        };
        ValidatePromises(order.ShipBy, order.PromisedDeliveryDate, now);
        order.ReplaceLines(draft.Lines, now);
        order.Reprice(charges);
        order._timeline.Add(new OrderTimelineEntry(TimelineEvent.Placed, null, OrderStatus.Pending, actor, null, now));
        order.Raise(new OrderPlaced(order.Id.Value, number, now));
        return order;
    }

    public IReadOnlyList<OrderAction> AvailableActions() => ActionsFor(Status, HeldFrom);

    /// <summary>What can be done with an order in <paramref name="status"/> (held from <paramref name="heldFrom"/>): a read maps it from the two columns without loading the order.</summary>
    public static IReadOnlyList<OrderAction> ActionsFor(OrderStatus status, OrderStatus? heldFrom)
    {
        var actions = new List<OrderAction>(4);
        if (status == OrderStatus.Pending) actions.Add(OrderAction.Confirm);
        if (status != OrderStatus.OnHold && OrderStateMachine.CanMove(status, OrderStatus.OnHold)) actions.Add(OrderAction.Hold);
        if (status == OrderStatus.OnHold) actions.Add(OrderAction.Release);
        if (OrderStateMachine.CanMove(status, OrderStatus.Cancelled)) actions.Add(OrderAction.Cancel);
        if (OrderStateMachine.CanMove(status, OrderStatus.Delivered)) actions.Add(OrderAction.Deliver);
        if (OrderStateMachine.CanMove(status, OrderStatus.Completed)) actions.Add(OrderAction.Complete);
        if (OrderStateMachine.IsEditable(status, heldFrom)) actions.Add(OrderAction.Edit);
        return actions;
    }

    public void Confirm(string actor, DateTimeOffset now)
    {
        // Allocated -> confirmed is legal in the table (an allocation rejected), but it is not a "confirm".
        if (Status != OrderStatus.Pending) throw OrderStateMachine.InvalidMove(Status, OrderStatus.Confirmed);
        MoveTo(OrderStatus.Confirmed, actor, null, now);
        ConfirmedAt ??= now;
    }

    public void Hold(string reason, string actor, DateTimeOffset now)
    {
        if (Status == OrderStatus.OnHold) throw OrderStateMachine.InvalidMove(Status, OrderStatus.OnHold);
        var from = Status;
        MoveTo(OrderStatus.OnHold, actor, reason, now);
        HeldFrom = from;
    }

    public void Release(string actor, string? reason, DateTimeOffset now)
    {
        if (Status != OrderStatus.OnHold || HeldFrom is not { } target)
            throw new ConflictException("order.invalid_transition",
                $"Only an order on hold can be released; this one is {OrderStateMachine.Wire(Status)}.");
        MoveTo(target, actor, reason, now);
        HeldFrom = null;
    }

    public void Cancel(string reason, string actor, DateTimeOffset now)
    {
        MoveTo(OrderStatus.Cancelled, actor, reason, now);
        HeldFrom = null;
        CancelReason = reason;
    }

    public void MarkAllocated(string actor, DateTimeOffset now) => MoveTo(OrderStatus.Allocated, actor, null, now);

    /// <summary>
    /// Stores the fraud score; a score over the threshold puts the order on hold until someone releases it.
    /// At placement it is part of creating the order; later (a provider's verdict) it is a change.
    /// </summary>
    public void AssessRisk(int score, IReadOnlyList<string> reasons, bool hold, string actor, DateTimeOffset now, bool atPlacement = false)
    {
        RiskScore = score;
        RiskReasons = reasons.ToList();
        // At placement the hold comes a microsecond after the placement itself, so the timeline reads in order.
        if (hold && OrderStateMachine.CanMove(Status, OrderStatus.OnHold) && Status != OrderStatus.OnHold)
            Hold($"risk score {score}: " + string.Join("; ", reasons), actor, atPlacement ? now.AddTicks(TimeSpan.TicksPerMicrosecond) : now);
    }

    /// <summary>What some of the order's lines are worth in its total: their share of the subtotal, tax and shipping included.</summary>
    public long ShareOfTotal(IEnumerable<(Guid LineId, int Quantity)> lines)
    {
        var value = lines.Sum(l => checked(_lines.Single(x => x.Id == l.LineId).UnitPrice * l.Quantity));
        return Subtotal == 0 ? 0 : (long)Math.Round((decimal)Total * value / Subtotal, MidpointRounding.AwayFromZero);
    }

    /// <summary>Money moved on one of the order's payments (positive received, negative refunded). Money that comes with
    /// the order is part of placing it (<paramref name="atPlacement"/>): no separate change or event.</summary>
    public void PaymentMoved(long amount, DateTimeOffset now, bool atPlacement = false)
    {
        if (amount == 0) return;
        AmountPaid += amount;
        if (atPlacement) return;
        UpdatedAt = now;
        Raise(new OrderUpdated(Id.Value, ["amountPaid"], now));
    }

    /// <summary>
    /// Follows the allocations: fully allocated moves a confirmed order to allocated, and losing an allocation (a node
    /// rejected it and nothing else has the stock) moves it back. An order on hold returns to the matching status.
    /// </summary>
    public void AllocationChanged(bool fullyAllocated, string actor, string? reason, DateTimeOffset now)
    {
        switch (Status)
        {
            case OrderStatus.Confirmed when fullyAllocated:
                MoveTo(OrderStatus.Allocated, actor, reason, now);
                break;
            case OrderStatus.Allocated when !fullyAllocated:
                MoveTo(OrderStatus.Confirmed, actor, reason, now);
                break;
            case OrderStatus.OnHold when HeldFrom is OrderStatus.Confirmed or OrderStatus.Allocated:
                HeldFrom = fullyAllocated ? OrderStatus.Allocated : OrderStatus.Confirmed;
                UpdatedAt = now;
                break;
        }
    }

    /// <summary>Whether the order holds stock reservations (confirmed and not yet shipped in full).</summary>
    public bool HoldsReservations =>
        Status is OrderStatus.Confirmed or OrderStatus.Allocated or OrderStatus.PartiallyShipped or OrderStatus.ReadyForPickup
        || (Status == OrderStatus.OnHold && HeldFrom is OrderStatus.Confirmed or OrderStatus.Allocated or OrderStatus.PartiallyShipped);

    /// <summary>Everything has shipped (<paramref name="everything"/>), or a first part of it.</summary>
    public void MarkShipped(bool everything, string actor, DateTimeOffset now) =>
        MoveTo(everything ? OrderStatus.Shipped : OrderStatus.PartiallyShipped, actor, null, now);

    /// <summary>
    /// One of the order's shipments left: the last one ships the order, an earlier one makes it partially shipped, and
    /// a further partial one leaves a partially shipped order as it is (the one move this tolerates).
    /// </summary>
    public void ShipmentLeft(bool everything, string actor, DateTimeOffset now)
    {
        if (!everything && Status == OrderStatus.PartiallyShipped) return;
        MarkShipped(everything, actor, now);
    }

    /// <param name="deliveredAt">When the goods arrived (the carrier's scan of the last parcel); <paramref name="now"/> when recorded by hand.</param>
    /// <param name="feedbackLinks">Signs the feedback link the delivery offers.</param>
    public void MarkDelivered(string actor, DateTimeOffset now, FeedbackLinks feedbackLinks, DateTimeOffset? deliveredAt = null)
    {
        MoveTo(OrderStatus.Delivered, actor, null, now);
        DeliveredAt = deliveredAt ?? now;
        ShipmentIssue = null;
        Feedback ??= OrderFeedback.Offer(Id, now, feedbackLinks);
    }

    public void MarkReadyForPickup(string actor, DateTimeOffset now) => MoveTo(OrderStatus.ReadyForPickup, actor, null, now);

    public void MarkPickedUp(string actor, DateTimeOffset now, FeedbackLinks feedbackLinks)
    {
        MoveTo(OrderStatus.PickedUp, actor, null, now);
        DeliveredAt = now;
        Feedback ??= OrderFeedback.Offer(Id, now, feedbackLinks);
    }

    /// <summary>Whether goods of this order are with the customer, so they can be returned.</summary>
    public bool IsWithCustomer => Status is OrderStatus.Delivered or OrderStatus.PickedUp or OrderStatus.Completed && DeliveredAt is not null;

    /// <summary>Flags a carrier problem on the order (a timeline entry and an <c>order.updated</c> event); null clears it.</summary>
    public void SetShipmentIssue(string? issue, string actor, DateTimeOffset now)
    {
        if (issue == ShipmentIssue) return;
        ShipmentIssue = issue;
        UpdatedAt = now;
        _timeline.Add(new OrderTimelineEntry(TimelineEvent.Flagged, Status, Status, actor, issue ?? "shipment issue cleared", now));
        Raise(new OrderUpdated(Id.Value, ["shipmentIssue"], now));
    }

    /// <summary>What some of the order's lines cost the customer: their price plus the tax on it (shipping not included).</summary>
    public long ValueWithTax(IEnumerable<(Guid LineId, int Quantity)> lines)
    {
        var value = lines.Sum(l => checked(_lines.Single(x => x.Id == l.LineId).UnitPrice * l.Quantity));
        return value + new Money(value, Currency).ApplyRate(TaxRateBasisPoints).Amount;
    }

    public void Complete(string actor, DateTimeOffset now) => MoveTo(OrderStatus.Completed, actor, null, now);

    /// <summary>Changes lines, addresses, notes or metadata while nothing has shipped; totals follow from <paramref name="charges"/>.</summary>
    public void Edit(OrderEdit edit, Charges charges, string actor, DateTimeOffset now)
    {
        // Who sold an order is bookkeeping, not what ships: it may be put right at any time.
        var sellerOnly = edit is { Seller: not null, Lines: null, ShippingAddress: null, BillingAddress: null, Notes: null, Metadata: null };
        if (!sellerOnly && !OrderStateMachine.IsEditable(Status, HeldFrom))
            throw new ConflictException("order.not_editable",
                $"An order that is {OrderStateMachine.Wire(Status)} can no longer be edited.");
        var changed = new List<string>();
        if (edit.Lines is { } lines) { ReplaceLines(lines, now); changed.Add("lines"); }
        if (edit.ShippingAddress is { } ship) { ShippingAddress = Copy(ship); changed.Add("shippingAddress"); }
        if (edit.BillingAddress is { } bill) { BillingAddress = Copy(bill); changed.Add("billingAddress"); }
        if (edit.Notes is { } notes) { Notes = notes.Length == 0 ? null : notes; changed.Add("notes"); }
        if (edit.Metadata is { } meta) { Metadata = new Dictionary<string, string>(meta); changed.Add("metadata"); }
        if (edit.Seller is { } seller) { Seller = NormalizeSeller(seller); changed.Add("seller"); }
        if (changed.Count == 0)
            throw new DomainException("order.empty_edit", "The edit changes nothing: name at least one field.");
        if (!sellerOnly)
        {
            ValidateDelivery(Delivery, ShippingAddress);
            Reprice(charges);
        }
        UpdatedAt = now;
        _timeline.Add(new OrderTimelineEntry(TimelineEvent.Edited, Status, Status, actor, "Changed " + string.Join(", ", changed), now));
        Raise(new OrderUpdated(Id.Value, changed, now));
    }

    public const int MaxSellerLength = 100;

    /// <summary>Promises are about the coming year, and delivery comes no earlier than the day it ships by.</summary>
    private static void ValidatePromises(DateTimeOffset? shipBy, DateOnly? promised, DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        if (shipBy is { } s && (s < now.AddDays(-30) || s > now.AddDays(366)))
            throw new DomainException("order.invalid_ship_by", "shipBy is within 30 days before and a year after the order is placed.", "shipBy");
        if (promised is { } p && (p < today.AddDays(-30) || p > today.AddDays(366)))
            throw new DomainException("order.invalid_promised_delivery_date", "promisedDeliveryDate is within 30 days before and a year after the order is placed.", "promisedDeliveryDate");
        if (shipBy is { } by && promised is { } day && day < DateOnly.FromDateTime(by.UtcDateTime))
            throw new DomainException("order.invalid_promised_delivery_date", "promisedDeliveryDate is no earlier than the day of shipBy.", "promisedDeliveryDate");
    }

    private static string? NormalizeSeller(string? seller)
    {
        var s = seller?.Trim();
        if (string.IsNullOrEmpty(s)) return null;
        if (s.Length > MaxSellerLength || s.Any(char.IsControl))
            throw new DomainException("order.invalid_seller", $"A seller is at most {MaxSellerLength} characters, without control characters.", "seller");
        return s;
    }

    private void MoveTo(OrderStatus to, string actor, string? reason, DateTimeOffset now)
    {
        OrderStateMachine.EnsureCanMove(Status, to);
        var from = Status;
        Status = to;
        UpdatedAt = now;
        _timeline.Add(new OrderTimelineEntry(TimelineEvent.StatusChanged, from, to, actor, reason, now));
        Raise(new OrderStatusChanged(Id.Value, from, to, reason, now));
    }

    private void ReplaceLines(IReadOnlyList<LineItem> lines, DateTimeOffset now)
    {
        if (lines.Count is 0 or > MaxLines)
            throw new DomainException("order.invalid_lines", $"An order has between 1 and {MaxLines} lines.", "lines");
        for (var i = 0; i < lines.Count; i++)
        {
            if (lines[i].Quantity is < 1 or > MaxQuantity)
                throw new DomainException("order.invalid_quantity", $"A quantity is between 1 and {MaxQuantity}.", $"lines[{i}].quantity");
            if (lines[i].UnitPrice < 0)
                throw new DomainException("order.invalid_price", "A unit price cannot be negative.", $"lines[{i}].unitPrice");
        }
        _lines.Clear();
        // Ids that sort in the lines' order (version 7 ids of one millisecond do not on their own): reads that order the
        // lines by id give them back as they were placed.
        var ids = lines.Select(_ => Uuid.V7(now)).Order().ToArray();
        _lines.AddRange(lines.Select((l, i) => new OrderLine(l, ids[i])));
    }

    private void Reprice(Charges charges)
    {
        if (charges.Shipping < 0)
            throw new DomainException("order.invalid_shipping", "Shipping cannot be negative.", "shippingAmount");
        Subtotal = _lines.Sum(l => l.Total);
        ShippingTotal = charges.Shipping;
        TaxRateBasisPoints = charges.TaxRateBasisPoints;
        TaxTotal = new Money(Subtotal + ShippingTotal, Currency).ApplyRate(charges.TaxRateBasisPoints).Amount;
        Total = checked(Subtotal + ShippingTotal + TaxTotal);
    }

    // Each address slot holds its own instance: the same value may be shipping and billing, or shared by callers,
    // and persistence stores each slot as a separate owned value.
    private static Address? Copy(Address? address) => address is null ? null : address with { };

    private static void ValidateDelivery(Delivery delivery, Address? shippingAddress)
    {
        if (delivery.Type == DeliveryType.Ship && shippingAddress is null)
            throw new DomainException("order.shipping_address_required", "An order to ship needs a shipping address.", "shippingAddress");
        if (delivery.Type == DeliveryType.Pickup && string.IsNullOrWhiteSpace(delivery.PickupLocation))
            throw new DomainException("order.pickup_location_required", "A pickup order names the location to collect from.", "delivery.pickupLocation");
    }
}
