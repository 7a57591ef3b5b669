using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Oms.Domain.Reports;

namespace Oms.Infrastructure.Persistence.Configurations;

internal sealed class ReportOrderConfiguration : IEntityTypeConfiguration<ReportOrderRow>
{
    public void Configure(EntityTypeBuilder<ReportOrderRow> b)
    {
        b.ToTable("report_orders");
        b.HasKey(r => r.OrderId);
        b.Property(r => r.Currency).HasMaxLength(3);
        b.Property(r => r.Channel).HasMaxLength(20);
        b.Property(r => r.Country).HasMaxLength(2);
        b.Property(r => r.Seller).HasMaxLength(100);
        // Top orders: the largest first, read until enough fall in the period and filters.
        b.HasIndex(r => r.Gross);
        // Days' facts (the days around whole months): rows are written about in the order of their days, which a
        // block-range index follows at next to no cost per row.
        b.HasIndex(r => r.Day).HasMethod("brin");
    }
}

internal sealed class ReportLineConfiguration : IEntityTypeConfiguration<ReportLineRow>
{
    public void Configure(EntityTypeBuilder<ReportLineRow> b)
    {
        b.ToTable("report_lines");
        b.HasKey(r => new { r.OrderId, r.Part });
        b.Property(r => r.Currency).HasMaxLength(3);
        b.Property(r => r.Channel).HasMaxLength(20);
        b.Property(r => r.Country).HasMaxLength(2);
        b.Property(r => r.Seller).HasMaxLength(100);
        b.Property(r => r.Sku).HasMaxLength(64);
        b.Property(r => r.Brand).HasMaxLength(100);
        b.Property(r => r.Category).HasMaxLength(100);
        b.Property(r => r.Node).HasMaxLength(50);
        // Days' lines (the days around whole months, and any period filtered by a line's node, brand or category).
        b.HasIndex(r => r.Day).HasMethod("brin");
    }
}

internal sealed class ReportRollupConfiguration : IEntityTypeConfiguration<ReportRollupRow>
{
    public void Configure(EntityTypeBuilder<ReportRollupRow> b)
    {
        b.ToTable("report_rollups");
        // A report reads one dimension at one grain over a run of periods: the key leads with those.
        b.HasKey(r => new { r.Dimension, r.Grain, r.Period, r.Key, r.Channel, r.Country, r.Currency });
        b.Property(r => r.Dimension).HasMaxLength(10);
        b.Property(r => r.Key).HasMaxLength(100);
        b.Property(r => r.Channel).HasMaxLength(20);
        b.Property(r => r.Country).HasMaxLength(2);
        b.Property(r => r.Currency).HasMaxLength(3);
    }
}

internal sealed class ReportRequestConfiguration : IEntityTypeConfiguration<ReportRequest>
{
    public void Configure(EntityTypeBuilder<ReportRequest> b)
    {
        b.ToTable("report_requests");
        b.HasKey(r => r.Position);
        b.Property(r => r.Position).ValueGeneratedOnAdd();
        b.HasIndex(r => r.DueAt);
    }
}

internal sealed class ExchangeRateConfiguration : IEntityTypeConfiguration<ExchangeRate>
{
    public void Configure(EntityTypeBuilder<ExchangeRate> b)
    {
        b.ToTable("exchange_rates");
        b.HasKey(r => new { r.Base, r.Quote, r.Date });
        b.Property(r => r.Base).HasMaxLength(3);
        b.Property(r => r.Quote).HasMaxLength(3);
        b.Property(r => r.Rate).HasPrecision(28, ExchangeRate.MaxDecimals);
    }
}
