using GraphQL.Types;
using Oms.Api.ApiKeys;
using Oms.Api.Catalog;
using Oms.Api.Orders;

namespace Oms.Api.Platform.GraphQL;

/// <summary>The one GraphQL schema; each feature adds its root fields in its <c>*Graph</c> class.</summary>
public sealed class OmsSchema : Schema
{
    public OmsSchema(IServiceProvider services) : base(services)
    {
        Description = "HeadlessOms: orders, catalog and access. Send an API key as 'Authorization: Bearer <key>'.";
        var query = new ObjectGraphType { Name = "Query" };
        OrderGraph.AddQueries(query);
        CatalogGraph.AddQueries(query);
        ApiKeyGraph.AddQueries(query);
        Query = query;

        var mutation = new ObjectGraphType { Name = "Mutation" };
        OrderGraph.AddMutations(mutation);
        CatalogGraph.AddMutations(mutation);
        ApiKeyGraph.AddMutations(mutation);
        Mutation = mutation;
    }
}
