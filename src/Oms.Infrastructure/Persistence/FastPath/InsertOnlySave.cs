using System.Collections.Concurrent;
using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Linq.Expressions;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage.ValueConversion;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace Oms.Infrastructure.Persistence.FastPath;

/// <summary>
/// A save that only adds rows, written as one statement on PostgreSQL: per table one <c>INSERT … VALUES</c> (a few
/// rows) or <c>INSERT … SELECT</c> of one array per column (more rows, or numbered ones), all tables in one
/// <c>WITH</c>, the aggregates' outbox rows included. EF would generate, parameterize and send one INSERT per row (some
/// twenty for a checkout) and PostgreSQL would parse and plan each; this statement's text depends only on which tables
/// are written and how many rows of each go as <c>VALUES</c>, so Npgsql prepares it once per shape. Keys the database generates
/// (identity columns) are drawn inside the statement and handed back to the change tracker (rows of an untracked graph
/// keep them in the database only: nothing in the process holds them). Foreign keys are checked at
/// the end of the statement, so the order of the tables does not matter. Anything else (an update, a delete, a value
/// only the database can compute, a column type this writer does not know) makes it decline, and EF saves as usual.
/// What EF does not check either (lengths, nullability, uniqueness) PostgreSQL still checks: strings go in without an
/// explicit cast, so an over-long value fails as it would through EF instead of being cut.
/// </summary>
internal static class InsertOnlySave
{
    private sealed record Column(string Name, Type ElementType, string? Cast, bool TextArray);

    private sealed class Table(string name, Column[] columns, int key, int generated)
    {
        private static int _count;

        /// <summary>Names this table of this model in the statement cache (another model may map the name differently).</summary>
        public int Id { get; } = Interlocked.Increment(ref _count);
        public string Name { get; } = name;
        public Column[] Columns { get; } = columns;
        /// <summary>The primary key's column: rows of one table that share it are one row (table splitting).</summary>
        public int Key { get; } = key;
        /// <summary>The identity column the database numbers, or -1.</summary>
        public int Generated { get; } = generated;
    }

    private sealed class EntityPlan(Table table, (int Column, IProperty Property, ValueConverter? Converter)[] values,
        IProperty? generated, IProperty[] mustBeReal, bool principal)
    {
        public Table Table { get; } = table;
        public (int Column, IProperty Property, ValueConverter? Converter)[] Values { get; } = values;
        /// <summary>Where the table's key is among <see cref="Values"/>.</summary>
        public int KeyValue { get; } = Array.FindIndex(values, v => v.Column == table.Key);
        public IProperty? Generated { get; } = generated;
        /// <summary>Keys and foreign keys: a temporary value there points at a row only EF knows how to key first.</summary>
        public IProperty[] MustBeReal { get; } = mustBeReal;
        /// <summary>False for an owned type sharing its owner's table: it adds columns to a row, never a row.</summary>
        public bool Principal { get; } = principal;
        /// <summary>
        /// Reads an object's values as the database takes them, in <see cref="Values"/> order, where <see cref="Read"/>
        /// says so (its own properties but the drawn number); the others are left null.
        /// </summary>
        public required Func<object, object?[]> Reader { get; init; }
        public required bool[] Read { get; init; }
    }

    private sealed class Row(object?[] values)
    {
        public object?[] Values { get; } = values;
        public bool HasPrincipal { get; set; }
        public EntityEntry? NumberedEntry { get; set; }
        public IProperty? NumberedProperty { get; set; }
    }

    private sealed class TableRows(Table table)
    {
        public Table Table { get; } = table;
        public List<Row> Rows { get; } = [];
        private Dictionary<object, Row> ByKey { get; } = [];

        /// <summary>The row keyed <paramref name="key"/>: entity types sharing a table (owned types) fill one row.</summary>
        public Row RowFor(object key)
        {
            if (!ByKey.TryGetValue(key, out var row))
            {
                ByKey.Add(key, row = new Row(new object?[Table.Columns.Length]));
                Rows.Add(row);
            }
            return row;
        }
    }

    /// <summary>Why a type or table cannot be written by the statement.</summary>
    private sealed record Unsupported(string Why);

