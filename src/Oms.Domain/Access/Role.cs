using System.Text.RegularExpressions;
using Oms.Domain.Common;

namespace Oms.Domain.Access;

/// <summary>
/// A named set of scopes that keys (and people signing in) are given instead of, or beside, scopes of their own.
/// Built-in roles (<see cref="BuiltInRoles"/>) are defined here and cannot change; custom ones are kept in the database.
/// A role is addressed by its name, which never changes: keys hold names.
/// </summary>
public sealed partial class Role : AggregateRoot
{
    public const int MaxDescriptionLength = 500;

    private Role() { }

    public string Name { get; private set; } = "";
    public string? Description { get; private set; }
    public List<string> Scopes { get; private set; } = [];
    public DateTimeOffset CreatedAt { get; private set; }
    public DateTimeOffset UpdatedAt { get; private set; }

    public static Role Create(string name, string? description, IEnumerable<string> scopes, DateTimeOffset now)
    {
        if (!NamePattern().IsMatch(name))
            throw new DomainException("role.invalid_name", "A role's name is 2 to 50 lower-case letters, digits, '_' or '-', starting with a letter.", "name");
        if (BuiltInRoles.Find(name) is not null)
            throw new ConflictException("role.built_in", $"'{name}' is a built-in role; choose another name.");
        var role = new Role { Name = name, CreatedAt = now, UpdatedAt = now };
        role.Change(description, scopes, now);
        return role;
    }

    /// <summary>Replaces the description and scopes (both as given: a role is small, and replacing is easier to reason about).</summary>
    public void Change(string? description, IEnumerable<string> scopes, DateTimeOffset now)
    {
        var validated = Access.Scopes.Validated(scopes, "scopes");
        if (validated.Count == 0) throw new DomainException("role.no_scopes", "A role needs at least one scope.", "scopes");
        Description = string.IsNullOrWhiteSpace(description) ? null : description.Trim();
        Scopes = validated;
        UpdatedAt = now;
    }

    [GeneratedRegex("^[a-z][a-z0-9_-]{1,49}$")]
    private static partial Regex NamePattern();
}

/// <summary>A role that comes with HeadlessOms: the same on every installation, not changeable.</summary>
public sealed record BuiltInRole(string Name, string Description, IReadOnlyList<string> Scopes);

/// <summary>
/// The roles every installation has, for the people who take part in an order's life. Which operations each may call
/// is generated into docs/access.md (and a test walks every operation as each of them).
/// </summary>
public static class BuiltInRoles
{
    public const string Owner = "owner", CustomerService = "customer_service", Warehouse = "warehouse", Finance = "finance", Analyst = "analyst", Integration = "integration";

    public static readonly IReadOnlyList<BuiltInRole> All =
    [
        new(Owner, "Everything, including keys, roles and webhooks.", [Scopes.Admin]),
        new(CustomerService, "Looks after shoppers: orders, customers, returns and refunds' documents; reads payments, stock and fulfilment.",
            [Scopes.OrdersWrite, Scopes.CustomersWrite, Scopes.CustomersPii, Scopes.ReturnsWrite, Scopes.PaymentsRead, Scopes.FulfilmentRead, Scopes.InventoryRead,
             Scopes.CatalogRead, Scopes.DocumentsRead, Scopes.RoutingRead]),
        new(Warehouse, "Picks, packs and ships, counts and receives stock, receives returns.",
            [Scopes.FulfilmentWrite, Scopes.InventoryWrite, Scopes.ReturnsWrite, Scopes.CatalogRead, Scopes.DocumentsRead]),
        new(Finance, "Payments, refunds, invoices and credit notes, reports.",
            [Scopes.PaymentsWrite, Scopes.DocumentsWrite, Scopes.ReportsRead, Scopes.OrdersRead, Scopes.CustomersRead, Scopes.CustomersPii, Scopes.ReturnsRead]),
        new(Analyst, "Reads reports and the data behind them; changes nothing.",
            [Scopes.ReportsRead, Scopes.OrdersRead, Scopes.CatalogRead, Scopes.InventoryRead, Scopes.FulfilmentRead, Scopes.ReturnsRead, Scopes.RoutingRead]),
        new(Integration, "A shop front, marketplace connector or ERP: places and follows orders, keeps catalogue and stock, listens to webhooks.",
            [Scopes.OrdersWrite, Scopes.CatalogWrite, Scopes.InventoryWrite, Scopes.FulfilmentWrite, Scopes.ReturnsWrite, Scopes.PaymentsRead,
             Scopes.CustomersWrite, Scopes.CustomersPii, Scopes.WebhooksManage, Scopes.DocumentsRead]),
    ];

    public static BuiltInRole? Find(string name) => All.FirstOrDefault(r => r.Name == name);
}
