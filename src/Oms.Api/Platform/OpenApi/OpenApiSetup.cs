using Microsoft.AspNetCore.Authorization;
using Microsoft.OpenApi;
using Oms.Api.Platform.Auth;
using Oms.Api.Platform.Http;
using Oms.Api.Platform.Idempotency;
using Swashbuckle.AspNetCore.SwaggerGen;

namespace Oms.Api.Platform.OpenApi;

public static class OpenApiSetup
{
    public const string DocumentPath = "/openapi/v1.json";

    public static IServiceCollection AddOmsOpenApi(this IServiceCollection services)
    {
        services.AddSwaggerGen(o =>
        {
            o.SwaggerDoc("v1", new OpenApiInfo
            {
                Title = "HeadlessOms API",
                Version = "v1",
                Description = "Headless order management: orders from every channel, catalog, and access keys. "
                              + "Authenticate with 'Authorization: Bearer YOUR_API_KEY'. Errors are RFC 9457 problem+json with a stable 'code'. "
                              + "POST and PATCH accept an Idempotency-Key; resources carry a version sent as ETag and honoured in If-Match.",
                License = new OpenApiLicense { Name = "MIT" },
            });
            o.IncludeXmlComments(Path.Combine(AppContext.BaseDirectory, "Oms.Api.xml"), includeControllerXmlComments: false);
            // Relative: the API answers on whatever host serves this document.
            o.AddServer(new OpenApiServer { Url = "/", Description = "The host that serves this document" });
            // Free-form JSON (an event's example body), not System.Text.Json's node internals.
            o.MapType<System.Text.Json.Nodes.JsonNode>(() => new OpenApiSchema { Type = JsonSchemaType.Object, Description = "Any JSON object." });
            o.SupportNonNullableReferenceTypes();
            o.NonNullableReferenceTypesAsRequired();
            o.AddSecurityDefinition("Bearer", new OpenApiSecurityScheme
            {
                Type = SecuritySchemeType.Http,
                Scheme = "bearer",
                Description = "An API key created with POST /api/v1/api-keys (the development key is printed at start-up), or a person's access token from the identity provider configured under Auth:Oidc (docs/access.md).",
            });
            o.OperationFilter<ConventionsOperationFilter>();
            o.SchemaFilter<ContractSchemaFilter>();
            o.DocumentFilter<ReadableReferencesFilter>();
            o.CustomOperationIds(d => d.ActionDescriptor.EndpointMetadata.OfType<IEndpointNameMetadata>().FirstOrDefault()?.EndpointName);
        });
        return services;
    }

    public static void UseOmsOpenApi(this WebApplication app)
    {
        // Only for their own paths: both middlewares match every request's path with a regular expression otherwise
        // (0.5 % of the API's CPU in a profile of reads by id).
        app.UseWhen(http => http.Request.Path.StartsWithSegments("/openapi") || http.Request.Path.StartsWithSegments("/swagger"), docs =>
        {
            docs.UseSwagger(o => o.RouteTemplate = "openapi/{documentName}.json");
            docs.UseSwaggerUI(o =>
            {
                o.RoutePrefix = "swagger";
                o.SwaggerEndpoint(DocumentPath, "HeadlessOms API v1");
                o.DocumentTitle = "HeadlessOms API";
                o.EnablePersistAuthorization();
            });
        });
    }
}

