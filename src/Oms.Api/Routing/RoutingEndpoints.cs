using Oms.Api.Platform.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Oms.Api.Platform.Auth;
using Oms.Api.Platform.Errors;
using Oms.Domain.Access;
using Oms.Domain.Orders;
using Oms.Domain.Routing;

namespace Oms.Api.Routing;

public static class RoutingEndpoints
{
    public static void MapRoutingEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/orders/{id:guid}/routing", async (Guid id, RoutingQueries q, CancellationToken ct) => TypedResults.Ok(await q.ForOrderAsync(new OrderId(id), ct)))
            .WithTags("Routing").RequireScope(Scopes.RoutingRead).WithName("getOrderRouting")
            .WithSummary("Why each line went to its node: every decision with the candidates and their scores, allocations and backorders").ProducesProblem(404);
        api.MapPost("/routing/simulate", async (SimulateRoutingRequest r, RoutingService s, CancellationToken ct) =>
                TypedResults.Ok(RoutingQueries.Simulation(await s.SimulateAsync(r, ct))))
            .WithTags("Routing").RequireScope(Scopes.RoutingRead).WithName("simulateRouting")
            .WithSummary("Route a hypothetical order now; nothing is reserved").ProducesProblem(400).ProducesProblem(422);

        var allocations = api.MapGroup("/allocations").WithTags("Routing");
        allocations.MapGet("/", async Task<Ok<Page<AllocationDto>>> (RoutingQueries q, CancellationToken ct,
                    string? nodeCode = null, string? status = null, int? limit = null, string? cursor = null) =>
                TypedResults.Ok(await q.AllocationsAsync(nodeCode, WireEnum.Parse<AllocationStatus>(status, "status"), PageRequest.Rest(limit, cursor), ct)))
            .RequireScope(Scopes.RoutingRead).WithName("listAllocations").WithSummary("Allocations, newest first, by node and status").ProducesProblem(400);
        allocations.MapGet("/{id:guid}", async (Guid id, RoutingQueries q, CancellationToken ct) => TypedResults.Ok(await q.AllocationAsync(id, ct)))
            .RequireScope(Scopes.RoutingRead).WithName("getAllocation").WithSummary("Get an allocation").ProducesProblem(404);
        allocations.MapPost("/{id:guid}/reject", async (Guid id, RejectAllocationRequest r, RoutingService s, CancellationToken ct) =>
                TypedResults.Ok(await s.RejectAsync(id, r, ct)))
            .RequireScope(Scopes.InventoryWrite).WithName("rejectAllocation")
            .WithSummary("A node refuses its allocation: the lines are routed to other nodes, never back to it").ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);
    }
}
