using Microsoft.EntityFrameworkCore;
using Oms.Domain.Inventory;
using Oms.Infrastructure.Persistence;

namespace Oms.Api.Nodes;

/// <summary>
/// The fulfilment nodes as the router sees them, kept in memory: every routing decision needs all of them, and they
/// change rarely. A change made in this process is seen at once; one made by another replica within
/// <see cref="MaxAge"/>, or at once when a stock row names a node this copy does not know yet.
/// </summary>
public sealed class NodeDirectory(TimeProvider clock)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);

    private volatile Snapshot? _current;

    private sealed record Snapshot(IReadOnlyList<FulfilmentNode> Nodes, HashSet<NodeId> Ids, DateTimeOffset LoadedAt);

    public async Task<IReadOnlyList<FulfilmentNode>> AllAsync(OmsDbContext db, IEnumerable<NodeId> mustInclude, CancellationToken ct)
    {
        var current = _current;
        if (current is null || clock.GetUtcNow() - current.LoadedAt > MaxAge || mustInclude.Any(id => !current.Ids.Contains(id)))
        {
            var nodes = await db.Nodes.AsNoTracking().ToListAsync(ct);
            _current = current = new Snapshot(nodes, nodes.Select(n => n.Id).ToHashSet(), clock.GetUtcNow());
        }
        return current.Nodes;
    }

    public void Invalidate() => _current = null;
}