    private static readonly ConditionalWeakTable<IEntityType, object> Plans = new();
    private static readonly ConditionalWeakTable<ITable, object> Tables = new();
    /// <summary>A statement's text and its parameters' types (<see cref="Statement.Types"/>), by <see cref="KeyOf"/>.</summary>
    private sealed record Written(string Sql, DbType?[] Types);

    private static readonly ConcurrentDictionary<string, Written> Statements = new();
    private static readonly ConcurrentDictionary<string, Written>.AlternateLookup<ReadOnlySpan<char>> StatementsByKey =
        Statements.GetAlternateLookup<ReadOnlySpan<char>>();

    private static readonly Statement Commit = new("COMMIT", [], Reused: true);

    /// <summary>
    /// A table of at most this many rows goes in as <c>VALUES</c> (see <see cref="FormOf"/>), one parameter per value: a
    /// row of a checkout's tables costs PostgreSQL less that way than as element n of every column's array (no
    /// function scan to set up and run, no array to take apart) and Npgsql less to send. Larger ones go as arrays, so
    /// that a statement's parameters stay few and its texts (one per row count) stay few.
    /// </summary>
    private const int ValuesRows = 16;

    private enum Form { Arrays, Values, ValuesNumbered }

    /// <summary>
    /// How a table's rows go in: as <c>VALUES</c> when they are few and no number drawn for them has to come back (rows
    /// of an untracked graph keep theirs in the database); <see cref="Form.ValuesNumbered"/> when every row's number is
    /// drawn, by the column's <c>DEFAULT</c>.
    /// </summary>
    private static Form FormOf(TableRows rows)
    {
        if (rows.Rows.Count > ValuesRows) return Form.Arrays;
        var g = rows.Table.Generated;
        if (g < 0) return Form.Values;
        var drawn = 0;
        foreach (var row in rows.Rows)
        {
            if (row.NumberedEntry is not null) return Form.Arrays;
            if (row.Values[g] is null) drawn++;
        }
        return drawn == 0 ? Form.Values : drawn == rows.Rows.Count ? Form.ValuesNumbered : Form.Arrays;
    }

    /// <summary>How many parameters a table's rows take.</summary>
    private static int Width(TableRows rows) => FormOf(rows) switch
    {
        Form.Arrays => rows.Table.Columns.Length,
        Form.Values => rows.Table.Columns.Length * rows.Rows.Count,
        _ => (rows.Table.Columns.Length - 1) * rows.Rows.Count,
    };

    /// <summary>
    /// What a statement's text depends on, written into <paramref name="key"/>: each table's id and, when its rows go as
    /// <c>VALUES</c>, how many; then the same for the events. False when it does not fit.
    /// </summary>
    private static bool KeyOf(List<TableRows> ordered, int events, int within, Span<char> key, out int length)
    {
        length = 0;
        if (within > 0)
        {
            key[length++] = 'w';
            if (!within.TryFormat(key[length..], out var w, default, CultureInfo.InvariantCulture)) return false;
            length += w;
            key[length++] = '|';
        }
        foreach (var rows in ordered)
        {
            if (!rows.Table.Id.TryFormat(key[length..], out var n, default, CultureInfo.InvariantCulture)) return false;
            length += n;
            if (length + 1 >= key.Length) return false;
            key[length++] = ':';
            var form = FormOf(rows);
            if (!(form == Form.Arrays ? 0 : rows.Rows.Count).TryFormat(key[length..], out n, default, CultureInfo.InvariantCulture)) return false;
            length += n;
            if (length + 3 >= key.Length) return false;
            if (form == Form.ValuesNumbered) key[length++] = 'n';
            key[length++] = '|';
        }
        key[length++] = 'e';
        if (!Math.Min(events, ValuesRows + 1).TryFormat(key[length..], out var e, default, CultureInfo.InvariantCulture)) return false;
        length += e;
        return true;
    }

    /// <summary>The texts of the steps written in front (<c>within</c>), numbered from 1.</summary>
    private static readonly ConcurrentDictionary<string, int> Withins = new(StringComparer.Ordinal);
    private static int _withins;

