using Microsoft.AspNetCore.Http.HttpResults;
using Oms.Api.Platform.Auth;
using Oms.Api.Platform.Errors;
using Oms.Api.Platform.Http;
using Oms.Domain.Access;
using Oms.Domain.Orders;
using Oms.Domain.Returns;

namespace Oms.Api.Returns;

public static class ReturnEndpoints
{
    public static void MapReturnEndpoints(this RouteGroupBuilder api)
    {
        api.MapPost("/orders/{id:guid}/returns", async Task<Created<ReturnDto>> (Guid id, CreateReturnRequest r, ReturnService s, CancellationToken ct) =>
            {
                var rma = await s.RequestAsync(new OrderId(id), r, ct);
                return TypedResults.Created($"/api/v1/returns/{rma.Id}", rma);
            })
            .WithTags("Returns").RequireScope(Scopes.ReturnsWrite).WithName("requestReturn")
            .WithSummary("Request a return of delivered lines, with reasons, inside the return window").ProducesProblem(400).ProducesProblem(404).ProducesProblem(409).ProducesProblem(422);
        api.MapGet("/orders/{id:guid}/returns", async (Guid id, ReturnQueries q, CancellationToken ct) => TypedResults.Ok(await q.ForOrderAsync(new OrderId(id), ct)))
            .WithTags("Returns").RequireScope(Scopes.ReturnsRead).WithName("listOrderReturns").WithSummary("The order's returns").ProducesProblem(404);
        api.MapGet("/reports/returns", async (ReturnQueries q, CancellationToken ct, DateTimeOffset? from = null, DateTimeOffset? to = null, string? sku = null) =>
                TypedResults.Ok(await q.StatsAsync(from, to, sku, ct)))
            .WithTags("Returns").RequireScope(Scopes.ReturnsRead).WithName("getReturnStats")
            .WithSummary("Returned units per SKU and reason in a period (default: the last 30 days)").ProducesProblem(400);

        var returns = api.MapGroup("/returns").WithTags("Returns");
        returns.MapGet("/", async Task<Ok<Page<ReturnDto>>> (ReturnQueries q, CancellationToken ct, string? status = null, int? limit = null, string? cursor = null) =>
                TypedResults.Ok(await q.ListAsync(WireEnum.Parse<ReturnStatus>(status, "status"), PageRequest.Rest(limit, cursor), ct)))
            .RequireScope(Scopes.ReturnsRead).WithName("listReturns").WithSummary("Returns by status, newest first").ProducesProblem(400);
        returns.MapGet("/{id:guid}", async (Guid id, ReturnQueries q, HttpResponse response, CancellationToken ct) =>
            {
                var rma = await q.GetAsync(id, ct);
                Preconditions.SetETag(response, rma.Version);
                return TypedResults.Ok(rma);
            })
            .RequireScope(Scopes.ReturnsRead).WithName("getReturn").WithSummary("Get a return").ProducesProblem(404);
        returns.MapPost("/{id:guid}/approve", (Guid id, ReturnService s, HttpContext http, CancellationToken ct) =>
                Respond(http, s.ApproveAsync(id, Preconditions.ExpectedVersion(http.Request), ct)))
            .RequireScope(Scopes.ReturnsWrite).WithName("approveReturn").WithSummary("Accept the return: the customer may send the goods").WithStateChangeProblems();
        returns.MapPost("/{id:guid}/reject", (Guid id, RejectReturnRequest r, ReturnService s, HttpContext http, CancellationToken ct) =>
                Respond(http, s.RejectAsync(id, r, Preconditions.ExpectedVersion(http.Request), ct)))
            .RequireScope(Scopes.ReturnsWrite).WithName("rejectReturn").WithSummary("Refuse the return, with a reason").WithStateChangeProblems();
        returns.MapPost("/{id:guid}/in-transit", (Guid id, ReturnInTransitRequest? r, ReturnService s, HttpContext http, CancellationToken ct) =>
                Respond(http, s.MarkInTransitAsync(id, r ?? new(), Preconditions.ExpectedVersion(http.Request), ct)))
            .RequireScope(Scopes.ReturnsWrite).WithName("markReturnInTransit").WithSummary("The parcel is on its way back (tracking optional)").WithStateChangeProblems();
        returns.MapPost("/{id:guid}/receive", (Guid id, ReceiveReturnRequest r, ReturnService s, HttpContext http, CancellationToken ct) =>
                Respond(http, s.ReceiveAsync(id, r, Preconditions.ExpectedVersion(http.Request), ct)))
            .RequireScope(Scopes.ReturnsWrite).WithName("receiveReturn").WithSummary("The parcel arrived at a node").WithStateChangeProblems();
        returns.MapPost("/{id:guid}/inspect", (Guid id, InspectReturnRequest r, ReturnService s, HttpContext http, CancellationToken ct) =>
                Respond(http, s.InspectAsync(id, r, Preconditions.ExpectedVersion(http.Request), ct)))
            .RequireScope(Scopes.ReturnsWrite).WithName("inspectReturn")
            .WithSummary("A disposition per line: restock (back into the receiving node's stock), write off or refurbish").WithStateChangeProblems();
        returns.MapPost("/{id:guid}/refund", (Guid id, RefundReturnRequest? r, ReturnService s, HttpContext http, CancellationToken ct) =>
                Respond(http, s.RefundAsync(id, r ?? new(), Preconditions.ExpectedVersion(http.Request), ct)))
            .RequireScope(Scopes.ReturnsWrite).WithName("refundReturn")
            .WithSummary("Refund the returned lines through the order's payments, less an optional restocking fee").WithStateChangeProblems().ProducesProblem(502);
        returns.MapPost("/{id:guid}/exchange", (Guid id, ExchangeReturnRequest? r, ReturnService s, HttpContext http, CancellationToken ct) =>
                Respond(http, s.ExchangeAsync(id, r ?? new(), Preconditions.ExpectedVersion(http.Request), ct)))
            .RequireScope(Scopes.ReturnsWrite).WithName("exchangeReturn")
            .WithSummary("Send replacements instead: a linked order at no charge, confirmed and routed").WithStateChangeProblems();
    }

    private static async Task<Ok<ReturnDto>> Respond(HttpContext http, Task<ReturnDto> work)
    {
        var rma = await work;
        Preconditions.SetETag(http.Response, rma.Version);
        return TypedResults.Ok(rma);
    }
}
