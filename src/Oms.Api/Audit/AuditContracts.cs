using System.Text.Json;
using Oms.Infrastructure.Persistence.Audit;

namespace Oms.Api.Audit;

/// <summary>One change to an audited resource: who, what, when, from where, and the fields it changed.</summary>
public sealed record AuditEventDto
{
    public required Guid Id { get; init; }
    public required DateTimeOffset At { get; init; }
    /// <summary><c>api_key</c>, <c>person</c> (signed in through the identity provider) or <c>system</c> (HeadlessOms's own work).</summary>
    public required string ActorKind { get; init; }
    /// <summary>The key's id or the person's subject at the identity provider; null for the system.</summary>
    public required string? ActorId { get; init; }
    /// <summary>The key's name or the person's name (as timelines show it); <c>system</c> for HeadlessOms's own work.</summary>
    public required string ActorName { get; init; }
    /// <summary>The REST operation id (e.g. <c>cancelOrder</c>) or <c>graphql:</c> and the mutation field; null for background work.</summary>
    public required string? Operation { get; init; }
    /// <summary><c>created</c>, <c>updated</c> or <c>deleted</c>; <c>viewed</c> when a caller read a shopper's personal data (a customer record, or an order read by a person).</summary>
    public required string Action { get; init; }
    /// <summary>order, payment, stock, node, product, customer, document, webhook_subscription, role or api_key.</summary>
    public required string ResourceType { get; init; }
    /// <summary>The resource's id (a product's SKU, a node's code, a role's name; stock is <c>sku@nodeId</c>).</summary>
    public required string ResourceId { get; init; }
    public required IReadOnlyList<AuditChangeDto> Changes { get; init; }
    /// <summary>The request's trace id, as problem answers show it; null for background work.</summary>
    public required string? RequestId { get; init; }
    public required string? ClientAddress { get; init; }

    public static AuditEventDto From(AuditEvent e) => new()
    {
        Id = e.Id, At = e.At, ActorKind = e.ActorKind, ActorId = e.ActorId, ActorName = e.ActorName, Operation = e.Operation, Action = e.Action,
        ResourceType = e.ResourceType, ResourceId = e.ResourceId, Changes = AuditChangeDto.Parse(e.Changes), RequestId = e.RequestId, ClientAddress = e.ClientAddress,
    };
}

/// <summary>
/// A field a change set, changed or removed. Values are text: strings as they are, numbers, booleans and lists as JSON;
/// null where there was none. Personal data is listed without its values.
/// </summary>
public sealed record AuditChangeDto
{
    /// <summary>The field as the API names it; parts of a resource as <c>shippingAddress.city</c> or <c>lines[id].quantity</c>.</summary>
    public required string Field { get; init; }
    public required string? Before { get; init; }
    public required string? After { get; init; }
    /// <summary>True for personal data (a name, e-mail, phone, street line): the trail does not keep its values.</summary>
    public required bool Personal { get; init; }

    public static IReadOnlyList<AuditChangeDto> Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return doc.RootElement.EnumerateObject().Select(f => new AuditChangeDto
        {
            Field = f.Name,
            Personal = f.Value.TryGetProperty("personal", out var p) && p.GetBoolean(),
            Before = Text(f.Value, "before"),
            After = Text(f.Value, "after"),
        }).ToList();

        static string? Text(JsonElement change, string name) =>
            !change.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null ? null
            : v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText();
    }
}

/// <summary>What to list: all optional, combined with AND.</summary>
public sealed record AuditFilter(string? ActorName, string? ActorKind, string? ResourceType, string? ResourceId, string? Action, string? Operation,
    DateTimeOffset? From, DateTimeOffset? To);
