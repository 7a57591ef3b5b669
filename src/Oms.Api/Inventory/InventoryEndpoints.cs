using Microsoft.AspNetCore.Http.HttpResults;
using Oms.Api.Platform.Auth;
using Oms.Api.Platform.Http;
using Oms.Domain.Access;

namespace Oms.Api.Inventory;

public static class InventoryEndpoints
{
    public static void MapInventoryEndpoints(this RouteGroupBuilder api)
    {
        var inventory = api.MapGroup("/inventory").WithTags("Inventory");

        inventory.MapGet("/", async Task<Ok<Page<SkuInventoryDto>>> (InventoryQueries q, CancellationToken ct,
                    string? nodeCode = null, bool? belowReorderPoint = null, bool? outOfStock = null, string? sku = null, int? limit = null, string? cursor = null) =>
                TypedResults.Ok(await q.ListAsync(new InventoryFilter(nodeCode, belowReorderPoint, outOfStock, sku), PageRequest.Rest(limit, cursor), ct)))
            .RequireScope(Scopes.InventoryRead).WithName("listInventory")
            .WithSummary("Stock by SKU with each node's levels; filter by node, below reorder point, out of stock").ProducesProblem(400);
        inventory.MapGet("/{sku}", async (string sku, InventoryQueries q, CancellationToken ct) => TypedResults.Ok(await q.GetAsync(sku, ct)))
            .RequireScope(Scopes.InventoryRead).WithName("getInventory").WithSummary("A SKU at every node and its total available to promise").ProducesProblem(404);
        inventory.MapGet("/{sku}/ledger", async (string sku, InventoryQueries q, CancellationToken ct, string? nodeCode = null, int? limit = null, string? cursor = null) =>
                TypedResults.Ok(await q.LedgerAsync(sku, nodeCode, PageRequest.Rest(limit, cursor), ct)))
            .RequireScope(Scopes.InventoryRead).WithName("getInventoryLedger").WithSummary("Every stock change of a SKU, newest first").ProducesProblem(400);
        inventory.MapPut("/{sku}/nodes/{nodeCode}", async (string sku, string nodeCode, StockSettingsRequest r, InventoryService s, CancellationToken ct) =>
                TypedResults.Ok(await s.ConfigureAsync(sku, nodeCode, r, ct)))
            .RequireScope(Scopes.InventoryWrite).WithName("configureStock")
            .WithSummary("Set safety stock, reorder point, reorder quantity and supplier of a SKU at a node").ProducesProblem(400).ProducesProblem(422);
        inventory.MapPost("/adjustments", async (AdjustmentRequest r, InventoryService s, CancellationToken ct) => TypedResults.Ok(await s.AdjustAsync(r, ct)))
            .RequireScope(Scopes.InventoryWrite).WithName("adjustInventory")
            .WithSummary("Add or remove units, or set an absolute count against the expected one").ProducesProblem(400).ProducesProblem(409).ProducesProblem(422);
        inventory.MapPost("/transfers", async (TransferRequest r, InventoryService s, CancellationToken ct) => TypedResults.Ok(await s.TransferAsync(r, ct)))
            .RequireScope(Scopes.InventoryWrite).WithName("transferInventory")
            .WithSummary("Move available units from one node to another").ProducesProblem(400).ProducesProblem(409).ProducesProblem(422);
    }
}
