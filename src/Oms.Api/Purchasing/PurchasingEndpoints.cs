using Microsoft.AspNetCore.Http.HttpResults;
using Oms.Api.Platform.Auth;
using Oms.Api.Platform.Errors;
using Oms.Api.Platform.Http;
using Oms.Domain.Access;
using Oms.Domain.Inventory;

namespace Oms.Api.Purchasing;

public static class PurchasingEndpoints
{
    public static void MapPurchasingEndpoints(this RouteGroupBuilder api)
    {
        var suppliers = api.MapGroup("/suppliers").WithTags("Purchasing");
        suppliers.MapGet("/", async Task<Ok<Page<SupplierDto>>> (PurchasingQueries q, CancellationToken ct, int? limit = null, string? cursor = null) =>
                TypedResults.Ok(await q.SuppliersAsync(PageRequest.Rest(limit, cursor), ct)))
            .RequireScope(Scopes.InventoryRead).WithName("listSuppliers").WithSummary("List suppliers by code").ProducesProblem(400);
        suppliers.MapGet("/{code}", async (string code, PurchasingQueries q, CancellationToken ct) => TypedResults.Ok(await q.SupplierAsync(code, ct)))
            .RequireScope(Scopes.InventoryRead).WithName("getSupplier").WithSummary("Get a supplier").ProducesProblem(404);
        suppliers.MapPost("/", async Task<Created<SupplierDto>> (CreateSupplierRequest r, PurchasingService s, CancellationToken ct) =>
            {
                var supplier = await s.CreateSupplierAsync(r, ct);
                return TypedResults.Created($"/api/v1/suppliers/{supplier.Code}", supplier);
            })
            .RequireScope(Scopes.InventoryWrite).WithName("createSupplier").WithSummary("Create a supplier").ProducesProblem(400).ProducesProblem(409).ProducesProblem(422);

        var orders = api.MapGroup("/purchase-orders").WithTags("Purchasing");
        orders.MapGet("/", async Task<Ok<Page<PurchaseOrderDto>>> (PurchasingQueries q, CancellationToken ct, string? status = null, string? supplierCode = null,
                    string? nodeCode = null, string? sku = null, int? limit = null, string? cursor = null) =>
                TypedResults.Ok(await q.ListAsync(WireEnum.Parse<PurchaseOrderStatus>(status, "status"), supplierCode, nodeCode, sku, PageRequest.Rest(limit, cursor), ct)))
            .RequireScope(Scopes.InventoryRead).WithName("listPurchaseOrders").WithSummary("List purchase orders, newest first").ProducesProblem(400);
        orders.MapGet("/{id:guid}", async (Guid id, PurchasingQueries q, HttpResponse response, CancellationToken ct) => Respond(response, await q.GetAsync(id, ct)))
            .RequireScope(Scopes.InventoryRead).WithName("getPurchaseOrder").WithSummary("Get a purchase order").ProducesProblem(404);
        orders.MapPost("/", async Task<Created<PurchaseOrderDto>> (CreatePurchaseOrderRequest r, PurchasingService s, CancellationToken ct) =>
            {
                var po = await s.CreateAsync(r, ct);
                return TypedResults.Created($"/api/v1/purchase-orders/{po.Id}", po);
            })
            .RequireScope(Scopes.InventoryWrite).WithName("createPurchaseOrder").WithSummary("Write a draft purchase order").ProducesProblem(400).ProducesProblem(422);
        orders.MapPost("/{id:guid}/submit", async (Guid id, PurchasingService s, HttpContext http, CancellationToken ct) =>
                Respond(http.Response, await s.SubmitAsync(id, Preconditions.ExpectedVersion(http.Request), ct)))
            .RequireScope(Scopes.InventoryWrite).WithName("submitPurchaseOrder").WithSummary("Send a draft to the supplier").ProducesProblem(404).ProducesProblem(409).ProducesProblem(412);
        orders.MapPost("/{id:guid}/cancel", async (Guid id, PurchasingService s, HttpContext http, CancellationToken ct) =>
                Respond(http.Response, await s.CancelAsync(id, Preconditions.ExpectedVersion(http.Request), ct)))
            .RequireScope(Scopes.InventoryWrite).WithName("cancelPurchaseOrder").WithSummary("Cancel a purchase order nothing was received for").ProducesProblem(404).ProducesProblem(409).ProducesProblem(412);
        orders.MapPost("/{id:guid}/receive", async (Guid id, ReceivePurchaseOrderRequest r, PurchasingService s, HttpContext http, CancellationToken ct) =>
                Respond(http.Response, await s.ReceiveAsync(id, r, Preconditions.ExpectedVersion(http.Request), ct)))
            .RequireScope(Scopes.InventoryWrite).WithName("receivePurchaseOrder")
            .WithSummary("Book goods in: stock rises at the node and waiting backorders are allocated").ProducesProblem(400).ProducesProblem(404).ProducesProblem(409).ProducesProblem(412).ProducesProblem(422);
    }

    private static Ok<PurchaseOrderDto> Respond(HttpResponse response, PurchaseOrderDto po)
    {
        Preconditions.SetETag(response, po.Version);
        return TypedResults.Ok(po);
    }
}
