using System.Security.Cryptography;
using System.Text;

namespace Oms.Infrastructure.Webhooks;

/// <summary>
/// Standard Webhooks signatures (https://www.standardwebhooks.com): <c>v1,</c> + base64 HMAC-SHA256 of
/// <c>{webhook-id}.{webhook-timestamp}.{body}</c>, keyed with the base64 part of a <c>whsec_</c> secret;
/// several signatures are separated by spaces.
/// </summary>
public static class WebhookSigner
{
    public static string Sign(IEnumerable<string> secrets, string id, long timestamp, ReadOnlySpan<byte> body)
    {
        var prefix = Encoding.UTF8.GetBytes($"{id}.{timestamp}.");
        var content = new byte[prefix.Length + body.Length];
        prefix.CopyTo(content, 0);
        body.CopyTo(content.AsSpan(prefix.Length));
        var signatures = secrets.Select(secret => "v1," + Convert.ToBase64String(HMACSHA256.HashData(Key(secret), content))).ToList();
        // Some verifiers in the wild (the C# reference library among them) mangle the last entry of a list, so with
        // several signatures the first one is repeated at the end: every secret is then checked by them too, and
        // a correct verifier only sees a harmless duplicate.
        if (signatures.Count > 1) signatures.Add(signatures[0]);
        return string.Join(' ', signatures);
    }

    private static byte[] Key(string secret) =>
        Convert.FromBase64String(secret.StartsWith(Oms.Domain.Webhooks.WebhookSubscription.SecretPrefix, StringComparison.Ordinal) ? secret[6..] : secret);
}
