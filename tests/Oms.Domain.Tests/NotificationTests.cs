using Oms.Domain.Common;
using Oms.Domain.Notifications;

namespace Oms.Domain.Tests;

public sealed class NotificationTests
{
    private static readonly TimeSpan[] Schedule = [TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(1)];

    [Fact]
    public void A_failed_try_waits_for_the_next_step_and_fails_after_the_last()
    {
        var now = DateTimeOffset.UnixEpoch;
        var n = Notification.Queue(Guid.NewGuid(), NotificationKind.Shipped, Guid.NewGuid(), null, now);
        n.Claim(now, TimeSpan.FromMinutes(2));
        n.MarkAttemptFailed("connection refused", Schedule, now);
        Assert.Equal((NotificationStatus.Queued, now.AddSeconds(10), 1), (n.Status, n.NextAttemptAt, n.Attempts));
        n.Claim(now, TimeSpan.FromMinutes(2));
        n.MarkAttemptFailed("connection refused", Schedule, now);
        Assert.Equal((NotificationStatus.Queued, now.AddMinutes(1)), (n.Status, n.NextAttemptAt));
        n.Claim(now, TimeSpan.FromMinutes(2));
        n.MarkAttemptFailed(new string('x', 900), Schedule, now);
        Assert.Equal(NotificationStatus.Failed, n.Status);
        Assert.Equal(500, n.LastError!.Length);
    }

    [Theory]
    [InlineData("order.placed", NotificationKind.OrderReceived)]
    [InlineData("shipment.label_created", NotificationKind.Shipped)]
    [InlineData("shipment.exception", NotificationKind.DeliveryProblem)]
    [InlineData("payment.refunded", NotificationKind.RefundIssued)]
    [InlineData("document.issued", NotificationKind.InvoiceIssued)]
    [InlineData("order.cancelled", null)]
    [InlineData("inventory.adjusted", null)]
    public void Events_that_tell_the_shopper_something_have_a_kind(string type, NotificationKind? kind) => Assert.Equal(kind, Notification.KindOf(type));

    [Fact]
    public void A_template_needs_a_subject_and_a_part()
    {
        Assert.Equal("subject", Assert.Throws<DomainException>(() => NotificationTemplate.Create(null, NotificationKind.Shipped, "en", " ", "<p>x</p>", "", DateTimeOffset.UnixEpoch)).Field);
        Assert.Equal("html", Assert.Throws<DomainException>(() => NotificationTemplate.Create("web", NotificationKind.Shipped, "en", "s", "", " ", DateTimeOffset.UnixEpoch)).Field);
        var t = NotificationTemplate.Create(null, NotificationKind.Shipped, "en", "s", "", "text only", DateTimeOffset.UnixEpoch);
        Assert.Null(t.Channel);
        Assert.Equal("", t.ChannelKey);
    }
}
