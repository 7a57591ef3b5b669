using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;
using Oms.Api.Platform.Auth;
using Oms.Api.Platform.Errors;
using Oms.Api.Platform.Http;
using Oms.Domain.Access;
using Oms.Domain.Fulfilment;

namespace Oms.Api.Fulfilment;

public static class FulfilmentEndpoints
{
    public static void MapFulfilmentEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/fulfilment-nodes/{code}/pick-list", async (string code, FulfilmentQueries q, CancellationToken ct) => TypedResults.Ok(await q.PickListAsync(code, ct)))
            .WithTags("Fulfilment").RequireScope(Scopes.FulfilmentRead).WithName("getPickList")
            .WithSummary("What the node must pick: open work grouped by SKU, expedited orders first, then oldest").ProducesProblem(404);

        var fulfilment = api.MapGroup("/fulfilment-orders").WithTags("Fulfilment");
        fulfilment.MapGet("/", async Task<Ok<Page<FulfilmentOrderDto>>> (FulfilmentQueries q, CancellationToken ct,
                    Guid? orderId = null, string? nodeCode = null, string? status = null, int? limit = null, string? cursor = null) =>
                TypedResults.Ok(await q.ListAsync(orderId, nodeCode, WireEnum.Parse<FulfilmentStatus>(status, "status"), PageRequest.Rest(limit, cursor), ct)))
            .RequireScope(Scopes.FulfilmentRead).WithName("listFulfilmentOrders").WithSummary("Fulfilment orders by order, node and status, newest first").ProducesProblem(400);
        fulfilment.MapGet("/{id:guid}", async (Guid id, FulfilmentQueries q, HttpResponse response, CancellationToken ct) =>
            {
                var f = await q.GetAsync(id, ct);
                Preconditions.SetETag(response, f.Version);
                return TypedResults.Ok(f);
            })
            .RequireScope(Scopes.FulfilmentRead).WithName("getFulfilmentOrder").WithSummary("Get a fulfilment order").ProducesProblem(404);
        fulfilment.MapGet("/{id:guid}/packing-slip", async (Guid id, FulfilmentQueries q, CancellationToken ct) =>
                TypedResults.Content(await q.PackingSlipAsync(id, ct), "text/html; charset=utf-8"))
            .RequireScope(Scopes.FulfilmentRead).WithName("getPackingSlip").WithSummary("The packing slip, as printable HTML")
            .Produces<string>(200, "text/html").ProducesProblem(404);
        Change(fulfilment, "/{id:guid}/start-picking", "startPicking", "A picker started on it",
            (s, id, v, _, ct) => s.StartPickingAsync(id, v, ct));
        fulfilment.MapPost("/{id:guid}/picks", async (Guid id, RecordPicksRequest r, FulfilmentService s, HttpContext http, CancellationToken ct) =>
                Ok(http, await s.RecordPicksAsync(id, r, Preconditions.ExpectedVersion(http.Request), ct)))
            .RequireScope(Scopes.FulfilmentWrite).WithName("recordPicks")
            .WithSummary("What the picker found; a short pick re-routes the missing units to other nodes").WithStateChangeProblems().ProducesProblem(400).ProducesProblem(422);
        fulfilment.MapPost("/{id:guid}/pack", async (Guid id, PackRequest r, FulfilmentService s, HttpContext http, CancellationToken ct) =>
                Ok(http, await s.PackAsync(id, r, Preconditions.ExpectedVersion(http.Request), ct)))
            .RequireScope(Scopes.FulfilmentWrite).WithName("packFulfilmentOrder")
            .WithSummary("Packages with weight and size; dimensional and billable weight are computed").WithStateChangeProblems().ProducesProblem(400).ProducesProblem(422);
        fulfilment.MapPost("/{id:guid}/ship", async (Guid id, ShipFulfilmentRequest r, FulfilmentService s, HttpContext http, CancellationToken ct) =>
            {
                var shipment = await s.ShipAsync(id, r, Preconditions.ExpectedVersion(http.Request), ct);
                return TypedResults.Created($"/api/v1/shipments/{shipment.Id}", shipment);
            })
            .RequireScope(Scopes.FulfilmentWrite).WithName("shipFulfilmentOrder")
            .WithSummary("Hand the parcels to a carrier: a shipment with tracking; stock is consumed, the order (partially) ships, card payments capture the shipped value")
            .WithStateChangeProblems().ProducesProblem(400).ProducesProblem(422).ProducesProblem(502);
        Change(fulfilment, "/{id:guid}/ready-for-pickup", "markReadyForPickup", "A pickup order waits at the counter",
            (s, id, v, _, ct) => s.ReadyForPickupAsync(id, v, ct));
        Change(fulfilment, "/{id:guid}/picked-up", "markPickedUp", "The customer collected: stock is consumed and payments captured or collected",
            (s, id, v, _, ct) => s.PickedUpAsync(id, v, ct));
        fulfilment.MapPost("/{id:guid}/reject", async (Guid id, RejectFulfilmentRequest r, FulfilmentService s, CancellationToken ct) => TypedResults.Ok(await s.RejectAsync(id, r, ct)))
            .RequireScope(Scopes.FulfilmentWrite).WithName("rejectFulfilmentOrder")
            .WithSummary("The node cannot fulfil it (before packing): the lines are routed to other nodes").ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);

        var shipments = api.MapGroup("/shipments").WithTags("Shipments");
        shipments.MapGet("/{id:guid}", async (Guid id, FulfilmentQueries q, CancellationToken ct) => TypedResults.Ok(await q.ShipmentAsync(id, ct)))
            .RequireScope(Scopes.FulfilmentRead).WithName("getShipment").WithSummary("A shipment with its tracking history").ProducesProblem(404);
        api.MapGet("/orders/{id:guid}/shipments", async (Guid id, FulfilmentQueries q, CancellationToken ct) => TypedResults.Ok(await q.ShipmentsAsync(id, ct)))
            .WithTags("Shipments").RequireScope(Scopes.FulfilmentRead).WithName("listOrderShipments").WithSummary("The order's shipments, oldest first").ProducesProblem(404);
        shipments.MapPost("/{id:guid}/tracking-events", async (Guid id, TrackingEventRequest r, FulfilmentService s, CancellationToken ct) =>
                TypedResults.Ok(await s.AddTrackingEventAsync(id, r, ct)))
            .RequireScope(Scopes.FulfilmentWrite).WithName("addTrackingEvent")
            .WithSummary("Record a carrier event; a duplicate changes nothing and an older event does not move the status back")
            .ProducesProblem(400).ProducesProblem(404).ProducesProblem(409).ProducesProblem(422);

        // Carriers call this; the HMAC signature made with their shared secret, not an API key, proves who is calling.
        api.MapPost("/carriers/{carrier}/tracking-webhook", async (string carrier, HttpRequest request, FulfilmentService s,
                IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json, CancellationToken ct) =>
            {
                using var reader = new StreamReader(request.Body);
                var body = await reader.ReadToEndAsync(ct);
                return TypedResults.Ok(await s.HandleCarrierWebhookAsync(carrier, body, request.Headers["Carrier-Signature"].ToString(), json.Value.SerializerOptions, ct));
            })
            .Public().WithTags("Shipments").WithName("receiveCarrierTracking")
            .WithSummary("Carrier tracking webhook, signed with 'Carrier-Signature: t=<unix>,v1=<hex HMAC-SHA256(secret, t + \".\" + body)>'")
            .Accepts<CarrierWebhookRequest>("application/json").ProducesProblem(400).ProducesProblem(422);

        // Shoppers call this from a tracking page: no key, an e-mail that must match, and a rate limit.
        api.MapGet("/tracking/{orderNumber}", async (string orderNumber, string? email, FulfilmentQueries q, TrackingLimiter limiter, HttpContext http, CancellationToken ct) =>
            {
                limiter.Admit(http, orderNumber);
                return TypedResults.Ok(await q.CustomerTrackingAsync(orderNumber, email, ct));
            })
            .Public().WithTags("Tracking").WithName("trackOrder")
            .WithSummary("Public order tracking for shoppers: the status steps and parcels of the order with this number and e-mail (404 when either is wrong)")
            .Produces<CustomerTrackingDto>().ProducesProblem(404).ProducesProblem(429);
    }

    private static Ok<FulfilmentOrderDto> Ok(HttpContext http, FulfilmentOrderDto f)
    {
        Preconditions.SetETag(http.Response, f.Version);
        return TypedResults.Ok(f);
    }

    private static void Change(RouteGroupBuilder group, string pattern, string name, string summary,
        Func<FulfilmentService, Guid, int?, HttpContext, CancellationToken, Task<FulfilmentOrderDto>> change) =>
        group.MapPost(pattern, async (Guid id, FulfilmentService s, HttpContext http, CancellationToken ct) =>
                Ok(http, await change(s, id, Preconditions.ExpectedVersion(http.Request), http, ct)))
            .RequireScope(Scopes.FulfilmentWrite).WithName(name).WithSummary(summary).WithStateChangeProblems();
}

