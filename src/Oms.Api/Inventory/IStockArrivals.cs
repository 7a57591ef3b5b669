namespace Oms.Api.Inventory;

/// <summary>
/// What happens when more of a SKU becomes available (an adjustment, a transfer in): the orders waiting for it get it.
/// Routing implements it (filling backorders). Routing uses Inventory's counters, so Inventory reaches it through this
/// port and does not depend on the Routing feature (docs/architecture.md).
/// </summary>
public interface IStockArrivals
{
    Task ArrivedAsync(string sku, CancellationToken ct);
}
