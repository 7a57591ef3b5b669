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
        b.Property(p => p.FailureReason).HasMaxLength(500);
        b.Property(p => p.History).HasConversion(JsonColumn<List<PaymentEntry>>.Converter, JsonColumn<List<PaymentEntry>>.Comparer);
        b.HasIndex(p => p.OrderId);
        b.HasIndex(p => p.ProviderReference);
        b.HasOne<Order>().WithMany().HasForeignKey(p => p.OrderId).OnDelete(DeleteBehavior.Restrict);
        b.Ignore(p => p.Net);
        b.Ignore(p => p.DomainEvents);
    }
}
