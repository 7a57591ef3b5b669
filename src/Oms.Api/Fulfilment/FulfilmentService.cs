using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Oms.Api.Inventory;
using Oms.Api.Payments;
using Oms.Api.Platform.Auth;
using Oms.Api.Platform.Errors;
using Oms.Api.Platform.Validation;
using Oms.Api.Routing;
using Oms.Domain.Common;
using Oms.Domain.Fulfilment;
using Oms.Domain.Inventory;
using Oms.Domain.Orders;
using Oms.Domain.Routing;
using Oms.Infrastructure.Carriers;
using Oms.Infrastructure.Persistence;

namespace Oms.Api.Fulfilment;

/// <summary>
/// Pick, pack, ship (or hand over at the counter) and follow the carrier. Each use case is one transaction: the
/// fulfilment order, its allocation's stock, the order's status, the payment capture and the outbox rows commit together.
/// </summary>
public sealed class FulfilmentService(OmsDbContext db, UnitOfWork work, AllocationService allocations, OrderPayments payments, StockMovements stock, CarrierRegistry carriers,
    IOptions<FulfilmentOptions> options, IOptions<CarrierOptions> carrierOptions, TimeProvider clock, Actor actor, Oms.Infrastructure.Links.LinkSigner links, Visibility seen)
{
    public Task<FulfilmentOrderDto> StartPickingAsync(Guid id, int? expectedVersion, CancellationToken ct) =>
        ChangeAsync(id, expectedVersion, (f, _) =>
        {
            f.StartPicking(clock.GetUtcNow());
            return Task.CompletedTask;
        }, ct);

    /// <summary>Records what was found; missing units leave the node's stock and are routed to other nodes.</summary>
    public Task<FulfilmentOrderDto> RecordPicksAsync(Guid id, RecordPicksRequest r, int? expectedVersion, CancellationToken ct)
    {
        RequestValidator.ThrowIfInvalid(r);
        var found = new Dictionary<Guid, int>();
        for (var i = 0; i < r.Lines.Count; i++)
            if (!found.TryAdd(r.Lines[i].OrderLineId, r.Lines[i].Picked))
                throw RequestValidationException.For($"lines[{i}].orderLineId", "Each line is reported once.");
        return ChangeAsync(id, expectedVersion, async (f, allocation) =>
        {
            var shorts = f.RecordPicks(found, clock.GetUtcNow());
            if (shorts.Count > 0)
                await allocations.ShortPickAsync(allocation, shorts.Select(s => (s.Line.OrderLineId, s.Line.Sku, s.Missing)).ToList(), ct);
        }, ct);
    }

    public Task<FulfilmentOrderDto> PackAsync(Guid id, PackRequest r, int? expectedVersion, CancellationToken ct)
    {
        RequestValidator.ThrowIfInvalid(r);
        var packages = r.Packages.Select(p => Package.Measure(p.WeightGrams, p.LengthMm, p.WidthMm, p.HeightMm, options.Value.DimensionalDivisor)).ToList();
        return ChangeAsync(id, expectedVersion, (f, _) =>
        {
            f.Pack(packages, clock.GetUtcNow());
            return Task.CompletedTask;
        }, ct);
    }

    /// <summary>Hands the parcels to the carrier: a shipment with its tracking number, stock consumed, the order (partially) shipped, the shipped value captured.</summary>
    public async Task<ShipmentDto> ShipAsync(Guid id, ShipFulfilmentRequest r, int? expectedVersion, CancellationToken ct)
    {
        RequestValidator.ThrowIfInvalid(r);
        var carrier = carriers.Get(string.IsNullOrWhiteSpace(r.Carrier) ? "manual" : r.Carrier);
        // The label is bought first, with no transaction open and no row locked, keyed by the fulfilment order as
        // packed (its version): a retried ship (after a failure, or a lost answer) gets the same label, never a second.
        // The change then requires that same version, so the parcel shipped is the one the label was bought for.
        await seen.EnsureFulfilmentOrderAsync(new FulfilmentOrderId(id), ct);
        var packed = await db.FulfilmentOrders.AsNoTracking().SingleOrDefaultAsync(f => f.Id == new FulfilmentOrderId(id), ct)
                     ?? throw new NotFoundException("fulfilment order", id);
        packed.EnsureVersion(expectedVersion);
        packed.EnsureCanShip();
        var shipTo = await db.Orders.AsNoTracking().Where(o => o.Id == packed.OrderId).Select(o => o.ShippingAddress).SingleAsync(ct);
        var label = await carrier.CreateLabelAsync(new LabelRequest(packed.OrderNumber, packed.NodeCode, r.Service, r.TrackingNumber, r.TrackingUrl, packed.Packages,
            shipTo, $"{packed.Id.Value}-label-v{packed.Version}"), ct);
        Shipment? shipment = null;
        await ChangeAsync(id, packed.Version, async (f, allocation) =>
        {
            var now = clock.GetUtcNow();
            f.Ship(now);
            shipment = Shipment.Create(f, carrier.Code, r.Service, label.TrackingNumber, label.TrackingUrl, now);
            db.Shipments.Add(shipment);
            await LeftTheNodeAsync(allocation, ct);
        }, ct);
        return ShipmentDto.From(shipment!);
    }

    /// <summary>A pickup order is packed and waiting at the counter; the order is ready for pickup once all its parts are.</summary>
    public Task<FulfilmentOrderDto> ReadyForPickupAsync(Guid id, int? expectedVersion, CancellationToken ct) =>
        ChangeAsync(id, expectedVersion, async (f, _) =>
        {
            var now = clock.GetUtcNow();
            f.ReadyForPickup(now);
            var waiting = await db.FulfilmentOrders.AnyAsync(x => x.OrderId == f.OrderId && x.Id != f.Id
                              && (x.Status == FulfilmentStatus.Open || x.Status == FulfilmentStatus.Picking || x.Status == FulfilmentStatus.Packed), ct)
                          || await db.Backorders.AnyAsync(b => b.OrderId == f.OrderId && b.Status == BackorderStatus.Open, ct);
            var order = await db.OrderAsync(f.OrderId, ct);
            if (!waiting && order.Status == OrderStatus.Allocated) order.MarkReadyForPickup(actor.Name, now);
        }, ct);

    /// <summary>The customer collected: stock is consumed, cash at the counter collected, card payments captured.</summary>
    public Task<FulfilmentOrderDto> PickedUpAsync(Guid id, int? expectedVersion, CancellationToken ct) =>
        ChangeAsync(id, expectedVersion, async (f, allocation) =>
        {
            f.PickedUp(clock.GetUtcNow());
            await LeftTheNodeAsync(allocation, ct);
        }, ct);

    /// <summary>The node refuses before packing: the same as rejecting its allocation (the lines go to other nodes).</summary>
    public async Task<FulfilmentOrderDto> RejectAsync(Guid id, RejectFulfilmentRequest r, CancellationToken ct)
    {
        RequestValidator.ThrowIfInvalid(r);
        await seen.EnsureFulfilmentOrderAsync(new FulfilmentOrderId(id), ct);
        var allocationId = await db.FulfilmentOrders.Where(f => f.Id == new FulfilmentOrderId(id)).Select(f => (Guid?)f.AllocationId).SingleOrDefaultAsync(ct)
                           ?? throw new NotFoundException("fulfilment order", id);
        await allocations.RejectAsync(allocationId, r.Reason.Trim(), ct);
        return FulfilmentOrderDto.From(await db.FulfilmentOrders.AsNoTracking().SingleAsync(f => f.Id == new FulfilmentOrderId(id), ct));
    }

    /// <summary>Records one carrier event on a shipment; a duplicate changes nothing.</summary>
    public async Task<ShipmentDto> AddTrackingEventAsync(Guid shipmentId, TrackingEventRequest r, CancellationToken ct)
    {
        RequestValidator.ThrowIfInvalid(r);
        CheckEventTime(r.OccurredAt, "occurredAt");
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        await seen.EnsureShipmentAsync(shipmentId, ct);
        var shipment = await db.Shipments.SingleOrDefaultAsync(s => s.Id == shipmentId, ct) ?? throw new NotFoundException("shipment", shipmentId);
        var status = r.Status
                     ?? (r.CarrierCode is { Length: > 0 } code ? carriers.Get(shipment.Carrier).Normalise(code) : null)
                     ?? throw RequestValidationException.For("status", "Give a status (label_created, in_transit, out_for_delivery, delivered, delivery_failed, exception or returned_to_sender), or a carrierCode the carrier integration knows.");
        await TrackAsync(shipment, new TrackingUpdate(status, r.CarrierCode, r.Description, r.Location, r.OccurredAt.ToUniversalTime(), r.EventId), ct);
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return ShipmentDto.From(shipment);
    }

    /// <summary>
    /// A carrier's tracking webhook: the body must carry a valid <c>Carrier-Signature</c> made with the carrier's
    /// shared secret (400 and nothing recorded otherwise). Events for unknown tracking numbers or codes are counted
    /// and acknowledged, so the carrier does not retry them for ever.
    /// </summary>
    public async Task<CarrierWebhookResult> HandleCarrierWebhookAsync(string carrierCode, string body, string? signature, JsonSerializerOptions json, CancellationToken ct)
    {
        var carrier = carriers.Get(carrierCode);
        var settings = carrierOptions.Value;
        if (!settings.WebhookSecrets.TryGetValue(carrier.Code, out var secret) || string.IsNullOrEmpty(secret)
            || !CarrierSignature.Verify(signature, body, secret, clock.GetUtcNow(), settings.SignatureToleranceSeconds))
            throw RequestValidationException.For("Carrier-Signature", "The signature does not verify with this carrier's webhook secret, or is too old.");
        // A malformed body is a JsonException: the error mapping names the field.
        var request = JsonSerializer.Deserialize<CarrierWebhookRequest>(body, json) ?? throw RequestValidationException.For("body", "Send a JSON object with events.");
        RequestValidator.ThrowIfInvalid(request);
        for (var i = 0; i < request.Events.Count; i++) CheckEventTime(request.Events[i].OccurredAt, $"events[{i}].occurredAt");

        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var numbers = request.Events.Select(e => e.TrackingNumber.Trim()).Distinct().ToList();
        var shipments = await db.Shipments.Where(s => s.Carrier == carrier.Code && numbers.Contains(s.TrackingNumber)).ToListAsync(ct);
        int applied = 0, duplicates = 0, unknown = 0;
        foreach (var e in request.Events.OrderBy(e => e.OccurredAt))
        {
            var shipment = shipments.FirstOrDefault(s => s.TrackingNumber == e.TrackingNumber.Trim());
            if (shipment is null || carrier.Normalise(e.Code) is not { } status)
            {
                unknown++;
                continue;
            }
            if (await TrackAsync(shipment, new TrackingUpdate(status, e.Code, e.Description, e.Location, e.OccurredAt.ToUniversalTime(), e.EventId), ct)) applied++;
            else duplicates++;
        }
        await db.SaveChangesAsync(ct);
        await tx.CommitAsync(ct);
        return new CarrierWebhookResult { Applied = applied, Duplicates = duplicates, Unknown = unknown };
    }

    /// <summary>
    /// A node sent its part (or the customer collected it): the reserved stock is consumed (with ledger entries), the
    /// order becomes partially shipped, shipped or picked up, and card payments capture the value that left (everything
    /// left on the last part). Runs inside the caller's transaction.
    /// </summary>
    private async Task LeftTheNodeAsync(Allocation allocation, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        allocation.Ship(now);
        var order = await db.OrderAsync(allocation.OrderId, ct);
        await stock.ConsumeReservedAsync(allocation.NodeId, allocation.NodeCode, allocation.Lines.Select(l => (l.Sku, l.Quantity)), StockChangeReason.Shipped, order.DisplayNumber, null, now, ct);
        var moreToShip = await db.Allocations.AnyAsync(a => a.OrderId == order.Id && a.Id != allocation.Id && a.Status == AllocationStatus.Reserved, ct)
                         || await db.Backorders.AnyAsync(b => b.OrderId == order.Id && b.Status == BackorderStatus.Open, ct);
        if (order.Delivery.Type == DeliveryType.Pickup)
        {
            if (!moreToShip)
            {
                order.MarkPickedUp(actor.Name, now, links.Feedback);
                await payments.CollectCashOnDeliveryAsync(order, ct); // paid at the counter
            }
        }
        else order.ShipmentLeft(everything: !moreToShip, actor.Name, now);
        if (!payments.CaptureAtConfirmation)
        {
            // The last shipment takes whatever is left, so rounding never strands a cent.
            await payments.CaptureAsync(order, order.ShareOfTotal(allocation.Lines.Select(l => (l.OrderLineId, l.Quantity))), final: !moreToShip, ct);
        }
    }

    /// <summary>An event time no later than now plus <see cref="CarrierOptions.FutureEventTolerance"/>, and not before 2000.</summary>
    private void CheckEventTime(DateTimeOffset at, string field)
    {
        var latest = clock.GetUtcNow() + carrierOptions.Value.FutureEventTolerance;
        if (at > latest)
            throw RequestValidationException.For(field, $"The event is dated {at.UtcDateTime:yyyy-MM-dd HH:mm}Z, in the future; at most {carrierOptions.Value.FutureEventTolerance.TotalMinutes:0} minutes ahead is accepted.");
        if (at.UtcDateTime.Year < 2000) throw RequestValidationException.For(field, "The event is dated before 2000.");
    }

    /// <summary>
    /// Applies an event and its consequences for the order: delivered once every shipment is (cash on delivery then
    /// counts as collected), and a carrier problem flagged on the order while any shipment has one.
    /// </summary>
    private async Task<bool> TrackAsync(Shipment shipment, TrackingUpdate update, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        if (!shipment.Track(update, now)) return false;
        var order = await db.OrderAsync(shipment.OrderId, ct);
        var others = await db.Shipments.Where(s => s.OrderId == shipment.OrderId && s.Id != shipment.Id).ToListAsync(ct);
        var all = others.Append(shipment).ToList();
        if (order.Status == OrderStatus.Shipped && all.All(s => s.Status == TrackingStatus.Delivered))
        {
            order.MarkDelivered(actor.Name, now, links.Feedback, all.Max(s => s.DeliveredAt)); // the carrier's time, which the return window counts from
            await payments.CollectCashOnDeliveryAsync(order, ct);
        }
        else if (order.Status != OrderStatus.Delivered)
        {
            var problem = all.Where(s => s.HasProblem).OrderByDescending(s => s.StatusAt).FirstOrDefault();
            var text = problem is null ? null
                : $"shipment {problem.TrackingNumber}: {Shipment.Wire(problem.Status)}"
                  + (problem.Events.Where(e => e.Status == problem.Status).MaxBy(e => e.OccurredAt)?.Description is { Length: > 0 } d ? $" ({d})" : "");
            order.SetShipmentIssue(text, actor.Name, now);
        }
        return true;
    }

    private async Task<FulfilmentOrderDto> ChangeAsync(Guid id, int? expectedVersion, Func<FulfilmentOrder, Allocation, Task> change, CancellationToken ct)
        => FulfilmentOrderDto.From(await work.ChangeAsync(async () =>
        {
            await seen.EnsureFulfilmentOrderAsync(new FulfilmentOrderId(id), ct);
            var fulfilment = await db.FulfilmentOrders.SingleOrDefaultAsync(f => f.Id == new FulfilmentOrderId(id), ct) ?? throw new NotFoundException("fulfilment order", id);
            fulfilment.EnsureVersion(expectedVersion);
            var allocation = await db.Allocations.SingleAsync(a => a.Id == fulfilment.AllocationId, ct);
            await change(fulfilment, allocation);
            return fulfilment;
        }, ct));
}
