using GraphQL;
using GraphQL.Builders;
using GraphQL.Types;
using Oms.Api.Platform.GraphQL;
using Oms.Api.Platform.Http;
using Oms.Domain.Access;
using Oms.Domain.Fulfilment;
using Oms.Domain.Orders;

namespace Oms.Api.Fulfilment;

/// <summary>GraphQL for fulfilment: thin adapters over <see cref="FulfilmentService"/> and <see cref="FulfilmentQueries"/>.</summary>
public static class FulfilmentGraph
{
    public static void AddQueries(ObjectGraphType query)
    {
        query.Field<FulfilmentOrderType, FulfilmentOrderDto>("fulfilmentOrder")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .RequireScope(Scopes.FulfilmentRead)
            .ResolveAsync(async ctx => await Queries(ctx).GetAsync(ctx.GuidArgument("id", "fulfilment order"), ctx.CancellationToken));
        query.Field<NonNullGraphType<ConnectionType<FulfilmentOrderType, FulfilmentOrderDto>>, Connection<FulfilmentOrderDto>>("fulfilmentOrders")
            .Description("Fulfilment orders by order, node and status, newest first.")
            .Argument<IdGraphType>("orderId")
            .Argument<StringGraphType>("nodeCode")
            .Argument<EnumerationGraphType<FulfilmentStatus>>("status")
            .Paged()
            .RequireScope(Scopes.FulfilmentRead)
            .ResolveAsync(async ctx => await ctx.ConnectionAsync(
                page => Queries(ctx).ListAsync(ctx.GetArgument<string?>("orderId") is not null ? ctx.GuidArgument("orderId", "order") : null,
                    ctx.GetArgument<string?>("nodeCode"), ctx.GetArgument<FulfilmentStatus?>("status"), page, ctx.CancellationToken),
                FulfilmentQueries.CursorOf));
        query.Field<NonNullGraphType<StringGraphType>, string>("packingSlip")
            .Description("A fulfilment order's packing slip, as printable HTML (REST: GET /fulfilment-orders/{id}/packing-slip).")
            .Argument<NonNullGraphType<IdGraphType>>("fulfilmentOrderId")
            .RequireScope(Scopes.FulfilmentRead)
            .ResolveAsync(async ctx => await Queries(ctx).PackingSlipAsync(ctx.GuidArgument("fulfilmentOrderId", "fulfilment order"), ctx.CancellationToken));
        query.Field<NonNullGraphType<PickListType>, PickListDto>("pickList")
            .Description("What a node must pick: open work grouped by SKU, expedited orders first, then oldest.")
            .Argument<NonNullGraphType<StringGraphType>>("nodeCode")
            .RequireScope(Scopes.FulfilmentRead)
            .ResolveAsync(async ctx => await Queries(ctx).PickListAsync(ctx.GetArgument<string>("nodeCode"), ctx.CancellationToken));
        query.Field<ShipmentType, ShipmentDto>("shipment")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .RequireScope(Scopes.FulfilmentRead)
            .ResolveAsync(async ctx => await Queries(ctx).ShipmentAsync(ctx.GuidArgument("id", "shipment"), ctx.CancellationToken));
        query.Field<CustomerTrackingType, CustomerTrackingDto>("tracking")
            .Description("Public order tracking for shoppers (REST: GET /tracking/{orderNumber}): the status steps and parcels of the order with this number " +
                         "and e-mail; the code not_found when either is wrong. Needs no API key; rate-limited per client address (code rate_limited).")
            .Argument<NonNullGraphType<StringGraphType>>("orderNumber")
            .Argument<NonNullGraphType<StringGraphType>>("email")
            .Public()
            .ResolveAsync(async ctx =>
            {
                var orderNumber = ctx.GetArgument<string>("orderNumber");
                ctx.RequestServices!.GetRequiredService<TrackingLimiter>().Admit(ctx.RequestServices!.GetRequiredService<IHttpContextAccessor>().HttpContext!, orderNumber);
                return await Queries(ctx).CustomerTrackingAsync(orderNumber, ctx.GetArgument<string>("email"), ctx.CancellationToken);
            });
    }

