using System.ComponentModel.DataAnnotations;
using Microsoft.EntityFrameworkCore;
using Oms.Api.Platform.Errors;
using Oms.Api.Platform.Validation;
using Oms.Domain.Common;
using Oms.Domain.Orders;
using Oms.Infrastructure.Persistence;

namespace Oms.Api.Customers;

/// <summary>What a customer says after delivery, through the link the order offered them.</summary>
public sealed record FeedbackRequest
{
    [Range(1, 5)] public required int Rating { get; init; }
    [StringLength(OrderFeedback.MaxCommentLength)] public string? Comment { get; init; }
    /// <summary>product_quality, not_as_described, delivery, packaging, price, service or other.</summary>
    public FeedbackReason? Reason { get; init; }
}

/// <summary>The feedback as kept with the order.</summary>
public sealed record FeedbackDto
{
    public required string OrderNumber { get; init; }
    public required int Rating { get; init; }
    public required string? Comment { get; init; }
    public required FeedbackReason? Reason { get; init; }
    public required DateTimeOffset ReceivedAt { get; init; }
}

/// <summary>
/// A customer's answer to the feedback link (no API key: the token is the permission); the customer learns of it in
/// the same transaction (<see cref="Oms.Domain.Customers.Customer.Rated"/>).
/// </summary>
public sealed class FeedbackService(OmsDbContext db, UnitOfWork work, TimeProvider clock, Oms.Infrastructure.Links.LinkSigner links)
{
    public async Task<FeedbackDto> GiveAsync(string token, FeedbackRequest request, CancellationToken ct)
    {
        RequestValidator.ThrowIfInvalid(request);
        return await work.ChangeAsync(async () =>
        {
            // The signature says which order the link is for; the order still has to show this link (erasure revokes it).
            var link = links.Read(Oms.Infrastructure.Links.LinkPurpose.Feedback, token);
            var order = link is { Id: var orderId } ? await db.Orders.SingleOrDefaultAsync(o => o.Id == new OrderId(orderId), ct) : null;
            if (order?.Feedback is not { } offered || offered.Token != token) throw new NotFoundException("feedback", token);
            var now = clock.GetUtcNow();
            order.ReceiveFeedback(request.Rating, request.Comment, request.Reason, now);
            if (order.CustomerId is { } id && await db.Customers.SingleOrDefaultAsync(c => c.Id == id, ct) is { MergedInto: null, ErasedAt: null } customer)
                customer.Rated(request.Rating, now);
            var feedback = order.Feedback!;
            return new FeedbackDto { OrderNumber = order.DisplayNumber, Rating = feedback.Rating!.Value, Comment = feedback.Comment, Reason = feedback.Reason, ReceivedAt = now };
        }, ct);
    }
}

/// <summary>Feedback answers per client address and minute (Customers:FeedbackPerClientPerMinute, default 10): the endpoint needs no key.</summary>
public sealed class FeedbackLimiter(Microsoft.Extensions.Options.IOptions<CustomerOptions> options)
    : Platform.Http.ClientRateLimiter(options.Value.FeedbackPerClientPerMinute, "Too many feedback answers from this address: wait a minute and try again.");
