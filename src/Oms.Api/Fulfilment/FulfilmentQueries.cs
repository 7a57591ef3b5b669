using System.Net;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Oms.Api.Platform.Auth;
using Oms.Api.Platform.Http;
using Oms.Domain.Common;
using Oms.Domain.Fulfilment;
using Oms.Domain.Orders;
using Oms.Infrastructure.Persistence;

namespace Oms.Api.Fulfilment;

public sealed class FulfilmentQueries(OmsDbContext db, TimeProvider clock, Visibility seen)
{
    public const int MaxPickListOrders = 500;

    public async Task<FulfilmentOrderDto> GetAsync(Guid id, CancellationToken ct) =>
        FulfilmentOrderDto.From(await seen.FulfilmentOrders.SingleOrDefaultAsync(f => f.Id == new FulfilmentOrderId(id), ct)
                                ?? throw new NotFoundException("fulfilment order", id));

    /// <summary>Fulfilment orders by order, node and status, newest first (in id order: ids are version 7, creation time first).</summary>
    public async Task<Page<FulfilmentOrderDto>> ListAsync(Guid? orderId, string? nodeCode, FulfilmentStatus? status, PageRequest page, CancellationToken ct)
    {
        var q = seen.FulfilmentOrders;
        if (orderId is { } o) q = q.Where(f => f.OrderId == new OrderId(o));
        if (nodeCode is { Length: > 0 }) q = q.Where(f => f.NodeCode == nodeCode.ToUpperInvariant());
        if (status is { } s) q = q.Where(f => f.Status == s);
        if (page.AfterId is { } after) q = q.Where(f => f.Id.CompareTo(new FulfilmentOrderId(after)) < 0);
        return page.Page(await q.OrderByDescending(f => f.Id).Take(page.Take + 1).ToListAsync(ct), FulfilmentOrderDto.From, CursorOf);
    }

    public static string CursorOf(FulfilmentOrderDto fulfilment) => Cursor.Of(fulfilment.Id);

    /// <summary>For GraphQL batch loading: every fulfilment order of these orders.</summary>
    public async Task<Dictionary<Guid, IReadOnlyList<FulfilmentOrderDto>>> ForOrdersAsync(IReadOnlyCollection<Guid> orderIds, CancellationToken ct)
    {
        var ids = orderIds.Select(i => new OrderId(i)).ToList();
        var rows = (await seen.FulfilmentOrders.Where(f => ids.Contains(f.OrderId)).OrderBy(f => f.CreatedAt).ToListAsync(ct))
            .Select(FulfilmentOrderDto.From).ToLookup(f => f.OrderId);
        return orderIds.Distinct().ToDictionary(id => id, id => (IReadOnlyList<FulfilmentOrderDto>)rows[id].ToList());
    }

    public async Task<Dictionary<Guid, IReadOnlyList<ShipmentDto>>> ShipmentsForOrdersAsync(IReadOnlyCollection<Guid> orderIds, CancellationToken ct)
    {
        var ids = orderIds.Select(i => new OrderId(i)).ToList();
        var rows = (await seen.Shipments.Where(s => ids.Contains(s.OrderId)).OrderBy(s => s.CreatedAt).ToListAsync(ct))
            .Select(ShipmentDto.From).ToLookup(s => s.OrderId);
        return orderIds.Distinct().ToDictionary(id => id, id => (IReadOnlyList<ShipmentDto>)rows[id].ToList());
    }

    public async Task<ShipmentDto> ShipmentAsync(Guid id, CancellationToken ct) =>
        ShipmentDto.From(await seen.Shipments.SingleOrDefaultAsync(s => s.Id == id, ct) ?? throw new NotFoundException("shipment", id));

    public async Task<IReadOnlyList<ShipmentDto>> ShipmentsAsync(Guid orderId, CancellationToken ct)
    {
        if (!await seen.Orders.AnyAsync(o => o.Id == new OrderId(orderId), ct)) throw new NotFoundException("order", orderId);
        return (await seen.Shipments.Where(s => s.OrderId == new OrderId(orderId)).OrderBy(s => s.CreatedAt).ToListAsync(ct))
            .Select(ShipmentDto.From).ToList();
    }

