namespace Oms.Domain.Common;

/// <summary>A business rule said no. <see cref="Code"/> is stable (<c>area.snake_case</c>) and reaches clients unchanged.</summary>
public class DomainException(string code, string message, string? field = null) : Exception(message)
{
    public string Code { get; } = code;

    /// <summary>The request field the rule is about, when there is one (e.g. <c>lines[2].sku</c>).</summary>
    public string? Field { get; } = field;

    /// <summary>Several fields at once (each line that is short, say); takes precedence over <see cref="Field"/>.</summary>
    public IReadOnlyDictionary<string, string[]>? FieldErrors { get; init; }
}

/// <summary>A rule about the resource's current state said no (e.g. an illegal status move): the request may succeed later.</summary>
public sealed class ConflictException(string code, string message) : DomainException(code, message);

/// <summary>The addressed resource does not exist (or is not visible to the caller).</summary>
public sealed class NotFoundException(string resource, object id)
    : Exception($"No {resource} with id '{id}' exists.")
{
    public string Resource { get; } = resource;
}

/// <summary>The caller's idea of the resource is stale: the version it sent is not the current one.</summary>
public sealed class ConcurrencyException(string message, bool preconditionFailed) : Exception(message)
{
    /// <summary>True when a precondition the caller sent (If-Match, expectedVersion) failed, as opposed to a lost race.</summary>
    public bool PreconditionFailed { get; } = preconditionFailed;
}
