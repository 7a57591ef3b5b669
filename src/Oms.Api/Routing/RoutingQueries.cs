using Oms.Api.Platform.Auth;
using Oms.Api.Platform.Http;
using Microsoft.EntityFrameworkCore;
using Oms.Domain.Common;
using Oms.Domain.Orders;
using Oms.Domain.Routing;
using Oms.Infrastructure.Persistence;

namespace Oms.Api.Routing;

public sealed class RoutingQueries(OmsDbContext db, Visibility seen)
{
    public async Task<OrderRoutingDto> ForOrderAsync(OrderId orderId, CancellationToken ct)
    {
        if (!await seen.Orders.AnyAsync(o => o.Id == orderId, ct)) throw new NotFoundException("order", orderId.Value);
        var decisions = await seen.Of(db.RoutingDecisions.AsNoTracking()).Where(d => d.OrderId == orderId).OrderBy(d => d.At).ToListAsync(ct);
        var allocations = await seen.Allocations.Where(a => a.OrderId == orderId).OrderBy(a => a.CreatedAt).ToListAsync(ct);
        var backorders = await seen.Of(db.Backorders.AsNoTracking()).Where(b => b.OrderId == orderId).OrderBy(b => b.CreatedAt).ToListAsync(ct);
        return new OrderRoutingDto
        {
            OrderId = orderId.Value,
            Decisions = decisions.Select(Decision).ToList(),
            Allocations = allocations.Select(AllocationDto.From).ToList(),
            Backorders = backorders.Select(BackorderDto.From).ToList(),
        };
    }

    public async Task<AllocationDto> AllocationAsync(Guid id, CancellationToken ct) =>
        AllocationDto.From(await seen.Allocations.SingleOrDefaultAsync(a => a.Id == id, ct) ?? throw new NotFoundException("allocation", id));

    /// <summary>A node's allocations, newest first (its work queue when status is reserved).</summary>
    public async Task<Page<AllocationDto>> AllocationsAsync(string? nodeCode, AllocationStatus? status, PageRequest page, CancellationToken ct)
    {
        var q = seen.Allocations;
        if (nodeCode is { Length: > 0 }) q = q.Where(a => a.NodeCode == nodeCode.ToUpperInvariant());
        if (status is { } s) q = q.Where(a => a.Status == s);
        if (page.AfterId is { } after) q = q.Where(a => a.Id.CompareTo(after) < 0);
        return page.Page(await q.OrderByDescending(a => a.Id).Take(page.Take + 1).ToListAsync(ct), AllocationDto.From, CursorOf);
    }

    public static string CursorOf(AllocationDto allocation) => Cursor.Of(allocation.Id);

    public static RoutingDecisionDto Decision(RoutingDecision d) => new()
    {
        Id = d.Id, At = d.At, Trigger = d.Trigger, Outcome = d.Outcome,
        Candidates = d.Candidates.Select(CandidateDto.From).ToList(),
        Short = d.Short.Select(s => new PlannedLineDto { OrderLineId = s.LineId, Sku = s.Sku, Quantity = s.Quantity }).ToList(),
    };

    public static RoutingSimulationDto Simulation(RoutingPlan plan) => new()
    {
        Outcome = plan.Outcome,
        Allocations = plan.Allocations.Select(a => new PlannedAllocationDto
        {
            NodeCode = a.NodeCode, Lines = a.Lines.Select(l => new PlannedLineDto { OrderLineId = null, Sku = l.Sku, Quantity = l.Quantity }).ToList(),
        }).ToList(),
        Short = plan.Short.Select(s => new PlannedLineDto { OrderLineId = null, Sku = s.Sku, Quantity = s.Quantity }).ToList(),
        Candidates = plan.Candidates.Select(CandidateDto.From).ToList(),
    };
}
