using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Oms.Api.Platform.Http;

using Oms.Testing;

namespace Oms.Api.Tests.Support;

/// <summary>The API in process against real PostgreSQL, migrations applied, one per test run and shared by every test.</summary>
public sealed class ApiFactory(string connectionString, string adminKey, params (string Key, string Value)[] extra) : WebApplicationFactory<Program>
{
    public string AdminKey { get; } = adminKey;

    /// <summary>The seller the test app's documents print (a Belgian company with a VAT id and a bank account).</summary>
    public static readonly (string Key, string Value)[] Seller =
    [
        ("Name", "Testshop BV"), ("Line1", "Rue de la Loi 16"), ("City", "Brussels"), ("PostalCode", "1000"), ("Country", "BE"), ("VatId", "BE0123456749"),
        ("Email", "billing@testshop.example"), ("Iban", "BE68539007547034"), ("Bic", "GKCCBEBB"), ("Bank", "Test Bank"),
    ];

    /// <summary>Also sends the app's log here (what an operator would see).</summary>
    public CapturedLogs? Logs { get; init; }

    /// <summary>
    /// The app's clock, instead of the system's: a test moves it forward (FakeTimeProvider.Advance) rather than wait.
    /// The app's own waits (polling, back-off between passes) stay in real time; what it stamps and compares follows this.
    /// </summary>
    public TimeProvider? Clock { get; init; }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Postgres", connectionString);
        builder.UseSetting("Database:Provider", "Postgres");
        builder.UseSetting("Seed:Demo", "false");
        builder.UseSetting("Auth:DevKey", "false");
        builder.UseSetting("Auth:BootstrapKey", AdminKey);
        builder.UseSetting("Diagnostics:SqlCommandHeader", "true");
        builder.UseSetting("Api:MaxRequestBodyBytes", "262144");
        builder.UseSetting("Logging:LogLevel:Default", "Warning");
        // Webhooks to the tests' own receivers on loopback, with a schedule measured in milliseconds.
        builder.UseSetting("Webhooks:AllowHttp", "true");
        builder.UseSetting("Webhooks:AllowPrivateTargets", "true");
        builder.UseSetting("Webhooks:PollInterval", "00:00:00.050");
        builder.UseSetting("Webhooks:Lease", "00:00:05"); // long enough for a busy CI machine to record an attempt
        builder.UseSetting("Webhooks:Jitter", "0");
        for (var i = 0; i < RetrySchedule.Length; i++) builder.UseSetting($"Webhooks:RetrySchedule:{i}", RetrySchedule[i]);
        builder.UseSetting("Carriers:WebhookSecrets:manual", CarrierSecret);
        foreach (var (key, value) in Seller) builder.UseSetting("Seller:" + key, value);
        builder.UseSetting("Documents:PollInterval", "00:00:00.050");
        builder.UseSetting("Documents:YieldToRequests", "false"); // the tests run side by side: the app is never idle
        builder.UseSetting("Carriers:TrackingUrls:manual", "https://track.example/{trackingNumber}");
        builder.UseSetting("Stripe:SecretKey", FakeStripe.SecretKey);
        builder.UseSetting("Stripe:WebhookSecret", FakeStripe.WebhookSecret);
        builder.UseSetting("Stripe:ApiBase", TestApp.Stripe.Url);
        // Failed provider calls are retried within a second, not over hours.
        for (var i = 0; i < RetrySchedule.Length; i++) builder.UseSetting($"Payments:ProviderCalls:RetrySchedule:{i}", RetrySchedule[i]);
        builder.UseSetting("Payments:ProviderCalls:PollInterval", "00:00:00.050");
        // E-mails go to the run's SMTP server.
        foreach (var (key, value) in TestApp.Smtp?.Settings ?? []) builder.UseSetting(key, value);
        // People sign in through the run's identity provider.
        foreach (var (key, value) in TestApp.Identity?.Settings ?? []) builder.UseSetting(key, value);
        foreach (var (key, value) in extra) builder.UseSetting(key, value);
        if (Logs is { } logs) builder.ConfigureLogging(l => l.AddProvider(logs));
        builder.ConfigureServices(services =>
        {
            services.AddSingleton<Oms.Infrastructure.Carriers.ICarrier>(TestApp.Carrier);
            if (Clock is { } clock) services.AddSingleton(clock);
        });
    }

    /// <summary>Five quick retries: a receiver that fails for about a second still gets everything.</summary>
    public const string CarrierSecret = "carrier_test_secret_0123456789";

    public static readonly string[] RetrySchedule = ["00:00:00.100", "00:00:00.200", "00:00:00.400", "00:00:00.800", "00:00:01.600"];
}

