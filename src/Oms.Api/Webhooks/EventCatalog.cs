using System.Text.Json;
using Oms.Domain.Common;
using System.Text.Json.Nodes;
using Oms.Api.Catalog;
using Oms.Api.Orders;
using Oms.Api.Platform.Http;
using Oms.Api.Purchasing;
using Oms.Api.Routing;
using Oms.Domain.Inventory;
using Oms.Domain.Orders;
using Oms.Api.Payments;
using Oms.Domain.Payments;
using Oms.Domain.Routing;
using Oms.Domain.Fulfilment;
using Oms.Domain.Returns;
using Oms.Api.Fulfilment;
using Oms.Api.Returns;

namespace Oms.Api.Webhooks;

/// <summary>One event type subscribers can receive, with an example of its body.</summary>
public sealed record EventTypeDto
{
    public required string Type { get; init; }
    public required string Description { get; init; }
    /// <summary>The resource in <c>data</c>, as its REST schema is named.</summary>
    public required string DataSchema { get; init; }
    public required JsonNode Example { get; init; }
}

/// <summary>Every event type the system emits. A test keeps it equal to openapi/webhook-events.json and to the events the code raises.</summary>
public static class EventCatalog
{
    private static readonly DateTimeOffset At = new(2026, 11, 27, 9, 30, 0, TimeSpan.Zero);

