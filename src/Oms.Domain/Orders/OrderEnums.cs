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
    Completed,
    Cancelled,
}

/// <summary>Where the order was captured.</summary>
public enum OrderChannel { Web, Marketplace, Pos, Mobile, Phone, Api }

public enum OrderPriority { Standard, Expedited }

public enum DeliveryType { Ship, Pickup }

/// <summary>What a timeline entry records.</summary>
public enum TimelineEvent { Placed, StatusChanged, Edited }

/// <summary>The moves a seller can ask for; each maps to one target status (release goes back to where the hold began).</summary>
public enum OrderAction { Confirm, Hold, Release, Cancel, Deliver, Complete, Edit }
