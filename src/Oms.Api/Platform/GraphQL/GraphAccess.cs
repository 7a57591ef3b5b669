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
        field.WithMetadata(ScopeField, scope);
        return field.ApplyMiddleware(next => context =>
        {
            var held = context.User?.FindAll("scope").Select(c => c.Value).ToList() ?? [];
            if (context.User?.Identity?.IsAuthenticated != true) throw new UnauthenticatedException("Send an API key as 'Authorization: Bearer <key>'.");
            if (!Scopes.Grants(held, scope)) throw new ForbiddenException(scope);
            return next(context);
        });
    }

    public const string PublicField = "oms:public";
    public const string ScopeField = "oms:scope";

    /// <summary>A root field anyone may use without a key (the shoppers' tracking lookup, their feedback); an operation of such fields alone runs without one.</summary>
    public static FieldBuilder<TSource, TReturn> Public<TSource, TReturn>(this FieldBuilder<TSource, TReturn> field) => field.WithMetadata(PublicField, true);

    /// <summary>Whether the operation asks only for public root fields (and __typename), so it may run without a key.</summary>
    public static bool OnlyPublicFields(ISchema schema, GraphQLParser.AST.GraphQLDocument document, string? operationName)
    {
        var operation = GraphQLEndpoint.Operation(document, operationName);
        if (operation is null) return false;
        schema.Initialize();
        IComplexGraphType? root = operation.Operation switch
        {
            GraphQLParser.AST.OperationType.Query => schema.Query,
            GraphQLParser.AST.OperationType.Mutation => schema.Mutation,
            _ => null,
        };
        if (root is null) return false;
        var fragments = document.Definitions.OfType<GraphQLParser.AST.GraphQLFragmentDefinition>().ToDictionary(f => f.FragmentName.Name.StringValue);
        var seen = new HashSet<string>();
        return Public(operation.SelectionSet);

        bool Public(GraphQLParser.AST.GraphQLSelectionSet set) => set.Selections.All(selection => selection switch
        {
            GraphQLParser.AST.GraphQLField f => f.Name.StringValue == "__typename"
                                                || root.GetField(f.Name.StringValue)?.GetMetadata<bool>(PublicField) == true,
            GraphQLParser.AST.GraphQLInlineFragment i => Public(i.SelectionSet),
            GraphQLParser.AST.GraphQLFragmentSpread s => seen.Add(s.FragmentName.Name.StringValue)
                                                         && fragments.TryGetValue(s.FragmentName.Name.StringValue, out var d) && Public(d.SelectionSet),
            _ => false,
        });
    }

    /// <summary>Reads an ID argument as a Guid; an id that is not one cannot exist.</summary>
    public static Guid GuidArgument(this global::GraphQL.IResolveFieldContext context, string name, string resource) =>
        Guid.TryParse(context.GetArgument<string>(name), out var id) ? id : throw new Domain.Common.NotFoundException(resource, context.GetArgument<string>(name));
}
