using GraphQL;
using GraphQL.Types;
using Oms.Api.Platform.GraphQL;
using Oms.Api.Platform.Http;
using Oms.Domain.Access;

namespace Oms.Api.Roles;

/// <summary>GraphQL for roles (admin scope).</summary>
public static class RoleGraph
{
    public static void AddQueries(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ConnectionType<RoleType, RoleDto>>, Connection<RoleDto>>("roles")
            .Description("Roles, built-in and custom, in name order.")
            .Paged()
            .RequireScope(Scopes.Admin)
            .ResolveAsync(async ctx => await ctx.ConnectionAsync(
                page => ctx.RequestServices!.GetRequiredService<RoleQueries>().ListAsync(page, ctx.CancellationToken), RoleQueries.CursorOf));

        query.Field<RoleType, RoleDto>("role")
            .Description("A role by name.")
            .Argument<NonNullGraphType<StringGraphType>>("name")
            .RequireScope(Scopes.Admin)
            .ResolveAsync(async ctx => await ctx.RequestServices!.GetRequiredService<RoleQueries>().GetAsync(ctx.GetArgument<string>("name"), ctx.CancellationToken));
    }

    public static void AddMutations(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<RoleType>, RoleDto>("createRole")
            .Description("Create a custom role.")
            .Argument<NonNullGraphType<CreateRoleInputType>>("input")
            .RequireScope(Scopes.Admin)
            .ResolveAsync(async ctx => await Service(ctx).CreateAsync(ctx.GetArgument<CreateRoleRequest>("input"), ctx.CancellationToken));

        mutation.Field<NonNullGraphType<RoleType>, RoleDto>("updateRole")
            .Description("Change a custom role; fields left out stay as they are. Keys holding it may do the new scopes at once.")
            .Argument<NonNullGraphType<StringGraphType>>("name")
            .Argument<NonNullGraphType<UpdateRoleInputType>>("input")
            .Argument<IntGraphType>("expectedVersion")
            .RequireScope(Scopes.Admin)
            .ResolveAsync(async ctx => await Service(ctx).UpdateAsync(ctx.GetArgument<string>("name"), ctx.GetArgument<UpdateRoleRequest>("input"),
                ctx.GetArgument<int?>("expectedVersion"), ctx.CancellationToken));

        mutation.Field<NonNullGraphType<RoleType>, RoleDto>("deleteRole")
            .Description("Delete a custom role that no active key holds; answers the role as it was.")
            .Argument<NonNullGraphType<StringGraphType>>("name")
            .Argument<IntGraphType>("expectedVersion")
            .RequireScope(Scopes.Admin)
            .ResolveAsync(async ctx => await Service(ctx).DeleteAsync(ctx.GetArgument<string>("name"), ctx.GetArgument<int?>("expectedVersion"), ctx.CancellationToken));
    }

    private static RoleService Service(IResolveFieldContext ctx) => ctx.RequestServices!.GetRequiredService<RoleService>();
}

public sealed class RoleType : ContractGraphType<RoleDto>
{
    public RoleType()
    {
        Name = "Role";
    }
}

public sealed class CreateRoleInputType : InputObjectGraphType<CreateRoleRequest>
{
    public CreateRoleInputType()
    {
        Name = "CreateRoleInput";
        Field(x => x.Name);
        Field(x => x.Description, nullable: true);
        Field(x => x.Scopes);
    }
}

public sealed class UpdateRoleInputType : InputObjectGraphType<UpdateRoleRequest>
{
    public UpdateRoleInputType()
    {
        Name = "UpdateRoleInput";
        Field(x => x.Description, nullable: true);
        Field(x => x.Scopes, nullable: true);
    }
}
