using GraphQL;
using GraphQL.DataLoader;
using GraphQL.Types;
using Oms.Api.Orders;
using Oms.Api.Platform.GraphQL;
using Oms.Api.Platform.Http;
using Oms.Domain.Access;
using Oms.Domain.Customers;

namespace Oms.Api.Customers;

/// <summary>GraphQL for customers: thin adapters over <see cref="CustomerService"/> and <see cref="CustomerQueries"/>.</summary>
public static class CustomerGraph
{
    public static void AddQueries(ObjectGraphType query)
    {
        query.Field<CustomerType, CustomerDto>("customer")
            .Description("A customer by id.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .RequireScope(Scopes.CustomersRead)
            .ResolveAsync(async ctx => await Queries(ctx).GetAsync(new CustomerId(ctx.GuidArgument("id", "customer")), ctx.CancellationToken));
        query.Field<CustomerExportType, CustomerExportDto>("customerExport")
            .Description("Everything stored about a customer (GDPR access; REST: GET /customers/{id}/export).")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .RequireScope(Scopes.CustomersRead)
            .ResolveAsync(async ctx => await Queries(ctx).ExportAsync(new CustomerId(ctx.GuidArgument("id", "customer")), ctx.CancellationToken));
        query.Field<NonNullGraphType<ConnectionType<CustomerType, CustomerDto>>, Connection<CustomerDto>>("customers")
            .Description("Customers, filtered and sorted (default: newest first).")
            .Argument<CustomerFilterInputType>("filter")
            .Argument<StringGraphType>("sort", a => a.Description = "createdAt, lastOrderAt, orderCount or lifetimeValue (with filter.currency); a leading - sorts descending.")
            .Paged()
            .RequireScope(Scopes.CustomersRead)
            .ResolveAsync(async ctx =>
            {
                var order = CustomerOrder.Parse(ctx.GetArgument<string?>("sort"));
                var filter = ctx.GetArgument<CustomerFilter?>("filter") ?? new CustomerFilter();
                return await ctx.ConnectionAsync(page => Queries(ctx).ListAsync(filter, order, page, ctx.CancellationToken),
                    c => CustomerQueries.CursorOf(c, order, filter.Currency is { Length: > 0 } cur ? Oms.Domain.Common.Currencies.Normalize(cur) : null));
            });
    }

    public static void AddMutations(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<CustomerType>, CustomerDto>("updateCustomer")
            .Description("Change what is known about a customer; fields left out stay as they are.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Argument<NonNullGraphType<UpdateCustomerInputType>>("input")
            .Argument<IntGraphType>("expectedVersion", a => a.Description = "Fail with code concurrency_conflict unless the customer is at this version.")
            .RequireScope(Scopes.CustomersWrite)
            .ResolveAsync(async ctx => await Service(ctx).UpdateAsync(new CustomerId(ctx.GuidArgument("id", "customer")), ctx.GetArgument<UpdateCustomerRequest>("input"),
                ctx.GetArgument<int?>("expectedVersion"), ctx.CancellationToken));
        AddMergeMutation(mutation);
        mutation.Field<NonNullGraphType<CustomerContactType>, CustomerContactDto>("logCustomerContact")
            .Description("Log a call, e-mail or chat with the customer, or a note, on their timeline.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Argument<NonNullGraphType<LogContactInputType>>("input")
            .RequireScope(Scopes.CustomersWrite)
            .ResolveAsync(async ctx => await Service(ctx).LogContactAsync(new CustomerId(ctx.GuidArgument("id", "customer")), ctx.GetArgument<LogContactRequest>("input"), ctx.CancellationToken));
        mutation.Field<NonNullGraphType<CustomerType>, CustomerDto>("eraseCustomer")
            .Description("Erase the customer's personal data everywhere it is kept, for good; amounts, SKUs and dates stay (GDPR).")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .RequireScope(Scopes.CustomersWrite)
            .ResolveAsync(async ctx => await Service(ctx).EraseAsync(new CustomerId(ctx.GuidArgument("id", "customer")), ctx.CancellationToken));
        mutation.Field<NonNullGraphType<FeedbackType>, FeedbackDto>("giveFeedback")
            .Description("A customer rates a delivered order (1-5) through the token its order offered (REST: POST /feedback/{token}); needs no API key, rate-limited per client address.")
            .Argument<NonNullGraphType<StringGraphType>>("token")
            .Argument<NonNullGraphType<FeedbackInputType>>("input")
            .Public()
            .ResolveAsync(async ctx =>
            {
                ctx.RequestServices!.GetRequiredService<FeedbackLimiter>().Admit(ctx.RequestServices!.GetRequiredService<IHttpContextAccessor>().HttpContext!);
                return await ctx.RequestServices!.GetRequiredService<FeedbackService>().GiveAsync(ctx.GetArgument<string>("token"), ctx.GetArgument<FeedbackRequest>("input"), ctx.CancellationToken);
            });
    }

    private static void AddMergeMutation(ObjectGraphType mutation) =>
        mutation.Field<NonNullGraphType<CustomerType>, CustomerDto>("mergeCustomers")
            .Description("The customer absorbs a duplicate: its orders move here and it points here from now on (mergedInto).")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Argument<NonNullGraphType<IdGraphType>>("duplicateId")
            .Argument<IntGraphType>("expectedVersion", a => a.Description = "Fail with code concurrency_conflict unless the customer is at this version.")
            .RequireScope(Scopes.CustomersWrite)
            .ResolveAsync(async ctx => await Service(ctx).MergeAsync(new CustomerId(ctx.GuidArgument("id", "customer")),
                new CustomerId(ctx.GuidArgument("duplicateId", "customer")), ctx.GetArgument<int?>("expectedVersion"), ctx.CancellationToken));

    private static CustomerQueries Queries(IResolveFieldContext ctx) => ctx.RequestServices!.GetRequiredService<CustomerQueries>();
    private static CustomerService Service(IResolveFieldContext ctx) => ctx.RequestServices!.GetRequiredService<CustomerService>();
}

/// <summary>The batch loaders of the customer's GraphQL fields, one set per request (scoped).</summary>
public sealed class CustomerGraphLoaders(OrderQueries orders, CustomerQueries customers)
{
    public BatchLoader<Guid, IReadOnlyList<CustomerAddressDto>> Addresses { get; } = new((ids, ct) => customers.AddressesAsync(ids, ct));

    /// <summary>Whole timelines, one batch per page of customers; each field slices its own page.</summary>
    public BatchLoader<Guid, List<CustomerTimelineEntryDto>> Timelines { get; } = new((ids, ct) => customers.TimelinesAsync(ids, ct));

    private readonly Dictionary<(int, string?), BatchLoader<Guid, Connection<OrderDto>>> _orders = [];

    /// <summary>The page of each customer's orders for one (first, after): two queries for all the customers of a page.</summary>
    public BatchLoader<Guid, Connection<OrderDto>> Orders(PageRequest page)
    {
        lock (_orders)
        {
            if (!_orders.TryGetValue((page.Take, page.After), out var loader))
                _orders[(page.Take, page.After)] = loader = new BatchLoader<Guid, Connection<OrderDto>>(async (ids, ct) =>
                    (await orders.ForCustomersAsync(ids, page, ct)).ToDictionary(kv => kv.Key, kv => Connection<OrderDto>.From(kv.Value, OrderQueries.CursorOf, page)));
            return loader;
        }
    }
}

public sealed class CustomerType : ContractGraphType<CustomerDto>
{
    public CustomerType()
    {
        Name = "Customer";
        Description = "One person across channels, with their figures kept current as their orders move.";
        Field<NonNullGraphType<ConnectionType<CustomerTimelineEntryType, CustomerTimelineEntryDto>>, Connection<CustomerTimelineEntryDto>>("timeline")
            .Description("Everything that happened with the customer, newest first: orders, payments, refunds, shipments, returns, contacts, notes, feedback. Batched: a fixed number of queries for a page of customers.")
            .Paged()
            .ResolveAsync(async ctx =>
            {
                var page = PageRequest.Graph(ctx.GetArgument<int?>("first"), ctx.GetArgument<string?>("after"));
                var timeline = await ctx.RequestServices!.GetRequiredService<CustomerGraphLoaders>().Timelines.Load(ctx.Source.Id).GetResultAsync(ctx.CancellationToken) ?? [];
                return Platform.GraphQL.Connection<CustomerTimelineEntryDto>.From(CustomerQueries.TimelinePage(timeline, page), CustomerQueries.TimelineCursorOf, page);
            });
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<CustomerAddressType>>>, IDataLoaderResult<IReadOnlyList<CustomerAddressDto>?>>("addresses")
            .Description("The addresses the customer's orders used, newest first, with the default for shipping and for billing. Batched: one query for a page of customers.")
            .Resolve(ctx => ctx.RequestServices!.GetRequiredService<CustomerGraphLoaders>().Addresses.Load(ctx.Source.Id));
        Field<NonNullGraphType<ConnectionType<OrderType, OrderDto>>, IDataLoaderResult<Connection<OrderDto>?>>("orders")
            .Description("The customer's orders, newest first (needs orders:read). Batched: one query for a page of customers.")
            .Paged()
            .RequireScope(Scopes.OrdersRead)
            .Resolve(ctx =>
            {
                var page = PageRequest.Graph(ctx.GetArgument<int?>("first"), ctx.GetArgument<string?>("after"));
                return ctx.RequestServices!.GetRequiredService<CustomerGraphLoaders>().Orders(page).Load(ctx.Source.Id);
            });
    }
}

public sealed class CustomerTimelineEntryType : ContractGraphType<CustomerTimelineEntryDto>
{
    public CustomerTimelineEntryType() => Name = "CustomerTimelineEntry";
}

public sealed class CustomerContactType : ContractGraphType<CustomerContactDto>
{
    public CustomerContactType() => Name = "CustomerContact";
}

public sealed class LogContactInputType : InputObjectGraphType<LogContactRequest>
{
    public LogContactInputType()
    {
        Name = "LogContactInput";
        Field(x => x.Channel, type: typeof(NonNullGraphType<EnumerationGraphType<ContactChannel>>));
        Field(x => x.Summary);
        Field(x => x.At, type: typeof(UtcDateTimeOffsetGraphType)).Description("When it happened (default: now).");
    }
}

public sealed class CustomerExportType : ContractGraphType<CustomerExportDto>
{
    public CustomerExportType() => Name = "CustomerExport";
}

public sealed class FeedbackType : ContractGraphType<FeedbackDto>
{
    public FeedbackType() => Name = "Feedback";
}

public sealed class FeedbackInputType : InputObjectGraphType<FeedbackRequest>
{
    public FeedbackInputType()
    {
        Name = "FeedbackInput";
        Field(x => x.Rating).Description("1 to 5.");
        Field(x => x.Comment, nullable: true);
        Field(x => x.Reason, type: typeof(EnumerationGraphType<Oms.Domain.Orders.FeedbackReason>));
    }
}

public sealed class CustomerValueType : ContractGraphType<CustomerValueDto>
{
    public CustomerValueType() => Name = "CustomerValue";
}

public sealed class MarketingConsentType : ContractGraphType<MarketingConsentDto>
{
    public MarketingConsentType() => Name = "MarketingConsent";
}

public sealed class CustomerAddressType : ContractGraphType<CustomerAddressDto>
{
    public CustomerAddressType() => Name = "CustomerAddress";
}

public sealed class CustomerFilterInputType : InputObjectGraphType<CustomerFilter>
{
    public CustomerFilterInputType()
    {
        Name = "CustomerFilter";
        Field(x => x.Segment, type: typeof(EnumerationGraphType<CustomerSegment>)).Description("Where the customer stands now.");
        Field(x => x.Tag, nullable: true).Description("Customers with this tag.");
        Field(x => x.Email, nullable: true).Description("The customer one of whose e-mail addresses this is, case-insensitive.");
        Field(x => x.Search, nullable: true).Description("Part of the name, an e-mail address or the phone, case-insensitive.");
        Field(x => x.FollowUp, nullable: true).Description("Only customers someone should get in touch with (true), or the others.");
        Field(x => x.MinOrders, nullable: true).Description("At least this many orders (placed and not cancelled).");
        Field(x => x.Currency, nullable: true).Description("ISO 4217: the currency sort lifetimeValue and minLifetimeValue are in.");
        Field(x => x.MinLifetimeValue, type: typeof(LongGraphType)).Description("At least this lifetime value in currency, minor units.");
    }
}

public sealed class ConsentInputType : InputObjectGraphType<ConsentRequest>
{
    public ConsentInputType()
    {
        Name = "ConsentInput";
        Field(x => x.Granted);
        Field(x => x.Source).Description("Where the customer said so: checkout, newsletter_form, support_call, …");
    }
}

public sealed class UpdateCustomerInputType : InputObjectGraphType<UpdateCustomerRequest>
{
    public UpdateCustomerInputType()
    {
        Name = "UpdateCustomerInput";
        Field(x => x.Name, nullable: true);
        Field(x => x.Phone, nullable: true);
        Field(x => x.Locale, nullable: true).Description("BCP 47, e.g. de-DE.");
        Field(x => x.Notes, nullable: true);
        Field(x => x.Tags, type: typeof(ListGraphType<NonNullGraphType<StringGraphType>>)).Description("Replaces the tags (at most 50).");
        Field(x => x.ExternalIds, type: typeof(StringMapGraphType)).Description("Channel → the customer's id there; an empty value removes a channel's.");
        Field(x => x.MarketingConsent, type: typeof(ConsentInputType));
        Field(x => x.FollowUp, nullable: true).Description("False once someone got in touch.");
    }
}
