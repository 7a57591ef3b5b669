using Microsoft.AspNetCore.Http.HttpResults;
using Oms.Api.Platform.Auth;
using Oms.Api.Platform.Http;
using Oms.Domain.Access;

namespace Oms.Api.ApiKeys;

public static class ApiKeyEndpoints
{
    public static void MapApiKeyEndpoints(this RouteGroupBuilder api)
    {
        var keys = api.MapGroup("/api-keys").WithTags("API keys").RequireScope(Scopes.Admin);

        keys.MapGet("/", async Task<Ok<Page<ApiKeyDto>>> (ApiKeyQueries q, CancellationToken ct, int? limit = null, string? cursor = null) =>
                TypedResults.Ok(await q.ListAsync(PageRequest.Rest(limit, cursor), ct)))
            .WithName("listApiKeys").WithSummary("List API keys, newest first (never their secrets)").ProducesProblem(400);
        keys.MapPost("/", async Task<Created<CreatedApiKeyDto>> (CreateApiKeyRequest r, ApiKeyService s, CancellationToken ct) =>
            {
                var created = await s.CreateAsync(r, ct);
                return TypedResults.Created($"/api/v1/api-keys/{created.Key.Id}", created);
            })
            .WithName("createApiKey").WithSummary("Create an API key; its secret is in this response only").ProducesProblem(400).ProducesProblem(422);
        keys.MapPost("/{id:guid}/revoke", async (Guid id, ApiKeyService s, CancellationToken ct) => TypedResults.Ok(await s.RevokeAsync(id, ct)))
            .WithName("revokeApiKey").WithSummary("Revoke an API key at once").ProducesProblem(404).ProducesProblem(409);
    }
}
