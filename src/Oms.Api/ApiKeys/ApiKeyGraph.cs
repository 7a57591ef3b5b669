using GraphQL;
using GraphQL.Types;
using Oms.Api.Platform.GraphQL;
using Oms.Api.Platform.Http;
using Oms.Domain.Access;

namespace Oms.Api.ApiKeys;

/// <summary>GraphQL for API keys (admin scope).</summary>
public static class ApiKeyGraph
{
    public static void AddQueries(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ConnectionType<ApiKeyType, ApiKeyDto>>, Connection<ApiKeyDto>>("apiKeys")
            .Description("API keys, newest first (never their secrets).")
            .Paged()
            .RequireScope(Scopes.Admin)
            .ResolveAsync(async ctx => await ctx.ConnectionAsync(
                page => ctx.RequestServices!.GetRequiredService<ApiKeyQueries>().ListAsync(page, ctx.CancellationToken),
                ApiKeyQueries.CursorOf));
    }

    public static void AddMutations(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<CreatedApiKeyType>, CreatedApiKeyDto>("createApiKey")
            .Description("Create an API key; its secret is in this response only.")
            .Argument<NonNullGraphType<CreateApiKeyInputType>>("input")
            .RequireScope(Scopes.Admin)
            .ResolveAsync(async ctx => await Service(ctx).CreateAsync(ctx.GetArgument<CreateApiKeyRequest>("input"), ctx.CancellationToken));

        mutation.Field<NonNullGraphType<ApiKeyType>, ApiKeyDto>("revokeApiKey")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .RequireScope(Scopes.Admin)
            .ResolveAsync(async ctx => await Service(ctx).RevokeAsync(ctx.GuidArgument("id", "api key"), ctx.CancellationToken));
    }

    private static ApiKeyService Service(IResolveFieldContext ctx) => ctx.RequestServices!.GetRequiredService<ApiKeyService>();
}

public sealed class ApiKeyType : ContractGraphType<ApiKeyDto>
{
    public ApiKeyType()
    {
        Name = "ApiKey";
    }
}

public sealed class CreatedApiKeyType : ContractGraphType<CreatedApiKeyDto>
{
    public CreatedApiKeyType()
    {
        Name = "CreatedApiKey";
    }
}

public sealed class CreateApiKeyInputType : InputObjectGraphType<CreateApiKeyRequest>
{
    public CreateApiKeyInputType()
    {
        Name = "CreateApiKeyInput";
        Field(x => x.Name);
        Field(x => x.Scopes, nullable: true);
        Field(x => x.Roles, nullable: true);
        Field(x => x.Nodes, type: typeof(ListGraphType<NonNullGraphType<IdGraphType>>));
        Field(x => x.Channels, nullable: true);
    }
}
