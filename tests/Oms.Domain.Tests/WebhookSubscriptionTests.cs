using Oms.Domain.Common;
using Oms.Domain.Webhooks;

namespace Oms.Domain.Tests;

public sealed class WebhookSubscriptionTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 10, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData("order.*", "order.shipped", true)]
    [InlineData("order.*", "orders.shipped", false)]
    [InlineData("order.shipped", "order.shipped", true)]
    [InlineData("order.shipped", "order.delivered", false)]
    [InlineData("*", "inventory.low_stock", true)]
    public void Filters_match_exact_types_and_trailing_wildcards(string filter, string type, bool expected) =>
        Assert.Equal(expected, WebhookSubscription.Matches(filter, type));

    [Fact]
    public void Urls_must_be_https_unless_http_is_allowed_and_carry_no_credentials()
    {
        Assert.Equal("webhook.invalid_url", Assert.Throws<DomainException>(() =>
            WebhookSubscription.Create(new Uri("http://example.com/h"), ["order.*"], null, allowHttp: false, Now)).Code);
        Assert.Throws<DomainException>(() => WebhookSubscription.Create(new Uri("https://user:pw@example.com/h"), ["order.*"], null, false, Now));
        Assert.Throws<DomainException>(() => WebhookSubscription.Create(new Uri("https://example.com/h"), ["ord*er"], null, false, Now));
        var (s, secret) = WebhookSubscription.Create(new Uri("http://localhost:5000/h"), ["order.*"], null, allowHttp: true, Now);
        Assert.StartsWith(WebhookSubscription.SecretPrefix, secret);
        Assert.Equal(32, Convert.FromBase64String(secret[6..]).Length);
        Assert.True(s.Active);
    }

    [Fact]
    public void Rotation_signs_with_both_secrets_for_the_overlap_only()
    {
        var (s, first) = WebhookSubscription.Create(new Uri("https://example.com/h"), ["*"], null, false, Now);
        var second = s.RotateSecret(TimeSpan.FromHours(24), Now);
        Assert.Equal(new[] { second, first }, s.SigningSecrets(Now.AddHours(23)));
        Assert.Equal(new[] { second }, s.SigningSecrets(Now.AddHours(25)));
    }

    [Fact]
    public void Disabling_raises_an_event_once()
    {
        var (s, _) = WebhookSubscription.Create(new Uri("https://example.com/h"), ["*"], null, false, Now);
        s.DisableIfActive("gone", Now);
        s.DisableIfActive("again", Now);
        Assert.False(s.Active);
        Assert.Equal("webhook_subscription.disabled", Assert.Single(s.DomainEvents).Type);
    }
}
