using Oms.Domain.Common;

namespace Oms.Domain.Orders;

/// <summary>Makes the feedback link's token for an order and its expiry (signed with a key the domain never sees).</summary>
public delegate string FeedbackLinks(Guid orderId, DateTimeOffset expiresAt);

/// <summary>Why a customer rated an order as they did (optional).</summary>
public enum FeedbackReason { ProductQuality, NotAsDescribed, Delivery, Packaging, Price, Service, Other }

/// <summary>
/// The follow-up after delivery (issue 36): when the goods reach the customer the order offers a feedback link, an
/// unguessable token that expires; the answer (a rating of 1-5, a comment, a reason) is kept here, once.
/// </summary>
public sealed class OrderFeedback
{
    public const int MaxCommentLength = 2000;
    /// <summary>How long after delivery the link works.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromDays(30);
    /// <summary>Ratings at or below this ask someone to get in touch with the customer.</summary>
    public const int LowRating = 2;

    private OrderFeedback() { }

    /// <summary>
    /// A link for the customer, valid for <see cref="Lifetime"/>: <paramref name="sign"/> makes its token from the
    /// order's id and the expiry (a signed link nobody can forge or stretch; the persistence side holds the key).
    /// </summary>
    internal static OrderFeedback Offer(OrderId order, DateTimeOffset now, FeedbackLinks sign)
    {
        var expires = now + Lifetime;
        return new() { Token = sign(order.Value, expires), ExpiresAt = expires };
    }

    /// <summary>The signed token of the link, kept so that the order shows the same link each time (and erasure can revoke it).</summary>
    public string Token { get; private set; } = "";
    public DateTimeOffset ExpiresAt { get; private set; }
    public int? Rating { get; private set; }
    public string? Comment { get; private set; }
    public FeedbackReason? Reason { get; private set; }
    public DateTimeOffset? ReceivedAt { get; private set; }

    internal void Receive(int rating, string? comment, FeedbackReason? reason, DateTimeOffset now)
    {
        if (ReceivedAt is not null) throw new ConflictException("feedback.already_given", "Feedback for this order was given already.");
        if (now > ExpiresAt) throw new DomainException("feedback.expired", "This feedback link has expired.", "token");
        if (rating is < 1 or > 5) throw new DomainException("feedback.invalid_rating", "A rating is 1 to 5.", "rating");
        comment = string.IsNullOrWhiteSpace(comment) ? null : comment.Trim();
        if (comment?.Length > MaxCommentLength) throw new DomainException("feedback.comment_too_long", $"A comment has at most {MaxCommentLength} characters.", "comment");
        (Rating, Comment, Reason, ReceivedAt) = (rating, comment, reason, now);
    }

    internal void Erase()
    {
        if (Comment is not null) Comment = Order.Erased;
        Token = ""; // the link opens nothing any more
    }
}