/// <summary>Documents what every endpoint shares: the bearer key and its scope, 401/403, Idempotency-Key and If-Match.</summary>
internal sealed class ConventionsOperationFilter : IOperationFilter
{
    public void Apply(OpenApiOperation operation, OperationFilterContext context)
    {
        var metadata = context.ApiDescription.ActionDescriptor.EndpointMetadata;
        operation.Responses ??= new OpenApiResponses();
        // What any operation may answer: a body over the size limit, and a failure of ours (with a traceId to quote).
        if (operation.RequestBody is not null) AddProblem(operation, context, "413", "The body is larger than the API accepts (Api:MaxRequestBodyBytes).");
        AddProblem(operation, context, "500", "An unexpected error on our side; quote the traceId when reporting it.");
        AddProblem(operation, context, "503", "The database cannot be reached just now (code service_unavailable): retry after the Retry-After seconds.");
        // Every operation refuses a query parameter it does not take (UnknownQueryParameters).
        AddProblem(operation, context, "400", "The request is invalid (an unknown query parameter, say); errors names each field.");
        DescribePaging(operation);
        // Reports answer CSV to a client that asks for it (Accept: text/csv): the same 200, as text.
        if (metadata.OfType<Http.CsvExport>().Any() && operation.Responses.TryGetValue("200", out var ok) && ok is OpenApiResponse okResponse)
        {
            okResponse.Content ??= new Dictionary<string, IOpenApiMediaType>();
            okResponse.Content[Http.Csv.MediaType] = new OpenApiMediaType { Schema = new OpenApiSchema { Type = JsonSchemaType.String, Description = "RFC 4180 CSV with a header row; amounts in major units with the currency's decimals." } };
            okResponse.Description = "The report as JSON, or as CSV when the request prefers `text/csv`.";
        }
        if (metadata.OfType<IAllowAnonymous>().Any()) return;
        var scope = metadata.OfType<RequireScopeAttribute>().LastOrDefault()?.Scope;
        operation.Security ??= [];
        operation.Security.Add(new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference("Bearer", context.Document)] = [] });
        if (scope is not null)
            operation.Description = $"{operation.Description}\n\nRequires scope `{scope}`.".Trim();
        AddProblem(operation, context, "401", "Missing, unknown or revoked API key.");
        if (scope is not null) AddProblem(operation, context, "403", $"The API key lacks the `{scope}` scope.");

        var method = context.ApiDescription.HttpMethod;
        operation.Parameters ??= [];
        if (method is "POST" or "PATCH")
        {
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = IdempotencyMiddleware.Header,
                In = ParameterLocation.Header,
                Required = false,
                Description = "Makes a retry safe: the same key with the same request returns the first response (marked Idempotent-Replayed: true); with a different request it answers 422. Kept 24 hours.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 255 },
            });
        }
        var isStateChange = method == "PATCH" || (method == "POST" && context.ApiDescription.RelativePath?.Contains('{') == true);
        if (isStateChange)
        {
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = "If-Match",
                In = ParameterLocation.Header,
                Required = false,
                Description = "The ETag (version) you read, e.g. \"3\": the change is refused with 412 if the resource has changed since.",
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
        }
    }

    /// <summary>Every list pages the same way (<see cref="PageRequest"/>): say so on each, with the bounds the API enforces.</summary>
    private static void DescribePaging(OpenApiOperation operation)
    {
        // A list pages with limit and cursor; a limit without a cursor (a report's top N) says its own bounds.
        if (!(operation.Parameters ?? []).Any(p => p.Name == "cursor")) return;
        foreach (var p in (operation.Parameters ?? []).OfType<OpenApiParameter>().Where(p => p.In == ParameterLocation.Query))
        {
            if (p.Name == "limit")
            {
                p.Description ??= $"Page size, 1-{Cursor.MaxLimit} (default {Cursor.DefaultLimit}).";
                if (p.Schema is OpenApiSchema schema)
                {
                    schema.Minimum = "1";
                    schema.Maximum = Cursor.MaxLimit.ToString(System.Globalization.CultureInfo.InvariantCulture);
                }
            }
            else if (p.Name == "cursor")
                p.Description ??= "The `next` of the previous page; omit for the first page.";
        }
    }

    private static void AddProblem(OpenApiOperation operation, OperationFilterContext context, string status, string description)
    {
        if (operation.Responses!.ContainsKey(status)) return;
        var schema = context.SchemaGenerator.GenerateSchema(typeof(Microsoft.AspNetCore.Mvc.ProblemDetails), context.SchemaRepository);
        operation.Responses[status] = new OpenApiResponse
        {
            Description = description,
            Content = new Dictionary<string, IOpenApiMediaType> { ["application/problem+json"] = new OpenApiMediaType { Schema = schema } },
        };
    }
}

