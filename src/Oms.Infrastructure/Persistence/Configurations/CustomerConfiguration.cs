using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Oms.Domain.Customers;

namespace Oms.Infrastructure.Persistence.Configurations;

internal sealed class CustomerConfiguration : IEntityTypeConfiguration<Customer>
{
    public void Configure(EntityTypeBuilder<Customer> b)
    {
        b.ToTable("customers");
        b.HasKey(c => c.Id);
        b.Property(c => c.Id).HasConversion(v => v.Value, v => new CustomerId(v)).ValueGeneratedNever();
        b.Property(c => c.Version).IsConcurrencyToken();
        b.Property(c => c.Email).HasMaxLength(320);
        b.Property(c => c.Name).HasMaxLength(200);
        b.Property(c => c.Phone).HasMaxLength(50);
        b.Property(c => c.Locale).HasMaxLength(35);
        b.Property(c => c.Notes).HasMaxLength(4000);
        b.Property(c => c.MergedInto).HasConversion(v => v!.Value.Value, v => new CustomerId(v));
        b.Property(c => c.ExternalIds).HasConversion(MetadataJson.Converter, MetadataJson.Comparer);
        // text[] on PostgreSQL, JSON on SQLite: both filter by a tag.
        b.PrimitiveCollection(c => c.Tags).HasField("_tags").UsePropertyAccessMode(PropertyAccessMode.Field);
        b.OwnsOne(c => c.Consent, c =>
        {
            c.Property(x => x.Granted).HasColumnName("consent_granted");
            c.Property(x => x.Source).HasColumnName("consent_source").HasMaxLength(100);
            c.Property(x => x.At).HasColumnName("consent_at");
        });
        // A new list each time the figures move (the domain never changes one in place): comparing references is enough.
        b.Property(c => c.Value).HasColumnName("lifetime_value").HasConversion(CustomerValueJson.Converter, new Microsoft.EntityFrameworkCore.ChangeTracking.ValueComparer<IReadOnlyList<CurrencyValue>>(
            (a, b) => ReferenceEquals(a, b), v => System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(v), v => v));
        // One customer per address: a checkout finds its customer here, and two first orders of one address make one.
        // (Lists newest first go by id: version 7, the creation order.)
        b.HasIndex(c => c.Email).IsUnique();
        // No index on last_order_at (segments, sort by last order): every checkout of a known customer would move an
        // entry of it, and a new customer add one (docs/decisions/0010).
        b.Ignore(c => c.Figures);
        b.Ignore(c => c.DomainEvents);
    }
}

internal sealed class CustomerContactConfiguration : IEntityTypeConfiguration<CustomerContact>
{
    public void Configure(EntityTypeBuilder<CustomerContact> b)
    {
        b.ToTable("customer_contacts");
        b.HasKey(c => c.Id);
        b.Property(c => c.Id).ValueGeneratedNever();
        b.Property(c => c.CustomerId).HasConversion(v => v.Value, v => new CustomerId(v));
        b.Property(c => c.Channel).HasConversion<string>().HasMaxLength(10);
        b.Property(c => c.Summary).HasMaxLength(CustomerContact.MaxSummaryLength);
        b.Property(c => c.Actor).HasMaxLength(200);
        // A customer's timeline, newest first.
        b.HasIndex(c => new { c.CustomerId, c.At });
        b.HasOne<Customer>().WithMany().HasForeignKey(c => c.CustomerId).OnDelete(DeleteBehavior.Restrict);
    }
}
