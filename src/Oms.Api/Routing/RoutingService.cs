using Oms.Api.Platform.Auth;
using Oms.Api.Platform.Validation;
using Oms.Domain.Common;
using Oms.Domain.Orders;
using Oms.Domain.Routing;

namespace Oms.Api.Routing;

/// <summary>The routing use cases behind REST and GraphQL: simulate, and reject an allocation.</summary>
public sealed class RoutingService(AllocationService allocations, RoutingQueries queries, Visibility seen)
{
    public async Task<RoutingPlan> SimulateAsync(SimulateRoutingRequest r, CancellationToken ct)
    {
        RequestValidator.ThrowIfInvalid(r);
        var products = await allocations.ProductsAsync(r.Lines.Select(l => l.Sku), ct);
        for (var i = 0; i < r.Lines.Count; i++)
            if (!products.ContainsKey(r.Lines[i].Sku))
                throw new DomainException("routing.unknown_sku", $"No product has SKU '{r.Lines[i].Sku}'.", $"lines[{i}].sku");
        var delivery = new Delivery(r.Delivery?.Type ?? DeliveryType.Ship, r.Delivery?.PickupLocation);
        var lines = r.Lines.Select(l => new RoutingLine(Guid.NewGuid(), l.Sku, l.Quantity, products[l.Sku].WeightGrams)).ToList();
        return await allocations.SimulateAsync(new RoutingRequest(lines, r.ShippingAddress?.ToDomain(), r.Priority ?? OrderPriority.Standard,
            r.Channel ?? OrderChannel.Api, delivery, []), ct, seen.Limits.OnNodes ? seen.Limits.Nodes : null);
    }

    public async Task<AllocationDto> RejectAsync(Guid allocationId, RejectAllocationRequest r, CancellationToken ct)
    {
        RequestValidator.ThrowIfInvalid(r);
        await seen.EnsureAllocationAsync(allocationId, ct);
        var rejected = await allocations.RejectAsync(allocationId, r.Reason.Trim(), ct);
        return await queries.AllocationAsync(rejected.Id, ct);
    }
}
