using System.Text.Json;
using GraphQL;
using GraphQL.Transport;
using GraphQL.Types;
using GraphQLParser.AST;
using GraphQLParser.Exceptions;
using Microsoft.Net.Http.Headers;
using Oms.Api.Platform.Auth;

namespace Oms.Api.Platform.GraphQL;

/// <summary>
/// GraphQL over HTTP (https://graphql.github.io/graphql-over-http/): POST with application/json, or GET with query
/// parameters for queries only. Answers application/graphql-response+json when the client accepts it (4xx for
/// requests that could not execute), application/json otherwise (200 whenever the request was well-formed).
/// A browser asking for HTML gets the GraphiQL IDE.
/// </summary>
public static class GraphQLEndpoint
{
    public const string Path = "/graphql";
    private const string GraphQLResponseJson = "application/graphql-response+json";
    private const string Json = "application/json";

    public static void MapGraphQL(this IEndpointRouteBuilder app)
    {
        // Public at the routing level: the IDE needs no key; operations check the key here, with GraphQL-shaped errors.
        app.MapMethods(Path, [HttpMethods.Get, HttpMethods.Post], HandleAsync).Public().ExcludeFromDescription();
        app.MapGet(Path + "/schema.graphql", (ISchema schema) => Results.Text(SchemaSdl(schema), "text/plain; charset=utf-8"))
            .Public().ExcludeFromDescription();
    }

    public static string SchemaSdl(ISchema schema) => schema.Print(new global::GraphQL.Utilities.PrintOptions { IncludeDescriptions = true }).ReplaceLineEndings("\n").Trim() + "\n";

