using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.Extensions.DependencyInjection;
using Oms.Api.Orders;
using Oms.Api.Platform.Errors;
using Oms.Api.Platform.Http;

namespace Oms.Api.Tests;

/// <summary>
/// A body that does not bind is explained from the body and the contract: the serializer's message is not read. Each
/// case hands over an exception whose message says nothing (as a serializer in another language, or a later release,
/// might word it) and only the place where reading stopped.
/// </summary>
public sealed class JsonProblemsTests
{
    private static async Task<ErrorInfo> ExplainAsync(string body, string stoppedAt)
    {
        var services = new ServiceCollection();
        services.Configure<Microsoft.AspNetCore.Http.Json.JsonOptions>(o => JsonSetup.Configure(o.SerializerOptions));
        var http = new DefaultHttpContext { RequestServices = services.BuildServiceProvider() };
        http.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(body));
        http.SetEndpoint(new Endpoint(_ => Task.CompletedTask, new EndpointMetadataCollection(new Accepts()), "placeOrder"));
        var exception = new JsonException("Der JSON-Wert konnte nicht konvertiert werden.", stoppedAt, 1, 1);
        return await JsonProblems.ExplainAsync(http, exception, default) ?? throw new Xunit.Sdk.XunitException("not explained");
    }

    private sealed class Accepts : IAcceptsMetadata
    {
        public IReadOnlyList<string> ContentTypes => ["application/json"];
        public Type? RequestType => typeof(PlaceOrderRequest);
        public bool IsOptional => false;
    }

    private const string Lines = "\"lines\":[{\"sku\":\"A\",\"quantity\":1}]";

    [Fact]
    public async Task Every_required_field_left_out_is_named()
    {
        var error = await ExplainAsync("{\"channel\":\"web\"," + Lines + "}", "$");
        Assert.Equal(["currency", "customer"], error.Errors!.Keys.Order());
        Assert.All(error.Errors.Values, v => Assert.Equal(JsonProblems.Required, v.Single()));
        var nested = await ExplainAsync("{\"channel\":\"web\",\"currency\":\"EUR\",\"customer\":{\"name\":\"Ada\"}," + Lines + "}", "$.customer");
        Assert.Equal("customer.email", Assert.Single(nested.Errors!.Keys));
    }

    [Fact]
    public async Task A_null_where_none_is_allowed_a_wrong_type_and_an_unknown_enum_value_are_told_apart()
    {
        var body = "{\"channel\":\"web\",\"currency\":\"EUR\",\"customer\":{\"email\":\"a@example.com\"},";
        var nulled = await ExplainAsync(body + "\"lines\":[{\"sku\":null,\"quantity\":1}]}", "$.lines[0].sku");
        Assert.Equal(JsonProblems.NotNull, nulled.Errors!["lines[0].sku"].Single());
        var typed = await ExplainAsync(body + "\"lines\":[{\"sku\":\"A\",\"quantity\":\"two\"}]}", "$.lines[0].quantity");
        Assert.Equal(JsonProblems.WrongType, typed.Errors!["lines[0].quantity"].Single());
        var channel = await ExplainAsync("{\"channel\":\"fax\",\"currency\":\"EUR\",\"customer\":{\"email\":\"a@example.com\"}," + Lines + "}", "$.channel");
        Assert.StartsWith("Allowed values: web, ", channel.Errors!["channel"].Single());
        var broken = await ExplainAsync("{\"channel\":", "$.channel");
        Assert.Equal(JsonProblems.NotJson, broken.Errors!["body"].Single());
    }
}
