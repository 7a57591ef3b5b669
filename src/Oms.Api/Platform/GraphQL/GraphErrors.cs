using GraphQL;
using GraphQL.Execution;
using Oms.Api.Platform.Errors;
using GqlErrorInfo = GraphQL.Execution.ErrorInfo;

namespace Oms.Api.Platform.GraphQL;

/// <summary>A resolver failure, classified by <see cref="ErrorMapping"/> like any REST error.</summary>
public sealed class OmsExecutionError(Errors.ErrorInfo info, Exception? inner)
    : ExecutionError(info.IsServerError ? info.Detail : inner?.Message ?? info.Detail, inner)
{
    public Errors.ErrorInfo Info { get; } = info;
}

/// <summary>Renders <c>extensions</c> as <c>{ code, errors? }</c>: the code is the REST problem's code, and nothing internal leaks.</summary>
public sealed class OmsErrorInfoProvider() : ErrorInfoProvider(new ErrorInfoProviderOptions { ExposeExceptionDetails = false, ExposeCodes = false, ExposeData = false })
{
    public override GqlErrorInfo GetInfo(ExecutionError executionError)
    {
        var info = base.GetInfo(executionError);
        if (executionError is OmsExecutionError oms)
        {
            var extensions = new Dictionary<string, object?> { ["code"] = oms.Info.Code };
            if (oms.Info.Errors is { Count: > 0 } errors) extensions["errors"] = errors;
            return new GqlErrorInfo { Message = oms.Message, Extensions = extensions };
        }
        return info;
    }

    /// <summary>Hooked into GraphQL.NET's unhandled-exception delegate: every exception a resolver throws passes here.</summary>
    public static Task HandleAsync(UnhandledExceptionContext context, ILogger logger)
    {
        var info = ErrorMapping.Classify(context.OriginalException);
        if (info.Status == 503) logger.LogWarning("The database is unavailable: GraphQL field {Field} failed ({Reason})", context.FieldContext?.FieldDefinition.Name, context.OriginalException.GetBaseException().Message);
        else if (info.IsServerError) logger.LogError(context.OriginalException, "Unhandled error in GraphQL field {Field}", context.FieldContext?.FieldDefinition.Name);
        context.Exception = new OmsExecutionError(InGraphQLTerms(info, context.FieldContext), info.IsServerError ? null : context.OriginalException);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Field errors name what the client sent: a request body's <c>lines[0].sku</c> is <c>input.lines[0].sku</c> for a
    /// field whose one input-object argument is <c>input</c>. Names that already are arguments stay as they are.
    /// </summary>
    private static Errors.ErrorInfo InGraphQLTerms(Errors.ErrorInfo info, IResolveFieldContext? field)
    {
        if (info.Errors is not { Count: > 0 } errors || field?.FieldDefinition.Arguments is not { Count: > 0 } arguments) return info;
        var inputs = arguments.Where(a => (a.ResolvedType is global::GraphQL.Types.NonNullGraphType n ? n.ResolvedType : a.ResolvedType) is global::GraphQL.Types.IInputObjectGraphType).ToList();
        if (inputs.Count != 1) return info;
        var input = inputs[0].Name;
        var names = arguments.Select(a => a.Name).ToHashSet(StringComparer.Ordinal);
        return info with
        {
            Errors = errors.ToDictionary(e => names.Contains(e.Key.Split('.', '[')[0]) ? e.Key : input + "." + e.Key, e => e.Value),
        };
    }
}
