using GraphQL;
using GraphQL.Types;
using Oms.Api.Platform.GraphQL;
using Oms.Domain.Access;
using Oms.Domain.Orders;
using Oms.Domain.Payments;

namespace Oms.Api.Payments;

/// <summary>GraphQL for payments: thin adapters over <see cref="PaymentService"/> and <see cref="PaymentQueries"/>.</summary>
public static class PaymentGraph
{
    public static void AddQueries(ObjectGraphType query)
    {
        query.Field<NonNullGraphType<ListGraphType<NonNullGraphType<PaymentType>>>, IReadOnlyList<PaymentDto>>("payments")
            .Argument<NonNullGraphType<IdGraphType>>("orderId")
            .RequireScope(Scopes.PaymentsRead)
            .ResolveAsync(async ctx => await ctx.RequestServices!.GetRequiredService<PaymentQueries>().ForOrderAsync(OrderIdOf(ctx), ctx.CancellationToken));
    }

    public static void AddMutations(ObjectGraphType mutation)
    {
        mutation.Field<NonNullGraphType<PaymentType>, PaymentDto>("createPayment")
            .Argument<NonNullGraphType<IdGraphType>>("orderId")
            .Argument<NonNullGraphType<CreatePaymentInputType>>("input")
            .RequireScope(Scopes.PaymentsWrite)
            .ResolveAsync(async ctx => await Service(ctx).CreateAsync(OrderIdOf(ctx), ctx.GetArgument<CreatePaymentRequest>("input"), IdempotencyKey(ctx), ctx.CancellationToken));
        mutation.Field<NonNullGraphType<PaymentType>, PaymentDto>("markPaymentReceived")
            .Description("Offline money arrived (partial amounts allowed); a fully paid pending order is confirmed. Give expectedVersion (or send an Idempotency-Key header), so that a retry cannot count the money twice (code precondition_required without either).")
            .Argument<NonNullGraphType<IdGraphType>>("orderId")
            .Argument<NonNullGraphType<IdGraphType>>("paymentId")
            .Argument<NonNullGraphType<LongGraphType>>("amount")
            .Argument<StringGraphType>("reference")
            .Argument<IntGraphType>("expectedVersion")
            .Argument<BooleanGraphType>("allowOverpayment", a => a.Description = "True to accept more than is outstanding (shows as the order's amountOverpaid).")
            .RequireScope(Scopes.PaymentsWrite)
            .ResolveAsync(async ctx => await Service(ctx).MarkReceivedAsync(OrderIdOf(ctx), ctx.GuidArgument("paymentId", "payment"),
                new MarkReceivedRequest
                {
                    Amount = ctx.GetArgument<long>("amount"), Reference = ctx.GetArgument<string?>("reference"),
                    AllowOverpayment = ctx.GetArgument<bool?>("allowOverpayment") ?? false,
                },
                ctx.GetArgument<int?>("expectedVersion"), IdempotencyKey(ctx), ctx.CancellationToken));
        mutation.Field<NonNullGraphType<PaymentType>, PaymentDto>("refundPayment")
            .Argument<NonNullGraphType<IdGraphType>>("orderId")
            .Argument<NonNullGraphType<IdGraphType>>("paymentId")
            .Argument<LongGraphType>("amount")
            .Argument<StringGraphType>("reason")
            .Argument<IntGraphType>("expectedVersion")
            .RequireScope(Scopes.PaymentsWrite)
            .ResolveAsync(async ctx => await Service(ctx).RefundAsync(OrderIdOf(ctx), ctx.GuidArgument("paymentId", "payment"),
                new RefundPaymentRequest { Amount = ctx.GetArgument<long?>("amount"), Reason = ctx.GetArgument<string?>("reason") },
                ctx.GetArgument<int?>("expectedVersion"), ctx.CancellationToken));
        mutation.Field<NonNullGraphType<PaymentType>, PaymentDto>("voidPayment")
            .Argument<NonNullGraphType<IdGraphType>>("orderId")
            .Argument<NonNullGraphType<IdGraphType>>("paymentId")
            .Argument<IntGraphType>("expectedVersion")
            .RequireScope(Scopes.PaymentsWrite)
            .ResolveAsync(async ctx => await Service(ctx).VoidAsync(OrderIdOf(ctx), ctx.GuidArgument("paymentId", "payment"), ctx.GetArgument<int?>("expectedVersion"), ctx.CancellationToken));
    }

    private static OrderId OrderIdOf(IResolveFieldContext ctx) => new(ctx.GuidArgument("orderId", "order"));
    private static PaymentService Service(IResolveFieldContext ctx) => ctx.RequestServices!.GetRequiredService<PaymentService>();

    private static string? IdempotencyKey(IResolveFieldContext ctx) =>
        Platform.Idempotency.IdempotencyMiddleware.KeyOf(ctx.RequestServices!.GetRequiredService<IHttpContextAccessor>().HttpContext?.Request);
}

public sealed class PaymentType : ContractGraphType<PaymentDto>
{
    public PaymentType()
    {
        Name = "Payment";
    }
}

public sealed class PaymentEntryType : ContractGraphType<PaymentEntryDto>
{
    public PaymentEntryType()
    {
        Name = "PaymentEntry";
    }
}

public sealed class CreatePaymentInputType : InputObjectGraphType<CreatePaymentRequest>
{
    public CreatePaymentInputType()
    {
        Name = "CreatePaymentInput";
        Field(x => x.Method, type: typeof(NonNullGraphType<EnumerationGraphType<PaymentMethod>>));
        Field(x => x.Amount, type: typeof(LongGraphType)).Description("Minor units; defaults to what is outstanding.");
        Field(x => x.NetTermsDays, nullable: true);
        Field(x => x.Reference, nullable: true);
        Field(x => x.AllowOverpayment, nullable: true).Description("True to accept more than is outstanding (shows as the order's amountOverpaid).");
    }
}