/// <summary>
/// Makes the schemas say exactly what the JSON binding enforces: a property is required when the contract marks it
/// with C# <c>required</c> (System.Text.Json refuses a body without it), and problem documents carry our extensions.
/// </summary>
internal sealed class ContractSchemaFilter : ISchemaFilter
{
    public void Apply(IOpenApiSchema schema, SchemaFilterContext context)
    {
        if (schema is not OpenApiSchema concrete) return;
        if (typeof(Microsoft.AspNetCore.Mvc.ProblemDetails).IsAssignableFrom(context.Type))
        {
            concrete.Properties ??= new Dictionary<string, IOpenApiSchema>();
            concrete.Properties["code"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Stable machine-readable code, e.g. order.invalid_transition; GraphQL errors carry the same in extensions.code." };
            concrete.Properties["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "Quote it when reporting a problem." };
            concrete.Properties["errors"] = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Description = "Messages per request field, keyed by its path (e.g. lines[0].quantity).",
                AdditionalProperties = new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String } },
            };
            return;
        }
        if (concrete.Properties is not { Count: > 0 } || context.Type.Namespace?.StartsWith("Oms.", StringComparison.Ordinal) != true) return;
        var required = context.Type.GetProperties()
            .Where(p => p.GetCustomAttributes(typeof(System.Runtime.CompilerServices.RequiredMemberAttribute), false).Length > 0)
            .Select(p => System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(p.Name))
            .Where(concrete.Properties.ContainsKey)
            .ToHashSet();
        concrete.Required = required;

        // A property that can be null is nullable in the document, also when its schema is a reference (an address, an
        // enum): OpenAPI 3.0 puts the reference under allOf to say so, which generated clients read as "X | null".
        var nullability = new System.Reflection.NullabilityInfoContext();
        foreach (var property in context.Type.GetProperties())
        {
            var name = System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(property.Name);
            if (!concrete.Properties.TryGetValue(name, out var propertySchema) || propertySchema is not OpenApiSchemaReference reference) continue;
            var nullable = Nullable.GetUnderlyingType(property.PropertyType) is not null
                           || (!property.PropertyType.IsValueType && nullability.Create(property).ReadState == System.Reflection.NullabilityState.Nullable);
            if (!nullable) continue;
            concrete.Properties[name] = new OpenApiSchema { AllOf = [reference], Type = JsonSchemaType.Null, Description = reference.Description };
        }
    }
}

/// <summary>
/// XML documentation's <c>&lt;see cref="..."/&gt;</c> reaches the document as a .NET name
/// (<c>Oms.Api.Inventory.AdjustmentRequest.Delta</c>); clients read JSON, so a member becomes its JSON name
/// (<c>`delta`</c>) and a type its plain name.
/// </summary>
internal sealed partial class ReadableReferencesFilter : IDocumentFilter
{
    public void Apply(OpenApiDocument document, DocumentFilterContext context)
    {
        foreach (var schema in document.Components?.Schemas?.Values.AsEnumerable() ?? []) Schema(schema, 0);
        foreach (var operation in (document.Paths?.Values.AsEnumerable() ?? []).SelectMany(p => p.Operations?.Values.AsEnumerable() ?? []))
        {
            if (operation is null) continue;
            operation.Description = Readable(operation.Description);
            operation.Summary = Readable(operation.Summary);
            foreach (var parameter in (operation.Parameters ?? []).OfType<OpenApiParameter>()) parameter.Description = Readable(parameter.Description);
        }
    }

    private static void Schema(IOpenApiSchema schema, int depth)
    {
        if (schema is not OpenApiSchema concrete || depth > 4) return;
        concrete.Description = Readable(concrete.Description);
        foreach (var property in concrete.Properties?.Values.AsEnumerable() ?? []) Schema(property, depth + 1);
        if (concrete.Items is { } items) Schema(items, depth + 1);
        foreach (var part in concrete.AllOf ?? []) Schema(part, depth + 1);
    }

    public static string? Readable(string? text) => text is null ? null : Reference().Replace(text, m =>
    {
        var name = m.Value;
        var type = typeof(ReadableReferencesFilter).Assembly.GetType(name);
        if (type is not null) return Plain(type.Name);
        var dot = name.LastIndexOf('.');
        return typeof(ReadableReferencesFilter).Assembly.GetType(name[..dot]) is not null
            ? $"`{System.Text.Json.JsonNamingPolicy.CamelCase.ConvertName(name[(dot + 1)..])}`"
            : Plain(name[(dot + 1)..]);
    });

    private static string Plain(string typeName) => typeName.Split('`')[0];

    [System.Text.RegularExpressions.GeneratedRegex(@"\bOms\.[A-Za-z0-9_.`]+[A-Za-z0-9_]")]
    private static partial System.Text.RegularExpressions.Regex Reference();
}

