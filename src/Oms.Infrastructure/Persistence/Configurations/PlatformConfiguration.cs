using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Oms.Domain.Access;

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
        b.HasKey(m => m.Id);
        b.Property(m => m.Type).HasMaxLength(100);
        b.HasIndex(m => new { m.DispatchedAt, m.OccurredAt });
    }
}
