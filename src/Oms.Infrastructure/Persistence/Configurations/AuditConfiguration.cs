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
        // One resource's history, newest first; the retention job's oldest-first sweep goes by id (version 7: time order).
        b.HasIndex(e => new { e.ResourceType, e.ResourceId, e.Id });
    }
}
