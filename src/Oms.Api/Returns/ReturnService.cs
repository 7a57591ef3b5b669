using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Oms.Api.Inventory;
using Oms.Api.Payments;
using Oms.Api.Platform.Auth;
using Oms.Api.Platform.Errors;
using Oms.Api.Platform.Validation;
using Oms.Api.Routing;
using Oms.Domain.Common;
using Oms.Domain.Inventory;
using Oms.Domain.Orders;
using Oms.Domain.Returns;
using Oms.Infrastructure.Persistence;

namespace Oms.Api.Returns;

/// <summary>Returns from request to refund or exchange; each step one transaction with its stock, money and events.</summary>
public sealed class ReturnService(OmsDbContext db, UnitOfWork work, IReplacementOrders orders, OrderPayments payments, StockCounters counters, StockSignals signals,
    AllocationService allocations, IOptions<ReturnOptions> options, TimeProvider clock, Actor actor, Visibility seen)
{
    public async Task<ReturnDto> RequestAsync(OrderId orderId, CreateReturnRequest r, CancellationToken ct)
    {
        RequestValidator.ThrowIfInvalid(r);
        await seen.EnsureOrderAsync(orderId, ct);
        await using var tx = await db.Database.BeginTransactionAsync(ct);
        var order = await db.Orders.SingleOrDefaultAsync(o => o.Id == orderId, ct) ?? throw new NotFoundException("order", orderId.Value);
        var earlier = await db.Returns.AsNoTracking().Where(x => x.OrderId == orderId).ToListAsync(ct);
        var returned = earlier.Where(x => x.Counts).SelectMany(x => x.Lines).GroupBy(l => l.OrderLineId).ToDictionary(g => g.Key, g => g.Sum(l => l.Quantity));
        var sequence = earlier.Count == 0 ? 1 : earlier.Max(x => x.Sequence) + 1;
        var rma = Return.Request(order, sequence, r.Lines.Select(l => new ReturnLineRequest(l.OrderLineId, l.Quantity, l.Reason, l.Comment)).ToList(),
            r.Comment, returned, TimeSpan.FromDays(options.Value.WindowDays), clock.GetUtcNow());
        db.Returns.Add(rma);
        // Two requests racing for the same order both read the same earlier returns; the unique sequence lets one win.
        await db.SaveUniqueAsync(ErrorMapping.ConcurrencyConflict, "Another return of this order was requested at the same time: read the order's returns and retry.", ct);
        await tx.CommitAsync(ct);
        return ReturnDto.From(rma);
    }

    public Task<ReturnDto> ApproveAsync(Guid id, int? v, CancellationToken ct) =>
        ChangeAsync(id, v, rma => { rma.Approve(clock.GetUtcNow()); return Task.CompletedTask; }, ct);

    public Task<ReturnDto> RejectAsync(Guid id, RejectReturnRequest r, int? v, CancellationToken ct)
    {
        RequestValidator.ThrowIfInvalid(r);
        return ChangeAsync(id, v, rma => { rma.Reject(r.Reason.Trim(), clock.GetUtcNow()); return Task.CompletedTask; }, ct);
    }

    public Task<ReturnDto> MarkInTransitAsync(Guid id, ReturnInTransitRequest r, int? v, CancellationToken ct)
    {
        RequestValidator.ThrowIfInvalid(r);
        return ChangeAsync(id, v, rma => { rma.MarkInTransit(r.Carrier, r.TrackingNumber, clock.GetUtcNow()); return Task.CompletedTask; }, ct);
    }

    public Task<ReturnDto> ReceiveAsync(Guid id, ReceiveReturnRequest r, int? v, CancellationToken ct)
    {
        RequestValidator.ThrowIfInvalid(r);
        return ChangeAsync(id, v, async rma =>
        {
            var code = r.NodeCode.Trim().ToUpperInvariant();
            var node = await db.Nodes.AsNoTracking().Where(n => n.Code == code).Select(n => new { n.Id, n.Code }).SingleOrDefaultAsync(ct)
                       ?? throw RequestValidationException.For("nodeCode", $"No fulfilment node has code '{r.NodeCode}'.");
            if (!seen.Limits.AllowsNode(node.Id.Value)) throw RequestValidationException.For("nodeCode", $"No fulfilment node has code '{r.NodeCode}'.");
            rma.Receive(node.Id, node.Code, clock.GetUtcNow());
        }, ct);
    }

    /// <summary>Every line gets a disposition; restocked units go back into the receiving node's stock with ledger entries.</summary>
    public async Task<ReturnDto> InspectAsync(Guid id, InspectReturnRequest r, int? v, CancellationToken ct)
    {
        RequestValidator.ThrowIfInvalid(r);
        var results = new Dictionary<Guid, (Disposition, string?)>();
        for (var i = 0; i < r.Lines.Count; i++)
            if (!results.TryAdd(r.Lines[i].OrderLineId, (r.Lines[i].Disposition, r.Lines[i].Note)))
                throw RequestValidationException.For($"lines[{i}].orderLineId", "Each line is inspected once.");
        await seen.EnsureReturnAsync(id, ct);
        var node = await db.Returns.Where(x => x.Id == id).Select(x => x.ReceivedAtNodeId).SingleOrDefaultAsync(ct);
        var skus = await db.Returns.Where(x => x.Id == id).SelectMany(x => x.Lines).Select(l => l.Sku).Distinct().ToListAsync(ct);
        if (node is { } receivedAt) await counters.EnsureRowsAsync(skus.Select(s => (receivedAt, s)), ct);
        var restocked = new List<string>();
        var dto = await ChangeAsync(id, v, async rma =>
        {
            var now = clock.GetUtcNow();
            var back = rma.Inspect(results, now);
            var counts = new List<StockCount>();
            foreach (var (sku, quantity) in back.OrderBy(x => x.Sku, StringComparer.Ordinal))
            {
                var after = await counters.TryChangeOnHandAsync(rma.ReceivedAtNodeId!.Value, sku, quantity, ct)
                            ?? throw new InvalidOperationException($"No stock row for {sku} at {rma.ReceivedAtNodeCode}.");
                db.Ledger.Add(new InventoryLedgerEntry(rma.ReceivedAtNodeId.Value, sku, StockChangeReason.Restocked, after.OnHandBefore, after.OnHand,
                    after.ReservedBefore, after.Reserved, actor.Name, rma.Number, "customer return", now));
                await signals.EmitAsync("inventory.adjusted", after, rma.ReceivedAtNodeCode!, now, ct);
                counts.Add(after);
                restocked.Add(sku);
            }
            await signals.AfterChangeAsync(counts, ct);
        }, ct);
        foreach (var sku in restocked) await allocations.FillBackordersAsync(sku, ct); // waiting orders get the returned units
        return dto;
    }

    /// <summary>Gives the money back through the order's payments (card refunds through Stripe), less any restocking fee.</summary>
    public Task<ReturnDto> RefundAsync(Guid id, RefundReturnRequest r, int? v, CancellationToken ct)
    {
        RequestValidator.ThrowIfInvalid(r);
        return ChangeAsync(id, v, async rma =>
        {
            var order = await db.OrderAsync(rma.OrderId, ct);
            var value = order.ValueWithTax(rma.Lines.Select(l => (l.OrderLineId, l.Quantity)));
            var fee = r.RestockingFee ?? new Money(value, order.Currency).ApplyRate(options.Value.RestockingFeeBasisPoints).Amount;
            if (fee > value) throw new DomainException("return.invalid_amount", $"The restocking fee is at most the returned value, {value}.", "restockingFee");
            var amount = r.Amount ?? value - fee;
            if (amount + fee > value)
                throw new DomainException("return.invalid_amount", $"Refund at most {value - fee}: the returned lines' value with tax, less the restocking fee.", "amount");
            rma.Refunded(amount, fee, clock.GetUtcNow());
            await payments.RefundAsync(order, amount, $"return {rma.Number}", ct);
        }, ct);
    }

    /// <summary>Replaces the returned goods: a new order at no charge, linked to the return, confirmed and routed like any order.</summary>
    public Task<ReturnDto> ExchangeAsync(Guid id, ExchangeReturnRequest r, int? v, CancellationToken ct)
    {
        RequestValidator.ThrowIfInvalid(r);
        return ChangeAsync(id, v, async rma =>
        {
            rma.EnsureCanBecome(ReturnStatus.Exchanged);
            var original = await db.OrderAsync(rma.OrderId, ct);
            var lines = r.Lines?.Select(l => (l.Sku, l.Quantity)).ToList()
                        ?? rma.Lines.GroupBy(l => l.Sku).Select(g => (Sku: g.Key, Quantity: g.Sum(l => l.Quantity))).ToList();
            var replacement = await orders.PlaceReplacementAsync(original, lines, rma.Id, rma.Number, ct);
            rma.Exchanged(replacement.Id, clock.GetUtcNow());
        }, ct);
    }

    private async Task<ReturnDto> ChangeAsync(Guid id, int? expectedVersion, Func<Return, Task> change, CancellationToken ct)
        => ReturnDto.From(await work.ChangeAsync(async () =>
        {
            await seen.EnsureReturnAsync(id, ct);
            var rma = await db.Returns.SingleOrDefaultAsync(x => x.Id == id, ct) ?? throw new NotFoundException("return", id);
            rma.EnsureVersion(expectedVersion);
            await change(rma);
            return rma;
        }, ct));
}
