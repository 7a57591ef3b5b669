using Oms.Domain.Common;
using Oms.Domain.Orders;

namespace Oms.Domain.Access;

/// <summary>
/// Which data a key or a person may see and act on, beyond which operations its scopes allow: fulfilment nodes (a
/// 3PL or a store: its nodes' fulfilment orders, pick lists, stock, shipments and returns) and channels (a
/// marketplace connector: its channel's orders and what hangs off them). Empty lists limit nothing; both together
/// limit to what both allow. Outside the limits a resource answers as if it did not exist.
/// </summary>
public sealed record DataLimits(IReadOnlyList<Guid> Nodes, IReadOnlyList<string> Channels)
{
    public static readonly DataLimits None = new([], []);

    /// <summary>Limits that let nothing through, for a person whose claim names only nodes or channels that do not exist: limits fail closed.</summary>
    public static readonly Guid NoNode = Guid.Empty;
    public const string NoChannel = "none";

    public bool OnNodes => Nodes.Count > 0;
    public bool OnChannels => Channels.Count > 0;
    public bool Any => OnNodes || OnChannels;

    public bool AllowsNode(Guid node) => !OnNodes || Nodes.Contains(node);

    public bool AllowsChannel(OrderChannel channel) => !OnChannels || Channels.Contains(WireOf(channel));

    /// <summary>The channels as orders store them.</summary>
    public IReadOnlyList<OrderChannel> OrderChannels =>
        Channels.Select(c => Enum.TryParse<OrderChannel>(c, ignoreCase: true, out var channel) ? channel : (OrderChannel?)null).OfType<OrderChannel>().ToList();

    /// <summary>A channel as clients write it (<c>marketplace</c>).</summary>
    public static string WireOf(OrderChannel channel) => channel.ToString().ToLowerInvariant();

    /// <summary>Channels as kept: known, lower case, without repeats, in order. An unknown one is refused on <paramref name="field"/>.</summary>
    public static List<string> ValidatedChannels(IEnumerable<string> channels, string field)
    {
        var list = new List<string>();
        var i = 0;
        foreach (var raw in channels)
        {
            if (!Enum.TryParse<OrderChannel>(raw?.Trim(), ignoreCase: true, out var channel) || int.TryParse(raw, out _))
                throw new DomainException("access.unknown_channel",
                    $"'{raw}' is not a channel. Known channels: {string.Join(", ", Enum.GetValues<OrderChannel>().Select(WireOf))}.", $"{field}[{i}]");
            list.Add(WireOf(channel));
            i++;
        }
        return list.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
    }
}
