using System.Net;
using System.Text.Json;
using GraphQL.Types;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Oms.Api.Platform.Auth;
using Oms.Api.Platform.GraphQL;
using Oms.Api.Tests.Support;
using Oms.Domain.Access;

namespace Oms.Api.Tests;

/// <summary>Every operation says who may call it, and a key without that scope is refused: REST and GraphQL, all of them.</summary>
public sealed class ScopeTests
{
    /// <summary>A key that lacks <paramref name="scope"/>: one holding only a scope of another area.</summary>
    private static string OtherThan(string scope) =>
        scope.StartsWith("webhooks", StringComparison.Ordinal) ? Scopes.OrdersRead : Scopes.WebhooksManage;

    [Fact]
    public async Task Every_REST_operation_is_public_or_scoped_and_refuses_a_key_without_its_scope()
    {
        var s = await Scenario.StartAsync();
        var endpoints = s.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.RoutePattern.RawText?.Contains("api/", StringComparison.Ordinal) == true).ToList();
        Assert.True(endpoints.Count > 80, $"{endpoints.Count} endpoints: " + string.Join(", ", s.Factory.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>().Take(5).Select(e => e.RoutePattern.RawText)));
        var unscoped = endpoints.Where(e => e.Metadata.GetMetadata<IAllowAnonymous>() is null && e.Metadata.GetMetadata<RequireScopeAttribute>() is null)
            .Select(e => e.DisplayName).ToList();
        Assert.Empty(unscoped);

        var keys = new Dictionary<string, HttpClient>();
        var refusedWrongly = new List<string>();
        foreach (var endpoint in endpoints.Where(e => e.Metadata.GetMetadata<RequireScopeAttribute>() is not null))
        {
            var scope = endpoint.Metadata.GetMetadata<RequireScopeAttribute>()!.Scope;
            var other = OtherThan(scope);
            if (!keys.TryGetValue(other, out var client))
                keys[other] = client = s.Factory.Client(await s.Factory.KeyWithScopesAsync($"only-{other}-{s.Tag}", other));
            var path = System.Text.RegularExpressions.Regex.Replace("/" + endpoint.RoutePattern.RawText!.TrimStart('/').Replace("{version:apiVersion}", "1"), @"\{(\w+)(:guid)?\}",
                m => m.Groups[2].Success || m.Groups[1].Value.EndsWith("Id", StringComparison.Ordinal) || m.Groups[1].Value == "id" ? Guid.NewGuid().ToString() : "X");
            foreach (var method in endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods ?? [])
            {
                var request = new HttpRequestMessage(new HttpMethod(method), path);
                if (method is "POST" or "PUT" or "PATCH") request.Content = new StringContent("{}", System.Text.Encoding.UTF8, "application/json");
                var response = await client.SendAsync(request);
                if (response.StatusCode != HttpStatusCode.Forbidden) refusedWrongly.Add($"{method} {path} ({scope}) answered {(int)response.StatusCode}");
            }
        }
        Assert.Empty(refusedWrongly);
    }

    [Fact]
    public async Task Every_GraphQL_field_is_public_or_scoped_and_refuses_a_key_without_its_scope()
    {
        var s = await Scenario.StartAsync();
        var schema = s.Factory.Services.GetRequiredService<ISchema>();
        schema.Initialize();
        var roots = new[] { ("query", schema.Query), ("mutation", schema.Mutation!) };
        var unscoped = roots.SelectMany(r => r.Item2.Fields.Select(f => (Root: r.Item1, Field: f)))
            .Where(x => !x.Field.Name.StartsWith("__", StringComparison.Ordinal)
                        && x.Field.GetMetadata<string?>(GraphAccess.ScopeField) is null && x.Field.GetMetadata<bool>(GraphAccess.PublicField) != true)
            .Select(x => $"{x.Root}.{x.Field.Name}").ToList();
        Assert.Empty(unscoped);

        var wrong = new List<string>();
        foreach (var (root, type) in roots)
            foreach (var field in type.Fields.Where(f => f.GetMetadata<string?>(GraphAccess.ScopeField) is not null))
            {
                var scope = field.GetMetadata<string>(GraphAccess.ScopeField);
                var client = s.Factory.Client(await s.Factory.KeyWithScopesAsync($"gql-{field.Name}-{s.Tag}", OtherThan(scope)));
                // Every argument as a variable of its own type, with a value it accepts: the scope is checked before any is used.
                var arguments = field.Arguments ?? [];
                var declared = string.Join(", ", arguments.Select(a => $"${a.Name}: {a.ResolvedType}"));
                var passed = string.Join(", ", arguments.Select(a => $"{a.Name}: ${a.Name}"));
                var variables = arguments.ToDictionary(a => a.Name, a => Sample(a.ResolvedType!));
                var named = field.ResolvedType!;
                while (named is IProvideResolvedType wrapper) named = wrapper.ResolvedType!;
                var selection = named is IComplexGraphType ? " { __typename }" : "";
                var document = $"{root}{(declared.Length > 0 ? $"({declared})" : "")} {{ {field.Name}{(passed.Length > 0 ? $"({passed})" : "")}{selection} }}";
                var (_, body) = await s.GraphQLAsync(document, variables, client);
                var code = Scenario.ErrorCode(body);
                if (code != "forbidden") wrong.Add($"{root}.{field.Name} ({scope}) answered {code ?? body.ToString()}");
            }
        Assert.Empty(wrong);
    }

    /// <summary>A value GraphQL accepts for <paramref name="type"/>: required input fields filled, the first of an enum.</summary>
    private static object? Sample(IGraphType type) => type switch
    {
        NonNullGraphType n => Sample(n.ResolvedType!),
        ListGraphType l => new[] { Sample(l.ResolvedType!) },
        EnumerationGraphType e => e.Values.First().Name,
        IInputObjectGraphType input => input.Fields.Where(f => f.ResolvedType is NonNullGraphType).ToDictionary(f => f.Name, f => Sample(f.ResolvedType!)),
        IdGraphType => Guid.NewGuid().ToString(),
        IntGraphType or LongGraphType or DecimalGraphType or FloatGraphType => 1,
        BooleanGraphType => true,
        _ when type.Name.Contains("DateTime", StringComparison.Ordinal) => "2026-01-01T00:00:00Z",
        _ when type.Name.Contains("Date", StringComparison.Ordinal) => "2026-01-01",
        _ when type.Name == "StringMap" => new Dictionary<string, string>(),
        _ => "x",
    };
}

