using System.Buffers.Binary;
using System.Buffers.Text;
using System.Security.Cryptography;
using Microsoft.EntityFrameworkCore;
using Oms.Infrastructure.Persistence;

namespace Oms.Infrastructure.Links;

/// <summary>What a signed link lets its holder do; part of what is signed, so a link for one thing opens nothing else.</summary>
public enum LinkPurpose : byte { Feedback = 1, Document = 2 }

/// <summary>
/// Signs and checks the links HeadlessOms gives customers (the feedback link after delivery, an invoice to open without
/// a key): the token carries its purpose, the id it opens and when it expires, and an HMAC-SHA256 of them (128 bits).
/// Nothing is stored per link: a link cannot be forged or stretched, and it works on every API process that shares the
/// key. The key is <c>Links:SigningKey</c> (base64, 32 bytes or more) when configured, else one made at the first
/// start and kept in the database (table signing_keys), so links survive restarts without any setting.
/// </summary>
public sealed class LinkSigner
{
    private const int MacBytes = 16;
    private const int PayloadBytes = 1 + 16 + 8;
    private byte[]? _key;

    /// <summary>Loads the key (configured, or kept in the database and made there once); called at start, after the migrations.</summary>
    public async Task InitializeAsync(OmsDbContext db, string? configured, DateTimeOffset now, CancellationToken ct)
    {
        if (!string.IsNullOrEmpty(configured))
        {
            var key = Convert.FromBase64String(configured);
            if (key.Length < 32) throw new InvalidOperationException("Links:SigningKey must be at least 32 bytes, base64-encoded.");
            _key = key;
            return;
        }
        var stored = await db.SigningKeys.AsNoTracking().SingleOrDefaultAsync(k => k.Purpose == "links", ct);
        if (stored is null)
        {
            // Two processes starting together: the second insert finds the first's row and both read it.
            await using var tx = await db.Database.BeginTransactionAsync(ct);
            await using (var insert = db.RawCommand("INSERT INTO signing_keys (purpose, key, created_at) VALUES ('links', @key, @at) ON CONFLICT DO NOTHING",
                             ("key", RandomNumberGenerator.GetBytes(32)), ("at", db.StoreTime(now))))
                await insert.ExecuteNonQueryAsync(ct);
            await tx.CommitAsync(ct);
            stored = await db.SigningKeys.AsNoTracking().SingleAsync(k => k.Purpose == "links", ct);
        }
        _key = stored.Key;
    }

    /// <summary>For a process that holds the key already (tests, tools).</summary>
    public void Use(byte[] key) => _key = key;

    private byte[] Key => _key ?? throw new InvalidOperationException("The link signing key is not loaded yet.");

    /// <summary>The feedback link's token for an order (<see cref="Oms.Domain.Orders.FeedbackLinks"/>).</summary>
    public string Feedback(Guid orderId, DateTimeOffset expiresAt) => Sign(LinkPurpose.Feedback, orderId, expiresAt);

    public string Sign(LinkPurpose purpose, Guid id, DateTimeOffset expiresAt)
    {
        Span<byte> token = stackalloc byte[PayloadBytes + MacBytes];
        token[0] = (byte)purpose;
        id.TryWriteBytes(token.Slice(1, 16), bigEndian: true, out _);
        BinaryPrimitives.WriteInt64BigEndian(token.Slice(17, 8), expiresAt.ToUnixTimeSeconds());
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(Key, token[..PayloadBytes], mac);
        mac[..MacBytes].CopyTo(token[PayloadBytes..]);
        return Base64Url.EncodeToString(token);
    }

    /// <summary>The id a token opens for <paramref name="purpose"/>, and until when; null when it is not one of ours (malformed, forged, for another purpose).</summary>
    public (Guid Id, DateTimeOffset ExpiresAt)? Read(LinkPurpose purpose, string token)
    {
        if (token.Length is 0 or > 64) return null;
        Span<byte> bytes = stackalloc byte[48];
        if (!Base64Url.IsValid(token) || Base64Url.GetMaxDecodedLength(token.Length) > bytes.Length) return null;
        var status = Base64Url.DecodeFromChars(token, bytes, out _, out var written);
        if (status != System.Buffers.OperationStatus.Done || written != PayloadBytes + MacBytes || bytes[0] != (byte)purpose) return null;
        Span<byte> mac = stackalloc byte[32];
        HMACSHA256.HashData(Key, bytes[..PayloadBytes], mac);
        if (!CryptographicOperations.FixedTimeEquals(mac[..MacBytes], bytes.Slice(PayloadBytes, MacBytes))) return null;
        var id = new Guid(bytes.Slice(1, 16), bigEndian: true);
        var expires = DateTimeOffset.FromUnixTimeSeconds(BinaryPrimitives.ReadInt64BigEndian(bytes.Slice(17, 8)));
        return (id, expires);
    }
}