    public static IReadOnlyList<EventTypeDto> All(JsonSerializerOptions json)
    {
        var order = SampleOrder();
        var list = new List<EventTypeDto>
        {
            Item("order.placed", "An order was captured (status pending).", order, json),
            Item("order.updated",
                "An order changed without a status move; 'changed' names the fields: lines, shippingAddress, billingAddress, notes, metadata (an edit), "
                + "amountPaid (money received, captured or refunded after placement), shipmentIssue (a carrier problem flagged or cleared).",
                order, json, changed: ["shippingAddress"]),
        };
        foreach (var status in Enum.GetValues<OrderStatus>())
            list.Add(Item("order." + OrderStateMachine.Wire(status), $"An order became {OrderStateMachine.Wire(status)}; 'transition' says from what.",
                order with { Status = status }, json, Moved(OrderStateMachine.Lifecycle, status)));
        foreach (var (kind, status, description) in new[]
        {
            ("created", PaymentStatus.Pending, "A payment was added to an order."),
            ("requires_action", PaymentStatus.RequiresAction, "The customer must act (3-D Secure, say) before the card is authorised."),
            ("authorized", PaymentStatus.Authorized, "The card was authorised: the money is held for the order."),
            ("captured", PaymentStatus.Captured, "Money was captured (all, or the shipped part)."),
            ("received", PaymentStatus.Captured, "Offline money arrived (bank transfer, invoice, other)."),
            ("collected", PaymentStatus.Captured, "Cash on delivery was collected when the delivery was recorded."),
            ("refunded", PaymentStatus.PartiallyRefunded, "Money was given back, all or part."),
            ("voided", PaymentStatus.Voided, "An uncaptured authorisation or a pending payment was released."),
            ("failed", PaymentStatus.Failed, "The payment failed."),
        })
            list.Add(Item("payment." + kind, description + " A status move carries 'transition'.", SamplePayment(status), json, Moved(Payment.Lifecycle, status)));
        foreach (var (operation, status) in new[] { ("capture", PaymentStatus.Authorized), ("cancel", PaymentStatus.Voided), ("refund", PaymentStatus.PartiallyRefunded) })
            list.Add(Item($"payment.{operation}_failed",
                $"A {operation} at the payment provider failed; providerFailure says why. It is retried with backoff until it succeeds or the schedule is spent (the history entry says which).",
                SamplePayment(status) with { Method = PaymentMethod.Card, ProviderFailure = $"{operation}: Stripe: the service is unavailable" }, json));
        list.Add(Item("product.created", "A product was added to the catalog.", SampleProduct(), json));
        list.Add(Item("product.updated", "A product changed.", SampleProduct(), json));
        list.Add(Item("allocation.reserved", "Stock for part or all of an order was reserved at a node: that node ships it.", SampleAllocation(), json));
        list.Add(Item("allocation.rejected", "A node refused its allocation; the lines are routed elsewhere.",
            SampleAllocation() with { Status = AllocationStatus.Rejected, RejectReason = "shelf damaged" }, json, Moved(Allocation.Lifecycle, AllocationStatus.Rejected)));
        list.Add(Item("allocation.shipped", "A node shipped its allocation: the reserved stock was consumed.",
            SampleAllocation() with { Status = AllocationStatus.Shipped }, json, Moved(Allocation.Lifecycle, AllocationStatus.Shipped)));
        list.Add(Item("allocation.released", "An allocation's reservation went back to stock (the order was cancelled or its lines changed).",
            SampleAllocation() with { Status = AllocationStatus.Released }, json, Moved(Allocation.Lifecycle, AllocationStatus.Released)));
        foreach (var status in Enum.GetValues<FulfilmentStatus>().Where(s => s != FulfilmentStatus.Open))
            list.Add(Item("fulfilment." + FulfilmentOrder.Wire(status), $"A fulfilment order became {FulfilmentOrder.Wire(status)}; 'transition' says from what.",
                SampleFulfilment() with { Status = status }, json, Moved(FulfilmentOrder.Lifecycle, status)));
        list.Add(Item("fulfilment.created", "A node got work: a fulfilment order for one allocation of an order (status open).", SampleFulfilment(), json));
        list.Add(Item("fulfilment.short_picked", "The picker could not find some units; they were routed to other nodes.", SampleFulfilment() with { Status = FulfilmentStatus.Picking }, json));
        foreach (var status in Enum.GetValues<TrackingStatus>())
            list.Add(Item("shipment." + Shipment.Wire(status), ShipmentMeaning(status),
                SampleShipment() with { Status = status }, json, status == TrackingStatus.LabelCreated ? null : new Transition("label_created", Shipment.Wire(status))));
        foreach (var status in Enum.GetValues<ReturnStatus>())
            list.Add(Item("return." + Return.Wire(status), $"A return became {Return.Wire(status)}; 'transition' says from what (return.requested: it was opened).",
                SampleReturn() with { Status = status }, json, Moved(Return.Lifecycle, status)));
        list.Add(Item("backorder.created", "Part of an order line could not be reserved anywhere and waits for stock (the SKU's backorder or preorder policy, or stock lost after acceptance).",
            SampleBackorder(), json));
        list.Add(Item("backorder.allocated", "Stock arrived for a backorder: quantity is what still waits (0 when filled, status allocated).",
            SampleBackorder() with { Quantity = 0, Status = BackorderStatus.Allocated }, json));
        list.Add(Item("inventory.adjusted", "On-hand stock changed: an adjustment, a transfer, a receipt, a return restocked, a short pick (units not found) or a shipment (units left).", SampleStock(), json));
        list.Add(Item("inventory.low_stock", "Available stock fell below the reorder point.", SampleStock() with { Available = 2 }, json));
        list.Add(Item("inventory.out_of_stock", "Available stock reached zero.", SampleStock() with { Available = 0, Reserved = 5 }, json));
        list.Add(Item("purchase_order.created", "A purchase order was drafted (by hand or by reordering).", SamplePurchaseOrder(PurchaseOrderStatus.Draft, 0), json));
        list.Add(Item("purchase_order.submitted", "A purchase order was sent to the supplier.", SamplePurchaseOrder(PurchaseOrderStatus.Submitted, 0), json));
        list.Add(Item("purchase_order.received", "Goods arrived for a purchase order.", SamplePurchaseOrder(PurchaseOrderStatus.PartiallyReceived, 12), json));
        list.Add(Item("purchase_order.cancelled", "A purchase order was cancelled.", SamplePurchaseOrder(PurchaseOrderStatus.Cancelled, 0), json));
        var customer = SampleCustomer();
        list.Add(Item("customer.created", "A customer record was made: an order came under an e-mail address no customer had.", customer, json));
        list.Add(Item("customer.updated", "What is known about a customer changed: details, tags, consent, external ids or the follow-up flag.",
            customer with { Tags = ["vip"], Version = 2 }, json));
        list.Add(Item("customer.merged", "A duplicate was merged into another customer: data is the duplicate, its mergedInto the customer that stands for it now.",
            customer with { MergedInto = Guid.Parse("01980000-0000-7000-8000-00000000000d"), Version = 2 }, json));
        list.Add(Item("customer.erased", "A customer's personal data was erased everywhere it was kept; their figures stay for the books.",
            customer with { Email = "erased-0198000000007000800000000000000c@invalid", Name = "erased", Phone = null, MarketingConsent = null, ErasedAt = At, Version = 2 }, json));
        list.Add(Item("customer.feedback_received", "A customer answered the feedback link of a delivered order: data is the order, with its feedback and customerId.",
            order with
            {
                Status = OrderStatus.Delivered,
                Feedback = new OrderFeedbackDto { Token = "Q2hhbmdlIG1lOiBhbiBleGFtcGxlIHRva2Vu", ExpiresAt = At.AddDays(30), Rating = 2, Comment = "Arrived a week late.",
                    Reason = FeedbackReason.Delivery, ReceivedAt = At },
            }, json));
        var invoice = SampleInvoice();
        list.Add(Item("document.issued", "A document was issued: an invoice (numbered without gaps), a credit note (for a refund or a voided invoice), a packing slip or a return slip. "
            + "'transition' says from what (draft, or issued at once).", invoice, json, new Transition("draft", "issued")));
        list.Add(Item("document.voided", "An invoice was voided; it keeps its number, and a credit note for what earlier credit notes had not given back follows (its own document.issued).",
            invoice with { Status = Oms.Domain.Documents.DocumentStatus.Voided, VoidedAt = At, VoidReason = "Wrong billing address", AvailableActions = [], Version = 2 }, json,
            new Transition("issued", "voided")));
        list.Add(Item("document.viewed", "The customer opened the document through their link for the first time (later views are in its trail only).",
            invoice with { CustomerViewedAt = At, Version = 2 }, json));
        list.Add(Item("webhook_subscription.disabled", "A subscription was disabled: 410 Gone, or no successful delivery for days.",
            new SubscriptionEventData(Guid.Parse("01980000-0000-7000-8000-00000000000a"), "https://example.com/hooks/oms", "The endpoint answered 410 Gone."), json));
        list.Add(Item("webhook.ping", "A test event sent with POST /webhook-subscriptions/{id}/test.",
            EventData.PingData(Guid.Parse("01980000-0000-7000-8000-00000000000a")), json));
        return list;
    }

