using GraphQL;
using GraphQL.Types;
using Oms.Api.Platform.GraphQL;
using Oms.Api.Platform.Http;
using Oms.Domain.Access;
using Oms.Domain.Documents;
using Oms.Domain.Orders;

namespace Oms.Api.Documents;

/// <summary>GraphQL for documents: thin adapters over <see cref="DocumentService"/> and <see cref="DocumentQueries"/>; the files are REST's (a document's pdf, html and ubl paths).</summary>
public static class DocumentGraph
{
    public static void AddQueries(ObjectGraphType query)
    {
        query.Field<DocumentType, DocumentDto>("document")
            .Description("A document with what it showed and its trail (REST: GET /documents/{id}).")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .RequireScope(Scopes.DocumentsRead)
            .ResolveAsync(async ctx => await Queries(ctx).GetAsync(new DocumentId(ctx.GuidArgument("id", "document")), ctx.CancellationToken));
        query.Field<NonNullGraphType<ConnectionType<DocumentType, DocumentDto>>, Connection<DocumentDto>>("documents")
            .Description("Documents newest first, by kind, status, order or number.")
            .Argument<EnumerationGraphType<DocumentKind>>("kind")
            .Argument<EnumerationGraphType<DocumentStatus>>("status")
            .Argument<IdGraphType>("orderId")
            .Argument<StringGraphType>("number")
            .Paged()
            .RequireScope(Scopes.DocumentsRead)
            .ResolveAsync(async ctx => await ctx.ConnectionAsync(
                page => Queries(ctx).ListAsync(new DocumentFilter(ctx.GetArgument<DocumentKind?>("kind"), ctx.GetArgument<DocumentStatus?>("status"),
                    ctx.HasArgument("orderId") && ctx.GetArgument<object?>("orderId") is not null ? ctx.GuidArgument("orderId", "order") : null, ctx.GetArgument<string?>("number")), page, ctx.CancellationToken),
                DocumentQueries.CursorOf));
    }

    public static void AddMutations(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<DocumentType>, DocumentDto>("createInvoice")
            .Description("Draw up the order's invoice now, or get the one it has; a draft (no number yet) when asked.")
            .Argument<NonNullGraphType<IdGraphType>>("orderId")
            .Argument<BooleanGraphType>("draft")
            .RequireScope(Scopes.DocumentsWrite)
            .ResolveAsync(async ctx => (await Service(ctx).CreateInvoiceAsync(new OrderId(ctx.GuidArgument("orderId", "order")),
                new CreateInvoiceRequest { Draft = ctx.GetArgument<bool?>("draft") ?? false }, ctx.CancellationToken)).Document);
        Change(mutation, "issueDocument", "Issue a draft: it takes the next number of its series.", (s, ctx, id, v) => s.IssueAsync(id, v, ctx.CancellationToken));
        Change(mutation, "sendDocument", "Record that the document went to the customer (to: the order's e-mail when left out).",
            (s, ctx, id, v) => s.SendAsync(id, new SendDocumentRequest { To = ctx.GetArgument<string?>("to") }, v, ctx.CancellationToken), ("to", typeof(StringGraphType)));
        mutation.Field<NonNullGraphType<VoidDocumentResultType>, VoidDocumentResultDto>("voidDocument")
            .Description("Void an issued invoice: it keeps its number, and a credit note for all of it is issued.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Argument<NonNullGraphType<StringGraphType>>("reason")
            .Argument<IntGraphType>("expectedVersion")
            .RequireScope(Scopes.DocumentsWrite)
            .ResolveAsync(async ctx => await Service(ctx).VoidAsync(new DocumentId(ctx.GuidArgument("id", "document")),
                new VoidDocumentRequest { Reason = ctx.GetArgument<string>("reason") }, ctx.GetArgument<int?>("expectedVersion"), ctx.CancellationToken));
        mutation.Field<NonNullGraphType<DocumentLinkType>, DocumentLinkDto>("createDocumentLink")
            .Description("A signed, expiring link the customer opens without a key (REST: GET /public/documents/{token}).")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .RequireScope(Scopes.DocumentsWrite)
            .ResolveAsync(async ctx => await Service(ctx).LinkAsync(new DocumentId(ctx.GuidArgument("id", "document")), ctx.CancellationToken));
    }

    private static void Change(ObjectGraphType mutation, string name, string description,
        Func<DocumentService, IResolveFieldContext, DocumentId, int?, Task<DocumentDto>> change, params (string Name, Type Type)[] arguments)
    {
        var field = mutation.Field<NonNullGraphType<DocumentType>, DocumentDto>(name)
            .Description(description)
            .Argument<NonNullGraphType<IdGraphType>>("id");
        foreach (var (argument, type) in arguments) field.Argument(type, argument);
        field.Argument<IntGraphType>("expectedVersion")
            .RequireScope(Scopes.DocumentsWrite)
            .ResolveAsync(async ctx => await change(Service(ctx), ctx, new DocumentId(ctx.GuidArgument("id", "document")), ctx.GetArgument<int?>("expectedVersion")));
    }

    private static DocumentQueries Queries(IResolveFieldContext ctx) => ctx.RequestServices!.GetRequiredService<DocumentQueries>();
    private static DocumentService Service(IResolveFieldContext ctx) => ctx.RequestServices!.GetRequiredService<DocumentService>();
}

public sealed class DocumentType : ContractGraphType<DocumentDto>
{
    public DocumentType()
    {
        Name = "Document";
        Description = "An invoice, credit note, packing slip or return slip: what it showed when issued, its status and trail. Files: REST GET /documents/{id}/pdf, /html, /ubl.";
    }
}

public sealed class DocumentPartyType : ContractGraphType<DocumentPartyDto>
{
    public DocumentPartyType() => Name = "DocumentParty";
}

public sealed class DocumentLineType : ContractGraphType<DocumentLineDto>
{
    public DocumentLineType() => Name = "DocumentLine";
}

public sealed class TaxSubtotalType : ContractGraphType<TaxSubtotalDto>
{
    public TaxSubtotalType() => Name = "TaxSubtotal";
}

public sealed class DocumentActivityType : ContractGraphType<DocumentActivityDto>
{
    public DocumentActivityType() => Name = "DocumentActivity";
}

public sealed class VoidDocumentResultType : ContractGraphType<VoidDocumentResultDto>
{
    public VoidDocumentResultType() => Name = "VoidDocumentResult";
}

public sealed class DocumentLinkType : ContractGraphType<DocumentLinkDto>
{
    public DocumentLinkType() => Name = "DocumentLink";
}
