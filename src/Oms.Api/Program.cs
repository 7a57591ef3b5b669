using Oms.Api.Notifications;
using Oms.Api.Customers;
using Asp.Versioning;
using GraphQL;
using GraphQL.Execution;
using GraphQLParser.AST;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Oms.Api.ApiKeys;
using Oms.Api.Composition;
using Oms.Api.Catalog;
using Oms.Api.Inventory;
using Oms.Api.Nodes;
using Oms.Api.Purchasing;
using Oms.Api.Routing;
using Oms.Api.Webhooks;
using Oms.Infrastructure.Webhooks;
using Oms.Domain.Routing;
using Oms.Api.Orders;
using Oms.Api.Payments;
using Oms.Api.Fulfilment;
using Oms.Api.Returns;
using Oms.Api.Documents;
using Oms.Api.Reports;
using Oms.Api.Roles;
using Oms.Api.Audit;
using Oms.Domain.Payments;
using Oms.Api.Platform;
using Oms.Api.Platform.Auth;
using Oms.Api.Platform.Errors;
using Oms.Api.Platform.GraphQL;
using Oms.Api.Platform.Http;
using Oms.Api.Platform.Idempotency;
using Oms.Api.Platform.Observability;
using Oms.Api.Platform.OpenApi;
using Oms.Domain.Orders;
using Oms.Infrastructure.Persistence;
using Oms.Infrastructure.Seeding;

var builder = WebApplication.CreateBuilder(args);
var config = builder.Configuration;

builder.WebHost.ConfigureKestrel(k =>
{
    k.Limits.MaxRequestBodySize = RequestSizeLimit.MaxBodyBytes(config);
    // Room above the API's own limits, which RequestSizeLimit answers with a problem body (Kestrel's answers have none).
    k.Limits.MaxRequestLineSize = RequestSizeLimit.MaxTargetBytes(config) + RequestSizeLimit.KestrelMargin;
    k.Limits.MaxRequestHeadersTotalSize = RequestSizeLimit.MaxHeadersBytes(config) + RequestSizeLimit.KestrelMargin;
    // What Kestrel's parser refuses before any of our code runs gets a problem body too.
    k.ConfigureEndpointDefaults(Oms.Api.Platform.Http.ParserRefusals.Use);
});
builder.Services.Configure<HostOptions>(o => o.ShutdownTimeout = TimeSpan.FromSeconds(config.GetValue("Api:ShutdownTimeoutSeconds", 30)));

// Composition only: each feature's services, the platform around them.
builder.Services.AddSingleton<TimeProvider>(new MicrosecondClock());
builder.Services.AddHttpContextAccessor();
builder.Services.AddOmsPersistence(config);
var seller = Oms.Api.Documents.DocumentOptions.SellerFrom(config);
builder.Services.AddSingleton(new PricingPolicy(config.GetSection("Pricing").Get<PricingSettings>() ?? new PricingSettings(), seller?.Address.Country));
// Links for customers (feedback, documents) are signed with Links:SigningKey, or a key kept in the database (loaded at start).
builder.Services.AddSingleton<Oms.Infrastructure.Links.LinkSigner>();
builder.Services.AddScoped<DemoDataSeeder>().AddSingleton<DemoJourneys>();
builder.Services.AddScoped<Actor>().AddScoped<UnitOfWork>();
builder.Services.AddScoped<OrderService>().AddScoped<OrderQueries>();
builder.Services.AddScoped<IOrderConfirmation>(sp => sp.GetRequiredService<OrderService>());
builder.Services.AddScoped<IReplacementOrders>(sp => sp.GetRequiredService<OrderService>());
builder.Services.AddScoped<CatalogService>().AddScoped<CatalogQueries>();
builder.Services.AddScoped<ApiKeyService>().AddScoped<ApiKeyQueries>();
builder.Services.AddScoped<Oms.Api.Platform.Auth.Visibility>().AddScoped<Oms.Api.Platform.Auth.PersonalDataViews>();
builder.Services.AddScoped<RoleService>().AddScoped<RoleQueries>();
builder.Services.AddScoped<AuditQueries>();
builder.Services.AddOptions<AuditOptions>().Bind(builder.Configuration.GetSection("Audit"))
    .Validate(o => o.RetentionDays >= 30, "Audit:RetentionDays is at least 30.").ValidateOnStart();
