using System.ComponentModel.DataAnnotations;
using Oms.Domain.Fulfilment;
using Oms.Domain.Orders;

namespace Oms.Api.Fulfilment;

public sealed class FulfilmentOptions
{
    /// <summary>Cubic centimetres per kilogram for dimensional weight (5000 is the usual courier figure; some use 4000 or 6000).</summary>
    public int DimensionalDivisor { get; set; } = 5000;
}

public sealed class TrackingOptions
{
    /// <summary>Customer tracking lookups per client address and minute, over all orders.</summary>
    public int PerClientPerMinute { get; set; } = 120;
    /// <summary>Lookups per client address, order number and minute: guessing e-mail addresses for one order stops here.</summary>
    public int PerOrderPerMinute { get; set; } = 10;
}

public sealed record FulfilmentLineDto
{
    public required Guid OrderLineId { get; init; }
    public required string Sku { get; init; }
    public required string Name { get; init; }
    /// <summary>Units this node ships.</summary>
    public required int Quantity { get; init; }
    /// <summary>Units the picker could not find (routed to other nodes).</summary>
    public required int ShortPicked { get; init; }
}

/// <summary>One packed parcel. Weights in grams, sizes in millimetres.</summary>
public sealed record PackageDto
{
    public required int WeightGrams { get; init; }
    public required int LengthMm { get; init; }
    public required int WidthMm { get; init; }
    public required int HeightMm { get; init; }
    /// <summary>Volume over the configured divisor: what the carrier bills a light, bulky parcel for.</summary>
    public required int DimensionalWeightGrams { get; init; }
    /// <summary>The larger of the real and the dimensional weight.</summary>
    public required int BillableWeightGrams { get; init; }

    public static PackageDto From(Package p) => new()
    {
        WeightGrams = p.WeightGrams, LengthMm = p.LengthMm, WidthMm = p.WidthMm, HeightMm = p.HeightMm,
        DimensionalWeightGrams = p.DimensionalWeightGrams, BillableWeightGrams = p.BillableWeightGrams,
    };
}

