using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Oms.Infrastructure.Persistence.Audit;

namespace Oms.Infrastructure.Persistence.Configurations;

internal sealed class AuditEventConfiguration : IEntityTypeConfiguration<AuditEvent>
{
    public void Configure(EntityTypeBuilder<AuditEvent> b)
    {
        b.ToTable("audit_events");
        b.HasKey(e => e.Id);
        b.Property(e => e.Id).ValueGeneratedNever();
        b.Property(e => e.ActorKind).HasMaxLength(10);
        b.Property(e => e.ActorId).HasMaxLength(200);
        b.Property(e => e.ActorName).HasMaxLength(320);
        b.Property(e => e.Operation).HasMaxLength(100);
        b.Property(e => e.RequestId).HasMaxLength(100);
        b.Property(e => e.ClientAddress).HasMaxLength(45);
        b.Property(e => e.Action).HasMaxLength(10);
        b.Property(e => e.ResourceType).HasMaxLength(30);
        b.Property(e => e.ResourceId).HasMaxLength(200);
        // Only the key (version 7 ids: time order, so every insert lands at the right edge of one index). An index on the
        // resource cost a checkout about a tenth of its throughput at 16 users (a random-position entry per order, see
        // docs/checkout-benchmark.md); one resource's history is found newest first along the key.
    }
}
