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
    [InlineData("0.0.0.0", true)]
    [InlineData("100.64.0.1", true)]
    [InlineData("192.0.2.10", true)]        // documentation
    [InlineData("198.18.0.1", true)]        // benchmarking
    [InlineData("203.0.113.5", true)]       // documentation
    [InlineData("224.0.0.1", true)]         // multicast
    [InlineData("240.0.0.1", true)]         // reserved
    [InlineData("255.255.255.255", true)]   // broadcast
    [InlineData("64:ff9b::a00:1", true)]    // NAT64 to 10.0.0.1
    [InlineData("64:ff9b::5db8:d822", true)] // NAT64, even to a public address: the translator is the target
    [InlineData("2002:a00:1::1", true)]     // 6to4
    [InlineData("2001:0:4136:e378::1", true)] // Teredo
    [InlineData("::a00:1", true)]           // IPv4-compatible
    [InlineData("::ffff:0:a00:1", true)]    // IPv4-translated
    [InlineData("2001:db8::1", true)]       // documentation
    [InlineData("ff02::1", true)]           // multicast
    [InlineData("93.184.216.34", false)]
    [InlineData("2606:2800:220:1::1", false)]
    public void Internal_addresses_are_recognised(string address, bool isInternal) =>
        Assert.Equal(isInternal, WebhookSender.IsInternal(IPAddress.Parse(address)));

    [Fact]
    public void The_machines_own_addresses_are_internal()
    {
        foreach (var address in System.Net.NetworkInformation.NetworkInterface.GetAllNetworkInterfaces().SelectMany(n => n.GetIPProperties().UnicastAddresses).Select(u => u.Address))
            Assert.True(WebhookSender.IsInternal(address), address.ToString());
    }
}

