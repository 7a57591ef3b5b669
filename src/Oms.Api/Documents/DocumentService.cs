using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Oms.Api.Platform.Auth;
using Oms.Domain.Common;
using Oms.Domain.Documents;
using Oms.Domain.Fulfilment;
using Oms.Domain.Orders;
using Oms.Domain.Payments;
using Oms.Domain.Returns;
using Oms.Infrastructure.Documents;
using Oms.Infrastructure.Links;
using Oms.Infrastructure.Persistence;

namespace Oms.Api.Documents;

/// <summary>The seller and the returns address, read from configuration once (null seller: no documents can be issued).</summary>
public sealed record DocumentSetup(SellerDetails? Seller, Address? ReturnsAddress)
{
    public SellerDetails RequireSeller() => Seller ?? throw new ConflictException("document.no_seller",
        "No seller is configured (Seller:Name, Line1, City, Country, VatId): documents cannot be issued.");
}

/// <summary>
/// Issues and changes documents (issue 37). What an order is due is worked out from the order, its payments, packed
/// fulfilment orders and approved returns (<see cref="IssueDueAsync"/>), so issuing twice finds the first document
/// instead of making a second; numbers come from <see cref="DocumentNumbers"/> in the transaction that issues.
/// </summary>
public sealed class DocumentService(OmsDbContext db, UnitOfWork work, TimeProvider clock, IHttpContextAccessor http, IOptions<DocumentOptions> options,
    DocumentSetup setup, LinkSigner links, Visibility seen)
{
    private DocumentOptions O => options.Value;

    /// <summary>Who is acting: the calling key (with the client's address), or HeadlessOms itself.</summary>
    public DocumentActor Caller => http.HttpContext is { } context && context.GetCaller() is { } caller
        ? new DocumentActor(caller.Person is null ? ActorKind.ApiKey : ActorKind.Staff, caller.Name, context.Connection.RemoteIpAddress?.ToString())
        : DocumentActor.System;

    /// <summary>
    /// Issues what the orders are due and do not have yet, in the caller's transaction: the invoice (at confirmation or
    /// first shipment, by configuration), a credit note per refund once there is an invoice, a packing slip per packed
    /// fulfilment order, a return slip per approved return. Returns how many documents it issued.
    /// </summary>
    public async Task<int> IssueDueAsync(IReadOnlyCollection<Guid> orderIds, CancellationToken ct)
    {
        if (setup.Seller is null || orderIds.Count == 0) return 0;
        var ids = orderIds.Select(i => new OrderId(i)).ToList();
        // Held until commit: an erasure waits for this batch and then scrubs its documents too; one starting later reads placeholders.
        await db.EnterErasureGateAsync(exclusive: false, ct);
        var orders = await db.Orders.AsNoTracking().Where(o => ids.Contains(o.Id)).ToListAsync(ct);
        var payments = (await db.Payments.AsNoTracking().Where(p => ids.Contains(p.OrderId)).ToListAsync(ct)).ToLookup(p => p.OrderId);
        var packed = (await db.FulfilmentOrders.AsNoTracking().Where(f => ids.Contains(f.OrderId) && f.PackedAt != null).ToListAsync(ct)).ToLookup(f => f.OrderId);
        var returns = (await db.Returns.AsNoTracking().Where(r => ids.Contains(r.OrderId) && r.Status != ReturnStatus.Requested && r.Status != ReturnStatus.Rejected)
            .ToListAsync(ct)).ToLookup(r => r.OrderId);
        // Tracked: a refund's credit note counts against its invoice (which a racing void then sees, or is refused on).
        var existing = (await db.Documents.Where(d => ids.Contains(d.OrderId)).ToListAsync(ct)).ToLookup(d => d.OrderId);
        var firstShipments = await db.Shipments.AsNoTracking().Where(s => ids.Contains(s.OrderId)).GroupBy(s => s.OrderId)
            .Select(g => new { OrderId = g.Key, At = g.Min(s => s.CreatedAt) }).ToDictionaryAsync(x => x.OrderId, x => x.At, ct);
        var locales = await LocalesAsync(orders, ct);
        var now = clock.GetUtcNow();
        var due = new List<(Document Document, DocumentActivity Created)>();
        foreach (var order in orders)
        {
            var locale = locales.GetValueOrDefault(order.Id) ?? DefaultLocale;
            var documents = existing[order.Id].ToList();
            var keys = documents.Select(d => d.SourceKey).ToHashSet(StringComparer.Ordinal);
            Document? invoice = documents.FirstOrDefault(d => d.Kind == DocumentKind.Invoice && d.Status != DocumentStatus.Voided);
            if (invoice is null && !keys.Contains(InvoiceKey(order.Id, 0)) && InvoiceDue(order))
            {
                var drafted = DraftInvoice(order, payments[order.Id], firstShipments.TryGetValue(order.Id, out var shipped) ? shipped : null, locale, 0, DocumentActor.System, now);
                due.Add(drafted);
                invoice = drafted.Document;
            }
            if (invoice is { Status: not DocumentStatus.Draft })
                foreach (var payment in payments[order.Id])
                    for (var i = 0; i < payment.History.Count; i++)
                    {
                        var entry = payment.History[i];
                        if (entry.Kind != "refunded" || keys.Contains($"refund:{payment.Id}:{i}")) continue;
                        // A refund beyond what the invoice has left (money paid over the total) is no credit of the invoice.
                        var amount = Math.Min(entry.Amount, invoice.Creditable);
                        if (amount <= 0) continue;
                        // In the invoice's language, as the credit note prints (it takes the invoice's content).
                        var refund = DocumentLabels.For(invoice.Locale)["refund"];
                        var content = DocumentContent.CreditFor(invoice, amount, entry.Note ?? refund, refund, now);
                        invoice.CreditedBy(amount, now);
                        due.Add(Document.Draft(DocumentKind.CreditNote, content, order.Id, order.CustomerId, $"refund:{payment.Id}:{i}", DocumentActor.System, now, invoice.Id));
                    }
            foreach (var fulfilment in packed[order.Id].Where(f => f.Status is not (FulfilmentStatus.Cancelled or FulfilmentStatus.Rejected)))
                if (!keys.Contains($"packing:{fulfilment.Id.Value}"))
                    due.Add(Document.Draft(DocumentKind.PackingSlip, DocumentContent.PackingSlipFor(order, fulfilment, setup.Seller, locale, Packages(fulfilment)),
                        order.Id, order.CustomerId, $"packing:{fulfilment.Id.Value}", DocumentActor.System, now));
            foreach (var @return in returns[order.Id])
                if (!keys.Contains($"return:{@return.Id}"))
                    due.Add(Document.Draft(DocumentKind.ReturnSlip, DocumentContent.ReturnSlipFor(order, @return, setup.Seller, setup.ReturnsAddress!, locale),
                        order.Id, order.CustomerId, $"return:{@return.Id}", DocumentActor.System, now));
        }
        await IssueAllAsync(due, DocumentActor.System, ct);
        return due.Count;
    }

    /// <summary>Draws up the order's invoice now (or a draft): 201 with it, or 200 with the one the order has.</summary>
    public async Task<(DocumentDto Document, bool Created)> CreateInvoiceAsync(OrderId orderId, CreateInvoiceRequest request, CancellationToken ct)
    {
        setup.RequireSeller();
        await seen.EnsureOrderAsync(orderId, ct);
        var (id, current) = await work.ChangeAsync(async () =>
        {
            var order = await db.Orders.AsNoTracking().SingleOrDefaultAsync(o => o.Id == orderId, ct) ?? throw new NotFoundException("order", orderId.Value);
            var invoices = await db.Documents.AsNoTracking().Where(d => d.OrderId == orderId && d.Kind == DocumentKind.Invoice).ToListAsync(ct);
            if (invoices.FirstOrDefault(d => d.Status != DocumentStatus.Voided) is { } open) return (open.Id, (Document?)open);
            if (order.ConfirmedAt is null || order.Status == OrderStatus.Cancelled)
                throw new ConflictException("document.order_not_invoiceable", $"An order that is {OrderStateMachine.Wire(order.Status)} gets no invoice: confirm it first.");
            var payments = await db.Payments.AsNoTracking().Where(p => p.OrderId == orderId).ToListAsync(ct);
            var shipped = await db.Shipments.Where(s => s.OrderId == orderId).OrderBy(s => s.CreatedAt).Select(s => (DateTimeOffset?)s.CreatedAt).FirstOrDefaultAsync(ct);
            var locale = (await LocalesAsync([order], ct)).GetValueOrDefault(order.Id) ?? DefaultLocale;
            var drafted = DraftInvoice(order, payments, shipped, locale, invoices.Count, Caller, clock.GetUtcNow());
            if (request.Draft)
            {
                db.Documents.Add(drafted.Document);
                db.DocumentActivity.Add(drafted.Created);
            }
            else await IssueAllAsync([drafted], Caller, ct);
            return (drafted.Document.Id, (Document?)null);
        }, ct);
        return current is not null ? (await DtoAsync(current, ct), false) : (await GetAfterSaveAsync(id.Value, ct), true);
    }

    /// <summary>Issues a draft: it takes the next number of its series.</summary>
    public Task<DocumentDto> IssueAsync(DocumentId id, int? expectedVersion, CancellationToken ct) =>
        ChangeAsync(id, expectedVersion, async d =>
        {
            if (d.Status != DocumentStatus.Draft) throw Document.Lifecycle.InvalidMove(d.Status, DocumentStatus.Issued);
            var number = d.IsNumbered ? (await DocumentNumbers.DrawAsync(db, SeriesOf(d.Kind), clock.GetUtcNow().Year, 1, ct))[0] : (DocumentNumber?)null;
            db.DocumentActivity.Add(d.Issue(number, Caller, clock.GetUtcNow()));
        }, ct);

    /// <summary>Records that the document went to the customer (the first send moves it to sent).</summary>
    public Task<DocumentDto> SendAsync(DocumentId id, SendDocumentRequest request, int? expectedVersion, CancellationToken ct)
    {
        Platform.Validation.RequestValidator.ThrowIfInvalid(request);
        return ChangeAsync(id, expectedVersion, async d =>
        {
            var to = request.To ?? d.Content.Buyer.Email ?? await db.Orders.Where(o => o.Id == d.OrderId).Select(o => o.Customer.Email).SingleAsync(ct);
            db.DocumentActivity.Add(d.Send(to, Caller, clock.GetUtcNow()));
        }, ct);
    }

    /// <summary>Voids an issued invoice and issues the credit note that cancels it, in one transaction.</summary>
    public async Task<VoidDocumentResultDto> VoidAsync(DocumentId id, VoidDocumentRequest request, int? expectedVersion, CancellationToken ct)
    {
        Platform.Validation.RequestValidator.ThrowIfInvalid(request);
        var creditId = await work.ChangeAsync(async () =>
        {
            var invoice = await LoadAsync(id, expectedVersion, ct);
            var now = clock.GetUtcNow();
            // What earlier credit notes (refunds) gave back is not credited twice: all of it when none did.
            var rest = invoice.Creditable;
            var content = rest == invoice.Total
                ? DocumentContent.CreditFor(invoice, request.Reason.Trim(), now)
                : DocumentContent.CreditFor(invoice, rest, request.Reason.Trim(), DocumentLabels.For(invoice.Locale)["voided_rest"], now);
            if (rest > 0) invoice.CreditedBy(rest, now);
            db.DocumentActivity.Add(invoice.Void(request.Reason, Caller, now));
            if (rest == 0) return (DocumentId?)null; // refunds credited all of it already
            var credit = Document.Draft(DocumentKind.CreditNote, content, invoice.OrderId, invoice.CustomerId, $"void:{invoice.Id.Value}", Caller, now, invoice.Id);
            await IssueAllAsync([credit], Caller, ct);
            return credit.Document.Id;
        }, ct);
        return new VoidDocumentResultDto
        {
            Invoice = await GetAfterSaveAsync(id.Value, ct), CreditNote = creditId is { } credited ? await GetAfterSaveAsync(credited.Value, ct) : null,
        };
    }

    /// <summary>
    /// A rendering of the document for the caller, recorded in its trail: a download for a file
    /// (PDF, UBL), a view for the HTML page. A customer's first view raises document.viewed.
    /// </summary>
    public async Task<(Document Document, byte[] Content)> OpenAsync(DocumentId id, DocumentRendering rendering, DocumentActor by, CancellationToken ct)
    {
        await seen.EnsureDocumentAsync(id, ct);
        var document = await work.ChangeAsync(async () =>
        {
            var d = await db.Documents.SingleOrDefaultAsync(x => x.Id == id, ct) ?? throw new NotFoundException("document", id.Value);
            if (rendering == DocumentRendering.Ubl && !(d.IsNumbered && d.Number is not null))
                throw new ConflictException("document.no_e_invoice", "Only an issued invoice or credit note has a UBL e-invoice.");
            // A customer opening their link views it, whatever the rendering; a key fetching a file downloads it.
            db.DocumentActivity.Add(d.Opened(rendering != DocumentRendering.Html && by.Kind != ActorKind.Customer, Names.Of(rendering), by, clock.GetUtcNow()));
            return d;
        }, ct);
        // A caller without customers:pii gets the document with the buyer masked, as the JSON shows it; the customer and
        // callers with the scope get it as issued.
        var shown = PersonalDataMask.Masked ? document.Masked() : document;
        return (document, rendering switch
        {
            DocumentRendering.Pdf => PdfRenderer.Render(shown),
            DocumentRendering.Ubl => UblWriter.Write(shown),
            _ => System.Text.Encoding.UTF8.GetBytes(HtmlRenderer.Render(shown)),
        });
    }

    /// <summary>A customer's link (no key): the document it opens, recorded as the customer's view.</summary>
    public Task<(Document Document, byte[] Content)> OpenByLinkAsync(string token, DocumentRendering rendering, CancellationToken ct)
    {
        if (links.Read(LinkPurpose.Document, token) is not { } link) throw new NotFoundException("document link", token);
        if (link.ExpiresAt < clock.GetUtcNow()) throw new DomainException("document.link_expired", "This link has expired: ask the shop for a new one.", "token");
        var address = http.HttpContext?.Connection.RemoteIpAddress?.ToString();
        return OpenAsync(new DocumentId(link.Id), rendering, new DocumentActor(ActorKind.Customer, "customer", address), ct);
    }

    /// <summary>A signed link the customer opens without a key, valid for Documents:LinkDays.</summary>
    public async Task<DocumentLinkDto> LinkAsync(DocumentId id, CancellationToken ct)
    {
        await seen.EnsureDocumentAsync(id, ct);
        var status = await db.Documents.Where(d => d.Id == id).Select(d => (DocumentStatus?)d.Status).SingleOrDefaultAsync(ct) ?? throw new NotFoundException("document", id.Value);
        if (status == DocumentStatus.Draft) throw new ConflictException("document.not_issued", "A draft has no customer link: issue it first.");
        var expires = clock.GetUtcNow().AddDays(Math.Max(1, O.LinkDays));
        expires = DateTimeOffset.FromUnixTimeSeconds(expires.ToUnixTimeSeconds());
        var token = links.Sign(LinkPurpose.Document, id.Value, expires);
        return new DocumentLinkDto { Token = token, Url = "/api/v1/public/documents/" + token, ExpiresAt = expires };
    }

    private async Task<DocumentDto> ChangeAsync(DocumentId id, int? expectedVersion, Func<Document, Task> change, CancellationToken ct)
    {
        await work.ChangeAsync(async () =>
        {
            var d = await LoadAsync(id, expectedVersion, ct);
            await change(d);
            return d;
        }, ct);
        return await GetAfterSaveAsync(id.Value, ct);
    }

    private async Task<Document> LoadAsync(DocumentId id, int? expectedVersion, CancellationToken ct)
    {
        await seen.EnsureDocumentAsync(id, ct);
        var d = await db.Documents.SingleOrDefaultAsync(x => x.Id == id, ct) ?? throw new NotFoundException("document", id.Value);
        d.EnsureVersion(expectedVersion);
        return d;
    }

    private async Task<DocumentDto> GetAfterSaveAsync(Guid id, CancellationToken ct)
    {
        db.ChangeTracker.Clear();
        var d = await db.Documents.AsNoTracking().SingleAsync(x => x.Id == new DocumentId(id), ct);
        return await DtoAsync(d, ct);
    }

    private async Task<DocumentDto> DtoAsync(Document d, CancellationToken ct) =>
        DocumentDto.From(d, DocumentActivity.InOrder(await db.DocumentActivity.AsNoTracking().Where(a => a.DocumentId == d.Id).ToListAsync(ct)));

    /// <summary>Numbers the numbered ones (one draw per series, in series order so two issuers never wait on each other in a circle), issues all and adds them.</summary>
    private async Task IssueAllAsync(IReadOnlyList<(Document Document, DocumentActivity Created)> drafts, DocumentActor by, CancellationToken ct)
    {
        if (drafts.Count == 0) return;
        var numbers = new Dictionary<Document, DocumentNumber>();
        foreach (var series in drafts.Where(d => d.Document.IsNumbered).GroupBy(d => SeriesOf(d.Document.Kind)).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            // The year is read after the counter's lock is ours: numbers and issue dates go up together.
            var drawn = await DocumentNumbers.DrawAsync(db, series.Key, clock.GetUtcNow().Year, series.Count(), ct);
            var i = 0;
            foreach (var (document, _) in series) numbers[document] = drawn[i++];
        }
        var now = clock.GetUtcNow();
        foreach (var (document, created) in drafts)
        {
            db.Documents.Add(document);
            db.DocumentActivity.Add(created);
            db.DocumentActivity.Add(document.Issue(numbers.TryGetValue(document, out var n) ? n : null, by, now));
        }
    }

    private (Document Document, DocumentActivity Created) DraftInvoice(Order order, IEnumerable<Payment> payments, DateTimeOffset? firstShipment, string locale, int previous,
        DocumentActor by, DateTimeOffset now)
    {
        var terms = payments.Where(p => p.Method == PaymentMethod.Invoice && p.DueDate is not null && p.Status is not (PaymentStatus.Voided or PaymentStatus.Failed))
            .Select(p => (Days: p.DueDate!.Value.DayNumber - DateOnly.FromDateTime(p.CreatedAt.UtcDateTime).DayNumber, Due: p.DueDate!.Value)).FirstOrDefault();
        var supplied = firstShipment ?? order.ConfirmedAt ?? order.CreatedAt;
        var content = DocumentContent.InvoiceFor(order, setup.RequireSeller(), locale, order.AmountPaid, terms.Due == default ? null : terms.Days,
            terms.Due == default ? null : terms.Due, DateOnly.FromDateTime(supplied.UtcDateTime));
        return Document.Draft(DocumentKind.Invoice, content, order.Id, order.CustomerId, InvoiceKey(order.Id, previous), by, now);
    }

    private bool InvoiceDue(Order order) => O.InvoiceAt switch
    {
        InvoiceMoment.Confirmation => order.ConfirmedAt is not null && order.Status is not (OrderStatus.Pending or OrderStatus.Cancelled),
        InvoiceMoment.FirstShipment => order.Status is OrderStatus.PartiallyShipped or OrderStatus.Shipped or OrderStatus.Delivered or OrderStatus.PickedUp or OrderStatus.Completed
                                       || (order.Status == OrderStatus.OnHold && order.HeldFrom == OrderStatus.PartiallyShipped),
        _ => false,
    };

    /// <summary>The order's n-th invoice (a voided one is followed by the next when staff draw up another).</summary>
    private static string InvoiceKey(OrderId order, int n) => $"invoice:{order.Value}:{n}";

    private string SeriesOf(DocumentKind kind) => kind == DocumentKind.CreditNote ? O.CreditNoteSeries : O.InvoiceSeries;

    private string DefaultLocale => DocumentLabels.Normalize(O.DefaultLocale) ?? "en";

    private async Task<Dictionary<OrderId, string?>> LocalesAsync(IReadOnlyCollection<Order> orders, CancellationToken ct)
    {
        var customerIds = orders.Where(o => o.CustomerId is not null).Select(o => o.CustomerId!.Value).Distinct().ToList();
        var locales = await db.Customers.AsNoTracking().Where(c => customerIds.Contains(c.Id) && c.Locale != null).ToDictionaryAsync(c => c.Id, c => c.Locale, ct);
        return orders.ToDictionary(o => o.Id, o => o.CustomerId is { } c ? DocumentLabels.Normalize(locales.GetValueOrDefault(c)) : null);
    }

    private static IReadOnlyList<string> Packages(FulfilmentOrder f) =>
        [.. f.Packages.Select((p, i) => $"{i + 1}: {p.WeightGrams} g, {p.LengthMm} × {p.WidthMm} × {p.HeightMm} mm")];
}

/// <summary>How a document is fetched: the HTML page (a view), the PDF or the UBL e-invoice (downloads).</summary>
public enum DocumentRendering { Html, Pdf, Ubl }
