using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Oms.Domain.Catalog;

namespace Oms.Infrastructure.Persistence.Configurations;

internal sealed class ProductConfiguration : IEntityTypeConfiguration<Product>
{
    public void Configure(EntityTypeBuilder<Product> b)
    {
        b.ToTable("products");
        b.HasKey(p => p.Id);
        b.Property(p => p.Id).HasConversion(v => v.Value, v => new ProductId(v)).ValueGeneratedNever();
        b.Property(p => p.Version).IsConcurrencyToken();
        b.Property(p => p.Sku).HasMaxLength(64);
        b.HasIndex(p => p.Sku).IsUnique();
        b.Property(p => p.Name).HasMaxLength(300);
        b.Property(p => p.Brand).HasMaxLength(100);
        b.Property(p => p.Category).HasMaxLength(100);
        b.Property(p => p.Currency).HasMaxLength(3).IsFixedLength();
        b.Property(p => p.Barcode).HasMaxLength(64);
        b.HasIndex(p => p.Brand);
        b.HasIndex(p => p.Category);
        b.OwnsOne(p => p.Dimensions);
        b.Property(p => p.BackorderPolicy).HasConversion<string>().HasMaxLength(20);
        b.Ignore(p => p.Price);
        b.Ignore(p => p.DomainEvents);
    }
}
