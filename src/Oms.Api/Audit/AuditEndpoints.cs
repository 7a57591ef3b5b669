using Microsoft.AspNetCore.Http.HttpResults;
using Oms.Api.Platform.Auth;
using Oms.Api.Platform.Http;
using Oms.Domain.Access;

namespace Oms.Api.Audit;

public static class AuditEndpoints
{
    public static void MapAuditEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/audit-events", ListAsync).WithTags("Audit").RequireScope(Scopes.Admin).WithName("listAuditEvents")
            .WithSummary("Who changed what, newest first: every change to orders, payments, stock, nodes, products, customers, documents, webhook subscriptions, roles and keys")
            .ProducesProblem(400);
    }

    /// <param name="queries">The trail's reads.</param>
    /// <param name="ct">Cancelled when the client goes away.</param>
    /// <param name="actor">Exact actor name (a key's name, a person's name as timelines show it, or <c>system</c>).</param>
    /// <param name="actorKind"><c>api_key</c>, <c>person</c> or <c>system</c>.</param>
    /// <param name="resourceType">order, payment, stock, node, product, customer, document, webhook_subscription, role or api_key.</param>
    /// <param name="resourceId">One resource's history (with <c>resourceType</c>).</param>
    /// <param name="action"><c>created</c>, <c>updated</c>, <c>deleted</c> or <c>viewed</c>.</param>
    /// <param name="operation">The REST operation id or <c>graphql:</c> and the mutation field.</param>
    /// <param name="from">From this time on (inclusive).</param>
    /// <param name="to">Before this time.</param>
    /// <param name="limit">Page size, 1-250 (default 50).</param>
    /// <param name="cursor">The <c>next</c> of the previous page; omit for the first page.</param>
    private static async Task<Ok<Page<AuditEventDto>>> ListAsync(AuditQueries queries, CancellationToken ct,
        string? actor = null, string? actorKind = null, string? resourceType = null, string? resourceId = null, string? action = null, string? operation = null,
        DateTimeOffset? from = null, DateTimeOffset? to = null, int? limit = null, string? cursor = null) =>
        TypedResults.Ok(await queries.ListAsync(new AuditFilter(actor, actorKind, resourceType, resourceId, action, operation, from, to), PageRequest.Rest(limit, cursor), ct));
}
