using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Oms.Domain.Access;
using Oms.Domain.Webhooks;

namespace Oms.Infrastructure.Persistence.Configurations;

internal sealed class ApiKeyConfiguration : IEntityTypeConfiguration<ApiKey>
{
    public void Configure(EntityTypeBuilder<ApiKey> b)
    {
        b.ToTable("api_keys");
        b.HasKey(k => k.Id);
        b.Property(k => k.Id).HasConversion(v => v.Value, v => new ApiKeyId(v)).ValueGeneratedNever();
        b.Property(k => k.Version).IsConcurrencyToken();
        b.Property(k => k.Name).HasMaxLength(200);
        b.Property(k => k.Hint).HasMaxLength(20);
        b.Property(k => k.Hash).HasMaxLength(64);
        b.HasIndex(k => k.Hash).IsUnique();
        b.Ignore(k => k.IsActive);
        b.Ignore(k => k.DomainEvents);
    }
}

internal sealed class RoleConfiguration : IEntityTypeConfiguration<Role>
{
    public void Configure(EntityTypeBuilder<Role> b)
    {
        b.ToTable("roles");
        b.HasKey(r => r.Name);
        b.Property(r => r.Name).HasMaxLength(50);
        b.Property(r => r.Description).HasMaxLength(Role.MaxDescriptionLength);
        b.Property(r => r.Version).IsConcurrencyToken();
        b.Ignore(r => r.DomainEvents);
    }
}

internal sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> b)
    {
        b.ToTable("idempotency_keys");
        b.HasKey(r => new { r.Owner, r.Key });
        b.Property(r => r.Owner).HasMaxLength(64);
        b.Property(r => r.Key).HasMaxLength(255);
        b.Property(r => r.Fingerprint).HasMaxLength(64);
        b.Property(r => r.ContentType).HasMaxLength(200);
        b.Property(r => r.Location).HasMaxLength(2000);
        b.Property(r => r.ETag).HasMaxLength(100);
        b.HasIndex(r => r.CreatedAt);
    }
}

internal sealed class OutboxMessageConfiguration : IEntityTypeConfiguration<OutboxMessage>
{
    public void Configure(EntityTypeBuilder<OutboxMessage> b)
    {
        b.ToTable("outbox_messages");
        // The number as key here (SQLite's rowid numbers them); PostgresOmsDbContext keys them by id instead.
        b.HasKey(m => m.Sequence);
        b.Property(m => m.Sequence).ValueGeneratedOnAdd();
        b.HasIndex(m => m.Id).IsUnique();
        b.Property(m => m.Type).HasMaxLength(100);
        // No index on OccurredAt: ids begin with their millisecond, so retention removes the oldest by id
        // (WebhookDispatcher's cleanup), and a checkout's seven events write seven index entries fewer.
    }
}

internal sealed class OutboxPendingConfiguration : IEntityTypeConfiguration<OutboxPending>
{
    public void Configure(EntityTypeBuilder<OutboxPending> b)
    {
        b.ToTable("outbox_pending");
        b.HasKey(p => p.Position);
        b.Property(p => p.Position).ValueGeneratedOnAdd();
        // No foreign key to the events (an array cannot have one; it would check and lock every event's row) and no
        // index on the aggregates: the dispatcher reads the whole queue, which fan-out keeps short.
    }
}

internal sealed class WebhookSubscriptionConfiguration : IEntityTypeConfiguration<WebhookSubscription>
{
    public void Configure(EntityTypeBuilder<WebhookSubscription> b)
    {
        b.ToTable("webhook_subscriptions");
        b.HasKey(s => s.Id);
        b.Property(s => s.Id).ValueGeneratedNever();
        b.Property(s => s.Version).IsConcurrencyToken();
        b.Property(s => s.Url).HasMaxLength(2000);
        b.Property(s => s.Description).HasMaxLength(500);
        b.Property(s => s.Secret).HasMaxLength(100);
        b.Property(s => s.PreviousSecret).HasMaxLength(100);
        b.Property(s => s.DisabledReason).HasMaxLength(500);
        b.Ignore(s => s.DomainEvents);
    }
}

internal sealed class WebhookDeliveryConfiguration : IEntityTypeConfiguration<WebhookDelivery>
{
    public void Configure(EntityTypeBuilder<WebhookDelivery> b)
    {
        b.ToTable("webhook_deliveries");
        b.HasKey(d => d.Id);
        b.Property(d => d.Id).ValueGeneratedNever();
        b.Property(d => d.EventType).HasMaxLength(100);
        b.Property(d => d.Status).HasConversion<string>().HasMaxLength(20);
        b.HasIndex(d => new { d.SubscriptionId, d.MessageId }).IsUnique();
        // The dispatcher asks about pending deliveries only, and most deliveries are done: these two indexes hold the
        // pending ones, so a pass costs what it sends, not what the log holds. The due ones come in the order they are
        // sent (due time, then commit order), so the query stops at its batch; the first pending number of a key is one
        // probe (WebhookDispatcher.SendDueAsync).
        b.HasIndex(d => new { d.NextAttemptAt, d.MessageSequence }).HasFilter("status = 'Pending'");
        b.HasIndex(d => new { d.SubscriptionId, d.OrderingKey, d.MessageSequence }).HasFilter("status = 'Pending'");
        b.HasIndex(d => d.ClaimToken);
        // A sender records its outcome only while it still holds the claim: a replay in the meantime wins.
        b.Property(d => d.ClaimToken).IsConcurrencyToken();
        b.HasOne<WebhookSubscription>().WithMany().HasForeignKey(d => d.SubscriptionId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class WebhookAttemptConfiguration : IEntityTypeConfiguration<WebhookAttempt>
{
    public void Configure(EntityTypeBuilder<WebhookAttempt> b)
    {
        b.ToTable("webhook_attempts");
        b.HasKey(a => a.Id);
        b.Property(a => a.Id).ValueGeneratedOnAdd();
        b.Property(a => a.ResponseExcerpt).HasMaxLength(2000);
        b.Property(a => a.Error).HasMaxLength(500);
        b.HasIndex(a => a.DeliveryId);
        b.HasOne<WebhookDelivery>().WithMany().HasForeignKey(a => a.DeliveryId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class ProcessedProviderEventConfiguration : IEntityTypeConfiguration<ProcessedProviderEvent>
{
    public void Configure(EntityTypeBuilder<ProcessedProviderEvent> b)
    {
        b.ToTable("processed_provider_events");
        b.HasKey(e => new { e.Provider, e.EventId });
        b.Property(e => e.Provider).HasMaxLength(30);
        b.Property(e => e.EventId).HasMaxLength(100);
    }
}