    private static Written StatementFor(List<TableRows> ordered, int events, Statement? within)
    {
        Span<char> buffer = stackalloc char[256];
        var w = within is { } steps ? Withins.GetOrAdd(steps.Sql, static _ => Interlocked.Increment(ref _withins)) : 0;
        if (!KeyOf(ordered, events, w, buffer, out var length))
            return Build(ordered, events, within); // a statement of more tables than any save here writes: built, not kept
        var key = buffer[..length];
        if (StatementsByKey.TryGetValue(key, out var written)) return written;
        written = Build(ordered, events, within);
        StatementsByKey.TryAdd(key, written);
        return written;
    }

    /// <summary>Provider types whose arrays Npgsql sends as arrays of the matching PostgreSQL type.</summary>
    private static readonly HashSet<Type> Writable =
        [typeof(string), typeof(Guid), typeof(int), typeof(long), typeof(short), typeof(bool), typeof(decimal), typeof(double), typeof(DateTimeOffset), typeof(DateOnly), typeof(TimeOnly), typeof(byte[])];

    /// <summary>
    /// Writes <paramref name="changed"/> (every tracked entry not unchanged), <paramref name="untracked"/> (new graphs the
    /// change tracker never saw) and <paramref name="outbox"/> with one statement and returns the number of rows, or null
    /// (nothing written) with the reason, when the save is not inserts this statement can write.
    /// </summary>
    /// <param name="sentWith">A statement to send right after the write, in the same round trip (a checkout's reservation); left to the caller when this declines.</param>
    /// <param name="commit">The COMMIT goes in the same round trip, after <paramref name="sentWith"/>.</param>
    /// <param name="within">Data-modifying steps written into the statement's <c>WITH</c> in front of the inserts (a
    /// checkout's update of a known customer's figures): <c>name AS (…), …</c> over its own <c>$1</c>…<c>$k</c>.</param>
    public static async Task<(int? Written, string? Declined)> TryAsync(OmsDbContext db, List<EntityEntry> changed, IReadOnlyList<object> untracked, List<OutboxMessage> outbox,
        Statement? sentWith, bool commit, bool acceptAllChanges, CancellationToken ct, Statement? within = null)
    {
        var tables = new Dictionary<Table, TableRows>();
        foreach (var root in untracked)
        {
            if (db.Model.FindEntityType(root.GetType()) is not { } type) return (null, $"{root.GetType().Name} is not in the model");
            if (!AddGraph(tables, root, type, null, null, out var why)) return (null, why);
        }
        foreach (var entry in changed)
        {
            if (entry.State != EntityState.Added) return (null, $"{entry.Metadata.DisplayName()} is {entry.State.ToString().ToLowerInvariant()}, not added");
            if (PlanFor(entry.Metadata, out var why) is not { } plan) return (null, why);
            foreach (var p in plan.MustBeReal)
                if (entry.Property(p).IsTemporary) return (null, $"{entry.Metadata.DisplayName()}.{p.Name} has a temporary value");
            var current = entry.CurrentValues;
            var numbered = plan.Generated is { } g && (entry.Property(g).IsTemporary || IsDefault(current[g]));
            var values = plan.Values.Select(v => Provider(current[v.Property], v.Converter)).ToArray();
            var row = AddRow(tables, plan, values, numbered, entry);
            if (numbered) (row.NumberedEntry, row.NumberedProperty) = (entry, plan.Generated);
        }
        // An added owned part of a row nobody adds is an UPDATE of that row: EF's job.
        foreach (var rows in tables.Values)
            foreach (var row in rows.Rows)
                if (!row.HasPrincipal) return (null, $"an owned part of a {rows.Table.Name} row that is not added");
        if (tables.Count == 0 && outbox.Count == 0) return (null, "nothing to write");

        var ordered = tables.Values.OrderBy(t => t.Table.Name, StringComparer.Ordinal).ToList();
        var width = 0;
        foreach (var rows in ordered) width += Width(rows);
        var ahead = within?.Parameters.Length ?? 0;
        var parameters = new object?[ahead + width + (outbox.Count == 0 ? 0 : OmsDbContext.OutboxColumns * (outbox.Count <= ValuesRows ? outbox.Count : 1))];
        within?.Parameters.CopyTo(parameters, 0);
        var next = ahead;
        foreach (var rows in ordered)
        {
            var columns = rows.Table.Columns;
            if (FormOf(rows) is not Form.Arrays and var form)
            {
                var skip = form == Form.ValuesNumbered ? rows.Table.Generated : -1; // DEFAULT in the statement
                foreach (var row in rows.Rows)
                    for (var c = 0; c < columns.Length; c++)
                        if (c != skip)
                            parameters[next++] = columns[c].TextArray && row.Values[c] is IEnumerable<string?> strings ? ArrayLiteral(strings) : row.Values[c];
                continue;
            }
            for (var c = 0; c < rows.Table.Columns.Length; c++)
            {
                var array = Array.CreateInstance(rows.Table.Columns[c].ElementType, rows.Rows.Count);
                var literal = rows.Table.Columns[c].TextArray;
                for (var r = 0; r < rows.Rows.Count; r++)
                {
                    var value = rows.Rows[r].Values[c];
                    array.SetValue(literal && value is IEnumerable<string?> strings ? ArrayLiteral(strings) : value, r);
                }
                parameters[next++] = array;
            }
        }
        if (outbox.Count > ValuesRows) OmsDbContext.OutboxParameters(outbox).CopyTo(parameters, next);
        else if (outbox.Count > 0) OmsDbContext.OutboxValues(outbox, parameters, next);
        var (sql, types) = StatementFor(ordered, outbox.Count, within);
        // The caller's COMMIT rides in the same round trip. Should the insert fail, PostgreSQL skips the rest of the
        // batch, COMMIT included, and the caller rolls back as after any failed save.
        var write = new Statement(sql, parameters, Reused: true, types);
        // The statement sent with the save (a checkout's reservation) goes after the write: the stock rows it locks stay
        // locked from it to the COMMIT, not through the write as well (docs/operations.md: Round trips). Should it refuse, the
        // COMMIT is skipped and the write rolls back with the transaction.
        Statement[] statements = (sentWith, commit) switch
        {
            (null, false) => [write],
            (null, true) => [write, Commit],
            ({ } then, false) => [write, then],
            ({ } then, true) => [write, then, Commit],
        };

        var numbers = new List<(Row Row, long Value)>();
        await using var batch = db.RawBatch(statements);
        try
        {
            await using var reader = await batch.ExecuteReaderAsync(ct);
            // Past the results in front of the write's (three columns): the transaction's settings (none), when due.
            while (reader.FieldCount != 3)
                if (!await reader.NextResultAsync(ct)) throw new InvalidOperationException("The write returned no result.");
            while (await reader.ReadAsync(ct))
                numbers.Add((ordered[reader.GetInt32(0)].Rows[(int)reader.GetInt64(1) - 1], reader.GetInt64(2)));
            // Read the results after it (the statement sent with the save, the COMMIT's) here, so that a refusal or a failed commit fails the save.
            while (await reader.NextResultAsync(ct)) { }
            batch.Completed();
        }
        catch (DbException e)
        {
            if (PostgresOmsDbContext.IsRefusal(e)) batch.Refused();
            // As EF reports a failed save, so callers' unique-violation handling is the same on both paths.
            throw new DbUpdateException("An error occurred while saving the entity changes. See the inner exception for details.", e);
        }
        foreach (var (row, value) in numbers)
        {
            if (row.NumberedEntry is not { } entry) continue;
            var property = entry.Property(row.NumberedProperty!);
            property.CurrentValue = Convert.ChangeType(value, Nullable.GetUnderlyingType(property.Metadata.ClrType) ?? property.Metadata.ClrType);
            property.IsTemporary = false;
        }
        if (acceptAllChanges) db.ChangeTracker.AcceptAllChanges();
        return (changed.Count + untracked.Count + outbox.Count + (outbox.Count > 0 ? 1 : 0), null); // the events and their pending entry
    }

