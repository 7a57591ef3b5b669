using Oms.Api.Catalog;
using Oms.Api.Platform.GraphQL;

namespace Oms.Api.Orders;

/// <summary>The batch loaders of the order's GraphQL fields, one set per request (scoped), each backed by a feature's queries: the order view composes its parts.</summary>
public sealed class OrderGraphLoaders(CatalogQueries catalog, OrderQueries orders, Payments.PaymentQueries payments, Fulfilment.FulfilmentQueries fulfilment,
    Returns.ReturnQueries returns, Documents.DocumentQueries documents)
{
    public BatchLoader<Guid, IReadOnlyList<Payments.PaymentDto>> Payments { get; } = new((ids, ct) => payments.ForOrdersAsync(ids, ct));

    public BatchLoader<Guid, IReadOnlyList<TimelineEntryDto>> Timelines { get; } = new((ids, ct) => orders.TimelinesAsync(ids, ct));

    public BatchLoader<Guid, IReadOnlyList<Fulfilment.FulfilmentOrderDto>> FulfilmentOrders { get; } = new((ids, ct) => fulfilment.ForOrdersAsync(ids, ct));

    public BatchLoader<Guid, IReadOnlyList<Fulfilment.ShipmentDto>> Shipments { get; } = new((ids, ct) => fulfilment.ShipmentsForOrdersAsync(ids, ct));

    public BatchLoader<Guid, IReadOnlyList<Returns.ReturnDto>> Returns { get; } = new((ids, ct) => returns.ForOrdersAsync(ids, ct));

    public BatchLoader<Guid, IReadOnlyList<Documents.DocumentDto>> Documents { get; } = new((ids, ct) => documents.ForOrdersAsync(ids, ct));

    public BatchLoader<string, ProductDto> Products { get; } = new((skus, ct) => catalog.BySkusAsync(skus, ct));
}