/// <summary>What one node picks, packs and ships for one allocation of an order.</summary>
public sealed record FulfilmentOrderDto
{
    public required Guid Id { get; init; }
    public required Guid OrderId { get; init; }
    public required string OrderNumber { get; init; }
    public required Guid AllocationId { get; init; }
    public required string NodeCode { get; init; }
    /// <summary>True when the customer collects at the node.</summary>
    public required bool Pickup { get; init; }
    public required bool Expedited { get; init; }
    /// <summary>open, picking, packed, shipped, ready_for_pickup, picked_up, cancelled or rejected.</summary>
    public required FulfilmentStatus Status { get; init; }
    public required string? StatusReason { get; init; }
    public required IReadOnlyList<FulfilmentLineDto> Lines { get; init; }
    public required IReadOnlyList<PackageDto> Packages { get; init; }
    public required int BillableWeightGrams { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    public required DateTimeOffset? PickedAt { get; init; }
    public required DateTimeOffset? PackedAt { get; init; }
    public required DateTimeOffset? ShippedAt { get; init; }
    public required int Version { get; init; }

    public static FulfilmentOrderDto From(FulfilmentOrder f) => new()
    {
        Id = f.Id.Value, OrderId = f.OrderId.Value, OrderNumber = f.OrderNumber, AllocationId = f.AllocationId, NodeCode = f.NodeCode,
        Pickup = f.Pickup, Expedited = f.Expedited, Status = f.Status, StatusReason = f.StatusReason,
        Lines = f.Lines.Select(l => new FulfilmentLineDto { OrderLineId = l.OrderLineId, Sku = l.Sku, Name = l.Name, Quantity = l.Quantity, ShortPicked = l.ShortPicked }).ToList(),
        Packages = f.Packages.Select(PackageDto.From).ToList(), BillableWeightGrams = f.Packages.Sum(p => p.BillableWeightGrams),
        CreatedAt = f.CreatedAt, UpdatedAt = f.UpdatedAt, PickedAt = f.PickedAt, PackedAt = f.PackedAt, ShippedAt = f.ShippedAt, Version = f.Version,
    };
}

public sealed record TrackingEventDto
{
    public required Guid Id { get; init; }
    /// <summary>label_created, in_transit, out_for_delivery, delivered, delivery_failed, exception or returned_to_sender.</summary>
    public required TrackingStatus Status { get; init; }
    /// <summary>The carrier's own code for the event.</summary>
    public required string? CarrierCode { get; init; }
    /// <summary>The carrier's own text.</summary>
    public required string? Description { get; init; }
    public required string? Location { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
    public required DateTimeOffset ReceivedAt { get; init; }
}

/// <summary>A parcel on its way, with everything the carrier said about it (oldest event first).</summary>
public sealed record ShipmentDto
{
    public required Guid Id { get; init; }
    public required Guid OrderId { get; init; }
    public required string OrderNumber { get; init; }
    public required Guid FulfilmentOrderId { get; init; }
    public required string NodeCode { get; init; }
    public required string Carrier { get; init; }
    public required string? Service { get; init; }
    public required string TrackingNumber { get; init; }
    public required string? TrackingUrl { get; init; }
    /// <summary>The status of the latest event by event time (an event arriving late does not move it back).</summary>
    public required TrackingStatus Status { get; init; }
    public required DateTimeOffset StatusAt { get; init; }
    public required DateTimeOffset? DeliveredAt { get; init; }
    public required IReadOnlyList<TrackingEventDto> Events { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    public required int Version { get; init; }

    public static ShipmentDto From(Shipment s) => new()
    {
        Id = s.Id, OrderId = s.OrderId.Value, OrderNumber = s.OrderNumber, FulfilmentOrderId = s.FulfilmentOrderId.Value, NodeCode = s.NodeCode,
        Carrier = s.Carrier, Service = s.Service, TrackingNumber = s.TrackingNumber, TrackingUrl = s.TrackingUrl, Status = s.Status, StatusAt = s.StatusAt,
        DeliveredAt = s.DeliveredAt,
        Events = s.Events.OrderBy(e => e.OccurredAt).ThenBy(e => e.ReceivedAt).Select(e => new TrackingEventDto
        {
            Id = e.Id, Status = e.Status, CarrierCode = e.CarrierCode, Description = e.Description, Location = e.Location, OccurredAt = e.OccurredAt, ReceivedAt = e.ReceivedAt,
        }).ToList(),
        CreatedAt = s.CreatedAt, UpdatedAt = s.UpdatedAt, Version = s.Version,
    };
}

/// <summary>One fulfilment order on a pick list, in picking order.</summary>
public sealed record PickListOrderDto
{
    public required Guid FulfilmentOrderId { get; init; }
    public required string OrderNumber { get; init; }
    public required bool Expedited { get; init; }
    public required DateTimeOffset OrderPlacedAt { get; init; }
    public required FulfilmentStatus Status { get; init; }
}

public sealed record PickListEntryDto
{
    public required Guid FulfilmentOrderId { get; init; }
    public required string OrderNumber { get; init; }
    public required Guid OrderLineId { get; init; }
    public required int Quantity { get; init; }
}

/// <summary>All units of one SKU to pick, and which orders they go to.</summary>
public sealed record PickListLineDto
{
    public required string Sku { get; init; }
    public required string Name { get; init; }
    public required int Quantity { get; init; }
    public required IReadOnlyList<PickListEntryDto> Orders { get; init; }
}

/// <summary>A node's open and picking work: expedited orders first, then oldest; SKUs in the order their first order needs them.</summary>
public sealed record PickListDto
{
    public required string NodeCode { get; init; }
    public required DateTimeOffset GeneratedAt { get; init; }
    public required IReadOnlyList<PickListOrderDto> FulfilmentOrders { get; init; }
    public required IReadOnlyList<PickListLineDto> Lines { get; init; }
}

public sealed record PickLineRequest
{
    public required Guid OrderLineId { get; init; }
    /// <summary>Units found; fewer than the line's quantity is a short pick.</summary>
    [Range(0, Order.MaxQuantity)] public required int Picked { get; init; }
}

/// <summary>What the picker found; lines left out were found in full.</summary>
public sealed record RecordPicksRequest
{
    [MaxLength(Order.MaxLines)] public required IReadOnlyList<PickLineRequest> Lines { get; init; }
}

public sealed record PackageRequest
{
    [Range(1, 1_000_000)] public required int WeightGrams { get; init; }
    [Range(1, 10_000)] public required int LengthMm { get; init; }
    [Range(1, 10_000)] public required int WidthMm { get; init; }
    [Range(1, 10_000)] public required int HeightMm { get; init; }
}

public sealed record PackRequest
{
    [MinLength(1), MaxLength(100)] public required IReadOnlyList<PackageRequest> Packages { get; init; }
}

/// <summary>Hands the packed parcels to a carrier.</summary>
public sealed record ShipFulfilmentRequest
{
    /// <summary>A registered carrier's code; <c>manual</c> (the default) takes the tracking number given here.</summary>
    [StringLength(40, MinimumLength = 1)] public string Carrier { get; init; } = "manual";
    /// <summary>The carrier's service level (express, standard, …).</summary>
    [StringLength(100)] public string? Service { get; init; }
    [StringLength(100, MinimumLength = 1)] public string? TrackingNumber { get; init; }
    [StringLength(1000), Url] public string? TrackingUrl { get; init; }
}

public sealed record RejectFulfilmentRequest
{
    [StringLength(500, MinimumLength = 1)] public required string Reason { get; init; }
}

/// <summary>A carrier event, recorded by hand or by an integration.</summary>
public sealed record TrackingEventRequest
{
    /// <summary>Our normalised status; may be left out when <c>carrierCode</c> is one the carrier integration knows.</summary>
    public TrackingStatus? Status { get; init; }
    [StringLength(50)] public string? CarrierCode { get; init; }
    [StringLength(500)] public string? Description { get; init; }
    [StringLength(200)] public string? Location { get; init; }
    /// <summary>When it happened (not when you send it): the latest event time decides the shipment's status.</summary>
    public required DateTimeOffset OccurredAt { get; init; }
    /// <summary>The carrier's id of the event: sending the same id again changes nothing.</summary>
    [StringLength(100)] public string? EventId { get; init; }
}

/// <summary>The body of a carrier's tracking webhook.</summary>
public sealed record CarrierWebhookRequest
{
    [MinLength(1), MaxLength(500)] public required IReadOnlyList<CarrierTrackingEvent> Events { get; init; }
}

public sealed record CarrierTrackingEvent
{
    [StringLength(100, MinimumLength = 1)] public required string TrackingNumber { get; init; }
    [StringLength(100)] public string? EventId { get; init; }
    /// <summary>The carrier's event code, normalised by its integration.</summary>
    [StringLength(50, MinimumLength = 1)] public required string Code { get; init; }
    [StringLength(500)] public string? Description { get; init; }
    [StringLength(200)] public string? Location { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
}

public sealed record CarrierWebhookResult
{
    public required int Applied { get; init; }
    public required int Duplicates { get; init; }
    /// <summary>Events for tracking numbers no shipment has (acknowledged, not retried).</summary>
    public required int Unknown { get; init; }
}

public sealed record CustomerTrackingStepDto
{
    public required OrderStatus Status { get; init; }
    public required DateTimeOffset At { get; init; }
}

public sealed record CustomerTrackingEventDto
{
    public required TrackingStatus Status { get; init; }
    public required string? Description { get; init; }
    public required string? Location { get; init; }
    public required DateTimeOffset OccurredAt { get; init; }
}

public sealed record CustomerShipmentDto
{
    public required string Carrier { get; init; }
    public required string? Service { get; init; }
    public required string TrackingNumber { get; init; }
    public required string? TrackingUrl { get; init; }
    public required TrackingStatus Status { get; init; }
    public required DateTimeOffset? DeliveredAt { get; init; }
    public required IReadOnlyList<CustomerTrackingEventDto> Events { get; init; }
}

/// <summary>What a shopper sees on a tracking page: the order's status steps and its parcels, nothing else.</summary>
public sealed record CustomerTrackingDto
{
    public required string OrderNumber { get; init; }
    public required OrderStatus Status { get; init; }
    public required IReadOnlyList<CustomerTrackingStepDto> Timeline { get; init; }
    public required IReadOnlyList<CustomerShipmentDto> Shipments { get; init; }
    /// <summary>Once the goods arrived: where the shopper says how it went (POST /api/v1/feedback/{token}); null before, and once the link expired.</summary>
    public required CustomerFeedbackLinkDto? Feedback { get; init; }
}

public sealed record CustomerFeedbackLinkDto
{
    public required string Token { get; init; }
    public required DateTimeOffset ExpiresAt { get; init; }
    /// <summary>The shopper answered already.</summary>
    public required bool Given { get; init; }
}
