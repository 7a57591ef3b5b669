namespace Oms.Api.Platform.Http;

/// <summary>
/// A response whose JSON was already written with the API's options: the resource as an event of the same save
/// carries it (<c>OmsDbContext.TakeSavedJson</c>), byte for byte what serializing the DTO again would give. It declares
/// no metadata: the endpoint's typed results describe the body in the OpenAPI document.
/// </summary>
public sealed class JsonText(int statusCode, string json, string? location = null) : IResult, IStatusCodeHttpResult
{
    public int? StatusCode => statusCode;

    public Task ExecuteAsync(HttpContext httpContext)
    {
        var response = httpContext.Response;
        response.StatusCode = statusCode;
        if (location is not null) response.Headers.Location = location;
        response.ContentType = "application/json; charset=utf-8";
        return response.WriteAsync(json, httpContext.RequestAborted);
    }
}