    public static bool IsKnown(string type) => Types.Contains(type);

    private static readonly HashSet<string> Types = All(new JsonSerializerOptions(JsonSerializerDefaults.Web)).Select(t => t.Type).ToHashSet();

    private static EventTypeDto Item(string type, string description, object data, JsonSerializerOptions json, Transition? transition = null,
        string[]? changed = null)
    {
        var example = new JsonObject
        {
            ["id"] = "evt_01980000000070008000000000000001",
            ["type"] = type,
            ["occurred_at"] = "2026-11-27T09:30:00.000000Z",
            ["api_version"] = "v1",
        };
        if (transition is not null) example["transition"] = new JsonObject { ["from"] = transition.From, ["to"] = transition.To };
        if (changed is not null) example["changed"] = new JsonArray([.. changed.Select(c => (JsonNode?)c)]);
        example["data"] = JsonSerializer.SerializeToNode(data, data.GetType(), json);
        return new EventTypeDto
        {
            Type = type, Description = description, DataSchema = data.GetType().Name.Contains("Anonymous") ? "object" : data.GetType().Name, Example = example,
        };
    }

    /// <summary>An example move into <paramref name="to"/>: from the first status that may move there; null for a status nothing moves into (the first).</summary>
    private static Transition? Moved<TStatus>(Lifecycle<TStatus> lifecycle, TStatus to) where TStatus : struct, Enum =>
        Enum.GetValues<TStatus>().Where(from => lifecycle.CanMove(from, to) && !from.Equals(to)).Select(from => Transition.Of(from, to)).FirstOrDefault();

    private static string ShipmentMeaning(TrackingStatus status) => "shipment." + Shipment.Wire(status) + ": " + status switch
    {
        TrackingStatus.LabelCreated => "the parcel was handed over with its label (the shipment was created); the carrier has not scanned it yet.",
        TrackingStatus.InTransit => "the carrier has the parcel and is moving it.",
        TrackingStatus.OutForDelivery => "the parcel is on the vehicle that delivers it today.",
        TrackingStatus.Delivered => "the carrier delivered the parcel; once every parcel is, the order is delivered at the carrier's time.",
        TrackingStatus.DeliveryFailed => "a delivery attempt failed (nobody home, address problem); the carrier usually tries again. Flags the order's shipmentIssue.",
        TrackingStatus.Exception => "the carrier reports a problem (damage, delay, loss). Flags the order's shipmentIssue.",
        TrackingStatus.ReturnedToSender => "the parcel is on its way back to the sender. Flags the order's shipmentIssue.",
        _ => "a tracking status.",
    } + " 'transition' says from what.";

    private static MoneyDto Eur(long amount) => MoneyDto.From(amount, "EUR");

