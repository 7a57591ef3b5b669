using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;

namespace Oms.Api.Tests.Support;

/// <summary>
/// Checks every JSON answer the test suite receives from the REST API against the committed <c>openapi/v1.json</c>:
/// the schema of its operation and status, with the document's nullability and required fields, as a generated
/// client would read them. A shape the document does not allow fails the test that received it.
/// </summary>
public sealed partial class ContractCheck : DelegatingHandler
{
    private const string Base = "https://headless-oms.test/openapi/v1.json";

    private static readonly Lazy<Contract> Document = new(Load);

    private sealed record Operation(string Method, string Template, Regex Pattern, int Literals, JsonObject Responses);

    private sealed record Contract(IReadOnlyList<Operation> Operations, ConcurrentDictionary<string, JsonSchema> Schemas);

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (Violation(request, response, await response.Content.ReadAsStringAsync(cancellationToken)) is { } violation)
            throw new ContractViolationException(violation);
        return response;
    }

    /// <summary>Null when the answer is what the document says, else why not.</summary>
    public static string? Violation(HttpRequestMessage request, HttpResponseMessage response, string body)
    {
        var path = request.RequestUri!.AbsolutePath;
        if (!path.StartsWith("/api/", StringComparison.Ordinal)) return null; // GraphQL, the IDE, the document itself
        var contract = Document.Value;
        var operation = contract.Operations.Where(o => o.Method == request.Method.Method.ToLowerInvariant() && o.Pattern.IsMatch(path))
            .OrderByDescending(o => o.Literals).FirstOrDefault();
        if (operation is null) return null; // an unknown route answers 404 or 405: not an operation of the document
        var status = ((int)response.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var mediaType = response.Content.Headers.ContentType?.MediaType;
        if (body.Length == 0 || mediaType is not ("application/json" or "application/problem+json")) return null;
        if ((operation.Responses[status] ?? operation.Responses["default"]) is not JsonObject documented)
            return $"{request.Method} {operation.Template} answered {status}, which the document does not list: {Cut(body)}";
        if (documented["content"]?[mediaType]?["schema"] is not JsonNode schemaNode)
            return $"{request.Method} {operation.Template} {status} answered {mediaType}, which the document does not list for it";
        var key = schemaNode.ToJsonString();
        var schema = contract.Schemas.GetOrAdd(key, _ => JsonSchema.FromText(Rewrite(schemaNode.DeepClone())!.ToJsonString()));
        using var json = JsonDocument.Parse(body);
        var result = schema.Evaluate(json.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (result.IsValid) return null;
        var errors = (result.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")).Distinct().Take(8);
        return $"{request.Method} {operation.Template} {status}: the answer does not match the document: {string.Join("; ", errors)} in {Cut(body)}";
    }

    private static string Cut(string text) => text.Length > 600 ? text[..600] + "…" : text;

    private static Contract Load()
    {
        var document = JsonNode.Parse(File.ReadAllText(ContractTests.RepoFile("openapi/v1.json")))!.AsObject();
        var defs = new JsonObject();
        foreach (var (name, schema) in document["components"]!["schemas"]!.AsObject()) defs[name] = Rewrite(schema!.DeepClone());
        var root = new JsonObject { ["$schema"] = "https://json-schema.org/draft/2020-12/schema", ["$id"] = Base, ["$defs"] = defs };
        JsonSchema.FromText(root.ToJsonString()); // registered under its $id: every response schema refers into it
        var operations = new List<Operation>();
        foreach (var (template, item) in document["paths"]!.AsObject())
        foreach (var (method, operation) in item!.AsObject())
        {
            if (operation is not JsonObject { } o || o["responses"] is not JsonObject responses) continue;
            var segments = template.Split('/', StringSplitOptions.RemoveEmptyEntries);
            var pattern = "^/" + string.Join("/", segments.Select(s => s.StartsWith('{') ? "[^/]+" : Regex.Escape(s))) + "/?$";
            operations.Add(new Operation(method, template, new Regex(pattern, RegexOptions.CultureInvariant), segments.Count(s => !s.StartsWith('{')), responses));
        }
        return new Contract(operations, new ConcurrentDictionary<string, JsonSchema>());
    }

    /// <summary>OpenAPI 3.0's schema dialect as JSON Schema 2020-12: nullable as a null type, references into the registered document.</summary>
    private static JsonNode? Rewrite(JsonNode? node)
    {
        switch (node)
        {
            case JsonArray array:
                for (var i = 0; i < array.Count; i++) array[i] = Rewrite(array[i]?.DeepClone());
                return array;
            case JsonObject o:
                foreach (var name in o.Select(p => p.Key).ToList()) o[name] = Rewrite(o[name]?.DeepClone());
                if (o["$ref"] is JsonValue reference && reference.GetValue<string>() is { } target && target.StartsWith("#/components/schemas/", StringComparison.Ordinal))
                    o["$ref"] = Base + "#/$defs/" + target["#/components/schemas/".Length..];
                if (o.Remove("nullable", out var nullable) && nullable?.GetValue<bool>() == true)
                {
                    if (o["type"] is JsonValue type) o["type"] = new JsonArray(type.GetValue<string>(), "null");
                    else
                    {
                        var inner = new JsonObject();
                        foreach (var name in o.Select(p => p.Key).ToList()) { var value = o[name]; o.Remove(name); inner[name] = value; }
                        o["anyOf"] = new JsonArray(inner, new JsonObject { ["type"] = "null" });
                    }
                    if (o["enum"] is JsonArray values && !values.Any(v => v is null)) values.Add(null);
                }
                return o;
            default:
                return node;
        }
    }
}

public sealed class ContractViolationException(string message) : Exception(message);
