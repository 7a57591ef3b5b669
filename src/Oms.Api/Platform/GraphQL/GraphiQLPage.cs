namespace Oms.Api.Platform.GraphQL;

/// <summary>
/// The GraphiQL IDE, served from our own static files (<c>/graphiql/*</c>, copied from npm packages at build time),
/// so it works without internet access.
/// </summary>
public static class GraphiQLPage
{
    private const string Html = """
        <!doctype html>
        <html lang="en">
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title>HeadlessOms GraphQL</title>
          <link rel="stylesheet" href="/graphiql/graphiql.css" />
          <style>html, body, #graphiql { height: 100%; margin: 0; }</style>
        </head>
        <body>
          <div id="graphiql">Loading GraphiQL…</div>
          <script src="/graphiql/react.production.min.js"></script>
          <script src="/graphiql/react-dom.production.min.js"></script>
          <script src="/graphiql/graphiql.min.js"></script>
          <script>
            const apiKey = __API_KEY__;
            const authorization = { Authorization: 'Bearer ' + apiKey };
            // Headers typed in the editor override these; the schema is fetched with them before the editor is read.
            const fetcher = GraphiQL.createFetcher({ url: window.location.origin + '/graphql', headers: apiKey === 'YOUR_API_KEY' ? {} : authorization });
            const root = ReactDOM.createRoot(document.getElementById('graphiql'));
            root.render(React.createElement(GraphiQL, {
              fetcher,
              defaultEditorToolsVisibility: true,
              shouldPersistHeaders: true,
              defaultHeaders: JSON.stringify(authorization, null, 2),
              defaultQuery: '# The Headers tab below carries your API key. Run:\n{\n  orders(first: 5) {\n    nodes { number status total { amount currency } lines { sku quantity } }\n    pageInfo { hasNextPage endCursor }\n  }\n}\n',
            }));
          </script>
        </body>
        </html>
        """;

    /// <param name="devKey">The development key, pre-filled only when the embedded development setup printed one.</param>
    public static Task WriteAsync(HttpContext http, string? devKey)
    {
        http.Response.ContentType = "text/html; charset=utf-8";
        http.Response.Headers.CacheControl = "no-store";
        var key = System.Text.Json.JsonSerializer.Serialize(devKey ?? "YOUR_API_KEY");
        return http.Response.WriteAsync(Html.Replace("__API_KEY__", key, StringComparison.Ordinal), http.RequestAborted);
    }
}