    public static void AddMutations(ObjectGraphType mutation)
    {
        Change(mutation, "startPicking", "A picker started on it.", (s, ctx, id, v) => s.StartPickingAsync(id, v, ctx.CancellationToken));
        Change(mutation, "recordPicks", "What the picker found; a short pick re-routes the missing units to other nodes.",
            (s, ctx, id, v) => s.RecordPicksAsync(id, new RecordPicksRequest { Lines = ctx.GetArgument<List<PickLineRequest>>("lines") }, v, ctx.CancellationToken),
            f => f.Argument<NonNullGraphType<ListGraphType<NonNullGraphType<PickLineInputType>>>>("lines"));
        Change(mutation, "packFulfilmentOrder", "Packages with weight and size; dimensional and billable weight are computed.",
            (s, ctx, id, v) => s.PackAsync(id, new PackRequest { Packages = ctx.GetArgument<List<PackageRequest>>("packages") }, v, ctx.CancellationToken),
            f => f.Argument<NonNullGraphType<ListGraphType<NonNullGraphType<PackageInputType>>>>("packages"));
        Change(mutation, "markReadyForPickup", "A pickup order waits at the counter.", (s, ctx, id, v) => s.ReadyForPickupAsync(id, v, ctx.CancellationToken));
        Change(mutation, "markPickedUp", "The customer collected: stock is consumed and payments captured or collected.",
            (s, ctx, id, v) => s.PickedUpAsync(id, v, ctx.CancellationToken));
        mutation.Field<NonNullGraphType<FulfilmentOrderType>, FulfilmentOrderDto>("rejectFulfilmentOrder")
            .Description("The node cannot fulfil it (before packing): the lines are routed to other nodes.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Argument<NonNullGraphType<StringGraphType>>("reason")
            .RequireScope(Scopes.FulfilmentWrite)
            .ResolveAsync(async ctx => await Service(ctx).RejectAsync(ctx.GuidArgument("id", "fulfilment order"),
                new RejectFulfilmentRequest { Reason = ctx.GetArgument<string>("reason") }, ctx.CancellationToken));
        mutation.Field<NonNullGraphType<ShipmentType>, ShipmentDto>("shipFulfilmentOrder")
            .Description("Hand the parcels to a carrier: a shipment with tracking; stock is consumed, the order (partially) ships, card payments capture the shipped value.")
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Argument<NonNullGraphType<ShipFulfilmentInputType>>("input")
            .Argument<IntGraphType>("expectedVersion")
            .RequireScope(Scopes.FulfilmentWrite)
            .ResolveAsync(async ctx => await Service(ctx).ShipAsync(ctx.GuidArgument("id", "fulfilment order"), ctx.GetArgument<ShipFulfilmentRequest>("input"),
                ctx.GetArgument<int?>("expectedVersion"), ctx.CancellationToken));
        mutation.Field<NonNullGraphType<ShipmentType>, ShipmentDto>("addTrackingEvent")
            .Description("Record a carrier event; a duplicate changes nothing and an older event does not move the status back.")
            .Argument<NonNullGraphType<IdGraphType>>("shipmentId")
            .Argument<NonNullGraphType<TrackingEventInputType>>("input")
            .RequireScope(Scopes.FulfilmentWrite)
            .ResolveAsync(async ctx => await Service(ctx).AddTrackingEventAsync(ctx.GuidArgument("shipmentId", "shipment"),
                ctx.GetArgument<TrackingEventRequest>("input"), ctx.CancellationToken));
    }

    private static void Change(ObjectGraphType mutation, string name, string description,
        Func<FulfilmentService, IResolveFieldContext, Guid, int?, Task<FulfilmentOrderDto>> change,
        Action<FieldBuilder<object?, FulfilmentOrderDto>>? arguments = null)
    {
        var field = mutation.Field<NonNullGraphType<FulfilmentOrderType>, FulfilmentOrderDto>(name)
            .Description(description)
            .Argument<NonNullGraphType<IdGraphType>>("id")
            .Argument<IntGraphType>("expectedVersion");
        arguments?.Invoke(field);
        field.RequireScope(Scopes.FulfilmentWrite)
            .ResolveAsync(async ctx => await change(Service(ctx), ctx, ctx.GuidArgument("id", "fulfilment order"), ctx.GetArgument<int?>("expectedVersion")));
    }

    private static FulfilmentQueries Queries(IResolveFieldContext ctx) => ctx.RequestServices!.GetRequiredService<FulfilmentQueries>();
    private static FulfilmentService Service(IResolveFieldContext ctx) => ctx.RequestServices!.GetRequiredService<FulfilmentService>();
}

public sealed class CustomerFeedbackLinkType : ContractGraphType<CustomerFeedbackLinkDto>
{
    public CustomerFeedbackLinkType() => Name = "CustomerFeedbackLink";
}

public sealed class FulfilmentLineType : ContractGraphType<FulfilmentLineDto>
{
    public FulfilmentLineType()
    {
        Name = "FulfilmentLine";
    }
}

public sealed class PackageType : ContractGraphType<PackageDto>
{
    public PackageType()
    {
        Name = "Package";
        Description = "One packed parcel; weights in grams, sizes in millimetres.";
    }
}

public sealed class FulfilmentOrderType : ContractGraphType<FulfilmentOrderDto>
{
    public FulfilmentOrderType()
    {
        Name = "FulfilmentOrder";
        Description = "What one node picks, packs and ships for one allocation of an order.";
    }
}

public sealed class TrackingEventType : ContractGraphType<TrackingEventDto>
{
    public TrackingEventType()
    {
        Name = "TrackingEvent";
    }
}

public sealed class ShipmentType : ContractGraphType<ShipmentDto>
{
    public ShipmentType()
    {
        Name = "Shipment";
    }
}

public sealed class PickListOrderType : ContractGraphType<PickListOrderDto>
{
    public PickListOrderType()
    {
        Name = "PickListOrder";
    }
}

public sealed class PickListEntryType : ContractGraphType<PickListEntryDto>
{
    public PickListEntryType()
    {
        Name = "PickListEntry";
    }
}

public sealed class PickListLineType : ContractGraphType<PickListLineDto>
{
    public PickListLineType()
    {
        Name = "PickListLine";
    }
}

public sealed class PickListType : ContractGraphType<PickListDto>
{
    public PickListType()
    {
        Name = "PickList";
    }
}

public sealed class PickLineInputType : InputObjectGraphType<PickLineRequest>
{
    public PickLineInputType()
    {
        Name = "PickLineInput";
        Field(x => x.OrderLineId, type: typeof(NonNullGraphType<IdGraphType>));
        Field(x => x.Picked).Description("Units found; fewer than the line's quantity is a short pick.");
    }
}

public sealed class PackageInputType : InputObjectGraphType<PackageRequest>
{
    public PackageInputType()
    {
        Name = "PackageInput";
        Field(x => x.WeightGrams);
        Field(x => x.LengthMm);
        Field(x => x.WidthMm);
        Field(x => x.HeightMm);
    }
}

public sealed class ShipFulfilmentInputType : InputObjectGraphType<ShipFulfilmentRequest>
{
    public ShipFulfilmentInputType()
    {
        Name = "ShipFulfilmentInput";
        Field(x => x.Carrier, nullable: true).DefaultValue("manual").Description("A registered carrier's code; manual (the default) takes the tracking number given here.");
        Field(x => x.Service, nullable: true);
        Field(x => x.TrackingNumber, nullable: true);
        Field(x => x.TrackingUrl, nullable: true);
    }
}

public sealed class TrackingEventInputType : InputObjectGraphType<TrackingEventRequest>
{
    public TrackingEventInputType()
    {
        Name = "TrackingEventInput";
        Field(x => x.Status, type: typeof(EnumerationGraphType<TrackingStatus>)).Description("May be left out when carrierCode is one the carrier integration knows.");
        Field(x => x.CarrierCode, nullable: true);
        Field(x => x.Description, nullable: true);
        Field(x => x.Location, nullable: true);
        Field(x => x.OccurredAt).Description("When it happened: the latest event time decides the shipment's status.");
        Field(x => x.EventId, nullable: true).Description("The carrier's id of the event: sending it again changes nothing.");
    }
}

public sealed class CustomerTrackingType : ContractGraphType<CustomerTrackingDto>
{
    public CustomerTrackingType()
    {
        Name = "CustomerTracking";
        Description = "What a shopper sees on a tracking page: the order's status steps and its parcels, nothing else.";
    }
}

public sealed class CustomerTrackingStepType : ContractGraphType<CustomerTrackingStepDto>
{
    public CustomerTrackingStepType()
    {
        Name = "CustomerTrackingStep";
    }
}

public sealed class CustomerShipmentType : ContractGraphType<CustomerShipmentDto>
{
    public CustomerShipmentType()
    {
        Name = "CustomerShipment";
    }
}

public sealed class CustomerTrackingEventType : ContractGraphType<CustomerTrackingEventDto>
{
    public CustomerTrackingEventType()
    {
        Name = "CustomerTrackingEvent";
    }
}
