namespace Oms.Infrastructure.Persistence;

/// <summary>The next number of each document series and year; the row is locked from the draw to the commit, so numbers have no gaps.</summary>
public sealed class DocumentCounter
{
    public string Series { get; set; } = "";
    public int Year { get; set; }
    public long Last { get; set; }
}

/// <summary>Something to issue a document for, queued from the committed events by the webhook fan-out (<see cref="Oms.Infrastructure.Documents.DocumentRequests"/>).</summary>
public sealed class DocumentRequest
{
    public long Position { get; set; }
    /// <summary>invoice, refund, packing or return.</summary>
    public string Kind { get; set; } = "";
    /// <summary>The order, payment, fulfilment order or return it is about.</summary>
    public Guid SubjectId { get; set; }
    public DateTimeOffset RequestedAt { get; set; }
    public int Attempts { get; set; }
    public DateTimeOffset DueAt { get; set; }
    public string? LastError { get; set; }
}

/// <summary>A key HeadlessOms signs its links with, made at first start when configuration gives none (one per purpose).</summary>
public sealed class SigningKey
{
    public string Purpose { get; set; } = "";
    public byte[] Key { get; set; } = [];
    public DateTimeOffset CreatedAt { get; set; }
}
