using Microsoft.AspNetCore.Http.HttpResults;
using Oms.Api.Platform.Auth;
using Oms.Api.Platform.Errors;
using Oms.Api.Platform.Http;
using Oms.Domain.Access;
using Oms.Domain.Documents;
using Oms.Domain.Orders;

namespace Oms.Api.Documents;

public static class DocumentEndpoints
{
    public static void MapDocumentEndpoints(this RouteGroupBuilder api)
    {
        api.MapGet("/orders/{id:guid}/documents", async (Guid id, DocumentQueries q, CancellationToken ct) => TypedResults.Ok(await q.ForOrderAsync(new OrderId(id), ct)))
            .WithTags("Documents").RequireScope(Scopes.DocumentsRead).WithName("listOrderDocuments")
            .WithSummary("The order's invoices, credit notes, packing slips and return slips, oldest first").ProducesProblem(404);
        api.MapPost("/orders/{id:guid}/documents", async Task<Results<Created<DocumentDto>, Ok<DocumentDto>>> (Guid id, CreateInvoiceRequest? r, DocumentService s, CancellationToken ct) =>
            {
                var (document, created) = await s.CreateInvoiceAsync(new OrderId(id), r ?? new(), ct);
                return created ? TypedResults.Created($"/api/v1/documents/{document.Id}", document) : TypedResults.Ok(document);
            })
            .WithTags("Documents").RequireScope(Scopes.DocumentsWrite).WithName("createInvoice")
            .WithSummary("Draw up the order's invoice now (201), or get the one it has (200); a draft when asked")
            .ProducesProblem(400).ProducesProblem(404).ProducesProblem(409);

        // A customer opens a document through the link they were given: no key, the signed token is the permission.
        api.MapGet("/public/documents/{token}", async (string token, DocumentService s, DocumentLinkLimiter limiter, HttpContext http, CancellationToken ct, string? format = null) =>
            {
                limiter.Admit(http);
                var rendering = WireEnum.Parse<DocumentRendering>(format, "format") ?? DocumentRendering.Pdf;
                if (rendering == DocumentRendering.Ubl) throw RequestValidationException.For("format", "A customer's link opens the pdf or the html page.");
                return File(await s.OpenByLinkAsync(token, rendering, ct), rendering, http);
            })
            .Public().WithTags("Documents").WithName("openDocumentLink")
            .WithSummary("A customer opens a document through a signed link (pdf, or format=html); recorded as the customer's view; no API key")
            .Produces<Stream>(200, "application/pdf", "text/html")
            .ProducesProblem(400).ProducesProblem(404).ProducesProblem(422).ProducesProblem(429);

        var documents = api.MapGroup("/documents").WithTags("Documents");
        documents.MapGet("/", ListAsync).RequireScope(Scopes.DocumentsRead).WithName("listDocuments")
            .WithSummary("Documents newest first, by kind, status, order or number").ProducesProblem(400);
        documents.MapGet("/{id:guid}", async (Guid id, DocumentQueries q, HttpResponse response, CancellationToken ct) =>
            {
                var document = await q.GetAsync(new DocumentId(id), ct);
                Preconditions.SetETag(response, document.Version);
                return TypedResults.Ok(document);
            })
            .RequireScope(Scopes.DocumentsRead).WithName("getDocument").WithSummary("A document with what it showed and its trail").ProducesProblem(404);
        documents.MapGet("/{id:guid}/pdf", (Guid id, DocumentService s, HttpContext http, CancellationToken ct) => OpenAsync(id, DocumentRendering.Pdf, s, http, ct))
            .RequireScope(Scopes.DocumentsRead).WithName("downloadDocumentPdf").WithSummary("The document as PDF (recorded in its trail as a download)")
            .Produces<Stream>(200, "application/pdf").ProducesProblem(404);
        documents.MapGet("/{id:guid}/html", (Guid id, DocumentService s, HttpContext http, CancellationToken ct) => OpenAsync(id, DocumentRendering.Html, s, http, ct))
            .RequireScope(Scopes.DocumentsRead).WithName("viewDocument").WithSummary("The document as a printable HTML page (recorded in its trail as a view)")
            .Produces<string>(200, "text/html").ProducesProblem(404);
        documents.MapGet("/{id:guid}/ubl", (Guid id, DocumentService s, HttpContext http, CancellationToken ct) => OpenAsync(id, DocumentRendering.Ubl, s, http, ct))
            .RequireScope(Scopes.DocumentsRead).WithName("downloadDocumentUbl")
            .WithSummary("An invoice or credit note as a UBL 2.1 e-invoice (EN 16931, Peppol BIS Billing 3.0); recorded as a download")
            .Produces<Stream>(200, "application/xml").ProducesProblem(404).ProducesProblem(409);
        documents.MapPost("/{id:guid}/issue", (Guid id, DocumentService s, HttpContext http, CancellationToken ct) =>
                Respond(http, s.IssueAsync(new DocumentId(id), Preconditions.ExpectedVersion(http.Request), ct)))
            .RequireScope(Scopes.DocumentsWrite).WithName("issueDocument").WithSummary("Issue a draft: it takes the next number of its series").WithStateChangeProblems();
        documents.MapPost("/{id:guid}/send", (Guid id, SendDocumentRequest? r, DocumentService s, HttpContext http, CancellationToken ct) =>
                Respond(http, s.SendAsync(new DocumentId(id), r ?? new(), Preconditions.ExpectedVersion(http.Request), ct)))
            .RequireScope(Scopes.DocumentsWrite).WithName("sendDocument").WithSummary("Record that the document went to the customer (the first send makes it sent)")
            .WithStateChangeProblems();
        documents.MapPost("/{id:guid}/void", async Task<Ok<VoidDocumentResultDto>> (Guid id, VoidDocumentRequest r, DocumentService s, HttpContext http, CancellationToken ct) =>
            {
                var result = await s.VoidAsync(new DocumentId(id), r, Preconditions.ExpectedVersion(http.Request), ct);
                Preconditions.SetETag(http.Response, result.Invoice.Version);
                return TypedResults.Ok(result);
            })
            .RequireScope(Scopes.DocumentsWrite).WithName("voidDocument")
            .WithSummary("Void an issued invoice: it keeps its number, and a credit note for all of it is issued").WithStateChangeProblems();
        documents.MapPost("/{id:guid}/links", async (Guid id, DocumentService s, CancellationToken ct) => TypedResults.Ok(await s.LinkAsync(new DocumentId(id), ct)))
            .RequireScope(Scopes.DocumentsWrite).WithName("createDocumentLink")
            .WithSummary("A signed, expiring link the customer opens without a key (GET /public/documents/{token})").ProducesProblem(404).ProducesProblem(409);
    }