/// <summary>Two fixed windows per client address: all lookups, and lookups of one order number (e-mail guessing).</summary>
public sealed class TrackingLimiter(IOptions<TrackingOptions> options) : IDisposable
{
    private readonly PartitionedRateLimiter<(string Client, string Order)> _limiter = PartitionedRateLimiter.CreateChained(
        PartitionedRateLimiter.Create<(string Client, string Order), string>(k => RateLimitPartition.GetFixedWindowLimiter(k.Client,
            _ => Window(options.Value.PerClientPerMinute))),
        PartitionedRateLimiter.Create<(string Client, string Order), string>(k => RateLimitPartition.GetFixedWindowLimiter(k.Client + "\n" + k.Order,
            _ => Window(options.Value.PerOrderPerMinute))));

    /// <summary>Lets a lookup through, or refuses it: 429 with Retry-After in REST, the code rate_limited in GraphQL; both APIs share the limits.</summary>
    public void Admit(HttpContext http, string orderNumber)
    {
        using var lease = _limiter.AttemptAcquire((http.Connection.RemoteIpAddress?.ToString() ?? "local", orderNumber.Trim().ToUpperInvariant()));
        if (lease.IsAcquired) return;
        var seconds = lease.TryGetMetadata(MetadataName.RetryAfter, out var after) ? Math.Max(1, (int)Math.Ceiling(after.TotalSeconds)) : 60;
        // GraphQL answers 200 with the error; the header tells its client when to come back too.
        http.Response.Headers.RetryAfter = seconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
        throw new RateLimitedException("Too many tracking lookups: wait a minute and try again.", seconds);
    }

    private static FixedWindowRateLimiterOptions Window(int permits) => new()
    {
        PermitLimit = Math.Max(1, permits), Window = TimeSpan.FromMinutes(1), QueueLimit = 0, AutoReplenishment = true,
    };

    public void Dispose() => _limiter.Dispose();
}
