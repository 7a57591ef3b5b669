using Oms.Domain.Common;
using Oms.Domain.Customers;
using Oms.Domain.Orders;

namespace Oms.Domain.Documents;

public readonly record struct DocumentId(Guid Value) : IComparable<DocumentId>
{
    public int CompareTo(DocumentId other) => Value.CompareTo(other.Value);
    public static DocumentId New(DateTimeOffset now) => new(Uuid.V7(now));
    public override string ToString() => Value.ToString();
}

public enum DocumentKind { Invoice, CreditNote, PackingSlip, ReturnSlip }

public enum DocumentStatus { Draft, Issued, Sent, Voided }

/// <summary>What happened to a document, for its trail.</summary>
public enum DocumentAction { Created, Issued, Viewed, Downloaded, Sent, Voided }

/// <summary>Who did it: an integration's API key, a member of staff, the customer through a link, or HeadlessOms itself.</summary>
public enum ActorKind { ApiKey, Staff, Customer, System }

/// <summary>Who acted on a document, and from which network address (none for HeadlessOms's own work).</summary>
public sealed record DocumentActor(ActorKind Kind, string Name, string? Address)
{
    public static readonly DocumentActor System = new(ActorKind.System, "headlessoms", null);
}

/// <summary>An invoice's or credit note's number: a series, the year of issue and a sequence without gaps (INV-2026-000123).</summary>
public readonly record struct DocumentNumber(string Series, int Year, long Sequence)
{
    public override string ToString() => $"{Series}-{Year}-{Sequence:D6}";
}

/// <summary>Something that happened to a document (document.issued, document.voided, document.viewed), in its order's stream.</summary>
public sealed record DocumentEvent(string Type, Guid AggregateId, Guid OrderId, DateTimeOffset OccurredAt, Transition? Transition = null) : IDomainEvent
{
    public Guid OrderingKey => OrderId;
}

/// <summary>One line of a document's trail: an action, who took it, from where and when. Never changed once written.</summary>
public sealed class DocumentActivity
{
    private DocumentActivity() { }

    public Guid Id { get; private set; }
    public DocumentId DocumentId { get; private set; }
    public DocumentAction Action { get; private set; }
    public ActorKind ActorKind { get; private set; }
    public string Actor { get; private set; } = "";
    public string? Address { get; private set; }
    /// <summary>What the action was about: the rendering fetched (pdf, html, ubl), where it was sent, why it was voided.</summary>
    public string? Detail { get; private set; }
    public DateTimeOffset At { get; private set; }

    internal static DocumentActivity Of(DocumentId document, DocumentAction action, DocumentActor actor, string? detail, DateTimeOffset at) => new()
    {
        Id = Uuid.V7(at), DocumentId = document, Action = action, ActorKind = actor.Kind, Actor = actor.Name, Address = actor.Address, Detail = detail, At = at,
    };

    /// <summary>
    /// A trail oldest first: by time (microseconds), then, for one instant (a document created and issued at once), in
    /// the order a document's life goes, then by id (the same millisecond's ids are not in order among themselves).
    /// </summary>
    public static IReadOnlyList<DocumentActivity> InOrder(IEnumerable<DocumentActivity> trail) => [.. trail.OrderBy(a => a.At).ThenBy(a => a.Action).ThenBy(a => a.Id)];

    /// <summary>Erasure: who a customer was and where they came from go; what was done and when stay.</summary>
    public void ErasePersonalData()
    {
        if (ActorKind == ActorKind.Customer) Actor = Customer.Erased;
        if (ActorKind == ActorKind.Customer) Address = null;
        if (Action == DocumentAction.Sent) Detail = Customer.Erased;
    }
}

/// <summary>
/// A document issued about an order (issue 37): an invoice, a credit note, a packing slip or a return slip. It keeps
/// what it showed when it was issued (<see cref="Content"/>), so it renders the same forever; invoices and credit notes
/// carry a number without gaps. An issued invoice is never deleted or changed: voiding it keeps its number and a credit
/// note follows.
/// </summary>
public sealed class Document : AggregateRoot
{
    public static readonly Lifecycle<DocumentStatus> Lifecycle = new("document", "document", new Dictionary<DocumentStatus, DocumentStatus[]>
    {
        [DocumentStatus.Draft] = [DocumentStatus.Issued],
        [DocumentStatus.Issued] = [DocumentStatus.Sent, DocumentStatus.Voided],
        [DocumentStatus.Sent] = [DocumentStatus.Voided],
        [DocumentStatus.Voided] = [],
    });

