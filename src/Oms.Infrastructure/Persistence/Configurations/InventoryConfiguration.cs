using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Oms.Domain.Inventory;

namespace Oms.Infrastructure.Persistence.Configurations;

internal sealed class FulfilmentNodeConfiguration : IEntityTypeConfiguration<FulfilmentNode>
{
    public void Configure(EntityTypeBuilder<FulfilmentNode> b)
    {
        b.ToTable("fulfilment_nodes");
        b.HasKey(n => n.Id);
        b.Property(n => n.Id).HasConversion(v => v.Value, v => new NodeId(v)).ValueGeneratedNever();
        b.Property(n => n.Version).IsConcurrencyToken();
        b.Property(n => n.Code).HasMaxLength(64);
        b.HasIndex(n => n.Code).IsUnique();
        b.Property(n => n.Kind).HasConversion<string>().HasMaxLength(30);
        b.Property(n => n.Name).HasMaxLength(200);
        b.Property(n => n.TimeZone).HasMaxLength(64);
        b.OwnsOne(n => n.Address, OrderConfiguration.AddressColumns);
        b.Navigation(n => n.Address).IsRequired();
        b.OwnsOne(n => n.ShippingCost, c => c.Property(x => x.Currency).HasMaxLength(3).IsFixedLength());
        b.Navigation(n => n.ShippingCost).IsRequired();
        b.Ignore(n => n.DomainEvents);
    }
}

internal sealed class StockItemConfiguration : IEntityTypeConfiguration<StockItem>
{
    public void Configure(EntityTypeBuilder<StockItem> b)
    {
        b.ToTable("stock_items", t =>
        {
            // The last line of defence: whatever the application does, stock can never be promised twice.
            t.HasCheckConstraint("ck_stock_items_reserved_within_on_hand", "reserved >= 0 AND reserved <= on_hand");
        });
        b.HasKey(s => new { s.NodeId, s.Sku });
        b.Property(s => s.NodeId).HasConversion(v => v.Value, v => new NodeId(v));
        b.Property(s => s.Sku).HasMaxLength(64);
        b.HasIndex(s => s.Sku);
        b.HasOne<FulfilmentNode>().WithMany().HasForeignKey(s => s.NodeId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<Supplier>().WithMany().HasForeignKey(s => s.SupplierId).OnDelete(DeleteBehavior.Restrict);
        b.Ignore(s => s.Available);
        // What can still be promised, as every query reads it (StockColumns): kept by the database with the counts.
        b.Property<int>(StockColumns.Available).HasColumnName(StockColumns.AvailableColumn).HasComputedColumnSql(StockColumns.AvailableSql, stored: true);
    }
}

/// <summary>
/// The one definition of available stock in the database: on hand less reserved less safety stock, as a stored
/// generated column that queries and the reservation function compare with (<c>available &gt;= @q</c>). It may go below
/// zero where safety stock exceeds what is unreserved; <see cref="StockItem.Available"/> shows it clamped at zero.
/// </summary>
public static class StockColumns
{
    public const string AvailableSql = "on_hand - reserved - safety_stock";
    public const string AvailableColumn = "available";
    /// <summary>The EF shadow property of the column: <c>EF.Property&lt;int&gt;(s, StockColumns.Available)</c>.</summary>
    public const string Available = "AvailableInStore";
}

internal sealed class InventoryLedgerEntryConfiguration : IEntityTypeConfiguration<InventoryLedgerEntry>
{
    public void Configure(EntityTypeBuilder<InventoryLedgerEntry> b)
    {
        b.ToTable("inventory_ledger");
        b.HasKey(e => e.Id);
        b.Property(e => e.Id).ValueGeneratedOnAdd();
        b.Property(e => e.NodeId).HasConversion(v => v.Value, v => new NodeId(v));
        b.Property(e => e.Sku).HasMaxLength(64);
        b.Property(e => e.Reason).HasConversion<string>().HasMaxLength(30);
        b.Property(e => e.Actor).HasMaxLength(200);
        b.Property(e => e.Reference).HasMaxLength(100);
        b.Property(e => e.Note).HasMaxLength(500);
        b.HasIndex(e => new { e.Sku, e.NodeId, e.Id });
    }
}

internal sealed class SupplierConfiguration : IEntityTypeConfiguration<Supplier>
{
    public void Configure(EntityTypeBuilder<Supplier> b)
    {
        b.ToTable("suppliers");
        b.HasKey(s => s.Id);
        b.Property(s => s.Id).ValueGeneratedNever();
        b.Property(s => s.Version).IsConcurrencyToken();
        b.Property(s => s.Code).HasMaxLength(64);
        b.HasIndex(s => s.Code).IsUnique();
        b.Property(s => s.Name).HasMaxLength(200);
        b.Property(s => s.Email).HasMaxLength(320);
        b.Ignore(s => s.DomainEvents);
    }
}

internal sealed class PurchaseOrderConfiguration : IEntityTypeConfiguration<PurchaseOrder>
{
    public void Configure(EntityTypeBuilder<PurchaseOrder> b)
    {
        b.ToTable("purchase_orders");
        b.HasKey(p => p.Id);
        b.Property(p => p.Id).ValueGeneratedNever();
        b.Property(p => p.Version).IsConcurrencyToken();
        b.HasIndex(p => p.Number).IsUnique();
        b.Property(p => p.NodeId).HasConversion(v => v.Value, v => new NodeId(v));
        b.Property(p => p.Status).HasConversion<string>().HasMaxLength(30);
        b.HasIndex(p => new { p.SupplierId, p.NodeId, p.Status });
        b.HasOne<Supplier>().WithMany().HasForeignKey(p => p.SupplierId).OnDelete(DeleteBehavior.Restrict);
        b.HasOne<FulfilmentNode>().WithMany().HasForeignKey(p => p.NodeId).OnDelete(DeleteBehavior.Restrict);
        b.OwnsMany(p => p.Lines, l =>
        {
            l.ToTable("purchase_order_lines");
            l.WithOwner().HasForeignKey("PurchaseOrderId");
            l.Property<int>("Id");
            l.HasKey("Id");
            l.Property(x => x.Sku).HasMaxLength(64);
            l.Ignore(x => x.Outstanding);
        });
        b.Ignore(p => p.DisplayNumber);
        b.Ignore(p => p.DomainEvents);
    }
}
