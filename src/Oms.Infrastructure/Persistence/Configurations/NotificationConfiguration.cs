using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Oms.Domain.Notifications;

namespace Oms.Infrastructure.Persistence.Configurations;

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> b)
    {
        b.ToTable("notifications");
        b.HasKey(n => n.Id);
        b.Property(n => n.Kind).HasConversion<string>().HasMaxLength(30);
        b.Property(n => n.Status).HasConversion<string>().HasMaxLength(20);
        b.Property(n => n.Recipient).HasMaxLength(320);
        b.Property(n => n.Subject).HasMaxLength(300);
        b.Property(n => n.Locale).HasMaxLength(20);
        b.Property(n => n.LastError).HasMaxLength(500);
        // An event is told once.
        b.HasIndex(n => n.EventId).IsUnique();
        // The sender's queue: what is due, soonest first.
        b.HasIndex(n => n.NextAttemptAt).HasFilter("status = 'Queued'");
        b.HasIndex(n => n.OrderId);
    }
}
