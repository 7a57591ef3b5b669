using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Oms.Api.Platform.Auth;
using Oms.Api.Platform.Errors;
using Oms.Api.Platform.Http;
using Oms.Api.Platform.Idempotency;
using Microsoft.Extensions.Options;
using System.Text.Json;
using Oms.Domain.Access;
using Oms.Domain.Common;
using Oms.Domain.Orders;

namespace Oms.Api.Orders;

public static class OrderEndpoints
{
    public static void MapOrderEndpoints(this RouteGroupBuilder api)
    {
        var orders = api.MapGroup("/orders").WithTags("Orders");

        orders.MapGet("/", ListAsync).RequireScope(Scopes.OrdersRead).WithName("listOrders")
            .WithSummary("List orders, newest first, with filters and cursor paging").ProducesProblem(400);
        orders.MapPost("/", PlaceAsync).RequireScope(Scopes.OrdersWrite).WithName("placeOrder").WithMetadata(new IdempotentCreation(FindPlacedAsync))
            .WithSummary("Place an order (201), or get the existing one for a known channel reference (200)")
            .Produces<OrderDto>(200).ProducesProblem(400).ProducesProblem(409).ProducesProblem(422);
        orders.MapGet("/{id:guid}", GetAsync).RequireScope(Scopes.OrdersRead).WithName("getOrder")
            .WithSummary("Get an order").ProducesProblem(404);
        orders.MapGet("/by-number/{number}", GetByNumberAsync).RequireScope(Scopes.OrdersRead).WithName("getOrderByNumber")
            .WithSummary("Get an order by its number, e.g. OMS-100001").ProducesProblem(404);
        orders.MapGet("/{id:guid}/timeline", TimelineAsync).RequireScope(Scopes.OrdersRead).WithName("getOrderTimeline")
            .WithSummary("Every status change and edit of an order, oldest first").ProducesProblem(404);
        orders.MapPatch("/{id:guid}", EditAsync).RequireScope(Scopes.OrdersWrite).WithName("updateOrder")
            .WithSummary("Edit lines, addresses, notes or metadata while nothing has shipped; who sold it at any time").WithStateChangeProblems();

        orders.MapPost("/{id:guid}/confirm", (Guid id, OrderService s, HttpContext http, CancellationToken ct) =>
                Respond(http, s.ConfirmAsync(new OrderId(id), Preconditions.ExpectedVersion(http.Request), ct)))
            .RequireScope(Scopes.OrdersWrite).WithName("confirmOrder").WithSummary("Confirm a pending order").WithStateChangeProblems();
        orders.MapPost("/{id:guid}/hold", (Guid id, OrderReasonRequest r, OrderService s, HttpContext http, CancellationToken ct) =>
                Respond(http, s.HoldAsync(new OrderId(id), r.Reason, Preconditions.ExpectedVersion(http.Request), ct)))
            .RequireScope(Scopes.OrdersWrite).WithName("holdOrder").WithSummary("Put an order on hold").WithStateChangeProblems();
        orders.MapPost("/{id:guid}/release", (Guid id, [FromBody(EmptyBodyBehavior = Microsoft.AspNetCore.Mvc.ModelBinding.EmptyBodyBehavior.Allow)] ReleaseOrderRequest? r,
                    OrderService s, HttpContext http, CancellationToken ct) =>
                Respond(http, s.ReleaseAsync(new OrderId(id), r?.Reason, Preconditions.ExpectedVersion(http.Request), ct)))
            .RequireScope(Scopes.OrdersWrite).WithName("releaseOrder").WithSummary("Release a held order to the status it was held in").WithStateChangeProblems();
        orders.MapPost("/{id:guid}/cancel", (Guid id, OrderReasonRequest r, OrderService s, HttpContext http, CancellationToken ct) =>
                Respond(http, s.CancelAsync(new OrderId(id), r.Reason, Preconditions.ExpectedVersion(http.Request), ct)))
            .RequireScope(Scopes.OrdersWrite).WithName("cancelOrder").WithSummary("Cancel an order that has not shipped").WithStateChangeProblems();
        orders.MapPost("/{id:guid}/deliver", (Guid id, OrderService s, HttpContext http, CancellationToken ct) =>
                Respond(http, s.DeliverAsync(new OrderId(id), Preconditions.ExpectedVersion(http.Request), ct)))
            .RequireScope(Scopes.OrdersWrite).WithName("deliverOrder").WithSummary("Record that a shipped order arrived; cash on delivery counts as collected").WithStateChangeProblems();
        orders.MapPost("/{id:guid}/complete", (Guid id, OrderService s, HttpContext http, CancellationToken ct) =>
                Respond(http, s.CompleteAsync(new OrderId(id), Preconditions.ExpectedVersion(http.Request), ct)))
            .RequireScope(Scopes.OrdersWrite).WithName("completeOrder").WithSummary("Close a delivered order").WithStateChangeProblems();
    }

