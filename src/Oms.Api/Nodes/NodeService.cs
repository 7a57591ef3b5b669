using Oms.Api.Platform.Auth;
using Microsoft.EntityFrameworkCore;
using Oms.Api.Platform.Errors;
using Oms.Api.Platform.Http;
using Oms.Api.Platform.Validation;
using Oms.Domain.Common;
using Oms.Domain.Inventory;
using Oms.Infrastructure.Persistence;

namespace Oms.Api.Nodes;

public sealed class NodeService(OmsDbContext db, TimeProvider clock, NodeDirectory directory, Visibility seen)
{
    public async Task<NodeDto> CreateAsync(CreateNodeRequest r, CancellationToken ct)
    {
        RequestValidator.ThrowIfInvalid(r);
        var node = FulfilmentNode.Create(r.Code, new NodeDetails(
            r.Kind, r.Name, r.Address.ToDomain(), r.TimeZone, r.Active ?? true, r.CanShip ?? true, r.CanPickup ?? false,
            r.ServesCountries ?? [], r.Priority ?? 0, r.DailyCapacity, r.SameDayCutoff, Cost(r.ShippingCost)), clock.GetUtcNow());
        db.Nodes.Add(node);
        await db.SaveUniqueAsync("node.duplicate_code", $"A node with code '{node.Code}' already exists.", ct);
        directory.Invalidate();
        return NodeDto.From(node);
    }

    public async Task<NodeDto> UpdateAsync(string code, UpdateNodeRequest r, int? expectedVersion, CancellationToken ct)
    {
        RequestValidator.ThrowIfInvalid(r);
        var node = await LoadAsync(code, ct);
        node.EnsureVersion(expectedVersion);
        node.Update(new NodeDetails(
            r.Kind ?? node.Kind, r.Name ?? node.Name, r.Address?.ToDomain() ?? node.Address, r.TimeZone ?? node.TimeZone,
            r.Active ?? node.Active, r.CanShip ?? node.CanShip, r.CanPickup ?? node.CanPickup, r.ServesCountries ?? node.ServesCountries,
            r.Priority ?? node.Priority, r.DailyCapacity switch { null => node.DailyCapacity, -1 => null, var capacity => capacity },
            r.SameDayCutoff ?? node.SameDayCutoff, r.ShippingCost is { } c ? Cost(c) : node.ShippingCost), clock.GetUtcNow());
        await db.SaveChangesAsync(ct);
        directory.Invalidate();
        return NodeDto.From(node);
    }

    public async Task<FulfilmentNode> LoadAsync(string code, CancellationToken ct)
    {
        var normalized = code.ToUpperInvariant();
        var node = await db.Nodes.SingleOrDefaultAsync(n => n.Code == normalized, ct) ?? throw new NotFoundException("fulfilment node", code);
        seen.EnsureNode(node.Id, code);
        return node;
    }

    private static ShippingCostModel Cost(ShippingCostDto c) => new(c.Base, c.PerKg, c.Per100Km, c.Currency);
}

public sealed class NodeQueries(Visibility seen)
{
    public async Task<NodeDto> GetAsync(string code, CancellationToken ct)
    {
        var normalized = code.ToUpperInvariant();
        return NodeDto.From(await seen.Nodes.SingleOrDefaultAsync(n => n.Code == normalized, ct) ?? throw new NotFoundException("fulfilment node", code));
    }

    /// <summary>Nodes in code order; the cursor is the last code of the page.</summary>
    public async Task<Page<NodeDto>> ListAsync(bool? active, NodeKind? kind, PageRequest page, CancellationToken ct)
    {
        var q = seen.Nodes;
        if (active is { } a) q = q.Where(n => n.Active == a);
        if (kind is { } k) q = q.Where(n => n.Kind == k);
        if (page.AfterPosition is { } after) q = q.Where(n => string.Compare(n.Code, after) > 0);
        return page.Page(await q.OrderBy(n => n.Code).Take(page.Take + 1).ToListAsync(ct), NodeDto.From, CursorOf);
    }

    public static string CursorOf(NodeDto node) => Cursor.Encode(node.Code);
}