builder.Services.AddHostedService<AuditRetention>();
// Where addresses are: the built-in postal-area geocoder; register another IGeocoder to use a real one.
builder.Services.AddSingleton<IGeocoder>(PostalAreaGeocoder.Instance);
var routing = RoutingConfiguration.Read(config.GetSection("Routing")); // a misspelt value stops the start here, naming its key
builder.Services.AddSingleton(sp => new Router(routing, sp.GetRequiredService<IGeocoder>()));
builder.Services.AddScoped<StockCounters>().AddScoped<StockSignals>().AddScoped<StockMovements>().AddScoped<AllocationService>();
builder.Services.AddScoped<IStockArrivals>(sp => sp.GetRequiredService<AllocationService>());
builder.Services.AddScoped<RoutingService>().AddScoped<RoutingQueries>();
builder.Services.AddScoped<NodeService>().AddScoped<NodeQueries>().AddSingleton<NodeDirectory>();
builder.Services.AddScoped<InventoryService>().AddScoped<InventoryQueries>();
builder.Services.AddScoped<PurchasingService>().AddScoped<PurchasingQueries>();
builder.Services.AddScoped<WebhookService>().AddScoped<WebhookQueries>();
builder.Services.AddSingleton(new RiskPolicy(config.GetSection("Risk").Get<RiskSettings>() ?? new RiskSettings()));
builder.Services.AddScoped<PaymentService>().AddScoped<PaymentQueries>().AddScoped<OrderPayments>();
builder.Services.Configure<Oms.Infrastructure.Payments.StripeOptions>(config.GetSection("Stripe"));
builder.Services.Configure<ProviderCallOptions>(config.GetSection("Payments:ProviderCalls"));
builder.Services.AddSingleton<ProviderCalls>().AddHostedService<ProviderCallWorker>();
// The Stripe gateway keeps its client for the process: its connections are renewed every few minutes instead of
// with the factory's handlers, so a change of Stripe's addresses is still picked up.
builder.Services.AddHttpClient("stripe").ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
    .SetHandlerLifetime(Timeout.InfiniteTimeSpan);
builder.Services.AddSingleton<Oms.Infrastructure.Payments.IPaymentGateway, Oms.Infrastructure.Payments.Stripe.StripeGateway>();
builder.Services.Configure<Oms.Api.Fulfilment.FulfilmentOptions>(config.GetSection("Fulfilment"));
builder.Services.Configure<Oms.Api.Fulfilment.TrackingOptions>(config.GetSection("Tracking"));
builder.Services.Configure<Oms.Infrastructure.Carriers.CarrierOptions>(config.GetSection("Carriers"));
builder.Services.AddSingleton<Oms.Infrastructure.Carriers.ICarrier, Oms.Infrastructure.Carriers.ManualCarrier>();
builder.Services.AddSingleton<Oms.Infrastructure.Carriers.CarrierRegistry>();
builder.Services.AddSingleton<Oms.Api.Fulfilment.TrackingLimiter>();
builder.Services.AddScoped<Oms.Api.Fulfilment.FulfilmentService>().AddScoped<Oms.Api.Fulfilment.FulfilmentQueries>();
builder.Services.Configure<Oms.Api.Returns.ReturnOptions>(config.GetSection("Returns"));
builder.Services.AddScoped<Oms.Api.Returns.ReturnService>().AddScoped<Oms.Api.Returns.ReturnQueries>();
builder.Services.AddOptions<Oms.Api.Customers.CustomerOptions>().Bind(config.GetSection("Customers"))
    .Validate(o => o.ActiveDays > 0 && o.LapsedDays > o.ActiveDays && o.LoyalOrders >= 2, "Customers: 0 < ActiveDays < LapsedDays, and LoyalOrders of at least 2.").ValidateOnStart();
