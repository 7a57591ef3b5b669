using Oms.Api.Catalog;
using Oms.Api.Orders;

namespace Oms.Api.Platform.GraphQL;

/// <summary>The batch loaders of one GraphQL request (scoped), each backed by a feature's queries.</summary>
public sealed class GraphLoaders(CatalogQueries catalog, OrderQueries orders, Payments.PaymentQueries payments, Fulfilment.FulfilmentQueries fulfilment,
    Returns.ReturnQueries returns)
{
    public BatchLoader<Guid, IReadOnlyList<Payments.PaymentDto>> Payments { get; } = new((ids, ct) => payments.ForOrdersAsync(ids, ct));

    public BatchLoader<Guid, IReadOnlyList<TimelineEntryDto>> Timelines { get; } = new((ids, ct) => orders.TimelinesAsync(ids, ct));

    public BatchLoader<Guid, IReadOnlyList<Fulfilment.FulfilmentOrderDto>> FulfilmentOrders { get; } = new((ids, ct) => fulfilment.ForOrdersAsync(ids, ct));

    public BatchLoader<Guid, IReadOnlyList<Fulfilment.ShipmentDto>> Shipments { get; } = new((ids, ct) => fulfilment.ShipmentsForOrdersAsync(ids, ct));

    public BatchLoader<Guid, IReadOnlyList<Returns.ReturnDto>> Returns { get; } = new((ids, ct) => returns.ForOrdersAsync(ids, ct));

    public BatchLoader<string, ProductDto> Products { get; } = new((skus, ct) => catalog.BySkusAsync(skus, ct));
}
