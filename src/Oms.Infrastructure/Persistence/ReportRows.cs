namespace Oms.Infrastructure.Persistence;

/// <summary>What an order last added to the reports (<see cref="Oms.Domain.Reports.OrderFact"/>): taken out again when the order changes.</summary>
public sealed class ReportOrderRow
{
    public Guid OrderId { get; set; }
    public long Number { get; set; }
    public DateTimeOffset PlacedAt { get; set; }
    public DateOnly Day { get; set; }
    public string Currency { get; set; } = "";
    public string Channel { get; set; } = "";
    public string? Country { get; set; }
    public string? Seller { get; set; }
    public Guid? CustomerId { get; set; }
    public long Gross { get; set; }
    public long Net { get; set; }
    public long Refunded { get; set; }
    public bool Cancelled { get; set; }
    public int Units { get; set; }
    public int ReturnedUnits { get; set; }
}

/// <summary>A line (or a node's part of one) as it last counted (<see cref="Oms.Domain.Reports.LineFact"/>), with its order's attributes, so a filter on a line's node, brand or category can still group by the order's.</summary>
public sealed class ReportLineRow
{
    public Guid OrderId { get; set; }
    public int Part { get; set; }
    public DateOnly Day { get; set; }
    public int Hour { get; set; }
    public string Currency { get; set; } = "";
    public string Channel { get; set; } = "";
    public string? Country { get; set; }
    public string? Seller { get; set; }
    public Guid? CustomerId { get; set; }
    public bool Cancelled { get; set; }
    public string Sku { get; set; } = "";
    public string? Brand { get; set; }
    public string? Category { get; set; }
    public string? Node { get; set; }
    public int Units { get; set; }
    public int ReturnedUnits { get; set; }
    public long Gross { get; set; }
    public long Net { get; set; }
    public long Refunded { get; set; }
}

/// <summary>A rollup row (<see cref="Oms.Domain.Reports.RollupCell"/>): the sums of every order in one cell.</summary>
public sealed class ReportRollupRow
{
    public string Dimension { get; set; } = "";
    public short Grain { get; set; }
    public DateOnly Period { get; set; }
    public string Key { get; set; } = "";
    public string Channel { get; set; } = "";
    public string Country { get; set; } = "";
    public string Currency { get; set; } = "";
    public int Orders { get; set; }
    public int Units { get; set; }
    public int ReturnedUnits { get; set; }
    public long Gross { get; set; }
    public long Net { get; set; }
    public long Refunded { get; set; }
    public int Cancelled { get; set; }
}

/// <summary>An order whose facts may have changed, queued from the committed events by the webhook fan-out (<see cref="Oms.Infrastructure.Reports.ReportRequests"/>).</summary>
public sealed class ReportRequest
{
    public long Position { get; set; }
    public Guid OrderId { get; set; }
    public DateTimeOffset RequestedAt { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset DueAt { get; set; }
}
