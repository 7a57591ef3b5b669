using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Oms.Domain.Common;
using Oms.Domain.Orders;

namespace Oms.Infrastructure.Persistence.Configurations;

internal sealed class OrderConfiguration : IEntityTypeConfiguration<Order>
{
    public void Configure(EntityTypeBuilder<Order> b)
    {
        b.ToTable("orders");
        b.HasKey(o => o.Id);
        b.Property(o => o.Id).HasConversion(v => v.Value, v => new OrderId(v)).ValueGeneratedNever();
        b.Property(o => o.Version).IsConcurrencyToken();
        b.HasIndex(o => o.Number).IsUnique();
        b.Property(o => o.Channel).HasConversion<string>().HasMaxLength(20);
        b.Property(o => o.ChannelOrderRef).HasMaxLength(100);
        b.Property(o => o.Seller).HasMaxLength(Order.MaxSellerLength);
        // One order per channel reference: the index is what makes a racing duplicate fail.
        b.HasIndex(o => new { o.Channel, o.ChannelOrderRef }).IsUnique().HasFilter("channel_order_ref IS NOT NULL");
        b.Property(o => o.Status).HasConversion<string>().HasMaxLength(30);
        b.Property(o => o.HeldFrom).HasConversion<string>().HasMaxLength(30);
        b.Property(o => o.Priority).HasConversion<string>().HasMaxLength(20);
        b.Property(o => o.Currency).HasMaxLength(3).IsFixedLength();
        b.Property(o => o.Notes).HasMaxLength(5000);
        b.Property(o => o.CancelReason).HasMaxLength(500);
        b.Property(o => o.Metadata).HasConversion(MetadataJson.Converter, MetadataJson.Comparer);
        // Lists by status come newest first: the index hands over a page in number order instead of every order of
        // the status to sort (measured: 1.8 ms per page of 50 among 1,000 allocated orders, sorted).
        b.HasIndex(o => new { o.Status, o.Number });
        b.Property(o => o.ClientIp).HasMaxLength(45);
        b.Property(o => o.ShipmentIssue).HasMaxLength(500);
        b.HasIndex(o => o.ReplacementForReturnId).HasFilter("replacement_for_return_id IS NOT NULL");
        // Only the risk rules read it, and only for a known address: orders placed without one (channel and marketplace
        // orders, shop fronts that do not pass it) add no entry.
        b.HasIndex(o => new { o.ClientIp, o.CreatedAt }).HasFilter("client_ip IS NOT NULL");
        b.Ignore(o => o.AmountOutstanding);
        b.HasIndex(o => o.CreatedAt);
        // A customer's orders, newest first (their history for the risk rules and the timeline, the figures worked out again).
        b.Property(o => o.CustomerId).HasConversion(v => v!.Value.Value, v => new Oms.Domain.Customers.CustomerId(v));
        b.HasIndex(o => new { o.CustomerId, o.CreatedAt });
        b.HasOne<Oms.Domain.Customers.Customer>().WithMany().HasForeignKey(o => o.CustomerId).OnDelete(DeleteBehavior.Restrict);
        b.Ignore(o => o.DisplayNumber);
        b.Ignore(o => o.DomainEvents);

        b.OwnsOne(o => o.Customer, c =>
        {
            c.Property(x => x.Email).HasMaxLength(320);
            c.Property(x => x.Name).HasMaxLength(200);
            c.Property(x => x.Phone).HasMaxLength(50);
            c.Property(x => x.VatId).HasMaxLength(Oms.Domain.Common.Vat.MaxIdLength);
            // Not indexed: a customer's orders are found through customer_id (the Customers migration dropped the
            // index on (customer_email, created_at) the risk rules read before customers existed).
        });
        b.Navigation(o => o.Customer).IsRequired();
        b.OwnsOne(o => o.ShippingAddress, AddressColumns);
        b.OwnsOne(o => o.BillingAddress, AddressColumns);
        // The follow-up after delivery: a row of its own, written when the goods reach the customer (a checkout writes none).
        b.OwnsOne(o => o.Feedback, f =>
        {
            f.ToTable("order_feedback");
            f.WithOwner().HasForeignKey("OrderId");
            f.HasKey("OrderId");
            f.Property<OrderId>("OrderId").HasColumnName("order_id");
            // The signed token (the link names its order: no index needed to find it).
            f.Property(x => x.Token).HasMaxLength(64);
            f.Property(x => x.Comment).HasMaxLength(Oms.Domain.Orders.OrderFeedback.MaxCommentLength);
            f.Property(x => x.Reason).HasConversion<string>().HasMaxLength(30);
        });
        b.OwnsOne(o => o.Delivery, d =>
        {
            d.Property(x => x.Type).HasConversion<string>().HasMaxLength(20);
            d.Property(x => x.PickupLocation).HasMaxLength(64);
        });
        b.Navigation(o => o.Delivery).IsRequired();

        b.OwnsMany(o => o.Lines, l =>
        {
            l.ToTable("order_lines");
            l.WithOwner().HasForeignKey("OrderId");
            l.HasKey(x => x.Id);
            l.Property(x => x.Id).ValueGeneratedNever();
            l.Property(x => x.Sku).HasMaxLength(64);
            l.Property(x => x.Name).HasMaxLength(300);
            l.HasIndex(x => x.Sku);
        });
        // Not owned: the timeline grows for ever and is read on its own, so loading an order must not drag it along.
        b.HasMany(o => o.Timeline).WithOne().HasForeignKey("OrderId").OnDelete(DeleteBehavior.Cascade);
        b.Navigation(o => o.Timeline).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
    internal static void AddressColumns<TOwner>(OwnedNavigationBuilder<TOwner, Address> a) where TOwner : class
    {
        a.Property(x => x.Name).HasMaxLength(200);
        a.Property(x => x.Company).HasMaxLength(200);
        a.Property(x => x.Line1).HasMaxLength(300);
        a.Property(x => x.Line2).HasMaxLength(300);
        a.Property(x => x.City).HasMaxLength(200);
        a.Property(x => x.Region).HasMaxLength(200);
        a.Property(x => x.PostalCode).HasMaxLength(20);
        a.Property(x => x.Country).HasMaxLength(2).IsFixedLength();
        a.Property(x => x.Phone).HasMaxLength(50);
        a.Ignore(x => x.Location);
    }
}

internal sealed class OrderTimelineEntryConfiguration : IEntityTypeConfiguration<OrderTimelineEntry>
{
    public void Configure(EntityTypeBuilder<OrderTimelineEntry> t)
    {
        t.ToTable("order_timeline");
        t.HasKey(x => x.Id);
        t.Property(x => x.Id).ValueGeneratedNever();
        t.Property(x => x.Event).HasConversion<string>().HasMaxLength(30);
        t.Property(x => x.From).HasConversion<string>().HasMaxLength(30);
        t.Property(x => x.To).HasConversion<string>().HasMaxLength(30);
        t.Property(x => x.Actor).HasMaxLength(200);
        t.Property(x => x.Reason).HasMaxLength(500);
        t.HasIndex("OrderId", nameof(OrderTimelineEntry.At));
    }
}
