using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Oms.Domain.Fulfilment;
using Oms.Domain.Inventory;
using Oms.Domain.Orders;
using Oms.Domain.Returns;

namespace Oms.Infrastructure.Persistence.Configurations;

internal sealed class FulfilmentOrderConfiguration : IEntityTypeConfiguration<FulfilmentOrder>
{
    public void Configure(EntityTypeBuilder<FulfilmentOrder> b)
    {
        b.ToTable("fulfilment_orders");
        b.HasKey(f => f.Id);
        b.Property(f => f.Id).HasConversion(v => v.Value, v => new FulfilmentOrderId(v)).ValueGeneratedNever();
        b.Property(f => f.Version).IsConcurrencyToken();
        b.Property(f => f.OrderId).HasConversion(v => v.Value, v => new OrderId(v));
        b.Property(f => f.NodeId).HasConversion(v => v.Value, v => new NodeId(v));
        b.Property(f => f.OrderNumber).HasMaxLength(32);
        b.Property(f => f.NodeCode).HasMaxLength(64);
        b.Property(f => f.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(f => f.StatusReason).HasMaxLength(500);
        b.HasIndex(f => f.OrderId);
        b.HasIndex(f => f.AllocationId).IsUnique();
        // The pick list: a node's open work, expedited first, then oldest.
        b.HasIndex(f => new { f.NodeId, f.Status, f.OrderPlacedAt });
        b.HasOne<Order>().WithMany().HasForeignKey(f => f.OrderId).OnDelete(DeleteBehavior.Restrict);
        // The lines live in the fulfilment order's row, as JSON: they are only ever read and changed with it, and a
        // checkout writes no row, index entry or foreign-key check for them.
        b.Property(f => f.Lines).HasField("_lines").UsePropertyAccessMode(PropertyAccessMode.Field).HasColumnName("lines")
            .HasConversion(JsonColumn<IReadOnlyList<FulfilmentLine>>.Converter, JsonColumn<IReadOnlyList<FulfilmentLine>>.Comparer);
        b.OwnsMany(f => f.Packages, p =>
        {
            p.ToTable("packages");
            p.WithOwner().HasForeignKey("FulfilmentOrderId");
            p.Property<int>("Id");
            p.HasKey("Id");
        });
        b.Navigation(f => f.Packages).UsePropertyAccessMode(PropertyAccessMode.Field);
        b.Ignore(f => f.IsActive);
        b.Ignore(f => f.DomainEvents);
    }
}

internal sealed class ShipmentConfiguration : IEntityTypeConfiguration<Shipment>
{
    public void Configure(EntityTypeBuilder<Shipment> b)
    {
        b.ToTable("shipments");
        b.HasKey(s => s.Id);
        b.Property(s => s.Id).ValueGeneratedNever();
        b.Property(s => s.Version).IsConcurrencyToken();
        b.Property(s => s.OrderId).HasConversion(v => v.Value, v => new OrderId(v));
        b.Property(s => s.FulfilmentOrderId).HasConversion(v => v.Value, v => new FulfilmentOrderId(v));
        b.Property(s => s.OrderNumber).HasMaxLength(32);
        b.Property(s => s.NodeCode).HasMaxLength(64);
        b.Property(s => s.Carrier).HasMaxLength(40);
        b.Property(s => s.Service).HasMaxLength(100);
        b.Property(s => s.TrackingNumber).HasMaxLength(100);
        b.Property(s => s.TrackingUrl).HasMaxLength(1000);
        b.Property(s => s.Status).HasConversion<string>().HasMaxLength(30);
        b.HasIndex(s => s.OrderId);
        b.HasIndex(s => s.FulfilmentOrderId).IsUnique();
        // Carrier webhooks find the shipment by carrier and tracking number.
        b.HasIndex(s => new { s.Carrier, s.TrackingNumber });
        b.HasOne<Order>().WithMany().HasForeignKey(s => s.OrderId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<FulfilmentOrder>().WithMany().HasForeignKey(s => s.FulfilmentOrderId).OnDelete(DeleteBehavior.Restrict);
        b.OwnsMany(s => s.Events, e =>
        {
            e.ToTable("tracking_events");
            e.WithOwner().HasForeignKey("ShipmentId");
            e.HasKey(x => x.Id);
            e.Property(x => x.Id).ValueGeneratedNever();
            e.Property(x => x.Status).HasConversion<string>().HasMaxLength(30);
            e.Property(x => x.CarrierCode).HasMaxLength(50);
            e.Property(x => x.Description).HasMaxLength(500);
            e.Property(x => x.Location).HasMaxLength(200);
            e.Property(x => x.ExternalId).HasMaxLength(100);
        });
        b.Navigation(s => s.Events).UsePropertyAccessMode(PropertyAccessMode.Field);
        b.Ignore(s => s.HasProblem);
        b.Ignore(s => s.DomainEvents);
    }
}

internal sealed class ReturnConfiguration : IEntityTypeConfiguration<Return>
{
    public void Configure(EntityTypeBuilder<Return> b)
    {
        b.ToTable("returns");
        b.HasKey(r => r.Id);
        b.Property(r => r.Id).ValueGeneratedNever();
        b.Property(r => r.Version).IsConcurrencyToken();
        b.Property(r => r.OrderId).HasConversion(v => v.Value, v => new OrderId(v));
        b.Property(r => r.ReplacementOrderId).HasConversion(new ValueConverter<OrderId, Guid>(v => v.Value, v => new OrderId(v)));
        b.Property(r => r.ReceivedAtNodeId).HasConversion(new ValueConverter<NodeId, Guid>(v => v.Value, v => new NodeId(v)));
        b.Property(r => r.Number).HasMaxLength(40);
        b.Property(r => r.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(r => r.Comment).HasMaxLength(Return.MaxCommentLength);
        b.Property(r => r.RejectReason).HasMaxLength(500);
        b.Property(r => r.ReturnCarrier).HasMaxLength(40);
        b.Property(r => r.ReturnTrackingNumber).HasMaxLength(100);
        b.Property(r => r.ReceivedAtNodeCode).HasMaxLength(64);
        b.Property(r => r.Currency).HasMaxLength(3).IsFixedLength();
        // The n-th return of an order is taken once: two racing requests cannot both be R2.
        b.HasIndex(r => new { r.OrderId, r.Sequence }).IsUnique();
        b.HasIndex(r => r.Number).IsUnique();
        b.HasIndex(r => r.CreatedAt);
        b.HasOne<Order>().WithMany().HasForeignKey(r => r.OrderId).OnDelete(DeleteBehavior.Restrict);
        b.OwnsMany(r => r.Lines, l =>
        {
            l.ToTable("return_lines");
            l.WithOwner().HasForeignKey("ReturnId");
            l.Property<int>("Id");
            l.HasKey("Id");
            l.Property(x => x.Sku).HasMaxLength(64);
            l.Property(x => x.Reason).HasConversion<string>().HasMaxLength(30);
            l.Property(x => x.Disposition).HasConversion<string>().HasMaxLength(20);
            l.Property(x => x.Comment).HasMaxLength(Return.MaxCommentLength);
            l.Property(x => x.InspectionNote).HasMaxLength(500);
        });
        b.Navigation(r => r.Lines).UsePropertyAccessMode(PropertyAccessMode.Field);
        b.Ignore(r => r.Counts);
        b.Ignore(r => r.DomainEvents);
    }
}