builder.Services.AddScoped<Oms.Api.Customers.FeedbackService>().AddSingleton<Oms.Api.Customers.FeedbackLimiter>();
builder.Services.AddScoped<Oms.Api.Customers.CustomerService>().AddScoped<Oms.Api.Customers.CustomerQueries>().AddScoped<Oms.Api.Customers.CustomerGraphLoaders>();
// A customer's figures follow their orders in the save that moved them (OmsDbContext.SaveFollower).
builder.Services.AddSingleton<Oms.Infrastructure.Persistence.ISaveFollower, Oms.Api.Customers.CustomerFiguresFollower>();
builder.Services.AddOptions<Oms.Api.Documents.DocumentOptions>().Bind(config.GetSection("Documents"))
    .Validate(o => o.BatchSize is > 0 and <= 1000 && o.LinkDays is > 0 and <= 3650 && o.InvoiceSeries.Length is > 0 and <= 20 && o.CreditNoteSeries.Length is > 0 and <= 20
                   && o.InvoiceSeries != o.CreditNoteSeries, "Documents: BatchSize 1-1000, LinkDays 1-3650, two different series of 1-20 characters.").ValidateOnStart();
builder.Services.AddSingleton(new Oms.Api.Documents.DocumentSetup(seller, seller is null ? null : Oms.Api.Documents.DocumentOptions.ReturnsAddress(config, seller)));
builder.Services.AddScoped<Oms.Api.Documents.DocumentService>().AddScoped<Oms.Api.Documents.DocumentQueries>().AddSingleton<Oms.Api.Documents.DocumentLinkLimiter>();
// Documents due after a change are queued by the webhook fan-out and issued in batches (never in the checkout's transaction).
builder.Services.AddSingleton<Oms.Infrastructure.Documents.DocumentRequests>()
    .AddSingleton<Oms.Infrastructure.Webhooks.IOutboxFollower>(sp => sp.GetRequiredService<Oms.Infrastructure.Documents.DocumentRequests>());
builder.Services.AddHostedService<Oms.Api.Documents.DocumentIssuer>().AddSingleton<RequestsInFlight>();
builder.Services.AddOptions<Oms.Api.Reports.ReportOptions>().Bind(config.GetSection("Reports"))
    .Validate(o => o.BatchSize is > 0 and <= 5000 && o.MaxDays is > 0 and <= 3660 && o.ExchangeRates.All(r => r.Value > 0 && r.Key.Split('/') is [var b, var q]
                   && Oms.Domain.Common.Currencies.IsValid(b.Trim()) && Oms.Domain.Common.Currencies.IsValid(q.Trim())),
        "Reports: BatchSize 1-5000, MaxDays 1-3660, ExchangeRates as \"GBP/EUR\": rate above 0.").ValidateOnStart();
builder.Services.AddScoped<Oms.Api.Reports.ReportQueries>().AddScoped<Oms.Api.Reports.ReportService>().AddScoped<Oms.Api.Reports.ExchangeRateQueries>()
    .AddScoped<Oms.Api.Reports.ProjectionQueries>().AddScoped<Oms.Api.Reports.OperationsQueries>()
    .AddScoped<Oms.Api.Reports.StockQueries>();
builder.Services.AddHostedService<Oms.Api.Reports.ProjectedReorderPoints>();
// Report rollups follow the committed events: the fan-out folds changed orders in (decision 0012); what it could not fold, the worker does.
builder.Services.AddSingleton(sp => new Oms.Infrastructure.Reports.ReportRequests(
        sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<Oms.Api.Reports.ReportOptions>>().Value.RollupsEnabled,
        sp.GetRequiredService<ILogger<Oms.Infrastructure.Reports.ReportRequests>>()))
    .AddSingleton<Oms.Infrastructure.Webhooks.IOutboxFollower>(sp => sp.GetRequiredService<Oms.Infrastructure.Reports.ReportRequests>());
