using Oms.Domain.Orders;

namespace Oms.Api.Returns;

/// <summary>
/// An exchange's replacement order: placed, confirmed and routed inside the return's transaction. The order service
/// implements it. Orders shows an order's returns, so Returns reaches the order service through this port and does not
/// depend on the Orders feature (docs/architecture.md).
/// </summary>
public interface IReplacementOrders
{
    Task<Order> PlaceReplacementAsync(Order original, IReadOnlyList<(string Sku, int Quantity)> lines, Guid returnId, string returnNumber, CancellationToken ct);
}