    private static int IndexOf(IReadOnlyList<IProperty> properties, IProperty property)
    {
        for (var i = 0; i < properties.Count; i++)
            if (properties[i] == property) return i;
        return -1;
    }

    /// <summary>
    /// Puts one entity's provider <paramref name="values"/> (in <see cref="EntityPlan.Values"/> order) in its table's
    /// row: the row of its key, which an owner and its owned types share, or a row of its own when the statement numbers
    /// it (<paramref name="numbered"/>: its identity column is left null for the statement to draw).
    /// </summary>
    private static Row AddRow(Dictionary<Table, TableRows> tables, EntityPlan plan, object?[] values, bool numbered, object ownKey)
    {
        if (!tables.TryGetValue(plan.Table, out var rows)) tables.Add(plan.Table, rows = new TableRows(plan.Table));
        var row = rows.RowFor(numbered ? ownKey : values[plan.KeyValue] ?? ownKey);
        row.HasPrincipal |= plan.Principal;
        for (var i = 0; i < plan.Values.Length; i++)
            if (!(numbered && plan.Values[i].Property == plan.Generated)) row.Values[plan.Values[i].Column] = values[i];
        return row;
    }

    /// <summary>
    /// The rows of a new object graph the change tracker never saw, read from the objects as EF's <c>Add</c> would
    /// track them: every entity reachable through navigations to dependents is new; a dependent's shadow foreign key
    /// is its principal's key; a shadow identity key is drawn by the statement. False (nothing usable) for anything
    /// else: a shadow value only the change tracker could supply, or a navigation to a principal.
    /// </summary>
    private static bool AddGraph(Dictionary<Table, TableRows> tables, object entity, IEntityType type, IForeignKey? via, object? principal, out string? why)
    {
        if (PlanFor(type, out why) is not { } plan) return false;
        if (plan.KeyValue < 0)
        {
            why = $"{type.DisplayName()} does not map its table's key";
            return false;
        }
        var values = plan.Reader(entity);
        var numbered = false;
        for (var i = 0; i < plan.Values.Length; i++)
        {
            if (plan.Read[i]) continue;
            var property = plan.Values[i].Property;
            object? value;
            if (!property.IsShadowProperty()) value = property.GetGetter().GetClrValueUsingContainingEntity(entity);
            else if (via is not null && IndexOf(via.Properties, property) is >= 0 and var k && !via.PrincipalKey.Properties[k].IsShadowProperty())
                value = via.PrincipalKey.Properties[k].GetGetter().GetClrValueUsingContainingEntity(principal!);
            else if (property == plan.Generated) value = null;
            else
            {
                why = $"{type.DisplayName()}.{property.Name} is a shadow value only the change tracker could supply";
                return false;
            }
            if (property == plan.Generated && IsDefault(value)) numbered = true; // sent as null: the statement draws the number
            else values[i] = Provider(value, plan.Values[i].Converter);
        }
        AddRow(tables, plan, values, numbered, new object());
        foreach (var navigation in type.GetNavigations())
        {
            var target = navigation.GetGetter().GetClrValueUsingContainingEntity(entity);
            if (target is null) continue;
            if (navigation.IsOnDependent)
            {
                why = $"{type.DisplayName()}.{navigation.Name} leads to a principal";
                return false;
            }
            if (!navigation.IsCollection)
            {
                if (!AddGraph(tables, target, navigation.TargetEntityType, navigation.ForeignKey, entity, out why)) return false;
                continue;
            }
            foreach (var item in (System.Collections.IEnumerable)target)
                if (!AddGraph(tables, item, navigation.TargetEntityType, navigation.ForeignKey, entity, out why)) return false;
        }
        if (type.GetSkipNavigations().Any())
        {
            why = $"{type.DisplayName()} has a many-to-many navigation";
            return false;
        }
        return true;
    }

