using Oms.Domain.Common;
using Oms.Domain.Inventory;
using Oms.Domain.Orders;

namespace Oms.Domain.Returns;

public enum ReturnStatus { Requested, Approved, Rejected, InTransit, Received, Inspected, Refunded, Exchanged }

public enum ReturnReason { Damaged, Defective, WrongItem, NotAsDescribed, SizeOrFit, NoLongerNeeded, Other }

/// <summary>What happens to a returned unit after inspection.</summary>
public enum Disposition { Restock, WriteOff, Refurbish }

public sealed record ReturnLineRequest(Guid OrderLineId, int Quantity, ReturnReason Reason, string? Comment);

public sealed class ReturnLine
{
    private ReturnLine() { }

    internal ReturnLine(Guid orderLineId, string sku, int quantity, ReturnReason reason, string? comment)
    {
        OrderLineId = orderLineId;
        Sku = sku;
        Quantity = quantity;
        Reason = reason;
        Comment = comment;
    }

    public Guid OrderLineId { get; private set; }
    public string Sku { get; private set; } = "";
    public int Quantity { get; private set; }
    public ReturnReason Reason { get; private set; }
    public string? Comment { get; private set; }
    public Disposition? Disposition { get; private set; }

    internal void EraseComment() => Comment = null;
    public string? InspectionNote { get; private set; }

    internal void Inspect(Disposition disposition, string? note)
    {
        Disposition = disposition;
        InspectionNote = note;
    }
}

/// <summary>A return merchandise authorisation: goods coming back from one order, and what the customer gets for them.</summary>
public sealed class Return : AggregateRoot
{
    public const int MaxCommentLength = 1000;

    public static readonly Lifecycle<ReturnStatus> Lifecycle = new("return", "return", new Dictionary<ReturnStatus, ReturnStatus[]>
    {
        [ReturnStatus.Requested] = [ReturnStatus.Approved, ReturnStatus.Rejected],
        // Tracking the way back is optional: a parcel handed in at a store arrives without it.
        [ReturnStatus.Approved] = [ReturnStatus.InTransit, ReturnStatus.Received],
        [ReturnStatus.InTransit] = [ReturnStatus.Received],
        [ReturnStatus.Received] = [ReturnStatus.Inspected],
        [ReturnStatus.Inspected] = [ReturnStatus.Refunded, ReturnStatus.Exchanged],
        [ReturnStatus.Rejected] = [],
        [ReturnStatus.Refunded] = [],
        [ReturnStatus.Exchanged] = [],
    });

    private readonly List<ReturnLine> _lines = [];

    private Return() { }

    public Guid Id { get; private set; }
    public OrderId OrderId { get; private set; }
    /// <summary>The n-th return of its order; the number reads <c>OMS-100042-R1</c>.</summary>
    public int Sequence { get; private set; }
    public string Number { get; private set; } = "";
    public ReturnStatus Status { get; private set; }
    public string? Comment { get; private set; }
    public string? RejectReason { get; private set; }
    public string? ReturnCarrier { get; private set; }
    public string? ReturnTrackingNumber { get; private set; }
    public NodeId? ReceivedAtNodeId { get; private set; }
    public string? ReceivedAtNodeCode { get; private set; }
    public string Currency { get; private set; } = "";
    public long RefundAmount { get; private set; }
    public long RestockingFee { get; private set; }
    public OrderId? ReplacementOrderId { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }
    public DateTimeOffset? ReceivedAt { get; private set; }
    public IReadOnlyList<ReturnLine> Lines => _lines;

    /// <summary>Erasure (GDPR): what the customer wrote goes; what came back, when and for how much stays for the books.</summary>
    public void ErasePersonalData()
    {
        Comment = null;
        foreach (var line in _lines) line.EraseComment();
    }

    public static bool CanMove(ReturnStatus from, ReturnStatus to) => Lifecycle.CanMove(from, to);

    /// <summary>
    /// Opens a return for goods the customer has. <paramref name="alreadyReturned"/> holds the units of each order line
    /// that earlier (not rejected) returns cover; nobody returns more than they received.
    /// </summary>
    public static Return Request(Order order, int sequence, IReadOnlyList<ReturnLineRequest> lines, string? comment,
        IReadOnlyDictionary<Guid, int> alreadyReturned, TimeSpan window, DateTimeOffset now)
    {
        if (!order.IsWithCustomer)
            throw new ConflictException("return.not_delivered", $"Only delivered orders can be returned; this one is {OrderStateMachine.Wire(order.Status)}.");
        if (now - order.DeliveredAt > window)
            throw new ConflictException("return.window_closed", $"Returns are accepted for {window.TotalDays:0} days after delivery; this order was delivered on {order.DeliveredAt:yyyy-MM-dd}.");
        if (lines.Count == 0) throw new DomainException("return.no_lines", "A return names at least one line.", "lines");
        if (comment is { Length: > MaxCommentLength }) throw new DomainException("return.comment_too_long", $"A comment has at most {MaxCommentLength} characters.", "comment");
        var r = new Return
        {
            Id = Uuid.V7(now), OrderId = order.Id, Sequence = sequence, Number = $"{order.DisplayNumber}-R{sequence}",
            Status = ReturnStatus.Requested, Comment = comment, Currency = order.Currency, CreatedAt = now, UpdatedAt = now,
        };
        for (var i = 0; i < lines.Count; i++)
        {
            var l = lines[i];
            var orderLine = order.Lines.FirstOrDefault(x => x.Id == l.OrderLineId)
                            ?? throw new DomainException("return.unknown_line", $"Order line '{l.OrderLineId}' is not part of order {order.DisplayNumber}.", $"lines[{i}].orderLineId");
            var returnable = orderLine.Quantity - alreadyReturned.GetValueOrDefault(l.OrderLineId) - r._lines.Where(x => x.OrderLineId == l.OrderLineId).Sum(x => x.Quantity);
            if (l.Quantity < 1 || l.Quantity > returnable)
                throw new DomainException("return.invalid_quantity", $"Between 1 and {Math.Max(returnable, 0)} of '{orderLine.Sku}' can still be returned.", $"lines[{i}].quantity");
            if (l.Comment is { Length: > MaxCommentLength }) throw new DomainException("return.comment_too_long", $"A comment has at most {MaxCommentLength} characters.", $"lines[{i}].comment");
            r._lines.Add(new ReturnLine(l.OrderLineId, orderLine.Sku, l.Quantity, l.Reason, l.Comment));
        }
        r.Raise(new ReturnEvent("return.requested", r.Id, r.OrderId.Value, now));
        return r;
    }

