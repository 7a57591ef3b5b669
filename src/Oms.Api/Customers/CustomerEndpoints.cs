using Microsoft.AspNetCore.Http.HttpResults;
using Oms.Api.Orders;
using Oms.Api.Platform.Auth;
using Oms.Api.Platform.Errors;
using Oms.Api.Platform.Http;
using Oms.Domain.Access;
using Oms.Domain.Customers;

namespace Oms.Api.Customers;

public static class CustomerEndpoints
{
    public static void MapCustomerEndpoints(this RouteGroupBuilder api)
    {
        var customers = api.MapGroup("/customers").WithTags("Customers");

        // The customer answers the link their order offered after delivery: no key, the token is the permission.
        api.MapPost("/feedback/{token}", (string token, FeedbackRequest request, FeedbackService service, FeedbackLimiter limiter, HttpContext http, CancellationToken ct) =>
            {
                limiter.Admit(http);
                return GiveFeedbackAsync(token, request, service, ct);
            })
            .Public().WithTags("Feedback").WithName("giveFeedback")
            .WithSummary("A customer rates a delivered order (1-5) with an optional comment and reason, once, while the link is valid; no API key")
            .ProducesProblem(400).ProducesProblem(404).ProducesProblem(409).ProducesProblem(422).ProducesProblem(429);

        customers.MapGet("/", ListAsync).RequireScope(Scopes.CustomersRead).WithName("listCustomers")
            .WithSummary("List customers with filters (segment, tag, search, …), sorted, with cursor paging").ProducesProblem(400);
        customers.MapGet("/{id:guid}", GetAsync).RequireScope(Scopes.CustomersRead).WithName("getCustomer")
            .WithSummary("Get a customer with their figures").ProducesProblem(404);
        customers.MapPatch("/{id:guid}", UpdateAsync).RequireScope(Scopes.CustomersWrite).WithName("updateCustomer")
            .WithSummary("Change what is known about a customer; fields left out stay as they are").WithStateChangeProblems();
        customers.MapPost("/{id:guid}/merge", MergeAsync).RequireScope(Scopes.CustomersWrite).WithName("mergeCustomers")
            .WithSummary("Absorb a duplicate customer: its orders move here and it points here from now on").WithStateChangeProblems();
        customers.MapGet("/{id:guid}/timeline", TimelineAsync).RequireScope(Scopes.CustomersRead).WithName("getCustomerTimeline")
            .WithSummary("Everything that happened with the customer, newest first: orders, payments, refunds, shipments, returns, contacts, notes, feedback")
            .ProducesProblem(400).ProducesProblem(404);
        customers.MapPost("/{id:guid}/contacts", LogContactAsync).RequireScope(Scopes.CustomersWrite).WithName("logCustomerContact")
            .WithSummary("Log a call, e-mail or chat with the customer, or a note, on their timeline").ProducesProblem(400).ProducesProblem(404).ProducesProblem(409).ProducesProblem(422);
        customers.MapGet("/{id:guid}/addresses", AddressesAsync).RequireScope(Scopes.CustomersRead).WithName("listCustomerAddresses")
            .WithSummary("The addresses the customer's orders used, newest first, with the default for shipping and for billing").ProducesProblem(404);
        customers.MapGet("/{id:guid}/export", (Guid id, CustomerQueries queries, CancellationToken ct) => ExportAsync(id, queries, ct))
            .RequireScope(Scopes.CustomersRead).WithName("exportCustomer")
            .WithSummary("Everything stored about the customer, as JSON (GDPR access)").ProducesProblem(404);
        customers.MapPost("/{id:guid}/erase", EraseAsync).RequireScope(Scopes.CustomersWrite).WithName("eraseCustomer")
            .WithSummary("Erase the customer's personal data everywhere it is kept, for good; amounts, SKUs and dates stay (GDPR)")
            .ProducesProblem(404).ProducesProblem(409);
        customers.MapGet("/{id:guid}/orders", OrdersAsync).RequireScope(Scopes.CustomersRead).WithName("listCustomerOrders")
            .WithSummary("A customer's orders, newest first").ProducesProblem(400).ProducesProblem(404);
    }