    /// <summary>
    /// Why the statement could not write new graphs of <paramref name="roots"/> (and everything they own), one reason
    /// per type: empty when it can. The fast path checks its model with this at start-up.
    /// </summary>
    public static List<string> Declines(IModel model, IEnumerable<Type> roots)
    {
        var reasons = new List<string>();
        var seen = new HashSet<IEntityType>();
        void Walk(IEntityType type)
        {
            if (!seen.Add(type)) return;
            if (PlanFor(type, out var why) is null) reasons.Add(why!);
            if (type.GetSkipNavigations().Any()) reasons.Add($"{type.DisplayName()} has a many-to-many navigation");
            foreach (var navigation in type.GetNavigations())
            {
                if (navigation.IsOnDependent) reasons.Add($"{type.DisplayName()}.{navigation.Name} leads to a principal");
                else Walk(navigation.TargetEntityType);
            }
        }
        foreach (var root in roots)
        {
            if (model.FindEntityType(root) is { } type) Walk(type);
            else reasons.Add($"{root.Name} is not in the model");
        }
        return reasons;
    }

    private static object? Provider(object? value, ValueConverter? converter) =>
        converter is null || value is null ? value : converter.ConvertToProvider(value);

    /// <summary>PostgreSQL's text form of a text[]: every element quoted, quotes and backslashes escaped.</summary>
    private static string ArrayLiteral(IEnumerable<string?> values)
    {
        var text = new StringBuilder("{");
        foreach (var value in values)
        {
            if (text.Length > 1) text.Append(',');
            if (value is null) text.Append("NULL");
            else text.Append('"').Append(value.Replace("\\", "\\\\").Replace("\"", "\\\"")).Append('"');
        }
        return text.Append('}').ToString();
    }

