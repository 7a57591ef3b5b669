using System.Buffers;
using System.Collections;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Oms.Domain.Access;
using Oms.Domain.Catalog;
using Oms.Domain.Common;
using Oms.Domain.Customers;
using Oms.Domain.Documents;
using Oms.Domain.Inventory;
using Oms.Domain.Orders;
using Oms.Domain.Payments;
using Oms.Domain.Webhooks;

namespace Oms.Infrastructure.Persistence.Audit;

/// <summary>
/// Turns what a save changes in the audited resources into <see cref="AuditEvent"/>s added to the same save, so they
/// commit or roll back with it. Audited: orders, payments, stock (its settings, and every on-hand change through the
/// ledger), nodes, products, customers, documents, webhook subscriptions, roles and API keys. An update lists each
/// changed field (as clients name it, owned parts as <c>shippingAddress.city</c> or <c>lines[id].quantity</c>) with
/// its value before and after; a creation lists the fields it set beyond their defaults (not the id, which the event
/// names, nor zero, false or empty values); a deletion the fields it had. Personal data (a
/// shopper's name, e-mail, phone, street lines, notes) is listed as changed without its values, so the trail, which is
/// never rewritten, holds none (an erasure could not reach it). Secrets (a key's hash) are left out.
/// </summary>
public static class AuditTrail
{
    private sealed record Audited(string Resource, Func<object, string>? Id = null);

    private static readonly Dictionary<Type, Audited> Resources = new()
    {
        [typeof(Order)] = new("order"),
        [typeof(Payment)] = new("payment"),
        [typeof(StockItem)] = new("stock", e => StockId(((StockItem)e).Sku, ((StockItem)e).NodeId)),
        [typeof(FulfilmentNode)] = new("node", e => ((FulfilmentNode)e).Code),
        [typeof(Product)] = new("product", e => ((Product)e).Sku),
        [typeof(Customer)] = new("customer"),
        [typeof(Document)] = new("document"),
        [typeof(WebhookSubscription)] = new("webhook_subscription"),
        [typeof(Role)] = new("role"),
        [typeof(ApiKey)] = new("api_key"),
    };

    /// <summary>Never written: bookkeeping every change touches, and secrets.</summary>
    private static readonly HashSet<string> Skipped = new(StringComparer.Ordinal) { "version", "updatedAt", "hash", "secret", "previousSecret" };

    /// <summary>
    /// A customer's figures follow their orders (the checkout, refunds, returns): derived, not a change anyone made to
    /// the customer; the orders' own events say what happened.
    /// </summary>
    private static readonly HashSet<string> CustomerFigures = new(StringComparer.Ordinal)
        { "orderCount", "firstOrderAt", "lastOrderAt", "value", "ordersReturned", "unitsReturned" };

    /// <summary>Owned lists that are histories of their own (appended to, never edited): not repeated in the trail.</summary>
    private static readonly HashSet<string> Histories = new(StringComparer.Ordinal) { "events", "history" };

    private static readonly HashSet<string> PersonalAddressFields = new(StringComparer.Ordinal) { "name", "company", "line1", "line2", "phone" };
    private static readonly HashSet<string> PersonalCustomerFields = new(StringComparer.Ordinal) { "email", "name", "phone", "notes" };

    private const int MaxValueLength = 500;

    private sealed record Column(IProperty Property, string Name, bool Personal, ValueConverter? Converter);

    /// <summary>What a creation lists, per entity type (the checkout's orders go through here on every save): worked out once.</summary>
    private static readonly ConcurrentDictionary<IEntityType, Column[]> CreatedColumns = new();

    private static Column[] ColumnsOf(IEntityType type, string resource) =>
        type.GetProperties()
            .Where(p => !p.IsShadowProperty() && (p.PropertyInfo is not null || p.FieldInfo is not null))
            .Select(p => (Property: p, Name: Camel(p.Name)))
            .Where(p => !Skipped.Contains(p.Name) && p.Name is not ("id" or "createdAt") && !(resource == "customer" && CustomerFigures.Contains(p.Name)))
            .Select(p => new Column(p.Property, p.Name, Personal(resource, p.Name), ConverterOf(p.Property)))
            .ToArray();