    /// <summary>
    /// A pending order as the domain places it and the contract maps it: a field added to the order shows here
    /// without an edit. Only what the domain draws (ids) is fixed, so the committed catalog stays the same.
    /// </summary>
    private static OrderDto SampleOrder()
    {
        var placed = OrderDto.From(PlacedSampleOrder());
        return placed with { Lines = [placed.Lines[0] with { Id = Guid.Parse("01980000-0000-7000-8000-000000000002") }] };
    }

    /// <summary>The sample order as the domain places it (the order events' data and the sample invoice's source).</summary>
    private static Order PlacedSampleOrder()
    {
        var address = new Address("Ada Lovelace", null, "Unter den Linden 1", null, "Berlin", null, "10117", "DE", null, null, null);
        return Order.Place(new OrderDraft(OrderChannel.Web, null, new CustomerInfo("ada@example.com", "Ada Lovelace", null), address, address,
            new Delivery(DeliveryType.Ship, null), OrderPriority.Standard, "EUR", [new LineItem("MUG-001", "Mug", 2, 1250)], null, new Dictionary<string, string>(),
            Id: new OrderId(Guid.Parse("01980000-0000-7000-8000-000000000001")),
            CustomerId: new Oms.Domain.Customers.CustomerId(Guid.Parse("01980000-0000-7000-8000-00000000000c"))), 100042, new Charges(499, 1900), "system", At);
    }

    /// <summary>An invoice as the domain issues it for the sample order, with a seller like the demo's.</summary>
    private static Documents.DocumentDto SampleInvoice()
    {
        var order = PlacedSampleOrder();
        var seller = new Oms.Domain.Documents.SellerDetails
        {
            Name = "HeadlessOms Demo BV", Address = new Address("HeadlessOms Demo BV", null, "Rue de la Loi 16", null, "Brussels", null, "1000", "BE", null, null, null),
            VatId = "BE0123456749", Email = "billing@example.com", Iban = "BE68539007547034",
        };
        var content = Oms.Domain.Documents.DocumentContent.InvoiceFor(order, seller, "en", 0, null, null, DateOnly.FromDateTime(At.UtcDateTime));
        var (document, created) = Oms.Domain.Documents.Document.Draft(Oms.Domain.Documents.DocumentKind.Invoice, content, order.Id, order.CustomerId, $"invoice:{order.Id.Value}:0",
            Oms.Domain.Documents.DocumentActor.System, At);
        var issued = document.Issue(new Oms.Domain.Documents.DocumentNumber("INV", 2026, 123), Oms.Domain.Documents.DocumentActor.System, At);
        var dto = Documents.DocumentDto.From(document, [created, issued]);
        return dto with { Id = Guid.Parse("01980000-0000-7000-8000-00000000000e") };
    }

    private static Customers.CustomerDto SampleCustomer()
    {
        var customer = Oms.Domain.Customers.Customer.Create("ada@example.com", "Ada Lovelace", null, At,
            new Oms.Domain.Customers.CustomerId(Guid.Parse("01980000-0000-7000-8000-00000000000c")));
        customer.OrderPlaced(new Money(3_099, "EUR"), At);
        return Customers.CustomerDto.From(customer, new Oms.Domain.Customers.SegmentThresholds(), At);
    }

    private static ProductDto SampleProduct() => new()
    {
        Id = Guid.Parse("01980000-0000-7000-8000-000000000003"), Sku = "MUG-001", Name = "Mug", Brand = "Acme", Category = "Kitchen", Price = Eur(1250), Cost = Eur(700),
        WeightGrams = 350, Dimensions = null, Barcode = "4006381333931", Active = true, BackorderPolicy = BackorderPolicy.Deny, PreorderAvailableOn = null,
        CreatedAt = At, UpdatedAt = At, Version = 1,
    };

    private static AllocationDto SampleAllocation() => new()
    {
        Id = Guid.Parse("01980000-0000-7000-8000-000000000004"), OrderId = Guid.Parse("01980000-0000-7000-8000-000000000001"), NodeCode = "DE-BER-WH",
        Status = AllocationStatus.Reserved, RejectReason = null,
        Lines = [new PlannedLineDto { OrderLineId = Guid.Parse("01980000-0000-7000-8000-000000000002"), Sku = "MUG-001", Quantity = 2 }],
        CreatedAt = At, Version = 2,
    };