    /// <summary>What a node must pick now: open and picking work, expedited first, then oldest; units grouped by SKU.</summary>
    public async Task<PickListDto> PickListAsync(string nodeCode, CancellationToken ct)
    {
        var code = nodeCode.ToUpperInvariant();
        var node = await seen.Nodes.Where(n => n.Code == code).Select(n => new { n.Id, n.Code }).SingleOrDefaultAsync(ct)
                   ?? throw new NotFoundException("fulfilment node", nodeCode);
        var work = await seen.FulfilmentOrders
            .Where(f => f.NodeId == node.Id && (f.Status == FulfilmentStatus.Open || (f.Status == FulfilmentStatus.Picking && f.PickedAt == null)))
            .OrderByDescending(f => f.Expedited).ThenBy(f => f.OrderPlacedAt).ThenBy(f => f.CreatedAt)
            .Take(MaxPickListOrders).ToListAsync(ct);
        var lines = new List<PickListLineDto>();
        foreach (var group in work.SelectMany(f => f.Lines.Where(l => l.Quantity > 0).Select(l => (Fulfilment: f, Line: l))).GroupBy(x => x.Line.Sku))
        {
            lines.Add(new PickListLineDto
            {
                Sku = group.Key, Name = group.First().Line.Name, Quantity = group.Sum(x => x.Line.Quantity),
                Orders = group.Select(x => new PickListEntryDto
                {
                    FulfilmentOrderId = x.Fulfilment.Id.Value, OrderNumber = x.Fulfilment.OrderNumber, OrderLineId = x.Line.OrderLineId, Quantity = x.Line.Quantity,
                }).ToList(),
            });
        }
        return new PickListDto
        {
            NodeCode = node.Code, GeneratedAt = clock.GetUtcNow(), Lines = lines,
            FulfilmentOrders = work.Select(f => new PickListOrderDto
            {
                FulfilmentOrderId = f.Id.Value, OrderNumber = f.OrderNumber, Expedited = f.Expedited, OrderPlacedAt = f.OrderPlacedAt, Status = f.Status,
            }).ToList(),
        };
    }

    /// <summary>A printable packing slip (HTML, A4 print styles): ship-to, lines, packages.</summary>
    public async Task<string> PackingSlipAsync(Guid id, CancellationToken ct)
    {
        var f = await seen.FulfilmentOrders.SingleOrDefaultAsync(x => x.Id == new FulfilmentOrderId(id), ct) ?? throw new NotFoundException("fulfilment order", id);
        var order = await db.Orders.AsNoTracking().Where(o => o.Id == f.OrderId)
            .Select(o => new { o.Customer, o.ShippingAddress, o.Delivery, o.Notes, o.Priority }).SingleAsync(ct);
        static string H(string? s) => WebUtility.HtmlEncode(s ?? "");
        var html = new StringBuilder();
        html.Append("<!doctype html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Packing slip ").Append(H(f.OrderNumber)).Append("</title>")
            .Append("<style>@page{size:A4;margin:15mm}body{font:11pt system-ui,sans-serif;color:#111}h1{font-size:16pt;margin:0 0 4mm}")
            .Append("table{width:100%;border-collapse:collapse;margin-top:6mm}th,td{border-bottom:1px solid #999;padding:2mm;text-align:left}")
            .Append("td.n,th.n{text-align:right}.meta{display:flex;justify-content:space-between;gap:10mm}</style></head><body>");
        html.Append("<h1>Packing slip ").Append(H(f.OrderNumber)).Append("</h1><div class=\"meta\"><div><strong>")
            .Append(order.Delivery.Type == DeliveryType.Pickup ? "Collect at" : "Ship to").Append("</strong><br>");
        // Without customers:pii the slip shows where the parcel goes (postal code, city, region, country), not to whom.
        var masked = PersonalDataMask.Masked;
        if (order.Delivery.Type == DeliveryType.Pickup)
        {
            html.Append(H(order.Delivery.PickupLocation));
            if (!masked) html.Append("<br>").Append(H(order.Customer.Name ?? order.Customer.Email));
        }
        else if (order.ShippingAddress is { } a)
        {
            foreach (var part in masked ? new[] { $"{a.PostalCode} {a.City}".Trim(), a.Region, a.Country } : [a.Name, a.Company, a.Line1, a.Line2, $"{a.PostalCode} {a.City}".Trim(), a.Region, a.Country])
                if (!string.IsNullOrWhiteSpace(part)) html.Append(H(part)).Append("<br>");
        }
        html.Append("</div><div><strong>From</strong><br>").Append(H(f.NodeCode)).Append("<br>Fulfilment ").Append(H(f.Id.Value.ToString()))
            .Append(f.Expedited ? "<br><strong>EXPEDITED</strong>" : "").Append("</div></div>");
        html.Append("<table><thead><tr><th>SKU</th><th>Item</th><th class=\"n\">Qty</th></tr></thead><tbody>");
        foreach (var l in f.Lines.Where(l => l.Quantity > 0))
            html.Append("<tr><td>").Append(H(l.Sku)).Append("</td><td>").Append(H(l.Name)).Append("</td><td class=\"n\">").Append(l.Quantity).Append("</td></tr>");
        html.Append("</tbody></table>");
        if (f.Packages.Count > 0)
        {
            html.Append("<table><thead><tr><th>Package</th><th class=\"n\">Weight (g)</th><th class=\"n\">Size (mm)</th><th class=\"n\">Billable (g)</th></tr></thead><tbody>");
            for (var i = 0; i < f.Packages.Count; i++)
            {
                var p = f.Packages[i];
                html.Append("<tr><td>").Append(i + 1).Append(" of ").Append(f.Packages.Count).Append("</td><td class=\"n\">").Append(p.WeightGrams)
                    .Append("</td><td class=\"n\">").Append(p.LengthMm).Append(" × ").Append(p.WidthMm).Append(" × ").Append(p.HeightMm)
                    .Append("</td><td class=\"n\">").Append(p.BillableWeightGrams).Append("</td></tr>");
            }
            html.Append("</tbody></table>");
        }
        if (!string.IsNullOrWhiteSpace(order.Notes)) html.Append("<p><strong>Notes:</strong> ").Append(H(order.Notes)).Append("</p>");
        html.Append("</body></html>");
        return html.ToString();
    }

