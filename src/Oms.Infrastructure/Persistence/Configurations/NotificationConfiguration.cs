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

internal sealed class NotificationTemplateConfiguration : IEntityTypeConfiguration<NotificationTemplate>
{
    public void Configure(EntityTypeBuilder<NotificationTemplate> b)
    {
        b.ToTable("notification_templates");
        b.HasKey(t => t.Id);
        b.Property(t => t.Version).IsConcurrencyToken();
        b.Property(t => t.ChannelKey).HasColumnName("channel").HasMaxLength(50);
        b.Property(t => t.Kind).HasConversion<string>().HasMaxLength(30);
        b.Property(t => t.Locale).HasMaxLength(10);
        b.Property(t => t.Subject).HasMaxLength(NotificationTemplate.MaxSubject);
        b.Ignore(t => t.Channel);
        b.Ignore(t => t.DomainEvents);
        b.HasIndex(t => new { t.ChannelKey, t.Kind, t.Locale }).IsUnique();
    }
}
