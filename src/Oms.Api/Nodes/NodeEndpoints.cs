using Microsoft.AspNetCore.Http.HttpResults;
using Oms.Api.Platform.Auth;
using Oms.Api.Platform.Errors;
using Oms.Api.Platform.Http;
using Oms.Domain.Access;
using Oms.Domain.Inventory;

namespace Oms.Api.Nodes;

public static class NodeEndpoints
{
    public static void MapNodeEndpoints(this RouteGroupBuilder api)
    {
        var nodes = api.MapGroup("/fulfilment-nodes").WithTags("Fulfilment nodes");

        nodes.MapGet("/", async Task<Ok<Page<NodeDto>>> (NodeQueries q, CancellationToken ct, bool? active = null, string? kind = null, int? limit = null, string? cursor = null) =>
                TypedResults.Ok(await q.ListAsync(active, WireEnum.Parse<NodeKind>(kind, "kind"), PageRequest.Rest(limit, cursor), ct)))
            .RequireScope(Scopes.InventoryRead).WithName("listFulfilmentNodes").WithSummary("List fulfilment nodes by code").ProducesProblem(400);
        nodes.MapGet("/{code}", async (string code, NodeQueries q, HttpResponse response, CancellationToken ct) =>
            {
                var node = await q.GetAsync(code, ct);
                Preconditions.SetETag(response, node.Version);
                return TypedResults.Ok(node);
            })
            .RequireScope(Scopes.InventoryRead).WithName("getFulfilmentNode").WithSummary("Get a fulfilment node").ProducesProblem(404);
        nodes.MapPost("/", async Task<Created<NodeDto>> (CreateNodeRequest r, NodeService s, CancellationToken ct) =>
            {
                var node = await s.CreateAsync(r, ct);
                return TypedResults.Created($"/api/v1/fulfilment-nodes/{node.Code}", node);
            })
            .RequireScope(Scopes.InventoryWrite).WithName("createFulfilmentNode").WithSummary("Create a fulfilment node").ProducesProblem(400).ProducesProblem(409).ProducesProblem(422);
        nodes.MapPatch("/{code}", async (string code, UpdateNodeRequest r, NodeService s, HttpContext http, CancellationToken ct) =>
            {
                var node = await s.UpdateAsync(code, r, Preconditions.ExpectedVersion(http.Request), ct);
                Preconditions.SetETag(http.Response, node.Version);
                return TypedResults.Ok(node);
            })
            .RequireScope(Scopes.InventoryWrite).WithName("updateFulfilmentNode").WithSummary("Change a fulfilment node; fields left out stay as they are")
            .ProducesProblem(400).ProducesProblem(404).ProducesProblem(412).ProducesProblem(422);
    }
}
