using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.EntityFrameworkCore;
using Oms.Api.ApiKeys;
using Oms.Api.Platform;
using Oms.Api.Platform.GraphQL;
using Oms.Api.Platform.OpenApi;
using Oms.Domain.Access;
using Oms.Infrastructure.Persistence;
using Oms.Infrastructure.Seeding;

namespace Oms.Api.Composition;

/// <summary>What happens once before the API serves: migrations, demo data, bootstrap keys, and the welcome banner.</summary>
public static class StartupTasks
{
    public static async Task PrepareAsync(WebApplication app, CancellationToken ct = default)
    {
        var config = app.Configuration;
        var database = app.Services.GetRequiredService<DatabaseSettings>();
        var logger = app.Services.GetRequiredService<ILoggerFactory>().CreateLogger("HeadlessOms");
        await using var scope = app.Services.CreateAsyncScope();
        var services = scope.ServiceProvider;

        await PersistenceSetup.MigrateAsync(services.GetRequiredService<OmsDbContext>(), ct);
        await services.GetRequiredService<Oms.Infrastructure.Links.LinkSigner>().InitializeAsync(
            services.GetRequiredService<OmsDbContext>(), config["Links:SigningKey"], services.GetRequiredService<TimeProvider>().GetUtcNow(), ct);
        // The checkout's fast path refuses to start on a model it cannot write, rather than fall back to EF on every checkout.
        if (database.CheckoutWriter == CheckoutWriters.Fast) Oms.Infrastructure.Persistence.FastPath.FastCheckoutWriter.Verify(services.GetRequiredService<OmsDbContext>());

        // Orders from before customers existed get theirs (a data migration, idempotent: a no-op once every order has one).
        var customers = services.GetRequiredService<Oms.Api.Customers.CustomerService>();
        await customers.LinkUnlinkedOrdersAsync(ct);

        var embedded = database.Provider == DatabaseProvider.Sqlite;
        if (config.GetValue("Seed:Demo", embedded) && await services.GetRequiredService<DemoDataSeeder>().SeedIfEmptyAsync(ct: ct))
        {
            await customers.LinkUnlinkedOrdersAsync(ct); // the demo's orders are written without the checkout
            var db = services.GetRequiredService<OmsDbContext>();
            await Oms.Infrastructure.Reports.ReportRequests.QueueAsync(db, (await db.Orders.Select(o => o.Id).ToListAsync(ct)).Select(i => i.Value).ToList(), DateTimeOffset.UnixEpoch, ct); // and without events: the reports fold them in
            await services.GetRequiredService<DemoJourneys>().RunAsync(ct);
            logger.LogInformation("Filled the empty database with demo data (seed {Seed})", DemoDataSeeder.Seed);
        }

        var keys = services.GetRequiredService<ApiKeyService>();
        if (config["Auth:BootstrapKey"] is { Length: > 0 } bootstrap)
        {
            if (!bootstrap.StartsWith(ApiKey.Prefix, StringComparison.Ordinal) || bootstrap.Length < 32)
                throw new InvalidOperationException($"Auth:BootstrapKey must start with '{ApiKey.Prefix}' and be at least 32 characters long.");
            await keys.EnsureAsync("bootstrap", bootstrap, [Scopes.Admin], ct);
        }

        // An admin key in a file and in the IDE page is for a developer's machine only: never in Production or
        // Staging, whatever the database (the Docker image falls back to SQLite).
        string? devKey = null;
        var development = app.Environment.IsDevelopment();
        if (!development && config.GetValue<bool?>("Auth:DevKey") == true)
            throw new InvalidOperationException($"Auth:DevKey is for the Development environment only (this is {app.Environment.EnvironmentName}); " +
                                                "use Auth:BootstrapKey for a first admin key.");
        if (development && config.GetValue("Auth:DevKey", embedded))
        {
            devKey = await DevKeyAsync(keys, database, ct);
            app.Services.GetRequiredService<DevelopmentKey>().Secret = devKey;
        }
        app.Lifetime.ApplicationStarted.Register(() => Welcome(app, logger, devKey));
    }

    /// <summary>The development key lives next to the SQLite file, so it survives restarts and is printed each time.</summary>
    private static async Task<string> DevKeyAsync(ApiKeyService keys, DatabaseSettings database, CancellationToken ct)
    {
        var dbPath = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(database.Provider == DatabaseProvider.Sqlite ? database.ConnectionString : DatabaseSettings.DefaultSqlite).DataSource;
        var file = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(dbPath)) ?? ".", "dev-api-key.txt");
        string secret;
        if (File.Exists(file)) secret = (await File.ReadAllTextAsync(file, ct)).Trim();
        else
        {
            secret = ApiKey.Create("dev", [Scopes.Admin], DateTimeOffset.UnixEpoch).Secret;
            Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            await File.WriteAllTextAsync(file, secret, ct);
        }
        await keys.EnsureAsync("dev", secret, [Scopes.Admin], ct);
        return secret;
    }

    private static void Welcome(WebApplication app, ILogger logger, string? devKey)
    {
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (address is null) return; // in-process test server
        var baseUrl = address.Replace("0.0.0.0", "localhost").Replace("[::]", "localhost").Replace("+", "localhost").Replace("*", "localhost");
        var lines = new List<string>
        {
            "",
            "  HeadlessOms is running",
            $"  Swagger UI:   {baseUrl}/swagger",
            $"  OpenAPI:      {baseUrl}{OpenApiSetup.DocumentPath}",
            $"  GraphQL IDE:  {baseUrl}{GraphQLEndpoint.Path}",
            $"  Dashboard:    {baseUrl}{Oms.Api.Reports.DashboardPage.Path}",
        };
        if (devKey is not null)
        {
            lines.Add($"  Dev API key:  {devKey}   (scope admin; send as 'Authorization: Bearer <key>')");
            lines.Add($"  Try:          curl -H 'Authorization: Bearer {devKey}' {baseUrl}/api/v1/orders?limit=2");
        }
        var mail = app.Services.GetRequiredService<Oms.Infrastructure.Notifications.MailSettings>();
        if (!string.IsNullOrWhiteSpace(mail.SmtpHost)) lines.Add($"  E-mails:      SMTP {mail.SmtpHost}:{mail.SmtpPort}");
        else if (mail.PickupDirectory is { } folder) lines.Add($"  E-mails:      written as .eml files to {folder}");
        lines.Add("");
        Console.WriteLine(string.Join(Environment.NewLine, lines));
        logger.LogInformation("Listening on {Address}", baseUrl);
    }
}
