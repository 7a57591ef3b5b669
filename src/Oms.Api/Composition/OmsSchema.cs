using GraphQL.Types;
using Oms.Api.Platform.GraphQL;
using Oms.Api.ApiKeys;
using Oms.Api.Catalog;
using Oms.Api.Inventory;
using Oms.Api.Nodes;
using Oms.Api.Orders;
using Oms.Api.Payments;
using Oms.Api.Purchasing;
using Oms.Api.Routing;
using Oms.Api.Webhooks;

namespace Oms.Api.Composition;

/// <summary>The one GraphQL schema; each feature adds its root fields in its <c>*Graph</c> class.</summary>
public sealed class OmsSchema : Schema
{
    public OmsSchema(IServiceProvider services) : base(services)
    {
        Description = "HeadlessOms: orders, catalog, inventory, routing, purchasing, payments, fulfilment, returns, webhooks and access. Send an API key as 'Authorization: Bearer <key>'.";
        // Introspection as graphql-js asks it (inputValueDeprecation: includeDeprecated on input fields and arguments).
        Features.DeprecationOfInputValues = true;
        // Times in UTC with Z, as REST and webhooks write them (the built-in scalar keeps the offset: +00:00).
        RegisterTypeMapping(typeof(DateTimeOffset), typeof(UtcDateTimeOffsetGraphType));
        var query = new ObjectGraphType { Name = "Query" };
        OrderGraph.AddQueries(query);
        CatalogGraph.AddQueries(query);
        ApiKeyGraph.AddQueries(query);
        Roles.RoleGraph.AddQueries(query);
        Audit.AuditGraph.AddQueries(query);
        NodeGraph.AddQueries(query);
        InventoryGraph.AddQueries(query);
        PurchasingGraph.AddQueries(query);
        RoutingGraph.AddQueries(query);
        WebhookGraph.AddQueries(query);
        PaymentGraph.AddQueries(query);
        Fulfilment.FulfilmentGraph.AddQueries(query);
        Returns.ReturnGraph.AddQueries(query);
        Customers.CustomerGraph.AddQueries(query);
        Documents.DocumentGraph.AddQueries(query);
        Reports.ReportGraph.AddQueries(query);
        Notifications.NotificationGraph.AddQueries(query);
        Notifications.NotificationTemplateGraph.AddQueries(query);
        Query = query;

        var mutation = new ObjectGraphType { Name = "Mutation" };
        OrderGraph.AddMutations(mutation);
        CatalogGraph.AddMutations(mutation);
        ApiKeyGraph.AddMutations(mutation);
        Roles.RoleGraph.AddMutations(mutation);
        NodeGraph.AddMutations(mutation);
        InventoryGraph.AddMutations(mutation);
        PurchasingGraph.AddMutations(mutation);
        RoutingGraph.AddMutations(mutation);
        WebhookGraph.AddMutations(mutation);
        PaymentGraph.AddMutations(mutation);
        Fulfilment.FulfilmentGraph.AddMutations(mutation);
        Returns.ReturnGraph.AddMutations(mutation);
        Customers.CustomerGraph.AddMutations(mutation);
        Documents.DocumentGraph.AddMutations(mutation);
        Notifications.NotificationTemplateGraph.AddMutations(mutation);
        Reports.ReportGraph.AddMutations(mutation);
        // Root mutation fields are nullable: a field that fails answers null next to its error while the fields before
        // and after it keep their data (partial results). A non-null field would null the whole answer, hiding writes
        // that did happen.
        foreach (var field in mutation.Fields)
            if (field.Type is { IsGenericType: true } type && type.GetGenericTypeDefinition() == typeof(NonNullGraphType<>))
                field.Type = type.GetGenericArguments()[0];
        Mutation = mutation;
    }
}
