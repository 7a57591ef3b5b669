using Oms.Domain.Orders;

namespace Oms.Api.Payments;

/// <summary>
/// What happens to an order once its money is secured: it is confirmed, which routes and reserves it. The order service
/// implements it. Orders uses Payments (capture at confirmation, void at cancellation), so Payments reaches the order
/// through this port and does not depend on the Orders feature (docs/architecture.md).
/// </summary>
public interface IOrderConfirmation
{
    /// <summary>Confirms a pending order whose money is secured (paid in full, or what is outstanding authorised); does nothing for any other.</summary>
    Task ConfirmIfSecuredAsync(OrderId id, CancellationToken ct);

    /// <summary>Confirms a pending order paid in full; when that cannot happen now (stock is short, the order moved) the money waits and nothing is written.</summary>
    Task TryConfirmAsync(OrderId id, CancellationToken ct);

    /// <summary>
    /// Confirms a pending order the caller has loaded and changed, in the caller's unit of work, so the change that
    /// secured the money and the confirmation (routing, reservations) commit together. Throws as confirming does when it
    /// cannot happen now (stock is short: <c>inventory.insufficient_stock</c>).
    /// </summary>
    Task ConfirmLoadedAsync(Order order, CancellationToken ct);
}
