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
            const fetcher = GraphiQL.createFetcher({ url: window.location.origin + '/graphql' });
            const root = ReactDOM.createRoot(document.getElementById('graphiql'));
            root.render(React.createElement(GraphiQL, {
              fetcher,
              defaultEditorToolsVisibility: true,
              shouldPersistHeaders: true,
              defaultHeaders: JSON.stringify({ Authorization: 'Bearer <paste your API key>' }, null, 2),
              defaultQuery: '# Put your API key in the Headers tab below, then run:\n{\n  orders(first: 5) {\n    nodes { number status total { amount currency } lines { sku quantity } }\n    pageInfo { hasNextPage endCursor }\n  }\n}\n',
            }));
          </script>
        </body>
        </html>
        """;

    public static Task WriteAsync(HttpContext http)
    {
        http.Response.ContentType = "text/html; charset=utf-8";
        http.Response.Headers.CacheControl = "no-cache";
        return http.Response.WriteAsync(Html, http.RequestAborted);
    }
}
