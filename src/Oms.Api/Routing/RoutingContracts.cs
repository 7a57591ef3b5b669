using System.ComponentModel.DataAnnotations;
using Oms.Api.Orders;
using Oms.Api.Platform.Http;
using Oms.Domain.Inventory;
using Oms.Domain.Orders;
using Oms.Domain.Routing;

namespace Oms.Api.Routing;

/// <summary>A node's cost, factor by factor; the lowest total wins.</summary>
public sealed record ScoreDto
{
    public required double DistanceKm { get; init; }
    public required double Distance { get; init; }
    public required double Priority { get; init; }
    /// <summary>Estimated shipping cost in minor units of the node's cost currency.</summary>
    public required long ShippingCostEstimate { get; init; }
    public required double ShippingCost { get; init; }
    public required double Capacity { get; init; }
    public required double Cutoff { get; init; }
    public required double Total { get; init; }
}

/// <summary>One node the router considered: chosen or passed over, and why.</summary>
public sealed record CandidateDto
{
    public required string NodeCode { get; init; }
    public required bool Eligible { get; init; }
    /// <summary>Why the node could not take the order (empty when eligible).</summary>
    public required IReadOnlyList<string> Reasons { get; init; }
    public required ScoreDto? Score { get; init; }
    /// <summary>Units of the requested lines the node could ship.</summary>
    public required int UnitsAvailable { get; init; }
    public required bool CanShipAll { get; init; }
    public required bool Chosen { get; init; }

    public static CandidateDto From(Candidate c) => new()
    {
        NodeCode = c.NodeCode, Eligible = c.Eligible, Reasons = c.Reasons, UnitsAvailable = c.UnitsAvailable, CanShipAll = c.CanShipAll, Chosen = c.Chosen,
        Score = c.Score is { } s ? new ScoreDto
        {
            DistanceKm = s.DistanceKm, Distance = s.Distance, Priority = s.Priority, ShippingCostEstimate = s.ShippingCostEstimate,
            ShippingCost = s.ShippingCost, Capacity = s.Capacity, Cutoff = s.Cutoff, Total = s.Total,
        } : null,
    };
}

public sealed record PlannedLineDto
{
    public required Guid? OrderLineId { get; init; }
    public required string Sku { get; init; }
    public required int Quantity { get; init; }
}

/// <summary>A routing decision as it was made.</summary>
public sealed record RoutingDecisionDto
{
    public required Guid Id { get; init; }
    public required DateTimeOffset At { get; init; }
    /// <summary>confirmation, rejection (a node refused its allocation) or backorder (stock arrived).</summary>
    public required RoutingTrigger Trigger { get; init; }
    /// <summary>single_node, split, partial or unavailable.</summary>
    public required string Outcome { get; init; }
    public required IReadOnlyList<CandidateDto> Candidates { get; init; }
    /// <summary>What no node could reserve.</summary>
    public required IReadOnlyList<PlannedLineDto> Short { get; init; }
}

public sealed record AllocationDto
{
    public required Guid Id { get; init; }
    public required Guid OrderId { get; init; }
    public required string NodeCode { get; init; }
    public required AllocationStatus Status { get; init; }
    public required string? RejectReason { get; init; }
    public required IReadOnlyList<PlannedLineDto> Lines { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required int Version { get; init; }

    public static AllocationDto From(Allocation a) => new()
    {
        Id = a.Id, OrderId = a.OrderId.Value, NodeCode = a.NodeCode, Status = a.Status, RejectReason = a.RejectReason,
        Lines = a.Lines.Select(l => new PlannedLineDto { OrderLineId = l.OrderLineId, Sku = l.Sku, Quantity = l.Quantity }).ToList(),
        CreatedAt = a.CreatedAt, Version = a.Version,
    };
}

public sealed record BackorderDto
{
    public required Guid Id { get; init; }
    public required Guid OrderId { get; init; }
    public required Guid OrderLineId { get; init; }
    public required string Sku { get; init; }
    /// <summary>Still waiting for stock.</summary>
    public required int Quantity { get; init; }
    public required BackorderPolicy Policy { get; init; }
    public required DateOnly? ExpectedDate { get; init; }
    public required BackorderStatus Status { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }

    public static BackorderDto From(Backorder b) => new()
    {
        Id = b.Id, OrderId = b.OrderId.Value, OrderLineId = b.OrderLineId, Sku = b.Sku, Quantity = b.Quantity, Policy = b.Policy, ExpectedDate = b.ExpectedDate,
        Status = b.Status, CreatedAt = b.CreatedAt,
    };
}

/// <summary>Why an order's lines went where they went: every decision (newest last), its allocations and backorders.</summary>
public sealed record OrderRoutingDto
{
    public required Guid OrderId { get; init; }
    public required IReadOnlyList<RoutingDecisionDto> Decisions { get; init; }
    public required IReadOnlyList<AllocationDto> Allocations { get; init; }
    public required IReadOnlyList<BackorderDto> Backorders { get; init; }
}

/// <summary>A hypothetical order to route; nothing is reserved.</summary>
public sealed record SimulateRoutingRequest
{
    [MinLength(1), MaxLength(Order.MaxLines)] public required List<OrderLineRequest> Lines { get; init; }
    public AddressDto? ShippingAddress { get; init; }
    public DeliveryDto? Delivery { get; init; }
    public OrderPriority? Priority { get; init; }
    public OrderChannel? Channel { get; init; }
}

public sealed record PlannedAllocationDto
{
    public required string NodeCode { get; init; }
    public required IReadOnlyList<PlannedLineDto> Lines { get; init; }
}

/// <summary>What the router would do now.</summary>
public sealed record RoutingSimulationDto
{
    public required string Outcome { get; init; }
    public required IReadOnlyList<PlannedAllocationDto> Allocations { get; init; }
    public required IReadOnlyList<PlannedLineDto> Short { get; init; }
    public required IReadOnlyList<CandidateDto> Candidates { get; init; }
}

public sealed record RejectAllocationRequest
{
    [Required, StringLength(500)] public required string Reason { get; init; }
}
