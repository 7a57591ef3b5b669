using GraphQL.Execution;
using ExecutionContext = GraphQL.Execution.ExecutionContext;

namespace Oms.Api.Platform.GraphQL;

/// <summary>
/// Runs a mutation's root fields one after the other (as the spec requires), each in a service scope of its own: its
/// own DbContext, change tracker and transaction. A field that fails writes nothing and leaves nothing behind for the
/// fields after it, which run and answer as usual (partial results).
/// </summary>
public sealed class UnitOfWorkPerField : SerialExecutionStrategy
{
    public override async Task ExecuteNodeTreeAsync(ExecutionContext context, ExecutionNode rootNode)
    {
        if (rootNode is not RootExecutionNode { SubFields: { } fields } || context.RequestServices is not { } requestServices)
        {
            await base.ExecuteNodeTreeAsync(context, rootNode);
            return;
        }
        var scopes = requestServices.GetRequiredService<IServiceScopeFactory>();
        foreach (var field in fields)
        {
            await using var scope = scopes.CreateAsyncScope();
            using var operation = Auth.AuditActors.InGraphField(field.Field.Name.StringValue);
            context.RequestServices = scope.ServiceProvider;
            try
            {
                await base.ExecuteNodeTreeAsync(context, field);
            }
            finally
            {
                context.RequestServices = requestServices;
            }
        }
    }
}