public static class TestApp
{
    private static readonly Lazy<Task<ApiFactory>> Shared = new(StartAsync);

    public static Task<ApiFactory> GetAsync() => Shared.Value;

    public static readonly JsonSerializerOptions Json = CreateJson();

    private static JsonSerializerOptions CreateJson()
    {
        var o = new JsonSerializerOptions(JsonSerializerDefaults.Web);
        JsonSetup.Configure(o);
        o.UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Skip;
        return o;
    }

    private static readonly Lazy<Task<PostgresServer>> Database = new(() => PostgresServer.StartAsync());
    private static readonly Lazy<Task<FakeStripe>> StripeServer = new(FakeStripe.StartAsync);
    private static readonly Lazy<Task<TestIdentityProvider>> IdentityServer = new(TestIdentityProvider.StartAsync);
    private static readonly Lazy<Task<TestSmtpServer>> SmtpServer = new(TestSmtpServer.StartAsync);

    /// <summary>The run's PostgreSQL server; the fake Stripe and the identity provider every app instance talks to are up once this returns.</summary>
    public static async Task<PostgresServer> DatabaseAsync()
    {
        Stripe = await StripeServer.Value;
        Identity = await IdentityServer.Value;
        Smtp = await SmtpServer.Value;
        return await Database.Value;
    }

    /// <summary>The SMTP server every app instance of the run sends its e-mails to.</summary>
    public static TestSmtpServer Smtp { get; private set; } = null!;

    /// <summary>The identity provider people sign in through, in every app instance of the run.</summary>
    public static TestIdentityProvider Identity { get; private set; } = null!;

    /// <summary>A carrier selling labels (<c>parcelpost</c>), in every app instance of the run.</summary>
    public static TestCarrier Carrier { get; } = new();

    /// <summary>The fake Stripe every app instance of the run talks to.</summary>
    public static FakeStripe Stripe { get; private set; } = null!;

    private static async Task<ApiFactory> StartAsync()
    {
        var pg = await DatabaseAsync();
        var factory = new ApiFactory(pg.ConnectionString, "oms_test_admin_" + Guid.NewGuid().ToString("N"));
        factory.Services.GetRequiredService<IServiceProvider>(); // builds the host: migrations and bootstrap key run now
        return factory;
    }

    public static HttpClient Client(this ApiFactory factory, string? key)
    {
        // Every answer a test receives is checked against the committed OpenAPI document (ContractCheck).
        var client = factory.CreateDefaultClient(new ContractCheck());
        if (key is not null) client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    public static HttpClient Admin(this ApiFactory factory) => factory.Client(factory.AdminKey);

    /// <summary>Creates a key with exactly these scopes and returns its secret.</summary>
    public static async Task<string> KeyWithScopesAsync(this ApiFactory factory, string name, params string[] scopes)
    {
        var response = await factory.Admin().PostAsJsonAsync("/api/v1/api-keys", new { name, scopes });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return body.GetProperty("secret").GetString()!;
    }
}

/// <summary>Every log entry of an app at Warning or above, with its category, for tests that read the log as an operator would.</summary>
public sealed class CapturedLogs : ILoggerProvider
{
    public System.Collections.Concurrent.ConcurrentQueue<(LogLevel Level, string Category, string Message, Exception? Exception)> Entries { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void Dispose() { }

    private sealed class Logger(CapturedLogs logs, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Warning;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel)) logs.Entries.Enqueue((logLevel, category, formatter(state, exception), exception));
        }
    }
}
