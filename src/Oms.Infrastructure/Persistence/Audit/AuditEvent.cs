namespace Oms.Infrastructure.Persistence.Audit;

/// <summary>
/// One change to an audited resource, written in the transaction of the change (<see cref="AuditTrail"/>), never
/// changed or removed after (the database refuses updates, and deletes but the retention job's).
/// </summary>
public sealed class AuditEvent
{
    private AuditEvent() { }

    public AuditEvent(Guid id, DateTimeOffset at, AuditActor actor, string action, string resourceType, string resourceId, string changes)
    {
        Id = id;
        At = at;
        ActorKind = actor.Kind;
        ActorId = actor.Id;
        ActorName = actor.Name;
        Operation = actor.Operation;
        RequestId = actor.RequestId;
        ClientAddress = actor.ClientAddress;
        Action = action;
        ResourceType = resourceType;
        ResourceId = resourceId;
        Changes = changes;
    }

    /// <summary>Version 7: newest first is id order.</summary>
    public Guid Id { get; private set; }
    public DateTimeOffset At { get; private set; }
    /// <summary><c>api_key</c>, <c>person</c> or <c>system</c>.</summary>
    public string ActorKind { get; private set; } = "";
    /// <summary>The key's id or the person's subject at the identity provider; null for the system.</summary>
    public string? ActorId { get; private set; }
    public string ActorName { get; private set; } = "";
    /// <summary>The API operation (REST operation id or GraphQL field) that made the change; null for background work.</summary>
    public string? Operation { get; private set; }
    public string? RequestId { get; private set; }
    public string? ClientAddress { get; private set; }
    /// <summary><c>created</c>, <c>updated</c> or <c>deleted</c>.</summary>
    public string Action { get; private set; } = "";
    public string ResourceType { get; private set; } = "";
    public string ResourceId { get; private set; } = "";
    /// <summary>JSON: each changed field with its value before and after (<see cref="AuditTrail"/>).</summary>
    public string Changes { get; private set; } = "{}";
}

/// <summary>Who makes the changes a save writes, and through what.</summary>
public sealed record AuditActor(string Kind, string? Id, string Name, string? Operation, string? RequestId, string? ClientAddress)
{
    public const string ApiKey = "api_key", Person = "person", SystemKind = "system";

    public static readonly AuditActor System = new(SystemKind, null, "system", null, null, null);
}

/// <summary>Tells the audit trail who is acting now; set once per pooled context by the composition root (the API's request, or the system).</summary>
public interface IAuditActorSource
{
    AuditActor Current { get; }

    /// <summary>The time the trail stamps (the app's clock).</summary>
    DateTimeOffset Now { get; }
}