    /// <param name="kind">invoice, credit_note, packing_slip or return_slip.</param>
    /// <param name="status">draft, issued, sent or voided.</param>
    /// <param name="orderId">The documents of this order.</param>
    /// <param name="number">The invoice or credit note with this number.</param>
    /// <param name="limit">1-250, default 50.</param>
    /// <param name="cursor">The next cursor of the previous page.</param>
    private static async Task<Ok<Page<DocumentDto>>> ListAsync(DocumentQueries q, CancellationToken ct,
        string? kind = null, string? status = null, Guid? orderId = null, string? number = null, int? limit = null, string? cursor = null) =>
        TypedResults.Ok(await q.ListAsync(new DocumentFilter(WireEnum.Parse<DocumentKind>(kind, "kind"), WireEnum.Parse<DocumentStatus>(status, "status"), orderId, number),
            PageRequest.Rest(limit, cursor), ct));

    private static async Task<IResult> OpenAsync(Guid id, DocumentRendering rendering, DocumentService s, HttpContext http, CancellationToken ct) =>
        File(await s.OpenAsync(new DocumentId(id), rendering, s.Caller, ct), rendering, http);

    /// <summary>The rendering with its type and a file name (the document's number); PDFs and e-invoices download, the page shows.</summary>
    private static IResult File((Document Document, byte[] Content) opened, DocumentRendering rendering, HttpContext http)
    {
        var (document, content) = opened;
        http.Response.Headers.CacheControl = "private, no-store"; // every fetch is recorded: no cache answers for us
        var name = (document.Number ?? $"{Oms.Domain.Common.Names.Of(document.Kind)}-{document.Content.ReturnNumber ?? document.Content.OrderNumber}").Replace('/', '-');
        return rendering switch
        {
            DocumentRendering.Pdf => TypedResults.File(content, "application/pdf", name + ".pdf"),
            DocumentRendering.Ubl => TypedResults.File(content, "application/xml", name + ".xml"),
            _ => TypedResults.Bytes(content, "text/html; charset=utf-8"),
        };
    }

    private static async Task<Ok<DocumentDto>> Respond(HttpContext http, Task<DocumentDto> work)
    {
        var document = await work;
        Preconditions.SetETag(http.Response, document.Version);
        return TypedResults.Ok(document);
    }
}

/// <summary>Customer link opens per client address and minute (Documents:LinksPerClientPerMinute, default 30): the endpoint needs no key.</summary>
public sealed class DocumentLinkLimiter(Microsoft.Extensions.Options.IOptions<DocumentOptions> options)
    : ClientRateLimiter(options.Value.LinksPerClientPerMinute, "Too many document links opened from this address: wait a minute and try again.");
