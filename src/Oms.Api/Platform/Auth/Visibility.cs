using Microsoft.EntityFrameworkCore;
using Oms.Domain.Access;
using Oms.Domain.Common;
using Oms.Domain.Customers;
using Oms.Domain.Documents;
using Oms.Domain.Fulfilment;
using Oms.Domain.Inventory;
using Oms.Domain.Orders;
using Oms.Domain.Payments;
using Oms.Domain.Returns;
using Oms.Domain.Routing;
using Oms.Infrastructure.Persistence;

namespace Oms.Api.Platform.Auth;

/// <summary>
/// What the caller may see and act on within its <see cref="DataLimits"/>: the one place that says which rows of
/// each resource a key or person limited to nodes or channels reaches. Queries read through it; services check the
/// resource a change names with <c>Ensure…</c> before touching it, so a resource outside the limits answers 404
/// exactly as if it did not exist. An unlimited caller (every caller but limited keys and people) costs nothing: no
/// predicate is added and no check queried.
/// <list type="bullet">
/// <item>Nodes: those nodes, their stock, ledger, purchase orders, fulfilment orders and allocations; shipments of
/// those fulfilment orders; orders with a fulfilment order there; returns received there, or not yet received and of
/// such an order.</item>
/// <item>Channels: orders of those channels and everything of theirs (fulfilment orders, shipments, payments,
/// returns, documents, routing).</item>
/// <item>Either: customers with an order the caller sees. Products and suppliers are not limited.</item>
/// </list>
/// Background work has no caller and sees everything.
/// </summary>
public sealed class Visibility(OmsDbContext db, IHttpContextAccessor http)
{
    public DataLimits Limits => http.HttpContext?.GetCaller()?.Limits ?? DataLimits.None;

    public bool Unlimited => !Limits.Any;

    private List<NodeId> NodeIds(DataLimits l) => l.Nodes.Select(n => new NodeId(n)).ToList();

    public IQueryable<Order> Orders => Of(db.Orders.AsNoTracking());

    public IQueryable<Order> Of(IQueryable<Order> q)
    {
        var l = Limits;
        if (l.OnChannels)
        {
            var channels = l.OrderChannels.ToList();
            q = q.Where(o => channels.Contains(o.Channel));
        }
        if (l.OnNodes)
        {
            var nodes = NodeIds(l);
            q = q.Where(o => db.FulfilmentOrders.Any(f => f.OrderId == o.Id && nodes.Contains(f.NodeId)));
        }
        return q;
    }

    /// <summary>The ids of the orders the caller sees, to filter what hangs off orders.</summary>
    private IQueryable<OrderId> OrderIds => Orders.Select(o => o.Id);

    public IQueryable<FulfilmentOrder> FulfilmentOrders => Of(db.FulfilmentOrders.AsNoTracking());

    public IQueryable<FulfilmentOrder> Of(IQueryable<FulfilmentOrder> q)
    {
        var l = Limits;
        if (l.OnNodes)
        {
            var nodes = NodeIds(l);
            q = q.Where(f => nodes.Contains(f.NodeId));
        }
        if (l.OnChannels)
        {
            var channels = l.OrderChannels.ToList();
            q = q.Where(f => db.Orders.Any(o => o.Id == f.OrderId && channels.Contains(o.Channel)));
        }
        return q;
    }

    public IQueryable<Shipment> Shipments => Of(db.Shipments.AsNoTracking());

    public IQueryable<Shipment> Of(IQueryable<Shipment> q)
    {
        if (Unlimited) return q;
        var fulfilments = FulfilmentOrders.Select(f => f.Id);
        return q.Where(s => fulfilments.Contains(s.FulfilmentOrderId));
    }

    public IQueryable<Return> Returns => Of(db.Returns.AsNoTracking());

    public IQueryable<Return> Of(IQueryable<Return> q)
    {
        var l = Limits;
        if (!l.Any) return q;
        var orders = OrderIds;
        if (!l.OnNodes) return q.Where(r => orders.Contains(r.OrderId));
        var nodes = NodeIds(l);
        var channels = l.OrderChannels.ToList();
        // Received at one of the nodes (of an order of the channels, when limited to channels too), or on its way to be.
        q = q.Where(r => r.ReceivedAtNodeId != null
            ? nodes.Contains(r.ReceivedAtNodeId.Value)
            : orders.Contains(r.OrderId));
        if (l.OnChannels) q = q.Where(r => db.Orders.Any(o => o.Id == r.OrderId && channels.Contains(o.Channel)));
        return q;
    }

    public IQueryable<Payment> Payments => Of(db.Payments.AsNoTracking());

    public IQueryable<Payment> Of(IQueryable<Payment> q)
    {
        if (Unlimited) return q;
        var orders = OrderIds;
        return q.Where(p => orders.Contains(p.OrderId));
    }

    public IQueryable<Document> Documents => Of(db.Documents.AsNoTracking());

    public IQueryable<Document> Of(IQueryable<Document> q)
    {
        if (Unlimited) return q;
        var orders = OrderIds;
        return q.Where(d => orders.Contains(d.OrderId));
    }

    public IQueryable<Allocation> Allocations => Of(db.Allocations.AsNoTracking());