builder.Services.AddHostedService<Oms.Api.Reports.ReportRollupWorker>();
// E-mails to shoppers follow the committed events: queued by the fan-out, sent by the sender after commit. The
// embedded default (SQLite, nothing configured) writes them as .eml files under data/mail.
var mail = Oms.Infrastructure.Notifications.MailSettings.Read(config);
if (!mail.Enabled && Oms.Infrastructure.Persistence.DatabaseSettings.From(config).Provider == Oms.Infrastructure.Persistence.DatabaseProvider.Sqlite)
    mail.PickupDirectory = Path.GetFullPath(Path.Combine("data", "mail"));
builder.Services.AddSingleton(mail);
builder.Services.AddSingleton<Oms.Infrastructure.Notifications.IMailer>(_ => string.IsNullOrWhiteSpace(mail.SmtpHost)
    ? new Oms.Infrastructure.Notifications.PickupFolderMailer(mail) : new Oms.Infrastructure.Notifications.SmtpMailer(mail));
builder.Services.Configure<Oms.Api.Notifications.ShopLook>(config.GetSection("Notifications:Shop"));
builder.Services.AddSingleton<Oms.Infrastructure.Notifications.NotificationRequests>()
    .AddSingleton<Oms.Infrastructure.Webhooks.IOutboxFollower>(sp => sp.GetRequiredService<Oms.Infrastructure.Notifications.NotificationRequests>());
builder.Services.AddScoped<Oms.Api.Notifications.NotificationRenderer>().AddScoped<Oms.Api.Notifications.NotificationQueries>()
    .AddScoped<Oms.Api.Notifications.NotificationTemplateService>();
builder.Services.AddSingleton<Oms.Api.Notifications.NotificationSender>().AddHostedService(sp => sp.GetRequiredService<Oms.Api.Notifications.NotificationSender>());
builder.Services.AddSingleton<EventData>().AddSingleton<IEventDataMapper>(sp => sp.GetRequiredService<EventData>());
builder.Services.AddOmsWebhooks(config);
builder.Services.AddSingleton<ApiKeyAuthenticator>();
builder.Services.AddPersonAuthentication(builder.Configuration);
builder.Services.AddSingleton<Oms.Infrastructure.Persistence.Audit.IAuditActorSource, AuditActors>();
builder.Services.AddHostedService<ApiKeyRevocations>();
builder.Services.AddSingleton<DevelopmentKey>();
builder.Services.Configure<IdempotencyOptions>(config.GetSection("Idempotency"));
builder.Services.AddHostedService<IdempotencyCleanup>();

builder.Services.ConfigureHttpJsonOptions(o => JsonSetup.Configure(o.SerializerOptions));
builder.Services.Configure<Microsoft.AspNetCore.Mvc.JsonOptions>(o => JsonSetup.Configure(o.JsonSerializerOptions));
builder.Services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
builder.Services.AddProblemDetails(o => o.CustomizeProblemDetails = ProblemResponses.Customize);
builder.Services.AddExceptionHandler<OmsExceptionHandler>();
builder.Services.AddApiVersioning(o =>
    {
        o.DefaultApiVersion = new ApiVersion(1);
        o.ReportApiVersions = true;
        o.ApiVersionReader = new UrlSegmentApiVersionReader();
    })
    .AddApiExplorer(o =>
    {
        o.GroupNameFormat = "'v'V";
        o.SubstituteApiVersionInUrl = true;
    });
