using System.Collections.Concurrent;
using Oms.Domain.Common;

namespace Oms.Domain.Tests;

public sealed class UuidTests
{
    [Theory]
    [InlineData("1970-01-01T00:00:00Z")]
    [InlineData("2026-11-28T03:00:00.123Z")]
    [InlineData("2100-02-28T23:59:59.999Z")]
    [InlineData("9999-12-31T23:59:59.999Z")]
    public void An_id_is_a_version_7_uuid_that_carries_its_millisecond_as_dotnets_own_does(string at)
    {
        var time = DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture);
        var id = Uuid.V7(time);
        Assert.Equal(7, id.Version);
        Assert.InRange(id.Variant, 0x8, 0xB); // RFC 9562: variant bits 10
        Assert.Equal(Guid.CreateVersion7(time).ToString()[..13], id.ToString()[..13]);
        Assert.Equal('7', id.ToString()[14]);
    }

    [Fact]
    public void Ids_of_one_millisecond_differ_in_their_random_bits_across_threads_and_buffer_refills()
    {
        var at = DateTimeOffset.UnixEpoch.AddYears(56);
        var seen = new ConcurrentDictionary<Guid, byte>();
        Parallel.For(0, 4, _ =>
        {
            for (var i = 0; i < 25_000; i++) Assert.True(seen.TryAdd(Uuid.V7(at), 0));
        });
        Assert.Equal(100_000, seen.Count);
        // Every random bit takes both values somewhere (a bit stuck at 0 or 1 would halve the space).
        var ones = new int[128];
        foreach (var id in seen.Keys)
        {
            var bytes = id.ToByteArray(bigEndian: true);
            for (var bit = 0; bit < 128; bit++) ones[bit] += (bytes[bit / 8] >> (7 - bit % 8)) & 1;
        }
        var random = Enumerable.Range(52, 12).Concat(Enumerable.Range(66, 62));
        Assert.All(random, bit => Assert.InRange(ones[bit], 45_000, 55_000));
    }

    [Fact]
    public void A_later_millisecond_sorts_after_an_earlier_one_as_text_and_as_bytes()
    {
        var t = DateTimeOffset.Parse("2026-11-28T03:00:00Z", System.Globalization.CultureInfo.InvariantCulture);
        for (var i = 0; i < 1_000; i++)
        {
            var earlier = Uuid.V7(t.AddMilliseconds(i));
            var later = Uuid.V7(t.AddMilliseconds(i + 1));
            Assert.True(string.CompareOrdinal(earlier.ToString(), later.ToString()) < 0);
            Assert.True(earlier.ToByteArray(bigEndian: true).AsSpan().SequenceCompareTo(later.ToByteArray(bigEndian: true)) < 0);
        }
    }

    [Fact]
    public void A_time_before_1970_is_refused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => Uuid.V7(DateTimeOffset.UnixEpoch.AddMilliseconds(-1)));
}