    /// <summary>
    /// Adds the audit events of this save to the context: for the tracked entries that change, and for
    /// <paramref name="untracked"/> (new aggregates a fast save writes without the change tracker).
    /// </summary>
    public static void Record(DbContext db, IEnumerable<EntityEntry> changed, List<object>? untracked, IAuditActorSource actors)
    {
        // Who and when are read only when there is something to record (the actor's request id is formatted on reading).
        AuditActor? known = null;
        AuditActor Actor() => known ??= actors.Current;
        var now = actors.Now;
        // Per audited root: its event's fields, in the order met.
        Dictionary<object, (string Action, Audited What, EntityEntry? Entry, object Entity, List<(string Field, object? Before, object? After, bool Personal)> Fields)>? events = null;
        List<AuditEvent>? stock = null;
        foreach (var entry in changed)
        {
            if (entry.State is EntityState.Unchanged or EntityState.Detached) continue;
            if (entry.Entity is InventoryLedgerEntry { } ledger && entry.State == EntityState.Added)
            {
                (stock ??= []).Add(StockChange(ledger, Actor(), now));
                continue;
            }
            // Most of a save is neither audited nor owned by what is (allocations, outbox rows, report requests).
            if (!entry.Metadata.IsOwned() && !Resources.ContainsKey(entry.Metadata.ClrType)) continue;
            var (root, path) = RootOf(entry);
            if (root is null || !Resources.TryGetValue(root.Entity.GetType(), out var what)) continue;
            events ??= new(ReferenceEqualityComparer.Instance);
            if (!events.TryGetValue(root.Entity, out var e))
            {
                var action = root.State switch { EntityState.Added => "created", EntityState.Deleted => "deleted", _ => "updated" };
                events[root.Entity] = e = (action, what, root, root.Entity, []);
            }
            // A creation lists the root's own fields; what it owns is part of it (its lines, addresses) and shows on the resource.
            if (e.Action == "created" && path.Length > 0) continue;
            Fields(entry, path, what.Resource, e.Fields);
        }
        foreach (var entity in (IReadOnlyList<object>?)untracked ?? [])
        {
            if (!Resources.TryGetValue(entity.GetType(), out var what)) continue;
            events ??= new(ReferenceEqualityComparer.Instance);
            var fields = new List<(string, object?, object?, bool)>();
            foreach (var column in CreatedColumns.GetOrAdd(db.Model.FindEntityType(entity.GetType())!, type => ColumnsOf(type, what.Resource)))
                if (Provider(column.Property, column.Converter, column.Property.GetGetter().GetClrValue(entity)) is { } value && !Unset(value))
                    fields.Add((column.Name, null, value, column.Personal));
            events[entity] = ("created", what, null, entity, fields);
        }
        if (events is null && stock is null) return;
        // A save in one statement takes new rows without the change tracker: the events go with its other new rows.
        Action<AuditEvent> add = untracked is null ? e => db.Set<AuditEvent>().Add(e) : untracked.Add;
        foreach (var row in stock ?? []) add(row);
        foreach (var (entity, e) in events ?? [])
        {
            if (e.Action == "updated") e.Fields.RemoveAll(f => Text(f.Before) == Text(f.After)); // a part replaced by an equal one
            if (e.Action == "updated" && e.Fields.Count == 0) continue; // only bookkeeping changed
            var id = e.What.Id?.Invoke(entity) ?? KeyOf(db, entity, e.Entry);
            add(new AuditEvent(Uuid.V7(now), now, Actor(), e.Action, e.What.Resource, id, Json(e.Fields)));
        }
    }