    private static bool IsDefault(object? value) => value switch
    {
        null => true,
        int i => i == 0,
        long l => l == 0,
        short s => s == 0,
        _ => false,
    };

    private static Written Build(List<TableRows> ordered, int events, Statement? within)
    {
        var sql = new StringBuilder("WITH ");
        var types = new List<DbType?>();
        var numbered = new List<int>();
        var first = 1; // the position of the table's first parameter: the steps' in front, the tables' in order, then the events'
        if (within is { } steps)
        {
            sql.Append(steps.Sql).Append(", ");
            first += steps.Parameters.Length;
            for (var i = 0; i < steps.Parameters.Length; i++) types.Add(steps.Types is { } t && i < t.Length ? t[i] : null);
        }
        for (var t = 0; t < ordered.Count; t++)
        {
            var table = ordered[t].Table;
            var at = first;
            string P(int c) => "$" + (at + c);
            var names = string.Join(", ", table.Columns.Select(c => Quote(c.Name)));
            if (FormOf(ordered[t]) is not Form.Arrays and var form)
            {
                // One parameter per value, row after row (none for a number the column's DEFAULT draws); INSERT … VALUES
                // gives each its column's type.
                var skip = form == Form.ValuesNumbered ? table.Generated : -1;
                var rows = new List<string>();
                for (var r = 0; r < ordered[t].Rows.Count; r++)
                {
                    var values = new List<string>();
                    for (var c = 0; c < table.Columns.Length; c++)
                    {
                        if (c == skip)
                        {
                            values.Add("DEFAULT");
                            continue;
                        }
                        values.Add(table.Columns[c].Cast is { } cast ? $"${first}::{cast}" : $"${first}");
                        types.Add(TypeOf(table.Columns[c].ElementType));
                        first++;
                    }
                    rows.Add("(" + string.Join(", ", values) + ")");
                }
                sql.Append($"i{t} AS (INSERT INTO {Quote(table.Name)} ({names}) VALUES {string.Join(", ", rows)}), ");
                continue;
            }
            first += table.Columns.Length;
            types.AddRange(table.Columns.Select(_ => (DbType?)null)); // arrays: typed by their elements
            // Row n of a table is element n of each of its column arrays: one generate_series and a subscript per
            // column, where unnest(a, b, …) would run one set-returning function per column, each into a tuplestore
            // (measured on a 60-column table: 10-25 % less time per statement).
            var series = $"generate_series(1, cardinality({P(0)})) AS n";
            var select = string.Join(", ", table.Columns.Select((column, c) =>
                c == table.Generated ? $"COALESCE({P(c)}[n], g)" : column.Cast is { } cast ? $"{P(c)}[n]::{cast}" : $"{P(c)}[n]"));
            var insert = $"INSERT INTO {Quote(table.Name)} ({names}) SELECT {select}";
            if (table.Generated >= 0)
            {
                // Each row draws its number next to its position, so the numbers can be handed back to their entries.
                var sequence = $"pg_get_serial_sequence('{Quote(table.Name)}', '{table.Columns[table.Generated].Name}')::regclass";
                sql.Append($"x{t} AS MATERIALIZED (SELECT n, nextval(q.s) AS g FROM (SELECT {sequence}) AS q(s), {series}), ");
                sql.Append($"i{t} AS ({insert} FROM x{t}), ");
                numbered.Add(t);
            }
            else sql.Append($"i{t} AS ({insert} FROM {series}), ");
        }
        if (events > ValuesRows)
        {
            sql.Append(OmsDbContext.OutboxSql(first));
            types.AddRange(Enumerable.Repeat((DbType?)null, OmsDbContext.OutboxColumns));
        }
        else if (events > 0)
        {
            sql.Append(OmsDbContext.OutboxSql(first, events));
            for (var e = 0; e < events; e++) types.AddRange(OmsDbContext.OutboxTypes);
        }
        sql.Length -= 2;
        sql.Append(numbered.Count == 0
            ? " SELECT 0, 0::bigint, 0::bigint WHERE false"
            : " " + string.Join(" UNION ALL ", numbered.Select(t => $"SELECT {t}, n::bigint, g FROM x{t}")));
        return new Written(sql.ToString(), [.. types]);
    }

