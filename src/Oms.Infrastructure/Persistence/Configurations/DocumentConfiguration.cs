using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Oms.Domain.Documents;
using Oms.Domain.Orders;

namespace Oms.Infrastructure.Persistence.Configurations;

internal sealed class DocumentConfiguration : IEntityTypeConfiguration<Document>
{
    public void Configure(EntityTypeBuilder<Document> b)
    {
        b.ToTable("documents");
        b.HasKey(d => d.Id);
        b.Property(d => d.Id).HasConversion(v => v.Value, v => new DocumentId(v)).ValueGeneratedNever();
        b.Property(d => d.Version).IsConcurrencyToken();
        b.Property(d => d.Kind).HasConversion<string>().HasMaxLength(20);
        b.Property(d => d.Status).HasConversion<string>().HasMaxLength(10);
        b.Property(d => d.Number).HasMaxLength(40);
        b.Property(d => d.Series).HasMaxLength(20);
        b.Property(d => d.OrderId).HasConversion(v => v.Value, v => new OrderId(v));
        b.Property(d => d.CustomerId).HasConversion(v => v!.Value.Value, v => new Oms.Domain.Customers.CustomerId(v));
        b.Property(d => d.CorrectsId).HasConversion(v => v!.Value.Value, v => new DocumentId(v));
        b.Property(d => d.SourceKey).HasMaxLength(120);
        b.Property(d => d.Locale).HasMaxLength(10);
        b.Property(d => d.Currency).HasMaxLength(3);
        b.Property(d => d.VoidReason).HasMaxLength(Document.MaxReasonLength);
        // What the document showed when issued: written once, replaced whole (a draft's redraft, an erasure), never changed in place.
        b.Property(d => d.Content).HasConversion(JsonColumn<DocumentContent>.Converter, JsonColumn<DocumentContent>.WriteOnceComparer);
        // One document per thing it is for (an order's invoice, a refund's credit note): issuing twice finds the first.
        b.HasIndex(d => d.SourceKey).IsUnique();
        // A number once per series and year (the counter hands each out once; this is the proof).
        b.HasIndex(d => d.Number).IsUnique();
        // An order's documents.
        b.HasIndex(d => d.OrderId);
        b.HasOne<Order>().WithMany().HasForeignKey(d => d.OrderId).OnDelete(DeleteBehavior.Restrict);
        b.Ignore(d => d.IsNumbered);
        b.Ignore(d => d.AvailableActions);
        b.Ignore(d => d.DomainEvents);
    }
}

internal sealed class DocumentActivityConfiguration : IEntityTypeConfiguration<DocumentActivity>
{
    public void Configure(EntityTypeBuilder<DocumentActivity> b)
    {
        b.ToTable("document_activity");
        b.HasKey(a => a.Id);
        b.Property(a => a.Id).ValueGeneratedNever();
        b.Property(a => a.DocumentId).HasConversion(v => v.Value, v => new DocumentId(v));
        b.Property(a => a.Action).HasConversion<string>().HasMaxLength(12);
        b.Property(a => a.ActorKind).HasConversion<string>().HasMaxLength(10);
        b.Property(a => a.Actor).HasMaxLength(200);
        b.Property(a => a.Address).HasMaxLength(45);
        b.Property(a => a.Detail).HasMaxLength(Document.MaxReasonLength);
        // A document's trail in order (ids are version 7: creation order).
        b.HasIndex(a => new { a.DocumentId, a.Id });
        b.HasOne<Document>().WithMany().HasForeignKey(a => a.DocumentId).OnDelete(DeleteBehavior.Cascade);
    }
}

internal sealed class DocumentCounterConfiguration : IEntityTypeConfiguration<DocumentCounter>
{
    public void Configure(EntityTypeBuilder<DocumentCounter> b)
    {
        b.ToTable("document_counters");
        b.HasKey(c => new { c.Series, c.Year });
        b.Property(c => c.Series).HasMaxLength(20);
    }
}

internal sealed class DocumentRequestConfiguration : IEntityTypeConfiguration<DocumentRequest>
{
    public void Configure(EntityTypeBuilder<DocumentRequest> b)
    {
        b.ToTable("document_requests");
        b.HasKey(r => r.Position);
        b.Property(r => r.Position).ValueGeneratedOnAdd();
        b.Property(r => r.Kind).HasMaxLength(10);
        b.Property(r => r.LastError).HasMaxLength(500);
        b.HasIndex(r => r.DueAt);
    }
}

internal sealed class SigningKeyConfiguration : IEntityTypeConfiguration<SigningKey>
{
    public void Configure(EntityTypeBuilder<SigningKey> b)
    {
        b.ToTable("signing_keys");
        b.HasKey(k => k.Purpose);
        b.Property(k => k.Purpose).HasMaxLength(40);
    }
}
