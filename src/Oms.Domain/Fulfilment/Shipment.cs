using Oms.Domain.Common;
using Oms.Domain.Orders;

namespace Oms.Domain.Fulfilment;

/// <summary>Every carrier's statuses, normalised.</summary>
public enum TrackingStatus { LabelCreated, InTransit, OutForDelivery, Delivered, DeliveryFailed, Exception, ReturnedToSender }

/// <summary>One carrier scan as reported: our normalised status, and the carrier's own code and text.</summary>
public sealed class TrackingEvent
{
    private TrackingEvent() { }

    internal TrackingEvent(TrackingUpdate u, DateTimeOffset receivedAt)
    {
        Id = Uuid.V7(receivedAt);
        Status = u.Status;
        CarrierCode = u.CarrierCode;
        Description = u.Description;
        Location = u.Location;
        OccurredAt = u.OccurredAt;
        ExternalId = u.ExternalId;
        ReceivedAt = receivedAt;
    }

    public Guid Id { get; private set; }
    public TrackingStatus Status { get; private set; }
    public string? CarrierCode { get; private set; }
    public string? Description { get; private set; }
    public string? Location { get; private set; }
    public DateTimeOffset OccurredAt { get; private set; }
    /// <summary>The carrier's id for the event, when it sends one: a second delivery of the same id is a duplicate.</summary>
    public string? ExternalId { get; private set; }
    public DateTimeOffset ReceivedAt { get; private set; }
}

public sealed record TrackingUpdate(TrackingStatus Status, string? CarrierCode, string? Description, string? Location, DateTimeOffset OccurredAt, string? ExternalId);

/// <summary>A parcel (or several) on its way with a carrier, and everything the carrier said about it.</summary>
public sealed class Shipment : AggregateRoot
{
    public const int MaxEvents = 500;

    private readonly List<TrackingEvent> _events = [];

    private Shipment() { }

    public Guid Id { get; private set; }
    public OrderId OrderId { get; private set; }
    public string OrderNumber { get; private set; } = "";
    public FulfilmentOrderId FulfilmentOrderId { get; private set; }
    public string NodeCode { get; private set; } = "";
    /// <summary>The carrier integration's code (<c>manual</c> for the built-in one).</summary>
    public string Carrier { get; private set; } = "";
    public string? Service { get; private set; }
    public string TrackingNumber { get; private set; } = "";
    public string? TrackingUrl { get; private set; }
    public TrackingStatus Status { get; private set; }
    /// <summary>When the event behind <see cref="Status"/> happened: a later-arriving older event does not override it.</summary>
    public DateTimeOffset StatusAt { get; private set; }
    public DateTimeOffset? DeliveredAt { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public IReadOnlyList<TrackingEvent> Events => _events;

    public static Shipment Create(FulfilmentOrder fulfilment, string carrier, string? service, string trackingNumber, string? trackingUrl, DateTimeOffset now)
    {
        if (string.IsNullOrWhiteSpace(trackingNumber))
            throw new DomainException("shipment.tracking_number_required", "A shipment needs a tracking number.", "trackingNumber");
        var s = new Shipment
        {
            Id = Uuid.V7(now), OrderId = fulfilment.OrderId, OrderNumber = fulfilment.OrderNumber, FulfilmentOrderId = fulfilment.Id,
            NodeCode = fulfilment.NodeCode, Carrier = carrier, Service = service, TrackingNumber = trackingNumber.Trim(), TrackingUrl = trackingUrl,
            Status = TrackingStatus.LabelCreated, StatusAt = now, CreatedAt = now, UpdatedAt = now,
        };
        s._events.Add(new TrackingEvent(new TrackingUpdate(TrackingStatus.LabelCreated, null, "Label created", fulfilment.NodeCode, now, null), now));
        s.Raise(new ShipmentEvent("shipment.label_created", s.Id, s.OrderId.Value, now));
        return s;
    }

    /// <summary>
    /// Records a carrier event. A duplicate (same carrier event id, or same status, code and time) changes nothing and
    /// returns false. An event older than the current status is kept in the history but does not move the status back.
    /// </summary>
    public bool Track(TrackingUpdate u, DateTimeOffset now)
    {
        // Stored times keep microseconds (PostgreSQL's precision): compare what will be stored, so a resent event matches.
        u = u with { OccurredAt = new DateTimeOffset(u.OccurredAt.UtcTicks - u.OccurredAt.UtcTicks % 10, TimeSpan.Zero) };
        if (_events.Any(e => u.ExternalId is not null ? e.ExternalId == u.ExternalId
                : e.Status == u.Status && e.OccurredAt == u.OccurredAt && e.CarrierCode == u.CarrierCode))
            return false;
        if (_events.Count >= MaxEvents)
            throw new ConflictException("shipment.too_many_events", $"A shipment keeps at most {MaxEvents} tracking events.");
        _events.Add(new TrackingEvent(u, now));
        UpdatedAt = now;
        // Our own label record is no scan: a carrier's event moves the status on from it even when timed before it (the
        // label was recorded late, or the clocks differ).
        if (u.OccurredAt < StatusAt && Status != TrackingStatus.LabelCreated) return true;
        var changed = u.Status != Status;
        var from = Status;
        Status = u.Status;
        StatusAt = u.OccurredAt;
        if (u.Status == TrackingStatus.Delivered) DeliveredAt ??= u.OccurredAt;
        if (changed) Raise(new ShipmentEvent("shipment." + Wire(u.Status), Id, OrderId.Value, now, Transition.Of(from, u.Status)));
        return true;
    }

    /// <summary>A status that needs someone to act: the parcel is not getting there on its own.</summary>
    public bool HasProblem => Status is TrackingStatus.DeliveryFailed or TrackingStatus.Exception or TrackingStatus.ReturnedToSender;

    public static string Wire(TrackingStatus s) => s switch
    {
        TrackingStatus.LabelCreated => "label_created",
        TrackingStatus.InTransit => "in_transit",
        TrackingStatus.OutForDelivery => "out_for_delivery",
        TrackingStatus.DeliveryFailed => "delivery_failed",
        TrackingStatus.ReturnedToSender => "returned_to_sender",
        _ => s.ToString().ToLowerInvariant(),
    };

    public static TrackingStatus? ParseStatus(string? text) =>
        Enum.GetValues<TrackingStatus>().Cast<TrackingStatus?>().FirstOrDefault(s => string.Equals(Wire(s!.Value), text?.Trim(), StringComparison.OrdinalIgnoreCase));
}

public sealed record ShipmentEvent(string Type, Guid AggregateId, Guid OrderId, DateTimeOffset OccurredAt, Transition? Transition = null) : IDomainEvent
{
    public Guid OrderingKey => OrderId;
}
