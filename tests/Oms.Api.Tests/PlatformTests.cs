using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Oms.Api.Tests.Support;

namespace Oms.Api.Tests;

public sealed class PlatformTests
{
    [Fact]
    public async Task A_customers_latest_orders_for_the_risk_rules_have_an_index_in_that_order()
    {
        // Every checkout reads the customer's last 50 orders (WHERE customer_id = … ORDER BY created_at DESC LIMIT 50).
        // Without an index on (customer_id, created_at), PostgreSQL walks the orders by date and a checkout slows as they grow.
        var s = await Scenario.StartAsync();
        await using var scope = s.Factory.Services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<Oms.Infrastructure.Persistence.OmsDbContext>();
        var definitions = await db.Database.SqlQueryRaw<string>(
            "SELECT indexdef AS \"Value\" FROM pg_indexes WHERE tablename = 'orders'").ToListAsync();

        Assert.Contains(definitions, d => d.EndsWith("(customer_id, created_at)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Health_and_documentation_are_public()
    {
        var s = await Scenario.StartAsync();
        var anonymous = s.Factory.Client(null);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/live")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/ready")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/swagger/index.html")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/openapi/v1.json")).StatusCode);
    }

    [Fact]
    public async Task Versioned_routes_report_supported_versions_and_unknown_routes_are_problem_json()
    {
        var s = await Scenario.StartAsync();
        var ok = await s.Admin.GetAsync("/api/v1/orders?limit=1");
        Assert.Equal("1", ok.Headers.GetValues("api-supported-versions").Single());

        var missing = await s.Admin.GetAsync("/api/v1/nothing-here");
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("application/problem+json", missing.Content.Headers.ContentType?.MediaType);
        Assert.Equal("not_found", (await missing.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await s.Admin.GetAsync("/api/v2/orders")).StatusCode);
    }

    [Theory]
    [InlineData("Production")]
    [InlineData("Staging")]
    public async Task Outside_Development_the_embedded_setup_makes_no_dev_key_and_the_IDE_embeds_none(string environment)
    {
        var dir = Path.Combine(Path.GetTempPath(), "oms-sqlite-" + Guid.NewGuid().ToString("N")[..8]);
        WebApplicationFactory<Program> Factory(params (string Key, string Value)[] settings) => new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment(environment);
            b.UseSetting("ConnectionStrings:Postgres", "");
            b.UseSetting("ConnectionStrings:Sqlite", $"Data Source={dir}/oms.db");
            b.UseSetting("Seed:Demo", "false");
            b.UseSetting("Logging:LogLevel:Default", "Warning");
            foreach (var (key, value) in settings) b.UseSetting(key, value);
        });
        try
        {
            await using (var factory = Factory())
            {
                var browser = factory.CreateClient();
                browser.DefaultRequestHeaders.Accept.ParseAdd("text/html");
                var page = await browser.GetStringAsync("/graphql");
                Assert.DoesNotContain("oms_", page);
                Assert.False(File.Exists(Path.Combine(dir, "dev-api-key.txt")));
            }
            // Asked for explicitly, it stops the start.
            await using var asked = Factory(("Auth:DevKey", "true"));
            var failure = Assert.ThrowsAny<Exception>(() => asked.Server);
            Assert.Contains("Auth:DevKey", failure.GetBaseException().Message + failure.Message);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    [Fact]
    public async Task The_embedded_SQLite_default_starts_with_demo_data_and_a_working_dev_key()
    {
        var dir = Path.Combine(Path.GetTempPath(), "oms-sqlite-" + Guid.NewGuid().ToString("N")[..8]);
        await using var factory = new WebApplicationFactory<Program>().WithWebHostBuilder(b =>
        {
            b.UseEnvironment("Development");
            b.UseSetting("ConnectionStrings:Postgres", "");
            b.UseSetting("ConnectionStrings:Sqlite", $"Data Source={dir}/oms.db");
            b.UseSetting("Logging:LogLevel:Default", "Warning");
        });
        try
        {
            var anonymous = factory.CreateClient();
            Assert.Equal(HttpStatusCode.OK, (await anonymous.GetAsync("/health/ready")).StatusCode);
            var key = (await File.ReadAllTextAsync(Path.Combine(dir, "dev-api-key.txt"))).Trim();
            var client = factory.CreateClient();
            client.DefaultRequestHeaders.Authorization = new("Bearer", key);

            var products = await client.GetFromJsonAsync<JsonElement>("/api/v1/products?limit=250&active=true");
            Assert.Equal(250, products.GetProperty("data").GetArrayLength());
            var orders = await client.GetFromJsonAsync<JsonElement>($"/api/v1/orders?limit=250&createdFrom={Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(-91).ToString("O"))}");
            Assert.Equal(250, orders.GetProperty("data").GetArrayLength());
            var statuses = orders.GetProperty("data").EnumerateArray().Select(o => o.GetProperty("status").GetString()).Distinct().ToList();
            Assert.True(statuses.Count >= 6, string.Join(",", statuses));

            // Webhooks go out from SQLite too.
            await using var receiver = await WebhookReceiver.StartAsync();
            var subscribed = await client.PostAsJsonAsync("/api/v1/webhook-subscriptions", new { url = receiver.Url.ToString(), eventFilters = new[] { "order.placed" } });
            Assert.Equal(HttpStatusCode.Created, subscribed.StatusCode);
            receiver.Secrets[(await subscribed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("secret").GetString()!] = true;

            var sku = products.GetProperty("data")[0].GetProperty("sku").GetString()!;
            var placed = await client.PostAsync("/api/v1/orders", Scenario.Content(Scenario.NewOrderBody(sku, "sqlite@example.com")));
            Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
            var orderId = (await placed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
            await receiver.WaitForAsync(_ => receiver.AcceptedFor(orderId).Count == 1, what: "order.placed from SQLite");
            var gql = await client.PostAsync("/graphql", Scenario.Content(new { query = "{ orders(first: 3) { nodes { number lines { product { sku } } } } }" }));
            Assert.DoesNotContain("\"errors\"", await gql.Content.ReadAsStringAsync());

            // The network: six nodes with stock for every SKU; confirming routes and reserves on SQLite too.
            Assert.Equal(6, (await client.GetFromJsonAsync<JsonElement>("/api/v1/fulfilment-nodes")).GetProperty("data").GetArrayLength());
            var stock = await client.GetFromJsonAsync<JsonElement>($"/api/v1/inventory/{sku}");
            Assert.InRange(stock.GetProperty("nodes").GetArrayLength(), 2, 4);
            var available = stock.GetProperty("available").GetInt32();
            var confirm = await client.PostAsync($"/api/v1/orders/{orderId}/confirm", null);
            if (available > 0)
            {
                Assert.Equal(HttpStatusCode.OK, confirm.StatusCode);
                Assert.Equal(1, (await client.GetFromJsonAsync<JsonElement>($"/api/v1/inventory/{sku}")).GetProperty("reserved").GetInt32());
            }
            else Assert.Equal(HttpStatusCode.Conflict, confirm.StatusCode);
            Assert.NotEmpty((await client.GetFromJsonAsync<JsonElement>("/api/v1/suppliers")).GetProperty("data").EnumerateArray());

            // No Stripe key configured: card payments say so clearly, offline ones work.
            var card = await client.PostAsync($"/api/v1/orders/{orderId}/payments", Scenario.Content(new { method = "card" }));
            Assert.Equal(HttpStatusCode.UnprocessableEntity, card.StatusCode);
            Assert.Equal("payments.card_unavailable", (await card.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
            Assert.Equal(HttpStatusCode.Created, (await client.PostAsync($"/api/v1/orders/{orderId}/payments", Scenario.Content(new { method = "cash_on_delivery" }))).StatusCode);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
        }
    }
}

/// <summary>What an operator reads in the log: failures only, never ordinary traffic.</summary>
public sealed class LogTests
{
    [Fact]
    public async Task A_first_start_on_an_empty_database_and_idempotent_replays_log_no_failure()
    {
        var logs = new CapturedLogs();
        var connection = await (await TestApp.DatabaseAsync()).CreateDatabaseAsync();
        await using var app = new ApiFactory(connection, "oms_test_admin_" + Guid.NewGuid().ToString("N")) { Logs = logs };
        var admin = app.Admin();
        var product = await admin.PostAsJsonAsync("/api/v1/products", new { sku = "LOG-1", name = "Mug", price = new { amount = 1000, currency = "EUR" }, weightGrams = 300 });
        Assert.Equal(HttpStatusCode.Created, product.StatusCode);
        for (var i = 0; i < 2; i++)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/orders") { Content = Scenario.Content(Scenario.NewOrderBody("LOG-1", "log@example.com")) };
            request.Headers.Add("Idempotency-Key", "log-test");
            Assert.Equal(HttpStatusCode.Created, (await admin.SendAsync(request)).StatusCode); // the second is the replay
        }
        var failures = logs.Entries.Where(e => e.Level >= Microsoft.Extensions.Logging.LogLevel.Error).ToList();
        Assert.True(failures.Count == 0, string.Join("\n", failures.Select(f => $"{f.Level} {f.Category}: {f.Message}")));
    }

    [Fact]
    public async Task A_database_that_cannot_be_reached_is_answered_503_with_retry_after_and_the_api_recovers()
    {
        var pg = await TestApp.DatabaseAsync();
        var direct = new Npgsql.NpgsqlConnectionStringBuilder(await pg.CreateDatabaseAsync());
        await using var proxy = new TcpProxy(direct.Host!, direct.Port);
        var connection = new Npgsql.NpgsqlConnectionStringBuilder(direct.ConnectionString) { Host = "127.0.0.1", Port = proxy.Port, Timeout = 3 }.ConnectionString;
        await using var app = new ApiFactory(connection, "oms_test_admin_" + Guid.NewGuid().ToString("N"));
        var admin = app.Admin();
        var graph = new Scenario(app);
        var sku = await graph.ProductAsync();
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/orders")).StatusCode);

        // The database goes away: open connections are cut and new ones refused.
        proxy.Cut();
        try
        {
            foreach (var request in new Func<Task<HttpResponseMessage>>[]
                     {
                         () => admin.GetAsync("/api/v1/orders"),
                         () => admin.PostAsync("/api/v1/orders", Scenario.Content(Scenario.NewOrderBody(sku, "outage@example.com"))),
                     })
            {
                var response = await request();
                Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                Assert.Equal("service_unavailable", (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("code").GetString());
                Assert.NotNull(response.Headers.RetryAfter);
            }
            var (_, body) = await graph.GraphQLAsync("{ orders(first: 1) { nodes { id } } }");
            Assert.Equal("service_unavailable", Scenario.ErrorCode(body));
        }
        finally
        {
            proxy.Restore();
        }
        Assert.Equal(HttpStatusCode.OK, (await admin.GetAsync("/api/v1/orders")).StatusCode);
    }

    [Fact]
    public async Task A_round_trip_refused_as_PostgreSQL_binds_it_leaves_its_pooled_connection_fit_for_the_next_checkouts()
    {
        var pg = await TestApp.DatabaseAsync();
        // One connection, so everything after the failure runs on the connection it happened on.
        var connection = new Npgsql.NpgsqlConnectionStringBuilder(await pg.CreateDatabaseAsync()) { MaxPoolSize = 1 }.ConnectionString;
        await using var app = new ApiFactory(connection, "oms_test_admin_" + Guid.NewGuid().ToString("N"));
        var s = new Scenario(app);
        var sku = await s.ProductAsync();
        await using (var c = new Npgsql.NpgsqlConnection(new Npgsql.NpgsqlConnectionStringBuilder(connection) { Pooling = false }.ConnectionString))
        {
            await c.OpenAsync();
            await using var command = new Npgsql.NpgsqlCommand("CREATE TABLE probe (id int PRIMARY KEY, name text)", c);
            await command.ExecuteNonQueryAsync();
        }
        var id = 0;
        // A write in the checkout's shape: a row that returns its number, a read, and the COMMIT in one round trip on the pooled connection.
        async Task<long> Write(string name)
        {
            await using var scope = app.Services.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<Oms.Infrastructure.Persistence.OmsDbContext>();
            await using var tx = await db.Database.BeginTransactionAsync();
            await using var batch = db.RawBatch(
                new("INSERT INTO probe (id, name) VALUES ($1, $2) RETURNING id", [++id, name]),
                new("SELECT count(*) FROM probe WHERE id > $1", [0]),
                new("COMMIT", []));
            await using var reader = await batch.ExecuteReaderAsync(default);
            long count = -1;
            do
                if (reader.FieldCount == 1 && await reader.ReadAsync()) count = Convert.ToInt64(reader.GetValue(0)); // the id, then the count
            while (await reader.NextResultAsync());
            batch.Completed();
            return count;
        }
        HttpResponseMessage Checkout()
        {
            var body = s.OrderBody(sku);
            body["payment"] = new System.Text.Json.Nodes.JsonObject { ["method"] = "bank_transfer", ["amount"] = 1 };
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/orders") { Content = Scenario.Content(body) };
            request.Headers.Add("Idempotency-Key", Guid.NewGuid().ToString("N"));
            return s.Admin.SendAsync(request).GetAwaiter().GetResult();
        }
        var stored = 0L;
        // Npgsql prepares a statement at its fifth use: the failure that leaves it half-prepared is the one in that round trip.
        for (var uses = 1; uses < 5; uses++) Assert.Equal(++stored, await Write("fine"));
        // PostgreSQL refuses a NUL in text as it binds the value, before any statement of the round trip runs.
        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(() => Write("a\0b"));
        for (var i = 0; i < 3; i++)
        {
            var exception = await Record.ExceptionAsync(async () => Assert.Equal(++stored, await Write("fine")));
            Assert.True(exception is null, $"write {i} after the failure: {exception}");
        }
        for (var i = 0; i < 3; i++)
        {
            var next = Checkout();
            Assert.True(next.StatusCode == HttpStatusCode.Created, $"checkout {i} after the failure: {(int)next.StatusCode} {await next.Content.ReadAsStringAsync()}");
        }
        Assert.Equal(stored, await Write("fine") - 1);
    }

    [Fact]
    public async Task An_order_whose_commit_answer_was_lost_is_answered_as_placed_and_a_retry_of_its_key_finds_it()
    {
        var pg = await TestApp.DatabaseAsync();
        var direct = new Npgsql.NpgsqlConnectionStringBuilder(await pg.CreateDatabaseAsync());
        await using var proxy = new TcpProxy(direct.Host!, direct.Port);
        var connection = new Npgsql.NpgsqlConnectionStringBuilder(direct.ConnectionString) { Host = "127.0.0.1", Port = proxy.Port, Timeout = 3 }.ConnectionString;
        // A key whose request failed with the database away cannot be released until it is back: its lock lapses instead.
        await using var app = new ApiFactory(connection, "oms_test_admin_" + Guid.NewGuid().ToString("N"), ("Idempotency:LockTimeout", "00:00:01"));
        var s = new Scenario(app);
        var sku = await s.ProductAsync();
        HttpRequestMessage Place(string email, string key)
        {
            var body = Scenario.NewOrderBody(sku, email);
            body["payment"] = new System.Text.Json.Nodes.JsonObject { ["method"] = "bank_transfer" };
            var request = new HttpRequestMessage(HttpMethod.Post, "/api/v1/orders") { Content = Scenario.Content(body) };
            request.Headers.Add("Idempotency-Key", key);
            return request;
        }
        async Task<JsonElement[]> OrdersOf(string email) =>
            (await s.Admin.GetFromJsonAsync<JsonElement>($"/api/v1/orders?customerEmail={email}")).GetProperty("data").EnumerateArray().ToArray();
        // The checkout's write, its reservation and COMMIT reach PostgreSQL in one round trip; its answer never comes back.
        const string write = "INSERT INTO \"orders\"";

        // 1. Only the write's connection is lost: the API finds the order its key reserved and answers it as placed.
        var lost = proxy.LoseAnswerTo(write, TimeSpan.FromMilliseconds(300));
        var first = await s.Admin.SendAsync(Place("lost-1@example.com", "lost-1"));
        Assert.True(lost.IsCompleted, "the write's answer was not lost: the test did not test");
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        var placed = await first.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal($"/api/v1/orders/{placed.GetProperty("id").GetString()}", first.Headers.Location?.ToString());
        Assert.Equal("allocated", placed.GetProperty("status").GetString()); // paid, so confirmed and reserved as it was placed
        var retry = await s.Admin.SendAsync(Place("lost-1@example.com", "lost-1"));
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal("true", retry.Headers.GetValues("Idempotent-Replayed").Single());
        Assert.Equal(first.Headers.Location, retry.Headers.Location);
        Assert.Single(await OrdersOf("lost-1@example.com"));

        // 2. The database goes away with the answer: that attempt cannot know (503); the retry once it is back finds the order.
        lost = proxy.LoseAnswerTo(write, TimeSpan.FromMilliseconds(300), thenCut: true);
        var second = await s.Admin.SendAsync(Place("lost-2@example.com", "lost-2"));
        Assert.True(lost.IsCompleted, "the write's answer was not lost: the test did not test");
        Assert.Equal(HttpStatusCode.ServiceUnavailable, second.StatusCode);
        proxy.Restore();
        await Task.Delay(TimeSpan.FromSeconds(1.2)); // the key's lock lapses
        var again = await s.Admin.SendAsync(Place("lost-2@example.com", "lost-2"));
        Assert.Equal(HttpStatusCode.Created, again.StatusCode);
        var stored = Assert.Single(await OrdersOf("lost-2@example.com"));
        Assert.Equal($"/api/v1/orders/{stored.GetProperty("id").GetString()}", again.Headers.Location?.ToString());
        Assert.Equal("true", again.Headers.GetValues("Idempotent-Replayed").Single());
        // A third try is the stored answer again, and a new key places a new order.
        Assert.Equal(again.Headers.Location, (await s.Admin.SendAsync(Place("lost-2@example.com", "lost-2"))).Headers.Location);
        Assert.Equal(HttpStatusCode.Created, (await s.Admin.SendAsync(Place("lost-2@example.com", "lost-3"))).StatusCode);
        Assert.Equal(2, (await OrdersOf("lost-2@example.com")).Length);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task X_Forwarded_For_is_believed_only_from_a_listed_proxy_even_on_loopback(bool listed)
    {
        var pg = await TestApp.DatabaseAsync();
        (string, string)[] settings = listed
            ? [("Tracking:PerClientPerMinute", "3"), ("Api:TrustedProxies:0", "127.0.0.1")]
            : [("Tracking:PerClientPerMinute", "3")];
        await using var app = new ApiFactory(await pg.CreateDatabaseAsync(), "oms_test_admin_" + Guid.NewGuid().ToString("N"), settings);
        // A real socket, so the request comes from 127.0.0.1 as a local process's would.
        app.UseKestrel(0);
        app.StartServer();
        using var client = app.CreateClient();
        var answers = new List<HttpStatusCode>();
        for (var i = 1; i <= 5; i++)
        {
            var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/tracking/OMS-1?email=x@example.com");
            request.Headers.Add("X-Forwarded-For", $"203.0.113.{i}");
            answers.Add((await client.SendAsync(request)).StatusCode);
        }
        // Listed: five shoppers, each within the limit of 3 a minute. Not listed: one local client, over it after 3.
        Assert.True((listed ? 0 : 2) == answers.Count(a => a == HttpStatusCode.TooManyRequests), string.Join(", ", answers));
    }

    [Fact]
    public async Task A_request_too_large_for_the_API_or_not_HTTP_is_answered_with_a_problem_and_the_connection_closed()
    {
        var pg = await TestApp.DatabaseAsync();
        await using var app = new ApiFactory(await pg.CreateDatabaseAsync(), "oms_test_admin_" + Guid.NewGuid().ToString("N"));
        app.UseKestrel(0); // Kestrel's own limits are what is tested
        app.StartServer();
        var port = app.CreateClient().BaseAddress!.Port;
        async Task<(int Status, Dictionary<string, string> Headers, JsonElement Problem)> Raw(string head, int bodyBytesSent = 0)
        {
            using var tcp = new System.Net.Sockets.TcpClient();
            await tcp.ConnectAsync(IPAddress.Loopback, port);
            var stream = tcp.GetStream();
            await stream.WriteAsync(System.Text.Encoding.ASCII.GetBytes(head.Replace("\n", "\r\n") + "\r\n"));
            if (bodyBytesSent > 0) await stream.WriteAsync(new byte[bodyBytesSent]);
            using var reader = new StreamReader(stream, System.Text.Encoding.UTF8);
            var status = int.Parse((await reader.ReadLineAsync())!.Split(' ')[1]);
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            for (var line = await reader.ReadLineAsync(); !string.IsNullOrEmpty(line); line = await reader.ReadLineAsync())
                headers[line[..line.IndexOf(':')]] = line[(line.IndexOf(':') + 1)..].Trim();
            var body = new System.Text.StringBuilder();
            if (headers.TryGetValue("Transfer-Encoding", out var te) && te == "chunked")
                for (var size = Convert.ToInt32((await reader.ReadLineAsync())!, 16); size > 0; size = Convert.ToInt32((await reader.ReadLineAsync())!, 16))
                {
                    var chunk = new char[size];
                    await reader.ReadBlockAsync(chunk);
                    body.Append(chunk);
                    await reader.ReadLineAsync();
                }
            else body.Append(await reader.ReadToEndAsync());
            return (status, headers, JsonDocument.Parse(body.ToString()).RootElement);
        }
        var key = $"Authorization: Bearer {app.AdminKey}\n";
        foreach (var (head, sent, status, code) in new[]
                 {
                     ($"GET /api/v1/orders?customerEmail={new string('a', 9000)}@example.com HTTP/1.1\nHost: x\n{key}", 0, 414, "uri_too_long"),
                     ($"GET /api/v1/orders HTTP/1.1\nHost: x\n{key}X-Padding: {new string('a', 33 * 1024)}\n", 0, 431, "headers_too_large"),
                     // Declared larger than the limit, and only its start sent: refused before it is read.
                     ($"POST /api/v1/orders HTTP/1.1\nHost: x\n{key}Content-Type: application/json\nContent-Length: 3000000\n", 1000, 413, "payload_too_large"),
                     // Refused by Kestrel's own parser, before any of the API's code runs.
                     ($"GET /api/v1/orders/%00 HTTP/1.1\nHost: x\n{key}", 0, 400, "bad_request"),
                     ($"GET /api/v1/ord\0ers HTTP/1.1\nHost: x\n{key}", 0, 400, "bad_request"),
                     ($"GET /api/v1/orders HTTP/1.1\nHost: x\n{key}X-Name: a\0b\n", 0, 400, "bad_request"),
                     ($"GET /api/v1/orders?customerEmail={new string('a', 100_000)} HTTP/1.1\nHost: x\n{key}", 0, 414, "uri_too_long"),
                 })
        {
            var (answered, headers, problem) = await Raw(head, sent);
            Assert.Equal(status, answered);
            Assert.StartsWith("application/problem+json", headers["Content-Type"]);
            Assert.Equal("close", headers["Connection"]);
            Assert.Equal(code, problem.GetProperty("code").GetString());
            Assert.Equal(status, problem.GetProperty("status").GetInt32());
        }
    }
}

