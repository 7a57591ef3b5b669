using Microsoft.AspNetCore.Http.HttpResults;
using Oms.Api.Platform.Auth;
using Oms.Api.Platform.Http;
using Oms.Domain.Access;

namespace Oms.Api.Roles;

public static class RoleEndpoints
{
    public static void MapRoleEndpoints(this RouteGroupBuilder api)
    {
        var roles = api.MapGroup("/roles").WithTags("Roles").RequireScope(Scopes.Admin);

        roles.MapGet("/", ListAsync).WithName("listRoles").WithSummary("List roles, built-in and custom, in name order").ProducesProblem(400);
        roles.MapGet("/{name}", GetAsync).WithName("getRole").WithSummary("Get a role by name").ProducesProblem(404);
        roles.MapPost("/", CreateAsync).WithName("createRole").WithSummary("Create a custom role").ProducesProblem(400).ProducesProblem(409).ProducesProblem(422);
        roles.MapPatch("/{name}", UpdateAsync).WithName("updateRole")
            .WithSummary("Change a custom role; keys holding it may do the new scopes at once").ProducesProblem(400).ProducesProblem(404).ProducesProblem(409).ProducesProblem(412).ProducesProblem(422);
        roles.MapDelete("/{name}", DeleteAsync).WithName("deleteRole")
            .WithSummary("Delete a custom role that no active key holds").ProducesProblem(404).ProducesProblem(409).ProducesProblem(412);
    }

    /// <param name="queries">The roles' reads.</param>
    /// <param name="ct">Cancelled when the client goes away.</param>
    /// <param name="limit">Page size, 1-250 (default 50).</param>
    /// <param name="cursor">The <c>next</c> of the previous page; omit for the first page.</param>
    private static async Task<Ok<Page<RoleDto>>> ListAsync(RoleQueries queries, CancellationToken ct, int? limit = null, string? cursor = null) =>
        TypedResults.Ok(await queries.ListAsync(PageRequest.Rest(limit, cursor), ct));

    private static async Task<Ok<RoleDto>> GetAsync(string name, RoleQueries queries, HttpResponse response, CancellationToken ct)
    {
        var role = await queries.GetAsync(name, ct);
        Preconditions.SetETag(response, role.Version);
        return TypedResults.Ok(role);
    }

    private static async Task<Created<RoleDto>> CreateAsync(CreateRoleRequest request, RoleService service, HttpResponse response, CancellationToken ct)
    {
        var role = await service.CreateAsync(request, ct);
        Preconditions.SetETag(response, role.Version);
        return TypedResults.Created($"/api/v1/roles/{Uri.EscapeDataString(role.Name)}", role);
    }

    private static async Task<Ok<RoleDto>> UpdateAsync(string name, UpdateRoleRequest request, RoleService service, HttpContext http, CancellationToken ct)
    {
        var role = await service.UpdateAsync(name, request, Preconditions.ExpectedVersion(http.Request), ct);
        Preconditions.SetETag(http.Response, role.Version);
        return TypedResults.Ok(role);
    }

    private static async Task<NoContent> DeleteAsync(string name, RoleService service, HttpContext http, CancellationToken ct)
    {
        await service.DeleteAsync(name, Preconditions.ExpectedVersion(http.Request), ct);
        return TypedResults.NoContent();
    }
}