    private static FulfilmentOrderDto SampleFulfilment() => new()
    {
        Id = Guid.Parse("01980000-0000-7000-8000-000000000007"), OrderId = Guid.Parse("01980000-0000-7000-8000-000000000001"), OrderNumber = "OMS-100042",
        AllocationId = Guid.Parse("01980000-0000-7000-8000-000000000004"), NodeCode = "DE-BER-WH", Pickup = false, Expedited = false,
        Status = FulfilmentStatus.Open, StatusReason = null,
        Lines = [new FulfilmentLineDto { OrderLineId = Guid.Parse("01980000-0000-7000-8000-000000000002"), Sku = "MUG-001", Name = "Mug", Quantity = 2, ShortPicked = 0 }],
        Packages = [], BillableWeightGrams = 0, CreatedAt = At, UpdatedAt = At, PickedAt = null, PackedAt = null, ShippedAt = null, Version = 1,
    };

    private static ShipmentDto SampleShipment() => new()
    {
        Id = Guid.Parse("01980000-0000-7000-8000-000000000008"), OrderId = Guid.Parse("01980000-0000-7000-8000-000000000001"), OrderNumber = "OMS-100042",
        FulfilmentOrderId = Guid.Parse("01980000-0000-7000-8000-000000000007"), NodeCode = "DE-BER-WH", Carrier = "manual", Service = "standard",
        TrackingNumber = "00340434161094042557", TrackingUrl = "https://carrier.example/track/00340434161094042557", Status = TrackingStatus.LabelCreated,
        StatusAt = At, DeliveredAt = null,
        Events = [new TrackingEventDto { Id = Guid.Parse("01980000-0000-7000-8000-000000000009"), Status = TrackingStatus.LabelCreated, CarrierCode = null,
            Description = "Label created", Location = "DE-BER-WH", OccurredAt = At, ReceivedAt = At }],
        CreatedAt = At, UpdatedAt = At, Version = 1,
    };

    private static ReturnDto SampleReturn() => new()
    {
        Id = Guid.Parse("01980000-0000-7000-8000-00000000000b"), Number = "OMS-100042-R1", OrderId = Guid.Parse("01980000-0000-7000-8000-000000000001"),
        Status = ReturnStatus.Requested, Comment = "Handle broke on arrival", RejectReason = null, ReturnCarrier = null, ReturnTrackingNumber = null,
        ReceivedAtNodeCode = null, ReceivedAt = null, RefundAmount = Eur(0), RestockingFee = Eur(0), ReplacementOrderId = null,
        Lines = [new ReturnLineDto { OrderLineId = Guid.Parse("01980000-0000-7000-8000-000000000002"), Sku = "MUG-001", Quantity = 1, Reason = ReturnReason.Damaged,
            Comment = null, Disposition = null, InspectionNote = null }],
        CreatedAt = At, UpdatedAt = At, Version = 1,
    };

    private static PaymentDto SamplePayment(PaymentStatus status) => new()
    {
        Id = Guid.Parse("01980000-0000-7000-8000-000000000006"), OrderId = Guid.Parse("01980000-0000-7000-8000-000000000001"),
        Method = PaymentMethod.BankTransfer, Status = status, Amount = Eur(3569), Authorized = Eur(0),
        Captured = Eur(status is PaymentStatus.Captured or PaymentStatus.PartiallyRefunded ? 3569 : 0),
        Refunded = Eur(status == PaymentStatus.PartiallyRefunded ? 1000 : 0), ProviderReference = "REF-100042", ClientSecret = null,
        DueDate = null, Overdue = false, FailureReason = status == PaymentStatus.Failed ? "insufficient funds" : null,
        CapturePending = Eur(0), ProviderFailure = null, History = [],
        CreatedAt = At, UpdatedAt = At, Version = 1,
    };

    private static BackorderDto SampleBackorder() => new()
    {
        Id = Guid.Parse("01980000-0000-7000-8000-00000000000b"), OrderId = Guid.Parse("01980000-0000-7000-8000-000000000001"),
        OrderLineId = Guid.Parse("01980000-0000-7000-8000-000000000002"), Sku = "MUG-001", Quantity = 2, Policy = BackorderPolicy.Backorder,
        ExpectedDate = null, Status = BackorderStatus.Open, CreatedAt = At,
    };

    private static StockEventData SampleStock() => new("MUG-001", "DE-BER-WH", 40, 3, 37);

    private static PurchaseOrderDto SamplePurchaseOrder(PurchaseOrderStatus status, int received) => new()
    {
        Id = Guid.Parse("01980000-0000-7000-8000-000000000005"), Number = "PO-1007", SupplierCode = "NORTHWIND-SUPPLY", NodeCode = "DE-BER-WH",
        Status = status, CreatedByReorder = true,
        Lines = [new PurchaseOrderLineDto { Sku = "MUG-001", Quantity = 20, Received = received, Outstanding = 20 - received }],
        CreatedAt = At, UpdatedAt = At, Version = 1,
    };
}
