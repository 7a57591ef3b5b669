using GraphQL;
using GraphQL.Builders;
using GraphQL.Types;
using Oms.Api.Platform.Errors;
using Oms.Domain.Access;

namespace Oms.Api.Platform.GraphQL;

public static class GraphAccess
{
    /// <summary>The field answers FORBIDDEN-coded errors (<c>forbidden</c>) to keys without <paramref name="scope"/>, as REST answers 403.</summary>
    public static FieldBuilder<TSource, TReturn> RequireScope<TSource, TReturn>(this FieldBuilder<TSource, TReturn> field, string scope)
    {
        field.Description($"{field.FieldType.Description} Requires scope `{scope}`.".Trim());
        return field.ApplyMiddleware(next => context =>
        {
            var held = context.User?.FindAll("scope").Select(c => c.Value).ToList() ?? [];
            if (context.User?.Identity?.IsAuthenticated != true) throw new UnauthenticatedException("Send an API key as 'Authorization: Bearer <key>'.");
            if (!Scopes.Grants(held, scope)) throw new ForbiddenException(scope);
            return next(context);
        });
    }

    /// <summary>Reads an ID argument as a Guid; an id that is not one cannot exist.</summary>
    public static Guid GuidArgument(this global::GraphQL.IResolveFieldContext context, string name, string resource) =>
        Guid.TryParse(context.GetArgument<string>(name), out var id) ? id : throw new Domain.Common.NotFoundException(resource, context.GetArgument<string>(name));
}
