using System.ComponentModel.DataAnnotations;
using Oms.Api.Platform.Http;
using Oms.Domain.Orders;
using Oms.Domain.Returns;

namespace Oms.Api.Returns;

public sealed class ReturnOptions
{
    /// <summary>Days after delivery (or pickup) during which a return can be requested.</summary>
    public int WindowDays { get; set; } = 30;
    /// <summary>Restocking fee kept from a refund when the request names none, in basis points of the returned value (1000 = 10 %).</summary>
    public int RestockingFeeBasisPoints { get; set; }
}

public sealed record ReturnLineRequestDto
{
    public required Guid OrderLineId { get; init; }
    [Range(1, Order.MaxQuantity)] public required int Quantity { get; init; }
    /// <summary>damaged, defective, wrong_item, not_as_described, size_or_fit, no_longer_needed or other.</summary>
    public required ReturnReason Reason { get; init; }
    [StringLength(Return.MaxCommentLength)] public string? Comment { get; init; }
}

/// <summary>A customer wants to send goods back.</summary>
public sealed record CreateReturnRequest
{
    [MinLength(1), MaxLength(Order.MaxLines)] public required IReadOnlyList<ReturnLineRequestDto> Lines { get; init; }
    [StringLength(Return.MaxCommentLength)] public string? Comment { get; init; }
}

public sealed record RejectReturnRequest
{
    [StringLength(500, MinimumLength = 1)] public required string Reason { get; init; }
}

/// <summary>The parcel is on its way back; tracking is optional.</summary>
public sealed record ReturnInTransitRequest
{
    [StringLength(40)] public string? Carrier { get; init; }
    [StringLength(100)] public string? TrackingNumber { get; init; }
}

public sealed record ReceiveReturnRequest
{
    /// <summary>The node that received the parcel; restocked units go into its stock.</summary>
    [StringLength(64, MinimumLength = 1)] public required string NodeCode { get; init; }
}

public sealed record InspectLineRequest
{
    public required Guid OrderLineId { get; init; }
    /// <summary>restock (back into the receiving node's stock), write_off or refurbish.</summary>
    public required Disposition Disposition { get; init; }
    [StringLength(500)] public string? Note { get; init; }
}

/// <summary>A disposition for every returned line.</summary>
public sealed record InspectReturnRequest
{
    [MinLength(1), MaxLength(Order.MaxLines)] public required IReadOnlyList<InspectLineRequest> Lines { get; init; }
}

/// <summary>
/// Refund through the order's payments. The amount defaults to the returned lines' price with tax, less the
/// restocking fee (by default the configured share of that value).
/// </summary>
public sealed record RefundReturnRequest
{
    [Range(typeof(long), "0", MoneyLimits.Max)] public long? Amount { get; init; }
    [Range(typeof(long), "0", MoneyLimits.Max)] public long? RestockingFee { get; init; }
}

public sealed record ExchangeLineRequest
{
    [StringLength(64, MinimumLength = 1)] public required string Sku { get; init; }
    [Range(1, Order.MaxQuantity)] public required int Quantity { get; init; }
}

/// <summary>Replacement goods at no charge; by default the same SKUs and quantities that came back.</summary>
public sealed record ExchangeReturnRequest
{
    [MinLength(1), MaxLength(Order.MaxLines)] public IReadOnlyList<ExchangeLineRequest>? Lines { get; init; }
}

public sealed record ReturnLineDto
{
    public required Guid OrderLineId { get; init; }
    public required string Sku { get; init; }
    public required int Quantity { get; init; }
    public required ReturnReason Reason { get; init; }
    public required string? Comment { get; init; }
    public required Disposition? Disposition { get; init; }
    public required string? InspectionNote { get; init; }
}

/// <summary>A return (RMA): requested → approved or rejected → in_transit → received → inspected → refunded or exchanged.</summary>
public sealed record ReturnDto
{
    public required Guid Id { get; init; }
    /// <summary>The order number with a suffix: OMS-100042-R1.</summary>
    public required string Number { get; init; }
    public required Guid OrderId { get; init; }
    public required ReturnStatus Status { get; init; }
    public required string? Comment { get; init; }
    public required string? RejectReason { get; init; }
    public required string? ReturnCarrier { get; init; }
    public required string? ReturnTrackingNumber { get; init; }
    public required string? ReceivedAtNodeCode { get; init; }
    public required DateTimeOffset? ReceivedAt { get; init; }
    public required MoneyDto RefundAmount { get; init; }
    public required MoneyDto RestockingFee { get; init; }
    /// <summary>The replacement order of an exchange.</summary>
    public required Guid? ReplacementOrderId { get; init; }
    public required IReadOnlyList<ReturnLineDto> Lines { get; init; }
    public required DateTimeOffset CreatedAt { get; init; }
    public required DateTimeOffset UpdatedAt { get; init; }
    public required int Version { get; init; }

    public static ReturnDto From(Return r) => new()
    {
        Id = r.Id, Number = r.Number, OrderId = r.OrderId.Value, Status = r.Status, Comment = r.Comment, RejectReason = r.RejectReason,
        ReturnCarrier = r.ReturnCarrier, ReturnTrackingNumber = r.ReturnTrackingNumber, ReceivedAtNodeCode = r.ReceivedAtNodeCode, ReceivedAt = r.ReceivedAt,
        RefundAmount = MoneyDto.From(r.RefundAmount, r.Currency), RestockingFee = MoneyDto.From(r.RestockingFee, r.Currency),
        ReplacementOrderId = r.ReplacementOrderId?.Value,
        Lines = r.Lines.Select(l => new ReturnLineDto
        {
            OrderLineId = l.OrderLineId, Sku = l.Sku, Quantity = l.Quantity, Reason = l.Reason, Comment = l.Comment, Disposition = l.Disposition, InspectionNote = l.InspectionNote,
        }).ToList(),
        CreatedAt = r.CreatedAt, UpdatedAt = r.UpdatedAt, Version = r.Version,
    };
}

/// <summary>Returned units of one SKU for one reason (rejected returns not counted).</summary>
public sealed record ReturnStatsRowDto
{
    public required string Sku { get; init; }
    public required ReturnReason Reason { get; init; }
    /// <summary>Returns that include the SKU for this reason.</summary>
    public required int Returns { get; init; }
    public required int Units { get; init; }
}

public sealed record ReturnStatsDto
{
    public required DateTimeOffset From { get; init; }
    public required DateTimeOffset To { get; init; }
    public required IReadOnlyList<ReturnStatsRowDto> Rows { get; init; }
}
