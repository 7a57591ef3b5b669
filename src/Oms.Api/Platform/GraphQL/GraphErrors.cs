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
        if (info.IsServerError) logger.LogError(context.OriginalException, "Unhandled error in GraphQL field {Field}", context.FieldContext?.FieldDefinition.Name);
        context.Exception = new OmsExecutionError(info, info.IsServerError ? null : context.OriginalException);
        return Task.CompletedTask;
    }
}