    private static AuditEvent StockChange(InventoryLedgerEntry ledger, AuditActor actor, DateTimeOffset now)
    {
        List<(string, object?, object?, bool)> fields = [("onHand", ledger.OnHandBefore, ledger.OnHandAfter, false)];
        if (ledger.ReservedBefore != ledger.ReservedAfter) fields.Add(("reserved", ledger.ReservedBefore, ledger.ReservedAfter, false));
        fields.Add(("reason", null, Names.Of(ledger.Reason), false));
        if (ledger.Reference is not null) fields.Add(("reference", null, ledger.Reference, false));
        return new AuditEvent(Uuid.V7(now), now, actor, "updated", "stock", StockId(ledger.Sku, ledger.NodeId), Json(fields));
    }

    /// <summary>A stock row's id in the trail: its settings' events and its on-hand changes name it alike.</summary>
    private static string StockId(string sku, NodeId node) => sku + "@" + node.Value;

    /// <summary>The aggregate an entry belongs to (itself, or the owner of an owned part) and the path of the part in it.</summary>
    private static (EntityEntry? Root, string Path) RootOf(EntityEntry entry)
    {
        var path = "";
        var current = entry;
        while (current.Metadata.FindOwnership() is { } ownership)
        {
            var navigation = ownership.PrincipalToDependent;
            if (navigation is null) return (null, "");
            var name = Camel(navigation.Name);
            if (navigation.IsCollection)
            {
                if (Histories.Contains(name)) return (null, "");
                var key = current.Metadata.FindPrimaryKey()!.Properties.Where(p => !p.IsForeignKey()).Select(p => Text(current.Property(p.Name).CurrentValue));
                name += "[" + string.Join(",", key) + "]";
            }
            path = path.Length == 0 ? name : name + "." + path;
            var owner = current.Context.ChangeTracker.Entries().FirstOrDefault(o =>
                o.Metadata == ownership.PrincipalEntityType && ownership.PrincipalKey.Properties.Select(p => o.Property(p.Name).CurrentValue)
                    .SequenceEqual(ownership.Properties.Select(p => current.Property(p.Name).CurrentValue)));
            if (owner is null) return (null, "");
            current = owner;
        }
        return (current, path);
    }

    /// <summary>
    /// Adds an entry's fields to its event's. A replaced owned part (a new shipping address) comes as its old entry
    /// deleted and a new one added: the two meet here by field, the old value before and the new one after.
    /// </summary>
    private static void Fields(EntityEntry entry, string path, string resource, List<(string Field, object? Before, object? After, bool Personal)> fields)
    {
        var own = new List<(string Field, object? Before, object? After, bool Personal)>();
        Collect(entry, path, resource, own);
        foreach (var f in own)
        {
            var at = fields.FindIndex(x => x.Field == f.Field);
            if (at < 0) fields.Add(f);
            else fields[at] = entry.State == EntityState.Added ? fields[at] with { After = f.After } : fields[at] with { Before = f.Before };
        }
    }

    private static void Collect(EntityEntry entry, string path, string resource, List<(string Field, object? Before, object? After, bool Personal)> fields)
    {
        var prefix = path.Length == 0 ? "" : path + ".";
        foreach (var property in entry.Properties)
        {
            var metadata = property.Metadata;
            if (metadata.IsPrimaryKey() && path.Length > 0 || metadata.IsForeignKey() && path.Length > 0) continue;
            if (metadata.IsShadowProperty() && !metadata.IsKey()) continue;
            var name = prefix + Camel(metadata.Name);
            if (Skipped.Contains(Camel(metadata.Name)) || resource == "customer" && CustomerFigures.Contains(name)) continue;
            var personal = Personal(resource, name);
            switch (entry.State)
            {
                case EntityState.Added:
                    if (path.Length == 0 && name is "id" or "createdAt") break;
                    if (Provider(metadata, property.CurrentValue) is { } added && !(path.Length == 0 && Unset(added))) fields.Add((name, null, added, personal));
                    break;
                case EntityState.Deleted:
                    if (Provider(metadata, property.OriginalValue) is { } removed) fields.Add((name, removed, null, personal));
                    break;
                default:
                    if (!property.IsModified) break;
                    var before = Provider(metadata, property.OriginalValue);
                    var after = Provider(metadata, property.CurrentValue);
                    if (Text(before) != Text(after)) fields.Add((name, before, after, personal));
                    break;
            }
        }
    }

