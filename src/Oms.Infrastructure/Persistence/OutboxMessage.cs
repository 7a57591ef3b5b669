using System.Text.Json;
using Oms.Domain.Common;

namespace Oms.Infrastructure.Persistence;

/// <summary>An event waiting to be delivered; written in the transaction of the change that raised it.</summary>
public sealed class OutboxMessage
{
    public Guid Id { get; private set; }
    public string Type { get; private set; } = "";
    public Guid AggregateId { get; private set; }
    public DateTimeOffset OccurredAt { get; private set; }
    public string Payload { get; private set; } = "";
    public DateTimeOffset? DispatchedAt { get; set; }

    public static OutboxMessage From(IDomainEvent e) => new()
    {
        Id = Guid.CreateVersion7(e.OccurredAt),
        Type = e.Type,
        AggregateId = e.AggregateId,
        OccurredAt = e.OccurredAt,
        Payload = JsonSerializer.Serialize(e, e.GetType(), OmsDbContext.Json),
    };
}
