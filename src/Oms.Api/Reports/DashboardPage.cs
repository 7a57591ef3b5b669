using Microsoft.Extensions.FileProviders;
using Oms.Api.Platform.Auth;

namespace Oms.Api.Reports;

/// <summary>
/// The dashboard (<c>/dashboard</c>): a static page (wwwroot/dashboard) that signs in with an API key holding
/// <c>reports:read</c> and draws the report endpoints with Chart.js (copied from npm at build time). The page itself
/// needs no key; everything it shows comes from /api/v1/reports with the key the user gives.
/// </summary>
public static class DashboardPage
{
    public const string Path = "/dashboard";

    /// <summary>Scripts and styles from this origin only, no frames, the key never sent elsewhere.</summary>
    private const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static void MapDashboard(this IEndpointRouteBuilder app)
    {
        app.MapGet(Path, (IWebHostEnvironment env, HttpContext http) =>
            {
                var page = env.WebRootFileProvider.GetFileInfo("dashboard/index.html");
                if (!page.Exists) return Results.NotFound();
                http.Response.Headers.CacheControl = "no-store";
                http.Response.Headers.ContentSecurityPolicy = ContentSecurityPolicy;
                http.Response.Headers.XContentTypeOptions = "nosniff";
                http.Response.Headers["Referrer-Policy"] = "no-referrer";
                return Results.Stream(page.CreateReadStream(), "text/html; charset=utf-8");
            })
            .Public().ExcludeFromDescription();
    }
}