builder.Services.AddOmsOpenApi();
// Behind a load balancer the client's address arrives in X-Forwarded-For; it is believed only from the proxies listed
// (the tracking rate limit and the fraud rules' client IP depend on it). Not even loopback, which ASP.NET trusts by
// default: any process on the machine could then name itself any client. A proxy on the same machine is listed too.
// With no proxy listed the headers are not read at all: with empty lists ASP.NET would believe them from anyone.
builder.Services.Configure<Microsoft.AspNetCore.Builder.ForwardedHeadersOptions>(o =>
{
    o.KnownIPNetworks.Clear();
    o.KnownProxies.Clear();
    foreach (var network in config.GetSection("Api:TrustedProxies").Get<string[]>() ?? [])
        o.KnownIPNetworks.Add(System.Net.IPNetwork.Parse(network.Contains('/') ? network : network + (network.Contains(':') ? "/128" : "/32")));
    o.ForwardedHeaders = o.KnownIPNetworks.Count == 0
        ? Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.None
        : Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedFor | Microsoft.AspNetCore.HttpOverrides.ForwardedHeaders.XForwardedProto;
});
builder.Services.AddHealthChecks().AddCheck<DatabaseHealthCheck>("database", tags: ["ready"]);

builder.Services.AddScoped<OrderGraphLoaders>();
builder.Services.Configure<GraphQLLimits>(config.GetSection(GraphQLLimits.Section)); // measured in GraphQLEndpoint before validation
builder.Services.AddGraphQL(b => b
    .AddSchema<OmsSchema>()
    .AddGraphTypes(typeof(OmsSchema).Assembly)
    .AddSystemTextJson()
    .AddErrorInfoProvider<OmsErrorInfoProvider>()
    .AddUnhandledExceptionHandler((ctx, options) =>
        OmsErrorInfoProvider.HandleAsync(ctx, options.RequestServices!.GetRequiredService<ILogger<OmsSchema>>()))
    // One DbContext per request: resolve fields one at a time (batch loaders keep lists to a fixed number of queries).
    .AddExecutionStrategy<SerialExecutionStrategy>(OperationType.Query)
    // Each root mutation field is its own unit of work (its own scope and DbContext).
    .AddExecutionStrategy<UnitOfWorkPerField>(OperationType.Mutation));

var app = builder.Build();

app.UseForwardedHeaders();
app.UseMiddleware<RequestLogging>();
app.UseExceptionHandler();
app.UseStatusCodePages();
app.UseMiddleware<RequestSizeLimit>();
app.UseMiddleware<BodyBuffering>(); // a body that does not bind is explained from itself (JsonProblems)
app.UseStaticFiles();
app.UseOmsOpenApi();
app.UseRouting();
app.UseMiddleware<ApiKeyMiddleware>();
app.UseMiddleware<Oms.Api.Platform.Validation.UnknownQueryParameters>();
app.UseMiddleware<IdempotencyMiddleware>();

app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).Public();
app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = c => c.Tags.Contains("ready") }).Public();

var versions = app.NewApiVersionSet().HasApiVersion(new ApiVersion(1)).ReportApiVersions().Build();
var v1 = app.MapGroup("/api/v{version:apiVersion}").WithApiVersionSet(versions).HasApiVersion(new ApiVersion(1))
    .AddEndpointFilterFactory(Oms.Api.Platform.Validation.UnknownMembersFilter.Create);
v1.MapOrderEndpoints();
v1.MapCatalogEndpoints();
v1.MapApiKeyEndpoints();
v1.MapRoleEndpoints();
v1.MapAuditEndpoints();
v1.MapNodeEndpoints();
v1.MapInventoryEndpoints();
v1.MapPurchasingEndpoints();
v1.MapRoutingEndpoints();
v1.MapWebhookEndpoints();
v1.MapPaymentEndpoints();
v1.MapFulfilmentEndpoints();
v1.MapReturnEndpoints();
v1.MapNotificationEndpoints();
v1.MapNotificationTemplateEndpoints();
v1.MapCustomerEndpoints();
v1.MapDocumentEndpoints();
v1.MapReportEndpoints();
app.MapGraphQL();
app.MapDashboard();

await StartupTasks.PrepareAsync(app);
await app.RunAsync();

/// <summary>The entry point, visible to WebApplicationFactory in the tests.</summary>
public partial class Program;