    /// <summary>
    /// The public tracking page's data. A wrong e-mail answers exactly like an unknown order number, so the
    /// endpoint never tells whether an order exists.
    /// </summary>
    public async Task<CustomerTrackingDto> CustomerTrackingAsync(string orderNumber, string? email, CancellationToken ct)
    {
        var normalized = email?.Trim().ToLowerInvariant();
        var order = Order.TryParseNumber(orderNumber, out var number) && !string.IsNullOrEmpty(normalized)
            ? await db.Orders.AsNoTracking().Where(o => o.Number == number && o.Customer.Email == normalized)
                .Select(o => new { o.Id, o.Number, o.Status, o.HeldFrom, Feedback = o.Feedback == null ? null : new { o.Feedback.Token, o.Feedback.ExpiresAt, Given = o.Feedback.ReceivedAt != null } })
                .SingleOrDefaultAsync(ct)
            : null;
        if (order is null) throw new NotFoundException("order", orderNumber);
        var steps = await db.Orders.Where(o => o.Id == order.Id).SelectMany(o => o.Timeline)
            .Where(t => t.Event == TimelineEvent.Placed || t.Event == TimelineEvent.StatusChanged)
            .OrderBy(t => t.At).Select(t => new { t.From, t.To, t.At }).ToListAsync(ct);
        var shipments = await db.Shipments.AsNoTracking().Where(s => s.OrderId == order.Id).OrderBy(s => s.CreatedAt).ToListAsync(ct);
        return new CustomerTrackingDto
        {
            OrderNumber = Order.FormatNumber(order.Number), Status = order.Status == OrderStatus.OnHold ? order.HeldFrom ?? OrderStatus.Pending : order.Status,
            // Holds are the seller's business (fraud checks, disputes): the shopper sees the steps of the order's journey only.
            Timeline = steps.Where(s => s.To != OrderStatus.OnHold && s.From != OrderStatus.OnHold)
                .Select(s => new CustomerTrackingStepDto { Status = s.To, At = s.At }).ToList(),
            Shipments = shipments.Select(s => new CustomerShipmentDto
            {
                Carrier = s.Carrier, Service = s.Service, TrackingNumber = s.TrackingNumber, TrackingUrl = s.TrackingUrl, Status = s.Status, DeliveredAt = s.DeliveredAt,
                Events = s.Events.OrderBy(e => e.OccurredAt).Select(e => new CustomerTrackingEventDto
                {
                    Status = e.Status, Description = e.Description, Location = e.Location, OccurredAt = e.OccurredAt,
                }).ToList(),
            }).ToList(),
            Feedback = order.Feedback is { } f && f.ExpiresAt > clock.GetUtcNow() ? new CustomerFeedbackLinkDto { Token = f.Token, ExpiresAt = f.ExpiresAt, Given = f.Given } : null,
        };
    }
}