    private static async Task<Ok<OrderDto>> Respond(HttpContext http, Task<OrderDto> work)
    {
        var order = await work;
        Preconditions.SetETag(http.Response, order.Version);
        return TypedResults.Ok(order);
    }

    /// <param name="status">pending, confirmed, on_hold, allocated, partially_shipped, shipped, delivered, ready_for_pickup, picked_up, completed or cancelled.</param>
    /// <param name="channel">web, marketplace, pos, mobile, phone or api.</param>
    /// <param name="customerEmail">The orders of the customer with this e-mail address, case-insensitive.</param>
    /// <param name="customerId">The orders of this customer record.</param>
    /// <param name="sku">Orders with at least one line of this SKU.</param>
    /// <param name="createdFrom">Created at or after this instant (RFC 3339).</param>
    /// <param name="createdTo">Created before this instant (RFC 3339).</param>
    /// <param name="limit">1-250, default 50.</param>
    /// <param name="cursor">The next cursor of the previous page.</param>
    private static async Task<Ok<Page<OrderDto>>> ListAsync(
        OrderQueries queries, CancellationToken ct,
        string? status = null, string? channel = null, string? customerEmail = null, Guid? customerId = null, string? sku = null,
        DateTimeOffset? createdFrom = null, DateTimeOffset? createdTo = null, int? limit = null, string? cursor = null)
    {
        var filter = new OrderFilter
        {
            Status = WireEnum.Parse<OrderStatus>(status, "status"),
            Channel = WireEnum.Parse<OrderChannel>(channel, "channel"),
            CustomerEmail = customerEmail,
            CustomerId = customerId,
            Sku = sku,
            CreatedFrom = createdFrom,
            CreatedTo = createdTo,
        };
        return TypedResults.Ok(await queries.ListAsync(filter, PageRequest.Rest(limit, cursor), ct));
    }

    private static async Task<Results<JsonText, Created<OrderDto>, Ok<OrderDto>>> PlaceAsync(PlaceOrderRequest request, OrderService service, HttpContext http, CancellationToken ct)
    {
        var response = http.Response;
        var (order, created, json) = await service.PlaceAsync(request, ct, IdempotencyMiddleware.ReservedId(http));
        Preconditions.SetETag(response, order.Version);
        // The order as its events carry it is the answer too, unless this caller sees personal data masked.
        if (created && json is not null && !PersonalDataMask.Masked) return new JsonText(StatusCodes.Status201Created, json, $"/api/v1/orders/{order.Id}");
        return created ? TypedResults.Created($"/api/v1/orders/{order.Id}", order) : TypedResults.Ok(order);
    }

    /// <summary>The order an Idempotency-Key's request placed, as its 201 answers it, or null when it was not placed.</summary>
    private static async Task<StoredResponse?> FindPlacedAsync(IServiceProvider services, Guid id, CancellationToken ct)
    {
        OrderDto order;
        try
        {
            order = await services.GetRequiredService<OrderQueries>().GetAsync(new OrderId(id), ct);
        }
        catch (NotFoundException)
        {
            return null;
        }
        var json = JsonSerializer.SerializeToUtf8Bytes(order, services.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions);
        return new StoredResponse(StatusCodes.Status201Created, "application/json; charset=utf-8", json, $"/api/v1/orders/{id}", Preconditions.ETagFor(order.Version));
    }

    private static async Task<Ok<OrderDto>> GetAsync(Guid id, OrderQueries queries, HttpResponse response, CancellationToken ct)
    {
        var order = await queries.GetAsync(new OrderId(id), ct);
        Preconditions.SetETag(response, order.Version);
        return TypedResults.Ok(order);
    }

    private static async Task<Ok<OrderDto>> GetByNumberAsync(string number, OrderQueries queries, HttpResponse response, CancellationToken ct)
    {
        var order = await queries.GetByNumberAsync(number, ct);
        Preconditions.SetETag(response, order.Version);
        return TypedResults.Ok(order);
    }

    private static async Task<Ok<IReadOnlyList<TimelineEntryDto>>> TimelineAsync(Guid id, OrderQueries queries, CancellationToken ct) =>
        TypedResults.Ok(await queries.TimelineAsync(new OrderId(id), ct));

    private static Task<Ok<OrderDto>> EditAsync(Guid id, UpdateOrderRequest request, OrderService service, HttpContext http, CancellationToken ct) =>
        Respond(http, service.EditAsync(new OrderId(id), request, Preconditions.ExpectedVersion(http.Request), ct));
}