    public const int MaxReasonLength = 500;

    private Document() { }

    public DocumentId Id { get; private set; }
    public DocumentKind Kind { get; private set; }
    public DocumentStatus Status { get; private set; }
    /// <summary>Invoices and credit notes: their number once issued; slips have none (they name their order, return or fulfilment order).</summary>
    public string? Number { get; private set; }
    public string? Series { get; private set; }
    public int? Year { get; private set; }
    public long? Sequence { get; private set; }
    public OrderId OrderId { get; private set; }
    public CustomerId? CustomerId { get; private set; }
    /// <summary>What the document is for, unique per document: <c>invoice:{order}:{n}</c>, <c>refund:{payment}:{entry}</c>, <c>void:{invoice}</c>, <c>packing:{fulfilment order}</c>, <c>return:{return}</c>.</summary>
    public string SourceKey { get; private set; } = "";
    /// <summary>A credit note: the invoice it corrects.</summary>
    public DocumentId? CorrectsId { get; private set; }
    public string Locale { get; private set; } = "en";
    public string Currency { get; private set; } = "";
    /// <summary>What the document is worth with tax (zero for slips); a credit note's is what it gives back, as a positive amount.</summary>
    public long Total { get; private set; }
    public DocumentContent Content { get; private set; } = null!;

    /// <summary>A detached copy showing <see cref="DocumentContent.Masked"/> content, to render for a caller without personal data; never saved.</summary>
    public Document Masked()
    {
        var copy = (Document)MemberwiseClone();
        copy.Content = Content.Masked();
        return copy;
    }
    /// <summary>An invoice: what its credit notes have given back so far (a void credits the rest).</summary>
    public long Credited { get; private set; }
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset? IssuedAt { get; private set; }
    public DateTimeOffset? SentAt { get; private set; }
    public DateTimeOffset? VoidedAt { get; private set; }
    public string? VoidReason { get; private set; }
    /// <summary>When the customer first opened it through a link (document.viewed went out then).</summary>
    public DateTimeOffset? CustomerViewedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    public bool IsNumbered => Kind is DocumentKind.Invoice or DocumentKind.CreditNote;

    /// <summary>A draft: what it will show, without a number yet. Returns the trail's first line.</summary>
    public static (Document Document, DocumentActivity Created) Draft(DocumentKind kind, DocumentContent content, OrderId orderId, CustomerId? customerId,
        string sourceKey, DocumentActor actor, DateTimeOffset now, DocumentId? corrects = null)
    {
        if (kind == DocumentKind.CreditNote && content.Gross <= 0)
            throw new DomainException("document.nothing_to_credit", "A credit note gives back more than zero.", "amount");
        var document = new Document
        {
            Id = DocumentId.New(now), Kind = kind, Status = DocumentStatus.Draft, OrderId = orderId, CustomerId = customerId, SourceKey = sourceKey,
            CorrectsId = corrects, Locale = content.Locale, Currency = content.Currency, Total = content.Gross, Content = content,
            CreatedAt = now, UpdatedAt = now,
        };
        return (document, DocumentActivity.Of(document.Id, DocumentAction.Created, actor, null, now));
    }

    /// <summary>
    /// Issues the document: an invoice or credit note takes <paramref name="number"/> (drawn in this transaction from its
    /// series, so numbers have no gaps); a slip needs none. Raises document.issued.
    /// </summary>
    public DocumentActivity Issue(DocumentNumber? number, DocumentActor actor, DateTimeOffset now)
    {
        if (IsNumbered != number.HasValue)
            throw new InvalidOperationException(IsNumbered ? "An invoice or credit note is issued with a number." : "A slip has no number.");
        MoveTo(DocumentStatus.Issued, now);
        if (number is { } n) (Number, Series, Year, Sequence) = (n.ToString(), n.Series, n.Year, n.Sequence);
        IssuedAt = now;
        Content = Content with { IssuedAt = now, Number = Number };
        return DocumentActivity.Of(Id, DocumentAction.Issued, actor, null, now);
    }

    /// <summary>Updates what a draft will show (the order changed before it was issued).</summary>
    public void Redraft(DocumentContent content, DateTimeOffset now)
    {
        if (Status != DocumentStatus.Draft) throw new ConflictException("document.not_draft", "Only a draft changes; an issued document shows what it showed.");
        (Content, Total, Currency, Locale, UpdatedAt) = (content, content.Gross, content.Currency, content.Locale, now);
    }

