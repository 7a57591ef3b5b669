using Oms.Infrastructure.Persistence.Audit;

namespace Oms.Api.Platform.Auth;

/// <summary>
/// Who the audit trail names for a save: the calling key or person of the current request, with the operation
/// (REST operation id, or <c>graphql:</c> and the mutation's root field), the request id (the <c>traceId</c> a problem
/// answer shows) and the client's address; the system for background work.
/// </summary>
public sealed class AuditActors(IHttpContextAccessor accessor, TimeProvider clock) : IAuditActorSource
{
    private static readonly AsyncLocal<string?> GraphOperation = new();

    /// <summary>Names the GraphQL root field being executed, for the saves it makes.</summary>
    public static IDisposable InGraphField(string field)
    {
        GraphOperation.Value = "graphql:" + field;
        return new Reset();
    }

    public DateTimeOffset Now => clock.GetUtcNow();

    public AuditActor Current
    {
        get
        {
            if (accessor.HttpContext is not { } http || http.GetCaller() is not { } caller) return AuditActor.System;
            var operation = GraphOperation.Value ?? http.GetEndpoint()?.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName;
            var requestId = Errors.ProblemResponses.TraceId(http);
            return caller.Person is { } person
                ? new AuditActor(AuditActor.Person, person.Subject, caller.Name, operation, requestId, http.Connection.RemoteIpAddress?.ToString())
                : new AuditActor(AuditActor.ApiKey, caller.KeyId?.ToString(), caller.Name, operation, requestId, http.Connection.RemoteIpAddress?.ToString());
        }
    }

    private sealed class Reset : IDisposable
    {
        public void Dispose() => GraphOperation.Value = null;
    }
}
