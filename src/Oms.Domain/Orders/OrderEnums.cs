namespace Oms.Domain.Orders;

public enum OrderStatus
{
    Pending,
    Confirmed,
    OnHold,
    Allocated,
    PartiallyShipped,
    Shipped,
    Delivered,
    /// <summary>A pickup order waits at its store.</summary>
    ReadyForPickup,
    /// <summary>The customer collected a pickup order.</summary>
    PickedUp,
    Completed,
    Cancelled,
}

/// <summary>Where the order was captured.</summary>
public enum OrderChannel { Web, Marketplace, Pos, Mobile, Phone, Api }

public enum OrderPriority { Standard, Expedited }

public enum DeliveryType { Ship, Pickup }

/// <summary>What a timeline entry records.</summary>
public enum TimelineEvent { Placed, StatusChanged, Edited, Flagged }

/// <summary>The moves a seller can ask for; each maps to one target status (release goes back to where the hold began).</summary>
public enum OrderAction { Confirm, Hold, Release, Cancel, Deliver, Complete, Edit }
