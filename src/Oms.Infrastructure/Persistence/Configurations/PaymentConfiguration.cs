using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Oms.Domain.Orders;
using Oms.Domain.Payments;

namespace Oms.Infrastructure.Persistence.Configurations;

internal sealed class PaymentConfiguration : IEntityTypeConfiguration<Payment>
{
    public void Configure(EntityTypeBuilder<Payment> b)
    {
        b.ToTable("payments");
        b.HasKey(p => p.Id);
        b.Property(p => p.Id).ValueGeneratedNever();
        b.Property(p => p.Version).IsConcurrencyToken();
        b.Property(p => p.OrderId).HasConversion(v => v.Value, v => new OrderId(v));
        b.Property(p => p.Method).HasConversion<string>().HasMaxLength(30);
        b.Property(p => p.Status).HasConversion<string>().HasMaxLength(30);
        b.Property(p => p.Currency).HasMaxLength(3).IsFixedLength();
        b.Property(p => p.ProviderReference).HasMaxLength(200);
        b.Property(p => p.FailureReason).HasMaxLength(Payment.MaxReasonLength);
        b.Property(p => p.ProviderFailure).HasMaxLength(Payment.MaxReasonLength);
        b.Property(p => p.History).HasConversion(JsonColumn<List<PaymentEntry>>.Converter, JsonColumn<List<PaymentEntry>>.Comparer);
        b.HasIndex(p => p.OrderId);
        b.HasIndex(p => p.ProviderReference);
        b.HasOne<Order>().WithMany().HasForeignKey(p => p.OrderId).OnDelete(DeleteBehavior.Restrict);
        b.Ignore(p => p.Net);
        b.Ignore(p => p.DomainEvents);
    }
}

internal sealed class ProviderOperationConfiguration : IEntityTypeConfiguration<Oms.Infrastructure.Persistence.ProviderOperation>
{
    public void Configure(EntityTypeBuilder<Oms.Infrastructure.Persistence.ProviderOperation> b)
    {
        b.ToTable("provider_operations");
        b.HasKey(o => o.Id);
        b.Property(o => o.Id).ValueGeneratedNever();
        b.Property(o => o.Kind).HasConversion<string>().HasMaxLength(20);
        b.Property(o => o.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(o => o.ProviderReference).HasMaxLength(200);
        b.Property(o => o.IdempotencyKey).HasMaxLength(200);
        b.Property(o => o.LastError).HasMaxLength(Payment.MaxReasonLength);
        b.HasIndex(o => o.PaymentId);
        // The retry worker's one probe: what is due.
        b.HasIndex(o => o.NextAttemptAt).HasFilter("status = 'Pending'");
    }
}