    /// <param name="segment">new, active, loyal, at_risk or lapsed: where the customer stands now.</param>
    /// <param name="tag">Customers with this tag.</param>
    /// <param name="email">The customer one of whose e-mail addresses this is, case-insensitive.</param>
    /// <param name="search">Part of the name, an e-mail address or the phone, case-insensitive.</param>
    /// <param name="followUp">Only customers someone should get in touch with (true), or the others.</param>
    /// <param name="minOrders">At least this many orders (placed and not cancelled).</param>
    /// <param name="currency">ISO 4217: the currency sort=lifetimeValue and minLifetimeValue are in.</param>
    /// <param name="minLifetimeValue">At least this lifetime value in currency, minor units.</param>
    /// <param name="sort">createdAt, lastOrderAt, orderCount or lifetimeValue; a leading - sorts descending (default -createdAt).</param>
    /// <param name="limit">1-250, default 50.</param>
    /// <param name="cursor">The next cursor of the previous page (of the same sort).</param>
    private static async Task<Ok<Page<CustomerDto>>> ListAsync(
        CustomerQueries queries, CancellationToken ct,
        string? segment = null, string? tag = null, string? email = null, string? search = null, bool? followUp = null, int? minOrders = null,
        string? currency = null, long? minLifetimeValue = null, string? sort = null, int? limit = null, string? cursor = null)
    {
        var filter = new CustomerFilter(WireEnum.Parse<CustomerSegment>(segment, "segment"), tag, email, search, followUp, minOrders, currency, minLifetimeValue);
        return TypedResults.Ok(await queries.ListAsync(filter, CustomerOrder.Parse(sort), PageRequest.Rest(limit, cursor), ct));
    }

    private static async Task<Ok<FeedbackDto>> GiveFeedbackAsync(string token, FeedbackRequest request, FeedbackService service, CancellationToken ct) =>
        TypedResults.Ok(await service.GiveAsync(token, request, ct));

    private static async Task<Ok<CustomerDto>> GetAsync(Guid id, CustomerQueries queries, HttpResponse response, CancellationToken ct)
    {
        var customer = await queries.GetAsync(new CustomerId(id), ct);
        Preconditions.SetETag(response, customer.Version);
        return TypedResults.Ok(customer);
    }

    private static async Task<Ok<CustomerDto>> UpdateAsync(Guid id, UpdateCustomerRequest request, CustomerService service, HttpContext http, CancellationToken ct)
    {
        var customer = await service.UpdateAsync(new CustomerId(id), request, Preconditions.ExpectedVersion(http.Request), ct);
        Preconditions.SetETag(http.Response, customer.Version);
        return TypedResults.Ok(customer);
    }

    private static async Task<Ok<CustomerDto>> MergeAsync(Guid id, MergeCustomerRequest request, CustomerService service, HttpContext http, CancellationToken ct)
    {
        var customer = await service.MergeAsync(new CustomerId(id), new CustomerId(request.DuplicateId), Preconditions.ExpectedVersion(http.Request), ct);
        Preconditions.SetETag(http.Response, customer.Version);
        return TypedResults.Ok(customer);
    }

    /// <param name="limit">1-250, default 50.</param>
    /// <param name="cursor">The next cursor of the previous page.</param>
    private static async Task<Ok<Page<CustomerTimelineEntryDto>>> TimelineAsync(Guid id, CustomerQueries queries, CancellationToken ct, int? limit = null, string? cursor = null)
    {
        var page = PageRequest.Rest(limit, cursor);
        await queries.GetAsync(new CustomerId(id), ct); // 404 for a customer that does not exist
        return TypedResults.Ok(CustomerQueries.TimelinePage((await queries.TimelinesAsync([id], ct))[id], page));
    }

    private static async Task<Created<CustomerContactDto>> LogContactAsync(Guid id, LogContactRequest request, CustomerService service, CancellationToken ct)
    {
        var contact = await service.LogContactAsync(new CustomerId(id), request, ct);
        return TypedResults.Created($"/api/v1/customers/{id}/timeline", contact);
    }

    private static async Task<Ok<IReadOnlyList<CustomerAddressDto>>> AddressesAsync(Guid id, CustomerQueries queries, CancellationToken ct)
    {
        await queries.GetAsync(new CustomerId(id), ct); // 404 for a customer that does not exist
        return TypedResults.Ok((await queries.AddressesAsync([id], ct))[id]);
    }

    private static async Task<Ok<CustomerExportDto>> ExportAsync(Guid id, CustomerQueries queries, CancellationToken ct) =>
        TypedResults.Ok(await queries.ExportAsync(new CustomerId(id), ct));

    private static async Task<Ok<CustomerDto>> EraseAsync(Guid id, CustomerService service, CancellationToken ct) =>
        TypedResults.Ok(await service.EraseAsync(new CustomerId(id), ct));

    /// <param name="limit">1-250, default 50.</param>
    /// <param name="cursor">The next cursor of the previous page.</param>
    private static async Task<Ok<Page<OrderDto>>> OrdersAsync(Guid id, CustomerQueries customers, OrderQueries orders, CancellationToken ct,
        int? limit = null, string? cursor = null)
    {
        await customers.GetAsync(new CustomerId(id), ct); // 404 for a customer that does not exist
        return TypedResults.Ok(await orders.ListAsync(new OrderFilter { CustomerId = id }, PageRequest.Rest(limit, cursor), ct));
    }
}