    private static async Task HandleAsync(HttpContext http, IDocumentExecuter<ISchema> executer, IGraphQLTextSerializer serializer, ISchema schema)
    {
        var request = http.Request;
        var isGet = HttpMethods.IsGet(request.Method);
        if (isGet && !request.Query.ContainsKey("query") && AcceptsHtml(request))
        {
            // The page pre-fills the development key on a developer's machine only.
            var devKey = http.RequestServices.GetRequiredService<IWebHostEnvironment>().IsDevelopment() ? http.RequestServices.GetRequiredService<DevelopmentKey>().Secret : null;
            await GraphiQLPage.WriteAsync(http, devKey);
            return;
        }

        var mediaType = Negotiate(request);
        if (mediaType is null)
        {
            http.Response.StatusCode = StatusCodes.Status406NotAcceptable;
            await WriteErrorAsync(http, serializer, Json, "Accept application/graphql-response+json or application/json.", "not_acceptable");
            return;
        }
        var strict = mediaType == GraphQLResponseJson;

        GraphQLRequest? gql;
        if (isGet)
        {
            gql = new GraphQLRequest { Query = request.Query["query"], OperationName = NullIfEmpty(request.Query["operationName"]) };
            try
            {
                if (NullIfEmpty(request.Query["variables"]) is { } variables) gql.Variables = serializer.Deserialize<Inputs>(variables);
                if (NullIfEmpty(request.Query["extensions"]) is { } extensions) gql.Extensions = serializer.Deserialize<Inputs>(extensions);
            }
            catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException)
            {
                await RequestErrorAsync(http, serializer, mediaType, 400, "The variables or extensions parameter is not a JSON object.", "bad_request");
                return;
            }
        }
        else
        {
            if (!MediaTypeHeaderValue.TryParse(request.ContentType, out var contentType) || !contentType.MediaType.Equals(Json, StringComparison.OrdinalIgnoreCase))
            {
                await RequestErrorAsync(http, serializer, mediaType, 415, "POST a JSON body with Content-Type: application/json.", "unsupported_media_type");
                return;
            }
            try
            {
                gql = await serializer.ReadAsync<GraphQLRequest>(request.Body, http.RequestAborted);
            }
            catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or NotSupportedException)
            {
                await RequestErrorAsync(http, serializer, mediaType, 400, "The body is not a GraphQL request: {\"query\": \"...\", \"variables\": {...}}.", "bad_request");
                return;
            }
        }
        if (string.IsNullOrWhiteSpace(gql?.Query))
        {
            await RequestErrorAsync(http, serializer, mediaType, 400, "The request has no query.", "bad_request");
            return;
        }

        var limits = http.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<GraphQLLimits>>().Value;
        if (System.Text.Encoding.UTF8.GetByteCount(gql.Query) is var bytes && bytes > limits.MaxDocumentBytes)
        {
            await LimitErrorAsync(http, serializer, mediaType, strict, $"{GraphQLLimits.Section}:{nameof(GraphQLLimits.MaxDocumentBytes)}",
                $"The query is {bytes:N0} bytes; {GraphQLLimits.Section}:{nameof(GraphQLLimits.MaxDocumentBytes)} allows {limits.MaxDocumentBytes:N0}.");
            return;
        }

        GraphQLDocument? document = null;
        try
        {
            document = GraphQLParser.Parser.Parse(gql.Query, ParserOptions);
        }
        catch (GraphQLMaxDepthExceededException)
        {
            await LimitErrorAsync(http, serializer, mediaType, strict, $"{GraphQLLimits.Section}:{nameof(GraphQLLimits.MaxDepth)}",
                $"The query nests deeper than the parser reads ({ParserOptions.MaxDepth} levels); {GraphQLLimits.Section}:{nameof(GraphQLLimits.MaxDepth)} allows {limits.MaxDepth}.");
            return;
        }
        catch (GraphQLSyntaxErrorException e) when (http.GetCaller() is not null)
        {
            await WriteResultAsync(http, serializer, mediaType, strict ? 400 : 200, new ExecutionResult { Errors = [new global::GraphQL.Execution.SyntaxError(e)] });
            return;
        }
        catch (GraphQLSyntaxErrorException) { }
        // Without a key, only an operation of public fields (the shoppers' tracking lookup) runs.
        if (http.GetCaller() is null && http.Features.Get<KeyNotChecked>() is { } notChecked)
        {
            var unavailable = Errors.ErrorMapping.Classify(notChecked.Failure);
            http.Response.Headers.RetryAfter = Errors.ErrorMapping.UnavailableRetryAfterSeconds.ToString(System.Globalization.CultureInfo.InvariantCulture);
            await RequestErrorAsync(http, serializer, mediaType, unavailable.Status, unavailable.Detail, unavailable.Code);
            return;
        }
        if (http.GetCaller() is null && (document is null || !GraphAccess.OnlyPublicFields(schema, document, gql.OperationName)))
        {
            http.Response.Headers.WWWAuthenticate = "Bearer";
            await RequestErrorAsync(http, serializer, mediaType, 401, "Send an API key as 'Authorization: Bearer <key>'.", Errors.ErrorMapping.Unauthenticated);
            return;
        }
        if (isGet && IsMutation(document!, gql.OperationName))
        {
            http.Response.Headers.Allow = "POST";
            await RequestErrorAsync(http, serializer, mediaType, 405, "Mutations must be sent with POST.", "method_not_allowed");
            return;
        }
        if (limits.Exceeded(document!, gql.OperationName, gql.Variables) is { } over)
        {
            await LimitErrorAsync(http, serializer, mediaType, strict, over.Limit, over.Message);
            return;
        }
        if (Unstorable(document!, gql.Variables) is { } unstorable)
        {
            await WriteResultAsync(http, serializer, mediaType, strict ? 400 : 200, new ExecutionResult
            {
                Errors = [new OmsExecutionError(Errors.ErrorMapping.Classify(new Errors.RequestValidationException(unstorable)), null)],
            });
            return;
        }

        // The work stops when the client goes away, and after GraphQL:MaxExecutionTime whatever it asked.
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(http.RequestAborted);
        deadline.CancelAfter(limits.MaxExecutionTime);
        ExecutionResult result;
        try
        {
            result = await executer.ExecuteAsync(new ExecutionOptions
            {
                Query = gql.Query,
                Document = document!,
                OperationName = gql.OperationName,
                Variables = gql.Variables,
                Extensions = gql.Extensions,
                RequestServices = http.RequestServices,
                User = http.User,
                CancellationToken = deadline.Token,
            });
        }
        catch (OperationCanceledException) when (!http.RequestAborted.IsCancellationRequested)
        {
            result = null!;
        }
        if (http.RequestAborted.IsCancellationRequested) return;
        // Past the deadline, whatever the resolvers made of their cancellation, the answer is the same (a request that
        // finished whole just as it passed keeps its answer).
        if (deadline.IsCancellationRequested && (result is null || result.Errors is { Count: > 0 }))
        {
            await RequestErrorAsync(http, serializer, mediaType, 503,
                $"The request ran longer than {GraphQLLimits.Section}:{nameof(GraphQLLimits.MaxExecutionTime)} ({limits.MaxExecutionTime.TotalSeconds:0.#} s) and was stopped; ask for less.",
                "time_limit_exceeded");
            return;
        }
        // graphql-response+json: a request that never executed (validation, coercion) is a client error.
        var status = strict && !result.Executed ? 400 : 200;
        await WriteResultAsync(http, serializer, mediaType, status, result);
    }

    /// <summary>Strings the database cannot store (NUL, half a surrogate pair), in the document's literals or the variables, by where they are.</summary>
    private static Dictionary<string, string[]>? Unstorable(GraphQLDocument document, Inputs? variables)
    {
        var found = new Dictionary<string, string[]>();
        void Visit(object? value, string path)
        {
            switch (value)
            {
                case string s when Http.StorableStringConverter.Problem(s) is { } problem: found.TryAdd(path, [problem]); break;
                case IEnumerable<KeyValuePair<string, object?>> map:
                    foreach (var (k, v) in map)
                    {
                        if (Http.StorableStringConverter.Problem(k) is { } keyProblem) found.TryAdd(path, [keyProblem]);
                        Visit(v, $"{path}.{k}");
                    }
                    break;
                case System.Collections.IEnumerable list and not string:
                    var i = 0;
                    foreach (var item in list) Visit(item, $"{path}[{i++}]");
                    break;
            }
        }
        if (variables is not null) foreach (var (name, value) in variables) Visit(value, "variables." + name);
        var pending = new Stack<ASTNode>([document]);
        while (pending.Count > 0 && found.Count == 0)
        {
            var node = pending.Pop();
            if (node is GraphQLStringValue text && Http.StorableStringConverter.Problem(text.Value.ToString()) is { } problem) found.TryAdd("query", [problem]);
            foreach (var child in GraphQLLimits.Children(node)) pending.Push(child);
        }
        return found.Count > 0 ? found : null;
    }

    private static bool IsMutation(GraphQLDocument document, string? operationName)
    {
        var chosen = Operation(document, operationName);
        return chosen?.Operation == OperationType.Mutation
               || (chosen is null && document.Definitions.OfType<GraphQLOperationDefinition>().Any(o => o.Operation == OperationType.Mutation));
    }

    /// <summary>The operation a request runs: the one it names, or the only one; null when missing or ambiguous (GraphQL.NET says so).</summary>
    public static GraphQLOperationDefinition? Operation(GraphQLDocument document, string? operationName)
    {
        var operations = document.Definitions.OfType<GraphQLOperationDefinition>().ToList();
        return operationName is null ? (operations.Count == 1 ? operations[0] : null) : operations.FirstOrDefault(o => o.Name?.StringValue == operationName);
    }

    private static string? Negotiate(HttpRequest request)
    {
        var accept = request.Headers.Accept;
        // The spec: no Accept header is treated as application/json, for legacy clients.
        if (accept.Count == 0) return Json;
        if (!MediaTypeHeaderValue.TryParseList(accept, out var types)) return Json;
        foreach (var t in types.OrderByDescending(t => t.Quality ?? 1))
        {
            if (t.Quality == 0) continue;
            if (t.MediaType.Equals(GraphQLResponseJson, StringComparison.OrdinalIgnoreCase)) return GraphQLResponseJson;
            if (t.MediaType.Equals(Json, StringComparison.OrdinalIgnoreCase)) return Json;
            if (t.MediaType.Equals("*/*", StringComparison.OrdinalIgnoreCase) || t.MediaType.Equals("application/*", StringComparison.OrdinalIgnoreCase))
                return GraphQLResponseJson;
        }
        return null;
    }

    private static bool AcceptsHtml(HttpRequest request) =>
        MediaTypeHeaderValue.TryParseList(request.Headers.Accept, out var types) && types.Any(t => t.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase));

    /// <summary>Comments are skipped, not kept; nesting past this is refused while parsing (the limits proper come after).</summary>
    private static readonly GraphQLParser.ParserOptions ParserOptions = new() { Ignore = GraphQLParser.IgnoreOptions.Comments, MaxDepth = 64 };

    /// <summary>
    /// A document over one of <see cref="GraphQLLimits"/>, with the limit's configuration key in <c>extensions.errors</c>:
    /// 400 for application/graphql-response+json, 200 for application/json (GraphQL over HTTP: a request that did not run).
    /// </summary>
    private static Task LimitErrorAsync(HttpContext http, IGraphQLTextSerializer serializer, string mediaType, bool strict, string limit, string message) =>
        WriteResultAsync(http, serializer, mediaType, strict ? 400 : 200, new ExecutionResult
        {
            Errors = [new OmsExecutionError(new Errors.ErrorInfo(400, "query_too_large", message, new Dictionary<string, string[]> { [limit] = [message] }), null)],
        });

    private static Task RequestErrorAsync(HttpContext http, IGraphQLTextSerializer serializer, string mediaType, int status, string message, string code) =>
        WriteResultAsync(http, serializer, mediaType, status, new ExecutionResult { Errors = [new ExecutionError(message) { Code = code }] });

    private static Task WriteErrorAsync(HttpContext http, IGraphQLTextSerializer serializer, string mediaType, string message, string code) =>
        WriteResultAsync(http, serializer, mediaType, http.Response.StatusCode, new ExecutionResult { Errors = [new ExecutionError(message) { Code = code }] });

    private static async Task WriteResultAsync(HttpContext http, IGraphQLTextSerializer serializer, string mediaType, int status, ExecutionResult result)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = mediaType + "; charset=utf-8";
        await serializer.WriteAsync(http.Response.Body, result, http.RequestAborted);
    }

    private static string? NullIfEmpty(Microsoft.Extensions.Primitives.StringValues v) => v.Count == 0 || string.IsNullOrEmpty(v[0]) ? null : v[0];
}
