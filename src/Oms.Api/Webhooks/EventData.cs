using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Oms.Api.Catalog;
using Oms.Api.Inventory;
using Oms.Api.Orders;
using Oms.Api.Purchasing;
using Oms.Api.Routing;
using Oms.Domain.Catalog;
using Oms.Domain.Common;
using Oms.Domain.Inventory;
using Oms.Domain.Orders;
using Oms.Domain.Routing;
using Oms.Domain.Webhooks;
using Oms.Infrastructure.Persistence;

namespace Oms.Api.Webhooks;

/// <summary>The data of a stock event: the level after the change.</summary>
public sealed record StockEventData(string Sku, string NodeCode, int OnHand, int Reserved, int Available);

/// <summary>The data of a subscription event: the subscription, without its secret.</summary>
public sealed record SubscriptionEventData(Guid Id, string Url, string Reason);

/// <summary>
/// Every webhook's <c>data</c> is the resource as the REST API shows it, captured when the change commits: the
/// same DTOs, the very JSON options REST answers with (escaping included), so the text is the same byte for byte and
/// a placed order is answered with it (<c>OmsDbContext.TakeSavedJson</c>). One place maps each event to its resource.
/// </summary>
public sealed class EventData(IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> http, IOptions<Customers.CustomerOptions> customers) : IEventDataMapper
{
    /// <summary>The API's JSON options without masking: subscribers get the data (webhooks:manage reaches every node and channel).</summary>
    public JsonSerializerOptions Json { get; } = Platform.Auth.PersonalDataMask.Unmasked(http.Value.SerializerOptions);

    public async Task<object> DataAsync(IDomainEvent e, AggregateRoot? source, OmsDbContext db, CancellationToken ct) => (e, source) switch
    {
        (_, Order order) => OrderDto.From(order),
        (_, Product product) => ProductDto.From(product),
        (_, Allocation allocation) => AllocationDto.From(allocation),
        (_, Oms.Domain.Fulfilment.FulfilmentOrder f) => Fulfilment.FulfilmentOrderDto.From(f),
        (_, Oms.Domain.Fulfilment.Shipment s) => Fulfilment.ShipmentDto.From(s),
        (_, Oms.Domain.Returns.Return r) => Returns.ReturnDto.From(r),
        // The segment as it was when the event happened.
        (_, Oms.Domain.Customers.Customer c) => Customers.CustomerDto.From(c, customers.Value.Thresholds(), e.OccurredAt),
        (_, PurchaseOrder po) => await PurchaseOrderAsync(po, db, ct),
        (_, Oms.Domain.Documents.Document d) => await DocumentAsync(d, db, ct),
        (_, Oms.Domain.Payments.Payment payment) => Payments.PaymentDto.From(payment, DateOnly.FromDateTime(e.OccurredAt.UtcDateTime)),
        (StockEvent s, _) => new StockEventData(s.Sku, s.NodeCode, s.OnHand, s.Reserved, s.Available),
        (BackorderEvent b, _) => BackorderDto.From(b.Backorder),
        (WebhookSubscriptionDisabled d, _) => new SubscriptionEventData(d.AggregateId, d.Url, d.Reason),
        (PingEvent p, _) => PingData(p.AggregateId),
        _ => e,
    };

    public static object PingData(Guid subscriptionId) =>
        new { message = "Hello from HeadlessOms: your endpoint receives and verifies our webhooks.", subscriptionId };

    /// <summary>The document with its trail as it will be at commit: the lines stored before, and those this save adds.</summary>
    private static async Task<Documents.DocumentDto> DocumentAsync(Oms.Domain.Documents.Document d, OmsDbContext db, CancellationToken ct)
    {
        // The tracked lines of this document are the ones this save adds (stored ones are read without tracking): the
        // local view walks them without an entry object per line, for each document of a batch.
        var added = db.DocumentActivity.Local.Where(a => a.DocumentId == d.Id).ToList();
        var stored = db.Entry(d).State == EntityState.Added
            ? []
            : await db.DocumentActivity.AsNoTracking().Where(a => a.DocumentId == d.Id).ToListAsync(ct);
        return Documents.DocumentDto.From(d, Oms.Domain.Documents.DocumentActivity.InOrder(stored.Concat(added)));
    }

    private static async Task<PurchaseOrderDto> PurchaseOrderAsync(PurchaseOrder po, OmsDbContext db, CancellationToken ct)
    {
        var supplier = await db.Suppliers.AsNoTracking().Where(s => s.Id == po.SupplierId).Select(s => s.Code).SingleAsync(ct);
        var node = await db.Nodes.AsNoTracking().Where(n => n.Id == po.NodeId).Select(n => n.Code).SingleAsync(ct);
        return PurchaseOrderDto.From(po, supplier, node);
    }
}

/// <summary>A test event one subscription asked for.</summary>
public sealed record PingEvent(Guid AggregateId, DateTimeOffset OccurredAt) : IDomainEvent
{
    public string Type => "webhook.ping";
}