    /// <summary>The type a value of a column of <paramref name="element"/> (a provider type of <see cref="Writable"/>, or a text[] column's literal) is sent as.</summary>
    private static DbType? TypeOf(Type element) => (Nullable.GetUnderlyingType(element) ?? element) switch
    {
        var t when t == typeof(string) => DbType.String,
        var t when t == typeof(Guid) => DbType.Guid,
        var t when t == typeof(int) => DbType.Int32,
        var t when t == typeof(long) => DbType.Int64,
        var t when t == typeof(short) => DbType.Int16,
        var t when t == typeof(bool) => DbType.Boolean,
        var t when t == typeof(decimal) => DbType.Decimal,
        var t when t == typeof(double) => DbType.Double,
        var t when t == typeof(DateTimeOffset) => DbType.DateTimeOffset,
        var t when t == typeof(DateOnly) => DbType.Date,
        var t when t == typeof(TimeOnly) => DbType.Time,
        var t when t == typeof(byte[]) => DbType.Binary,
        _ => null,
    };

    private static string Quote(string identifier) => "\"" + identifier.Replace("\"", "\"\"") + "\"";

    private static EntityPlan? PlanFor(IEntityType type, out string? why)
    {
        var plan = Plans.GetValue(type, static t => Plan(t));
        why = (plan as Unsupported)?.Why;
        return plan as EntityPlan;
    }

    private static object Plan(IEntityType type)
    {
        var mappings = type.GetTableMappings().ToList();
        if (mappings.Count != 1) return new Unsupported($"{type.DisplayName()} is mapped to {mappings.Count} tables");
        if (TableFor(mappings[0].Table) is not { } table) return (Unsupported)Tables.GetValue(mappings[0].Table, static t => TablePlan(t));
        var values = new List<(int, IProperty, ValueConverter?)>();
        IProperty? generated = null;
        foreach (var m in mappings[0].ColumnMappings)
        {
            var column = Array.FindIndex(table.Columns, c => c.Name == m.Column.Name);
            if (column == table.Generated) generated = m.Property; // TablePlan declined every other store-generated column
            values.Add((column, m.Property, m.TypeMapping.Converter));
        }
        var mustBeReal = type.GetProperties().Where(p => (p.IsKey() || p.IsForeignKey()) && p != generated).ToArray();
        var columns = values.ToArray();
        var (reader, read) = Reader(type, columns, generated) ?? (_ => new object?[columns.Length], new bool[columns.Length]);
        return new EntityPlan(table, columns, generated, mustBeReal, mappings[0].IsSharedTablePrincipal != false) { Reader = reader, Read = read };
    }

    /// <summary>
    /// One compiled delegate that reads a new object's own property values and converts them for the database: for a
    /// checkout's untracked graph, where reading each value through EF's getters and converters (boxed, one interface
    /// call after another) was a tenth of the API's time. Null (read them one by one) for a type it cannot compile.
    /// </summary>
    private static (Func<object, object?[]>, bool[])? Reader(IEntityType type, (int Column, IProperty Property, ValueConverter? Converter)[] values, IProperty? generated)
    {
        if (type.ClrType.IsValueType || type.HasSharedClrType) return null;
        try
        {
            var entity = Expression.Parameter(typeof(object), "entity");
            var typed = Expression.Variable(type.ClrType, "typed");
            var array = Expression.Variable(typeof(object[]), "values");
            var body = new List<Expression>
            {
                Expression.Assign(typed, Expression.Convert(entity, type.ClrType)),
                Expression.Assign(array, Expression.NewArrayBounds(typeof(object), Expression.Constant(values.Length))),
            };
            var read = new bool[values.Length];
            for (var i = 0; i < values.Length; i++)
            {
                var (_, property, converter) = values[i];
                if (property.IsShadowProperty() || property == generated || property.DeclaringType != type) continue;
                var member = property.GetMemberInfo(forMaterialization: false, forSet: false);
                body.Add(Expression.Assign(Expression.ArrayAccess(array, Expression.Constant(i)), Boxed(Expression.MakeMemberAccess(typed, member), converter)));
                read[i] = true;
            }
            body.Add(array);
            return (Expression.Lambda<Func<object, object?[]>>(Expression.Block([typed, array], body), entity).Compile(), read);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException)
        {
            return null;
        }
    }