    public void Approve(DateTimeOffset now) => MoveTo(ReturnStatus.Approved, now);

    public void Reject(string reason, DateTimeOffset now)
    {
        MoveTo(ReturnStatus.Rejected, now);
        RejectReason = reason;
    }

    public void MarkInTransit(string? carrier, string? trackingNumber, DateTimeOffset now)
    {
        MoveTo(ReturnStatus.InTransit, now);
        ReturnCarrier = carrier;
        ReturnTrackingNumber = trackingNumber;
    }

    public void Receive(NodeId node, string nodeCode, DateTimeOffset now)
    {
        MoveTo(ReturnStatus.Received, now);
        ReceivedAtNodeId = node;
        ReceivedAtNodeCode = nodeCode;
        ReceivedAt = now;
    }

    /// <summary>Every line gets a disposition; returns the units to put back on the shelf, per SKU.</summary>
    public IReadOnlyList<(string Sku, int Quantity)> Inspect(IReadOnlyDictionary<Guid, (Disposition Disposition, string? Note)> results, DateTimeOffset now)
    {
        if (Status != ReturnStatus.Received) throw InvalidMove(ReturnStatus.Inspected);
        var missing = _lines.Where(l => !results.ContainsKey(l.OrderLineId)).Select(l => l.Sku).ToList();
        if (missing.Count > 0)
            throw new DomainException("return.inspection_incomplete", "Every returned line needs a disposition; missing: " + string.Join(", ", missing) + ".", "lines");
        if (results.Keys.FirstOrDefault(k => _lines.All(l => l.OrderLineId != k)) is var unknown && unknown != Guid.Empty)
            throw new DomainException("return.unknown_line", $"Order line '{unknown}' is not part of this return.", "lines");
        foreach (var line in _lines)
        {
            var (disposition, note) = results[line.OrderLineId];
            line.Inspect(disposition, note);
        }
        MoveTo(ReturnStatus.Inspected, now);
        return _lines.Where(l => l.Disposition == Disposition.Restock).GroupBy(l => l.Sku).Select(g => (g.Key, g.Sum(l => l.Quantity))).ToList();
    }

    public void Refunded(long amount, long restockingFee, DateTimeOffset now)
    {
        if (Status != ReturnStatus.Inspected) throw InvalidMove(ReturnStatus.Refunded);
        if (amount < 0) throw new DomainException("return.invalid_amount", "A refund cannot be negative.", "amount");
        if (restockingFee < 0) throw new DomainException("return.invalid_amount", "A restocking fee cannot be negative.", "restockingFee");
        RefundAmount = amount;
        RestockingFee = restockingFee;
        MoveTo(ReturnStatus.Refunded, now);
    }

    /// <summary>Refuses early, before work that the move would need (an exchange places its replacement first).</summary>
    public void EnsureCanBecome(ReturnStatus to)
    {
        if (!CanMove(Status, to)) throw InvalidMove(to);
    }

    public void Exchanged(OrderId replacement, DateTimeOffset now)
    {
        MoveTo(ReturnStatus.Exchanged, now);
        ReplacementOrderId = replacement;
    }

    public bool Counts => Status != ReturnStatus.Rejected;

    private void MoveTo(ReturnStatus to, DateTimeOffset now)
    {
        EnsureCanBecome(to);
        var from = Status;
        Status = to;
        UpdatedAt = now;
        Raise(new ReturnEvent("return." + Wire(to), Id, OrderId.Value, now, Transition.Of(from, to)));
    }

    private ConflictException InvalidMove(ReturnStatus to) => Lifecycle.InvalidMove(Status, to);

    public static string Wire(ReturnStatus s) => Lifecycle<ReturnStatus>.Wire(s);
}

public sealed record ReturnEvent(string Type, Guid AggregateId, Guid OrderId, DateTimeOffset OccurredAt, Transition? Transition = null) : IDomainEvent
{
    public Guid OrderingKey => OrderId;
}