    public IQueryable<Allocation> Of(IQueryable<Allocation> q)
    {
        var l = Limits;
        if (!l.Any) return q;
        if (l.OnNodes)
        {
            var nodes = NodeIds(l);
            q = q.Where(a => nodes.Contains(a.NodeId));
        }
        if (l.OnChannels)
        {
            var channels = l.OrderChannels.ToList();
            q = q.Where(a => db.Orders.Any(o => o.Id == a.OrderId && channels.Contains(o.Channel)));
        }
        return q;
    }

    public IQueryable<Backorder> Of(IQueryable<Backorder> q)
    {
        if (Unlimited) return q;
        var orders = OrderIds;
        return q.Where(b => orders.Contains(b.OrderId));
    }

    public IQueryable<RoutingDecision> Of(IQueryable<RoutingDecision> q)
    {
        if (Unlimited) return q;
        var orders = OrderIds;
        return q.Where(d => orders.Contains(d.OrderId));
    }

    public IQueryable<FulfilmentNode> Nodes => Of(db.Nodes.AsNoTracking());

    public IQueryable<FulfilmentNode> Of(IQueryable<FulfilmentNode> q)
    {
        var l = Limits;
        if (!l.OnNodes) return q;
        var nodes = NodeIds(l);
        return q.Where(n => nodes.Contains(n.Id));
    }

    public IQueryable<StockItem> Stock => Of(db.Stock.AsNoTracking());

    public IQueryable<StockItem> Of(IQueryable<StockItem> q)
    {
        var l = Limits;
        if (!l.OnNodes) return q;
        var nodes = NodeIds(l);
        return q.Where(s => nodes.Contains(s.NodeId));
    }

    public IQueryable<InventoryLedgerEntry> Ledger => Of(db.Ledger.AsNoTracking());

    public IQueryable<InventoryLedgerEntry> Of(IQueryable<InventoryLedgerEntry> q)
    {
        var l = Limits;
        if (!l.OnNodes) return q;
        var nodes = NodeIds(l);
        return q.Where(e => nodes.Contains(e.NodeId));
    }

    public IQueryable<PurchaseOrder> PurchaseOrders => Of(db.PurchaseOrders.AsNoTracking());

    public IQueryable<PurchaseOrder> Of(IQueryable<PurchaseOrder> q)
    {
        var l = Limits;
        if (!l.OnNodes) return q;
        var nodes = NodeIds(l);
        return q.Where(p => nodes.Contains(p.NodeId));
    }

    public IQueryable<Customer> Customers => Of(db.Customers.AsNoTracking());

    public IQueryable<Customer> Of(IQueryable<Customer> q)
    {
        if (Unlimited) return q;
        var orders = Orders;
        return q.Where(c => orders.Any(o => o.CustomerId == c.Id));
    }

    /// <summary>Whether the caller may place or move an order on <paramref name="channel"/>; refused on <paramref name="field"/> when not.</summary>
    public void EnsureChannel(OrderChannel channel, string field = "channel")
    {
        var l = Limits;
        if (!l.AllowsChannel(channel))
            throw new DomainException("access.channel_not_allowed",
                $"This caller is limited to the channels {string.Join(", ", l.Channels)}: it cannot use '{DataLimits.WireOf(channel)}'.", field);
    }

    /// <summary>Whether the caller may act on the node; the node answers as unknown when not.</summary>
    public void EnsureNode(NodeId node, object shownAs)
    {
        var l = Limits;
        if (l.OnNodes && !l.Nodes.Contains(node.Value)) throw new NotFoundException("fulfilment node", shownAs);
    }

    public Task EnsureOrderAsync(OrderId id, CancellationToken ct) => EnsureAsync(Orders, o => o.Id == id, "order", id.Value, ct);

    public Task EnsureFulfilmentOrderAsync(FulfilmentOrderId id, CancellationToken ct) =>
        EnsureAsync(FulfilmentOrders, f => f.Id == id, "fulfilment order", id.Value, ct);

    public Task EnsureShipmentAsync(Guid id, CancellationToken ct) => EnsureAsync(Shipments, s => s.Id == id, "shipment", id, ct);

    public Task EnsureReturnAsync(Guid id, CancellationToken ct) => EnsureAsync(Returns, r => r.Id == id, "return", id, ct);

    public Task EnsurePaymentAsync(Guid id, CancellationToken ct) => EnsureAsync(Payments, p => p.Id == id, "payment", id, ct);

    public Task EnsureDocumentAsync(DocumentId id, CancellationToken ct) => EnsureAsync(Documents, d => d.Id == id, "document", id.Value, ct);

    public Task EnsureAllocationAsync(Guid id, CancellationToken ct) => EnsureAsync(Allocations, a => a.Id == id, "allocation", id, ct);

    public Task EnsurePurchaseOrderAsync(Guid id, CancellationToken ct) => EnsureAsync(PurchaseOrders, p => p.Id == id, "purchase order", id, ct);

    public Task EnsureCustomerAsync(CustomerId id, CancellationToken ct) => EnsureAsync(Customers, c => c.Id == id, "customer", id.Value, ct);

    private async Task EnsureAsync<T>(IQueryable<T> visible, System.Linq.Expressions.Expression<Func<T, bool>> which, string resource, object id, CancellationToken ct)
    {
        if (Unlimited) return;
        if (!await visible.AnyAsync(which, ct)) throw new NotFoundException(resource, id);
    }
}
