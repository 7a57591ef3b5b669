using System.Net;
using System.Text;
using Microsoft.AspNetCore.Http;
using Oms.Infrastructure.Webhooks;
using StandardWebhooks;

namespace Oms.Api.Tests;

/// <summary>Our signatures as an independent Standard Webhooks implementation checks them; no database needed.</summary>
public sealed class WebhookSigningTests
{
    private static readonly string SecretA = "whsec_" + Convert.ToBase64String(Encoding.UTF8.GetBytes("0123456789abcdef0123456789abcdef"));
    private static readonly string SecretB = "whsec_" + Convert.ToBase64String(Encoding.UTF8.GetBytes("fedcba9876543210fedcba9876543210"));

    private static HeaderDictionary Headers(string id, long ts, string signature) => new()
    {
        ["webhook-id"] = id, ["webhook-timestamp"] = ts.ToString(), ["webhook-signature"] = signature,
    };

    [Fact]
    public void Signatures_verify_with_each_secret_and_fail_for_a_changed_body()
    {
        const string body = "{\"id\":\"evt_1\",\"type\":\"order.placed\"}";
        var ts = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var signature = WebhookSigner.Sign([SecretA, SecretB], "evt_1", ts, Encoding.UTF8.GetBytes(body));

        new StandardWebhook(SecretA).Verify(body, Headers("evt_1", ts, signature));
        new StandardWebhook(SecretB).Verify(body, Headers("evt_1", ts, signature));
        Assert.ThrowsAny<Exception>(() => new StandardWebhook(SecretA).Verify(body + " ", Headers("evt_1", ts, signature)));
        Assert.ThrowsAny<Exception>(() => new StandardWebhook(SecretA).Verify(body, Headers("evt_2", ts, signature)));
        Assert.Equal(new StandardWebhook(SecretA).Sign("evt_1", DateTimeOffset.FromUnixTimeSeconds(ts), body), WebhookSigner.Sign([SecretA], "evt_1", ts, Encoding.UTF8.GetBytes(body)));
    }

    [Theory]
    [InlineData("127.0.0.1", true)]
    [InlineData("10.1.2.3", true)]
    [InlineData("172.16.0.1", true)]
    [InlineData("192.168.1.1", true)]
    [InlineData("169.254.169.254", true)]
    [InlineData("::1", true)]
    [InlineData("fe80::1", true)]
    [InlineData("fd00::1", true)]
    [InlineData("::ffff:10.0.0.1", true)]
    [InlineData("93.184.216.34", false)]
    [InlineData("2606:2800:220:1::1", false)]
    public void Internal_addresses_are_recognised(string address, bool isInternal) =>
        Assert.Equal(isInternal, WebhookSender.IsInternal(IPAddress.Parse(address)));
}