    /// <summary><paramref name="value"/> converted by <paramref name="converter"/> (a null stays null, as with EF) and boxed.</summary>
    private static Expression Boxed(Expression value, ValueConverter? converter)
    {
        if (converter is null) return Expression.Convert(value, typeof(object));
        var model = converter.ModelClrType;
        Expression Convert(Expression v) => Expression.Convert(
            Expression.Invoke(converter.ConvertToProviderExpression, v.Type == model ? v : Expression.Convert(v, model)), typeof(object));
        if (value.Type.IsValueType && Nullable.GetUnderlyingType(value.Type) is null) return Convert(value);
        var local = Expression.Variable(value.Type, "value");
        return Expression.Block([local], Expression.Assign(local, value),
            Expression.Condition(Expression.Equal(local, Expression.Constant(null, value.Type)), Expression.Constant(null, typeof(object)), Convert(local)));
    }

    private static Table? TableFor(ITable table) => Tables.GetValue(table, static t => TablePlan(t)) as Table;

    private static object TablePlan(ITable table)
    {
        if (table.PrimaryKey is not { Columns.Count: 1 } pk) return new Unsupported($"table {table.Name} has no single-column primary key");
        if (table.Schema is not null || table.Triggers.Any()) return new Unsupported($"table {table.Name} is in a schema or has triggers");
        var columns = new List<Column>();
        var generated = -1;
        foreach (var column in table.Columns)
        {
            var clr = column.ProviderClrType;
            // A text[] column goes as the array's literal, one string per row, and is cast back (PostgreSQL's arrays of
            // arrays are two-dimensional: rows of different lengths would not fit in one).
            var textArray = clr != typeof(string) && typeof(IEnumerable<string>).IsAssignableFrom(clr) && column.StoreType == "text[]";
            if (!textArray && !Writable.Contains(Nullable.GetUnderlyingType(clr) ?? clr))
                return new Unsupported($"column {table.Name}.{column.Name} is of a type this statement does not send ({clr.Name})");
            var element = textArray ? typeof(string) : clr.IsValueType && Nullable.GetUnderlyingType(clr) is null ? typeof(Nullable<>).MakeGenericType(clr) : clr;
            // Strings go in uncast (text converts to varchar(n) and char(n) by assignment, which refuses an over-long
            // value; an explicit cast would cut it). Only a string column of another type (jsonb, text[]) needs the cast.
            var textual = column.StoreType.StartsWith("character", StringComparison.Ordinal) || column.StoreType == "text";
            var cast = element == typeof(string) && !textual ? column.StoreType : null;
            var properties = column.PropertyMappings.Select(m => m.Property).ToList();
            if (properties.Any(p => p.ValueGenerated != ValueGenerated.Never))
            {
                var identity = properties.All(p => NpgsqlPropertyExtensions.GetValueGenerationStrategy(p) is NpgsqlValueGenerationStrategy.IdentityByDefaultColumn or NpgsqlValueGenerationStrategy.SerialColumn);
                if (!identity || generated >= 0 || (clr != typeof(int) && clr != typeof(long)))
                    return new Unsupported($"column {table.Name}.{column.Name} is computed by the database, and not as a number of an identity column");
                generated = columns.Count;
            }
            columns.Add(new Column(column.Name, element, cast, textArray));
        }
        // A numbered key keys the row itself: several entity types sharing such a row could not be told apart.
        var key = columns.FindIndex(c => c.Name == pk.Columns[0].Name);
        if (generated == key && table.EntityTypeMappings.Count() > 1) return new Unsupported($"table {table.Name} is shared by several types and numbered by the database");
        return new Table(table.Name, [.. columns], key, generated);
    }
}
