using GraphQL;
using GraphQL.Types;
using Oms.Api.Platform.GraphQL;
using Oms.Api.Platform.Http;
using Oms.Domain.Access;

namespace Oms.Api.Audit;

/// <summary>GraphQL for the audit trail (admin scope).</summary>
public static class AuditGraph
{
    public static void AddQueries(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ConnectionType<AuditEventType, AuditEventDto>>, Connection<AuditEventDto>>("auditEvents")
            .Description("Who changed what, newest first.")
            .Argument<StringGraphType>("actor", "Exact actor name.")
            .Argument<StringGraphType>("actorKind", "api_key, person or system.")
            .Argument<StringGraphType>("resourceType")
            .Argument<StringGraphType>("resourceId")
            .Argument<StringGraphType>("action", "created, updated, deleted or viewed.")
            .Argument<StringGraphType>("operation")
            .Argument<UtcDateTimeOffsetGraphType>("from")
            .Argument<UtcDateTimeOffsetGraphType>("to")
            .Paged()
            .RequireScope(Scopes.Admin)
            .ResolveAsync(async ctx => await ctx.ConnectionAsync(
                page => ctx.RequestServices!.GetRequiredService<AuditQueries>().ListAsync(new AuditFilter(
                    ctx.GetArgument<string?>("actor"), ctx.GetArgument<string?>("actorKind"), ctx.GetArgument<string?>("resourceType"), ctx.GetArgument<string?>("resourceId"),
                    ctx.GetArgument<string?>("action"), ctx.GetArgument<string?>("operation"), ctx.GetArgument<DateTimeOffset?>("from"), ctx.GetArgument<DateTimeOffset?>("to")),
                    page, ctx.CancellationToken),
                AuditQueries.CursorOf));
    }
}

public sealed class AuditEventType : ContractGraphType<AuditEventDto>
{
    public AuditEventType()
    {
        Name = "AuditEvent";
    }
}

public sealed class AuditChangeType : ContractGraphType<AuditChangeDto>
{
    public AuditChangeType()
    {
        Name = "AuditChange";
    }
}