    /// <summary>The document went to the customer (<paramref name="to"/>: where); the first send moves it to sent, later ones are recorded.</summary>
    public DocumentActivity Send(string to, DocumentActor actor, DateTimeOffset now)
    {
        if (Status is DocumentStatus.Draft or DocumentStatus.Voided) throw Lifecycle.InvalidMove(Status, DocumentStatus.Sent);
        if (Status == DocumentStatus.Issued) MoveTo(DocumentStatus.Sent, now);
        SentAt ??= now;
        return DocumentActivity.Of(Id, DocumentAction.Sent, actor, to, now);
    }

    /// <summary>
    /// Voids an issued invoice: it keeps its number and stays readable; the caller issues the credit note that cancels
    /// it (<see cref="DocumentContent.CreditFor(Document, string, DateTimeOffset)"/>) in the same transaction. Raises document.voided.
    /// </summary>
    public DocumentActivity Void(string reason, DocumentActor actor, DateTimeOffset now)
    {
        if (Kind != DocumentKind.Invoice) throw new ConflictException("document.not_voidable", "Only an invoice is voided; a credit note or slip stays as issued.");
        reason = reason.Trim();
        if (reason.Length is 0 or > MaxReasonLength) throw new DomainException("document.invalid_reason", $"Say why, in 1 to {MaxReasonLength} characters.", "reason");
        MoveTo(DocumentStatus.Voided, now);
        (VoidedAt, VoidReason) = (now, reason);
        return DocumentActivity.Of(Id, DocumentAction.Voided, actor, reason, now);
    }

    /// <summary>What of an invoice is not credited yet: what its next credit note may give back.</summary>
    public long Creditable => Kind == DocumentKind.Invoice && Status != DocumentStatus.Voided ? Math.Max(0, Total - Credited) : 0;

    /// <summary>
    /// A credit note against this invoice gives back <paramref name="amount"/>: the invoice counts it (and its version
    /// moves, so a void racing the credit note is refused and tried again on what is left).
    /// </summary>
    public void CreditedBy(long amount, DateTimeOffset now)
    {
        if (Kind != DocumentKind.Invoice) throw new InvalidOperationException("Only an invoice is credited.");
        if (amount <= 0 || amount > Creditable)
            throw new DomainException("document.over_credit", $"At most {Creditable} of this invoice is left to credit.", "amount");
        Credited += amount;
        UpdatedAt = now;
    }

    /// <summary>Someone opened (<paramref name="download"/>: fetched a file of) the document; its customer's first view raises document.viewed.</summary>
    public DocumentActivity Opened(bool download, string rendering, DocumentActor actor, DateTimeOffset now)
    {
        if (Status == DocumentStatus.Draft && actor.Kind == ActorKind.Customer)
            throw new NotFoundException("document", Id.Value);
        if (actor.Kind == ActorKind.Customer && CustomerViewedAt is null)
        {
            CustomerViewedAt = now;
            UpdatedAt = now;
            Raise(new DocumentEvent("document.viewed", Id.Value, OrderId.Value, now));
        }
        return DocumentActivity.Of(Id, download ? DocumentAction.Downloaded : DocumentAction.Viewed, actor, rendering, now);
    }

    /// <summary>The actions the document's status allows now, as clients name them.</summary>
    public IReadOnlyList<string> AvailableActions => (Status, Kind) switch
    {
        (DocumentStatus.Draft, _) => ["issue"],
        (DocumentStatus.Issued or DocumentStatus.Sent, DocumentKind.Invoice) => ["send", "void"],
        (DocumentStatus.Issued or DocumentStatus.Sent, _) => ["send"],
        _ => [],
    };

    /// <summary>Erasure: the buyer's name, addresses, contact and VAT identifier go; the number, lines, amounts and dates stay for the books.</summary>
    public void ErasePersonalData(Func<string, string> scrub, DateTimeOffset now)
    {
        Content = Content.Erased(scrub);
        UpdatedAt = now;
    }

    private void MoveTo(DocumentStatus to, DateTimeOffset now)
    {
        Lifecycle.EnsureCanMove(Status, to);
        var from = Status;
        Status = to;
        UpdatedAt = now;
        if (to is DocumentStatus.Issued or DocumentStatus.Voided)
            Raise(new DocumentEvent("document." + Lifecycle<DocumentStatus>.Wire(to), Id.Value, OrderId.Value, now, Transition.Of(from, to)));
    }
}
