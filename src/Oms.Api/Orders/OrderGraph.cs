using GraphQL;
using GraphQL.Types;
using Oms.Api.Catalog;
using Oms.Api.Platform.GraphQL;
using Oms.Api.Platform.Http;
using Oms.Domain.Access;
using Oms.Domain.Orders;

namespace Oms.Api.Orders;

/// <summary>GraphQL for orders: thin adapters over <see cref="OrderService"/> and <see cref="OrderQueries"/>.</summary>
public static class OrderGraph
{
    public static void AddQueries(ObjectGraphType query)
    {
        query.Field<OrderType, OrderDto>("order")
            .Description("An order by id.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .RequireScope(Scopes.OrdersRead)
            .ResolveAsync(async ctx => await Queries(ctx).GetAsync(new OrderId(ctx.GuidArgument("id", "order")), ctx.CancellationToken));

        query.Field<OrderType, OrderDto>("orderByNumber")
            .Description("An order by its number, e.g. OMS-100001.")
            .Argument<NonNullGraphType<StringGraphType>>("number")
            .RequireScope(Scopes.OrdersRead)
            .ResolveAsync(async ctx => await Queries(ctx).GetByNumberAsync(ctx.GetArgument<string>("number"), ctx.CancellationToken));

        query.Field<NonNullGraphType<ConnectionType<OrderType, OrderDto>>, Connection<OrderDto>>("orders")
            .Description("Orders, newest first.")
            .Argument<OrderFilterInputType>("filter")
            .Paged()
            .RequireScope(Scopes.OrdersRead)
            .ResolveAsync(async ctx => await ctx.ConnectionAsync(
                page => Queries(ctx).ListAsync(ctx.GetArgument<OrderFilter?>("filter") ?? new OrderFilter(), page, ctx.CancellationToken),
                OrderQueries.CursorOf));
    }

    public static void AddMutations(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<PlaceOrderPayloadType>, PlaceOrderPayload>("placeOrder")
            .Description("Place an order; with a known channel reference, the existing order is returned (created: false).")
            .Argument<NonNullGraphType<PlaceOrderInputType>>("input")
            .RequireScope(Scopes.OrdersWrite)
            .ResolveAsync(async ctx =>
            {
                var (order, created, _) = await Service(ctx).PlaceAsync(ctx.GetArgument<PlaceOrderRequest>("input"), ctx.CancellationToken);
                return new PlaceOrderPayload(order, created);
            });

        mutation.Field<NonNullGraphType<OrderType>, OrderDto>("updateOrder")
            .Description("Edit lines, addresses, notes or metadata while nothing has shipped.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Argument<NonNullGraphType<UpdateOrderInputType>>("input")
            .Argument<IntGraphType>("expectedVersion", a => a.Description = "Fail with CONCURRENCY_CONFLICT (code concurrency_conflict) unless the order is at this version.")
            .RequireScope(Scopes.OrdersWrite)
            .ResolveAsync(async ctx => await Service(ctx).EditAsync(Id(ctx), ctx.GetArgument<UpdateOrderRequest>("input"), Expected(ctx), ctx.CancellationToken));

        StateChange(mutation, "confirmOrder", "Confirm a pending order.", false, (s, ctx, id, v) => s.ConfirmAsync(id, v, ctx.CancellationToken));
        StateChange(mutation, "holdOrder", "Put an order on hold.", true, (s, ctx, id, v) => s.HoldAsync(id, ctx.GetArgument<string>("reason"), v, ctx.CancellationToken));
        StateChange(mutation, "releaseOrder", "Release a held order to the status it was held in.", null, (s, ctx, id, v) => s.ReleaseAsync(id, ctx.GetArgument<string?>("reason"), v, ctx.CancellationToken));
        StateChange(mutation, "cancelOrder", "Cancel an order that has not shipped.", true, (s, ctx, id, v) => s.CancelAsync(id, ctx.GetArgument<string>("reason"), v, ctx.CancellationToken));
        StateChange(mutation, "deliverOrder", "Record that a shipped order arrived; cash on delivery counts as collected.", false, (s, ctx, id, v) => s.DeliverAsync(id, v, ctx.CancellationToken));
        StateChange(mutation, "completeOrder", "Close a delivered order.", false, (s, ctx, id, v) => s.CompleteAsync(id, v, ctx.CancellationToken));
    }

    /// <param name="reason">true: a required reason argument; null: an optional one; false: none.</param>
    private static void StateChange(ObjectGraphType mutation, string name, string description, bool? reason,
        Func<OrderService, IResolveFieldContext, OrderId, int?, Task<OrderDto>> change)
    {
        var field = mutation.Field<NonNullGraphType<OrderType>, OrderDto>(name)
            .Description(description)
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Argument<IntGraphType>("expectedVersion", a => a.Description = "Fail with code concurrency_conflict unless the order is at this version.");
        if (reason == true) field.Argument<NonNullGraphType<StringGraphType>>("reason");
        if (reason == null) field.Argument<StringGraphType>("reason");
        field.RequireScope(Scopes.OrdersWrite).ResolveAsync(async ctx => await change(Service(ctx), ctx, Id(ctx), Expected(ctx)));
    }

    private static OrderId Id(IResolveFieldContext ctx) => new(ctx.GuidArgument("id", "order"));
    private static int? Expected(IResolveFieldContext ctx) => ctx.GetArgument<int?>("expectedVersion");
    private static OrderQueries Queries(IResolveFieldContext ctx) => ctx.RequestServices!.GetRequiredService<OrderQueries>();
    private static OrderService Service(IResolveFieldContext ctx) => ctx.RequestServices!.GetRequiredService<OrderService>();
}

public sealed record PlaceOrderPayload(OrderDto Order, bool Created);

public sealed class PlaceOrderPayloadType : ObjectGraphType<PlaceOrderPayload>
{
    public PlaceOrderPayloadType()
    {
        Name = "PlaceOrderPayload";
        Field(x => x.Order, type: typeof(NonNullGraphType<OrderType>));
        Field(x => x.Created).Description("False when an order with the same channel reference already existed and is returned instead.");
    }
}

public sealed class OrderType : ContractGraphType<OrderDto>
{
    public OrderType()
    {
        Name = "Order";
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<Payments.PaymentType>>>, GraphQL.DataLoader.IDataLoaderResult<IReadOnlyList<Payments.PaymentDto>?>>("payments")
            .Description("The order's payments (needs payments:read). Batched: one query per page.")
            .RequireScope(Scopes.PaymentsRead)
            .Resolve(ctx => ctx.RequestServices!.GetRequiredService<OrderGraphLoaders>().Payments.Load(ctx.Source.Id));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<Fulfilment.FulfilmentOrderType>>>, GraphQL.DataLoader.IDataLoaderResult<IReadOnlyList<Fulfilment.FulfilmentOrderDto>?>>("fulfilmentOrders")
            .Description("What each node picks, packs and ships for the order (needs fulfilment:read). Batched: one query per page.")
            .RequireScope(Scopes.FulfilmentRead)
            .Resolve(ctx => ctx.RequestServices!.GetRequiredService<OrderGraphLoaders>().FulfilmentOrders.Load(ctx.Source.Id));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<Fulfilment.ShipmentType>>>, GraphQL.DataLoader.IDataLoaderResult<IReadOnlyList<Fulfilment.ShipmentDto>?>>("shipments")
            .Description("The order's shipments with tracking (needs fulfilment:read). Batched: one query per page.")
            .RequireScope(Scopes.FulfilmentRead)
            .Resolve(ctx => ctx.RequestServices!.GetRequiredService<OrderGraphLoaders>().Shipments.Load(ctx.Source.Id));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<Returns.ReturnType>>>, GraphQL.DataLoader.IDataLoaderResult<IReadOnlyList<Returns.ReturnDto>?>>("returns")
            .Description("The order's returns (needs returns:read). Batched: one query per page.")
            .RequireScope(Scopes.ReturnsRead)
            .Resolve(ctx => ctx.RequestServices!.GetRequiredService<OrderGraphLoaders>().Returns.Load(ctx.Source.Id));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<Documents.DocumentType>>>, GraphQL.DataLoader.IDataLoaderResult<IReadOnlyList<Documents.DocumentDto>?>>("documents")
            .Description("The order's invoices, credit notes, packing and return slips, oldest first (needs documents:read). Batched: two queries per page.")
            .RequireScope(Scopes.DocumentsRead)
            .Resolve(ctx => ctx.RequestServices!.GetRequiredService<OrderGraphLoaders>().Documents.Load(ctx.Source.Id));
        Field<NonNullGraphType<ListGraphType<NonNullGraphType<TimelineEntryType>>>, GraphQL.DataLoader.IDataLoaderResult<IReadOnlyList<TimelineEntryDto>?>>("timeline")
            .Description("Every status change and edit, oldest first. Batched: one query per page.")
            .Resolve(ctx => ctx.RequestServices!.GetRequiredService<OrderGraphLoaders>().Timelines.Load(ctx.Source.Id));
    }
}

public sealed class OrderFeedbackType : ContractGraphType<OrderFeedbackDto>
{
    public OrderFeedbackType() => Name = "OrderFeedback";
}

public sealed class RiskType : ContractGraphType<RiskDto>
{
    public RiskType()
    {
        Name = "Risk";
    }
}

public sealed class OrderLineType : ContractGraphType<OrderLineDto>
{
    public OrderLineType()
    {
        Name = "OrderLine";
        Field<ProductType, GraphQL.DataLoader.IDataLoaderResult<ProductDto?>>("product")
            .Description("The catalog product as it is now (null if it was removed). Batched: one query per page.")
            .Resolve(ctx => ctx.RequestServices!.GetRequiredService<OrderGraphLoaders>().Products.Load(ctx.Source.Sku));
    }
}

public sealed class OrderCustomerType : ContractGraphType<OrderCustomerDto>
{
    public OrderCustomerType()
    {
        Name = "OrderCustomer";
    }
}

public sealed class DeliveryGraphType : ContractGraphType<DeliveryDto>
{
    public DeliveryGraphType()
    {
        Name = "Delivery";
    }
}

public sealed class TimelineEntryType : ContractGraphType<TimelineEntryDto>
{
    public TimelineEntryType()
    {
        Name = "TimelineEntry";
    }
}

public sealed class OrderFilterInputType : InputObjectGraphType<OrderFilter>
{
    public OrderFilterInputType()
    {
        Name = "OrderFilter";
        Field(x => x.Status, type: typeof(EnumerationGraphType<OrderStatus>));
        Field(x => x.Channel, type: typeof(EnumerationGraphType<OrderChannel>));
        Field(x => x.CustomerEmail, nullable: true);
        Field(x => x.CustomerId, type: typeof(IdGraphType)).Description("The orders of this customer record.");
        Field(x => x.Sku, nullable: true).Description("Orders with at least one line of this SKU.");
        Field(x => x.CreatedFrom, nullable: true).Description("Created at or after (inclusive).");
        Field(x => x.CreatedTo, nullable: true).Description("Created before (exclusive).");
    }
}

public sealed class CustomerInputType : InputObjectGraphType<OrderCustomerDto>
{
    public CustomerInputType()
    {
        Name = "CustomerInput";
        Field(x => x.Email);
        Field(x => x.Name, nullable: true);
        Field(x => x.Phone, nullable: true);
        Field(x => x.VatId, nullable: true).Description(ContractDocs.Summary(typeof(OrderCustomerDto).GetProperty(nameof(OrderCustomerDto.VatId))!));
    }
}

public sealed class PlaceOrderInputType : InputObjectGraphType<PlaceOrderRequest>
{
    public PlaceOrderInputType()
    {
        Name = "PlaceOrderInput";
        Field(x => x.Channel, type: typeof(NonNullGraphType<EnumerationGraphType<OrderChannel>>));
        Field(x => x.ChannelOrderRef, nullable: true).Description("The channel's own order id; a repeat returns the first order.");
        Field(x => x.Seller, nullable: true).Description("Who sold the order: a sales person, a store's till, a marketplace's seller id.");
        Field(x => x.ShipBy, type: typeof(DateTimeOffsetGraphType)).Description("When the order must leave the warehouse, as the channel set it.");
        Field(x => x.PromisedDeliveryDate, type: typeof(DateOnlyGraphType)).Description("The day delivery was promised at the time of sale.");
        Field(x => x.Customer, type: typeof(NonNullGraphType<CustomerInputType>));
        Field(x => x.CustomerId, type: typeof(IdGraphType))
            .Description("The customer record the order belongs to; without it the customer's e-mail finds or makes one.");
        Field(x => x.ShippingAddress, type: typeof(AddressInputType));
        Field(x => x.BillingAddress, type: typeof(AddressInputType));
        Field(x => x.Delivery, type: typeof(DeliveryInputType));
        Field(x => x.Priority, type: typeof(EnumerationGraphType<OrderPriority>)).DefaultValue(OrderPriority.Standard);
        Field(x => x.Currency);
        Field(x => x.Lines, type: typeof(NonNullGraphType<ListGraphType<NonNullGraphType<OrderLineInputType>>>));
        Field(x => x.ShippingAmount, type: typeof(LongGraphType));
        Field(x => x.Notes, nullable: true);
        Field(x => x.Metadata, type: typeof(StringMapGraphType));
        Field(x => x.ClientIp, nullable: true).Description("The shopper's IP address as your channel saw it; used by the fraud checks.");
        Field(x => x.Payment, type: typeof(PlacementPaymentInputType))
            .Description("Money received with the order (bank_transfer, other); covering the total confirms and routes the order at once.");
    }
}

public sealed class PlacementPaymentInputType : InputObjectGraphType<PlacementPaymentRequest>
{
    public PlacementPaymentInputType()
    {
        Name = "PlacementPaymentInput";
        Field(x => x.Method, type: typeof(NonNullGraphType<EnumerationGraphType<Oms.Domain.Payments.PaymentMethod>>));
        Field(x => x.Amount, type: typeof(LongGraphType)).Description("Minor units; defaults to the order total.");
        Field(x => x.Reference, nullable: true);
    }
}

public sealed class UpdateOrderInputType : InputObjectGraphType<UpdateOrderRequest>
{
    public UpdateOrderInputType()
    {
        Name = "UpdateOrderInput";
        Field(x => x.Lines, type: typeof(ListGraphType<NonNullGraphType<OrderLineInputType>>)).Description("The complete new list of lines.");
        Field(x => x.ShippingAddress, type: typeof(AddressInputType));
        Field(x => x.BillingAddress, type: typeof(AddressInputType));
        Field(x => x.Notes, nullable: true).Description("An empty string clears the notes.");
        Field(x => x.Metadata, type: typeof(StringMapGraphType)).Description("Replaces the metadata as a whole.");
        Field(x => x.Seller, nullable: true).Description("Who sold the order; an empty string removes it. Alone in an edit, it may change at any time.");
        Field(x => x.ShippingAmount, type: typeof(LongGraphType));
    }
}
