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
        // A new list each time the book changes (AddressBook.With): comparing references is enough.
        b.Property(c => c.Addresses).HasField("_addresses").UsePropertyAccessMode(PropertyAccessMode.Field)
            .HasConversion(JsonColumn<IReadOnlyList<KnownAddress>>.Converter, JsonColumn<IReadOnlyList<KnownAddress>>.WriteOnceComparer);
        b.OwnsOne(c => c.Consent, c =>
        {
            c.Property(x => x.Granted).HasColumnName("consent_granted");
            c.Property(x => x.Source).HasColumnName("consent_source").HasMaxLength(100);
            c.Property(x => x.At).HasColumnName("consent_at");
        });
        b.OwnsMany(c => c.Values, v =>
        {
            v.ToTable("customer_values");
            v.WithOwner().HasForeignKey("CustomerId");
            v.HasKey(x => x.Id);
            v.Property(x => x.Id).ValueGeneratedNever();
            v.Property(x => x.Currency).HasMaxLength(3).IsFixedLength();
            // One row per currency: a checkout adds to it with INSERT … ON CONFLICT.
            v.HasIndex("CustomerId", nameof(CustomerValue.Currency)).IsUnique();
        });
        b.Navigation(c => c.Values).HasField("_values").UsePropertyAccessMode(PropertyAccessMode.Field);
        // One customer per address: a checkout finds its customer here, and two first orders of one address make one.
        // (Lists newest first go by id: version 7, the creation order.)
        b.HasIndex(c => c.Email).IsUnique();
        // The segments are ranges of the last order's date (and the count): the list filters and sorts on them.
        b.HasIndex(c => c.LastOrderAt);
        b.Ignore(c => c.Figures);
        b.Ignore(c => c.DomainEvents);
    }
}