    private static bool Personal(string resource, string field)
    {
        if (resource == "customer") return PersonalCustomerFields.Contains(field);
        // A document's content is what it prints: the buyer's name and address among it.
        if (resource == "document") return field is "content" or "recipientEmail" or "sentTo";
        if (resource != "order") return false;
        if (field.StartsWith("customer.", StringComparison.Ordinal) || field is "notes" or "clientIp") return true;
        var dot = field.IndexOf('.');
        return dot > 0 && field[..dot] is "shippingAddress" or "billingAddress" && PersonalAddressFields.Contains(field[(dot + 1)..]);
    }

    private static string KeyOf(DbContext db, object entity, EntityEntry? entry)
    {
        var type = db.Model.FindEntityType(entity.GetType())!;
        var key = type.FindPrimaryKey()!.Properties;
        return string.Join("/", key.Select(p => Text(Provider(p, entry is null ? p.GetGetter().GetClrValue(entity) : entry.Property(p.Name).CurrentValue))));
    }

    /// <summary>A value as clients know it (typed ids as their Guid, enums by their snake_case name), so the trail needs no model to read.</summary>
    /// <summary>A value a creation leaves at its default (zero, false, empty): not listed, as the resource shows it.</summary>
    private static bool Unset(object value) => value switch
    {
        0 or 0L or false => true,
        string s => s.Length == 0 || s is "{}" or "[]",
        ICollection c => c.Count == 0,
        _ => false,
    };

    private static ValueConverter? ConverterOf(IProperty property) => property.GetValueConverter() ?? property.GetTypeMapping().Converter;

    private static object? Provider(IProperty property, object? value) => Provider(property, null, value);

    private static object? Provider(IProperty property, ValueConverter? known, object? value)
    {
        if (value is null) return null;
        // Enums as clients read them (snake_case); plain values as they are (not as a provider keeps them: SQLite's times are ticks).
        if (value is Enum e) return JsonNamingPolicy.SnakeCaseLower.ConvertName(e.ToString());
        if (value is string or bool or int or long or short or decimal or double or DateTimeOffset or DateTime or DateOnly or Guid) return value;
        var converter = known ?? ConverterOf(property);
        return converter is null ? value : converter.ConvertToProvider(value);
    }

    private static string Json(List<(string Field, object? Before, object? After, bool Personal)> fields)
    {
        var buffer = new ArrayBufferWriter<byte>(256);
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            foreach (var (field, before, after, personal) in fields)
            {
                w.WritePropertyName(field);
                w.WriteStartObject();
                if (personal) w.WriteBoolean("personal", true);
                else
                {
                    w.WritePropertyName("before");
                    Write(w, before);
                    w.WritePropertyName("after");
                    Write(w, after);
                }
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(buffer.WrittenSpan);
    }

    private static void Write(Utf8JsonWriter w, object? value)
    {
        switch (value)
        {
            case null: w.WriteNullValue(); break;
            case bool b: w.WriteBooleanValue(b); break;
            case int or long or short or byte: w.WriteNumberValue(Convert.ToInt64(value, CultureInfo.InvariantCulture)); break;
            case decimal m: w.WriteNumberValue(m); break;
            case double d: w.WriteNumberValue(d); break;
            case string s: w.WriteStringValue(s.Length > MaxValueLength ? s[..MaxValueLength] + "…" : s); break;
            case IEnumerable list and not string:
                w.WriteStartArray();
                foreach (var item in list) Write(w, item);
                w.WriteEndArray();
                break;
            default: w.WriteStringValue(Text(value)); break;
        }
    }

    private static string Text(object? value) => value switch
    {
        null => "",
        DateTimeOffset t => t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", CultureInfo.InvariantCulture),
        DateTime t => t.ToString("O", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        IEnumerable list and not string => string.Join(",", list.Cast<object?>().Select(Text)),
        _ => value.ToString() ?? "",
    };

    private static string Camel(string name) => name.Length == 0 ? name : char.ToLowerInvariant(name[0]) + name[1..];
}
