using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Oms.Domain.Inventory;
using Oms.Domain.Orders;
using Oms.Domain.Routing;

namespace Oms.Infrastructure.Persistence.Configurations;

internal sealed class AllocationConfiguration : IEntityTypeConfiguration<Allocation>
{
    public void Configure(EntityTypeBuilder<Allocation> b)
    {
        b.ToTable("allocations");
        b.HasKey(a => a.Id);
        b.Property(a => a.Id).ValueGeneratedNever();
        b.Property(a => a.Version).IsConcurrencyToken();
        b.Property(a => a.OrderId).HasConversion(v => v.Value, v => new OrderId(v));
        b.Property(a => a.NodeId).HasConversion(v => v.Value, v => new NodeId(v));
        b.Property(a => a.NodeCode).HasMaxLength(64);
        b.Property(a => a.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(a => a.RejectReason).HasMaxLength(500);
        b.HasIndex(a => a.OrderId);
        b.HasIndex(a => new { a.NodeId, a.CreatedAt });
        b.HasOne<Order>().WithMany().HasForeignKey(a => a.OrderId).OnDelete(DeleteBehavior.Restrict);
        // The lines live in the allocation's row, as JSON: they are only ever read and changed with it, and a checkout
        // writes no row, index entry or foreign-key check for them.
        b.Property(a => a.Lines).HasField("_lines").UsePropertyAccessMode(PropertyAccessMode.Field).HasColumnName("lines")
            .HasConversion(JsonColumn<IReadOnlyList<AllocationLine>>.Converter, JsonColumn<IReadOnlyList<AllocationLine>>.Comparer);
        b.Ignore(a => a.DomainEvents);
    }
}

internal sealed class BackorderConfiguration : IEntityTypeConfiguration<Backorder>
{
    public void Configure(EntityTypeBuilder<Backorder> b)
    {
        b.ToTable("backorders");
        b.HasKey(x => x.Id);
        b.Property(x => x.Id).ValueGeneratedNever();
        b.Property(x => x.OrderId).HasConversion(v => v.Value, v => new OrderId(v));
        b.Property(x => x.Sku).HasMaxLength(64);
        b.Property(x => x.Policy).HasConversion<string>().HasMaxLength(20);
        b.Property(x => x.Status).HasConversion<string>().HasMaxLength(20);
        b.HasIndex(x => new { x.Sku, x.Status });
        b.HasIndex(x => x.OrderId);
        b.HasOne<Order>().WithMany().HasForeignKey(x => x.OrderId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class RoutingDecisionConfiguration : IEntityTypeConfiguration<RoutingDecision>
{
    public void Configure(EntityTypeBuilder<RoutingDecision> b)
    {
        b.ToTable("routing_decisions");
        b.HasKey(d => d.Id);
        b.Property(d => d.Id).ValueGeneratedNever();
        b.Property(d => d.OrderId).HasConversion(v => v.Value, v => new OrderId(v));
        b.Property(d => d.Trigger).HasConversion<string>().HasMaxLength(20);
        b.Property(d => d.Outcome).HasMaxLength(30);
        b.Property(d => d.Candidates).HasConversion(JsonColumn<List<Candidate>>.Converter, JsonColumn<List<Candidate>>.WriteOnceComparer);
        b.Property(d => d.Short).HasConversion(JsonColumn<List<PlannedLine>>.Converter, JsonColumn<List<PlannedLine>>.WriteOnceComparer);
        b.HasIndex(d => new { d.OrderId, d.At });
        b.HasOne<Order>().WithMany().HasForeignKey(d => d.OrderId).OnDelete(DeleteBehavior.Restrict);
    }
}
