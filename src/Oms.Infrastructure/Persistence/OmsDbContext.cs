using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Oms.Domain.Access;
using Oms.Domain.Catalog;
using Oms.Domain.Common;
using Oms.Domain.Inventory;
using Oms.Domain.Routing;
using Oms.Domain.Webhooks;
using Oms.Domain.Orders;
using Oms.Infrastructure.Persistence.FastPath;

namespace Oms.Infrastructure.Persistence;

/// <summary>
/// The one unit of work. Provider differences (order-number sequence, unique-violation detection, time storage)
/// live in <see cref="PostgresOmsDbContext"/> and <see cref="SqliteOmsDbContext"/>, each with its own migrations.
/// </summary>
public abstract class OmsDbContext(DbContextOptions options) : DbContext(options)
{
    public DbSet<Product> Products => Set<Product>();
    public DbSet<Order> Orders => Set<Order>();
    public DbSet<Oms.Domain.Customers.Customer> Customers => Set<Oms.Domain.Customers.Customer>();
    public DbSet<Oms.Domain.Customers.CustomerContact> CustomerContacts => Set<Oms.Domain.Customers.CustomerContact>();
    public DbSet<ApiKey> ApiKeys => Set<ApiKey>();
    public DbSet<Role> Roles => Set<Role>();
    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<OutboxPending> OutboxPending => Set<OutboxPending>();
    public DbSet<FulfilmentNode> Nodes => Set<FulfilmentNode>();
    public DbSet<StockItem> Stock => Set<StockItem>();
    public DbSet<InventoryLedgerEntry> Ledger => Set<InventoryLedgerEntry>();
    public DbSet<Supplier> Suppliers => Set<Supplier>();
    public DbSet<PurchaseOrder> PurchaseOrders => Set<PurchaseOrder>();
    public DbSet<Allocation> Allocations => Set<Allocation>();
    public DbSet<Backorder> Backorders => Set<Backorder>();
    public DbSet<RoutingDecision> RoutingDecisions => Set<RoutingDecision>();
    public DbSet<Oms.Domain.Payments.Payment> Payments => Set<Oms.Domain.Payments.Payment>();
    public DbSet<ProcessedProviderEvent> ProcessedProviderEvents => Set<ProcessedProviderEvent>();
    public DbSet<ProviderOperation> ProviderOperations => Set<ProviderOperation>();
    public DbSet<WebhookSubscription> WebhookSubscriptions => Set<WebhookSubscription>();
    public DbSet<WebhookDelivery> WebhookDeliveries => Set<WebhookDelivery>();
    public DbSet<WebhookAttempt> WebhookAttempts => Set<WebhookAttempt>();
    public DbSet<Oms.Domain.Fulfilment.FulfilmentOrder> FulfilmentOrders => Set<Oms.Domain.Fulfilment.FulfilmentOrder>();
    public DbSet<Oms.Domain.Fulfilment.Shipment> Shipments => Set<Oms.Domain.Fulfilment.Shipment>();
    public DbSet<Oms.Domain.Returns.Return> Returns => Set<Oms.Domain.Returns.Return>();
    public DbSet<Oms.Domain.Documents.Document> Documents => Set<Oms.Domain.Documents.Document>();
    public DbSet<Oms.Domain.Documents.DocumentActivity> DocumentActivity => Set<Oms.Domain.Documents.DocumentActivity>();
    public DbSet<DocumentCounter> DocumentCounters => Set<DocumentCounter>();
    public DbSet<DocumentRequest> DocumentRequests => Set<DocumentRequest>();
    public DbSet<SigningKey> SigningKeys => Set<SigningKey>();
    public DbSet<ReportOrderRow> ReportOrders => Set<ReportOrderRow>();
    public DbSet<ReportLineRow> ReportLines => Set<ReportLineRow>();
    public DbSet<ReportRollupRow> ReportRollups => Set<ReportRollupRow>();
    public DbSet<ReportRequest> ReportRequests => Set<ReportRequest>();
    public DbSet<Oms.Domain.Reports.ExchangeRate> ExchangeRates => Set<Oms.Domain.Reports.ExchangeRate>();

    /// <summary>Takes the next number of a named sequence (<see cref="Sequences"/>).</summary>
    public abstract Task<long> NextNumberAsync(string sequence, CancellationToken ct);

    /// <summary>An order a use case already knows exists; served from the change tracker when this request loaded it before.</summary>
    public async Task<Order> OrderAsync(OrderId id, CancellationToken ct) =>
        await Orders.FindAsync([id], ct) ?? throw new InvalidOperationException($"Order {id} does not exist.");

    /// <summary>A time as the provider's columns store it (raw SQL parameters bypass EF's value converters).</summary>
    public abstract object StoreTime(DateTimeOffset time);

    /// <summary>A Guid as the provider's columns store it (uuid on PostgreSQL, upper-case text on SQLite, as EF writes it).</summary>
    public abstract object StoreId(Guid id);

    /// <summary>
    /// Tells every process listening on <paramref name="channel"/> (<see cref="DatabaseListener"/>) about a change that
    /// committed: PostgreSQL NOTIFY. SQLite has one process and nothing to tell.
    /// </summary>
    public virtual Task NotifyAsync(string channel, string payload, CancellationToken ct) => Task.CompletedTask;

    /// <summary>True when a raw command can take arrays as parameters (PostgreSQL's <c>unnest</c>), so one statement can touch many rows.</summary>
    public virtual bool HasArrayParameters => false;

    /// <summary>
    /// A hand-written command on the context's connection and transaction, for the few hot statements where EF cannot
    /// say what we need (an UPDATE … RETURNING). Counted like EF's own commands.
    /// </summary>
    /// <summary>
    /// Records that a provider's event (a Stripe event id) is being handled, inside the caller's transaction; false when
    /// it was recorded before. A duplicate is ordinary traffic (providers deliver at least once): it is found by the
    /// insert itself, not by a failed save that EF would log as an error.
    /// </summary>
    public async Task<bool> RecordProviderEventAsync(string provider, string eventId, DateTimeOffset receivedAt, CancellationToken ct)
    {
        await using var command = RawCommand(
            "INSERT INTO processed_provider_events (provider, event_id, received_at) VALUES (@provider, @event, @at) ON CONFLICT DO NOTHING",
            ("provider", provider), ("event", eventId), ("at", StoreTime(receivedAt)));
        return await command.ExecuteNonQueryAsync(ct) == 1;
    }

    public System.Data.Common.DbCommand RawCommand(string sql, params (string Name, object? Value)[] parameters)
    {
        var command = Database.GetDbConnection().CreateCommand();
        command.CommandText = sql;
        command.Transaction = Microsoft.EntityFrameworkCore.Storage.DbContextTransactionExtensions.GetDbTransaction(
            Database.CurrentTransaction ?? throw new InvalidOperationException("Raw commands run inside a transaction."));
        WriteTransactionSettings.Apply(command, this);
        foreach (var (name, value) in parameters)
        {
            var p = command.CreateParameter();
            p.ParameterName = name;
            p.Value = value ?? DBNull.Value;
            command.Parameters.Add(p);
        }
        SqlCommandCounter.CountOne();
        return command;
    }

    /// <summary>
    /// Hand-written statements sent in one round trip, each with positional parameters (<c>$1</c>, <c>$2</c>, … numbered
    /// per statement) on the context's connection and transaction; PostgreSQL only (<see cref="HasArrayParameters"/>).
    /// Npgsql sends positional statements as they are, where named ones are parsed and rewritten on every execution (for
    /// a checkout's write, a long statement with some 140 parameters: a tenth of everything a checkout allocated). The
    /// transaction's settings (<see cref="WriteTransactionSettings"/>) go in front when due, with a result of no columns.
    /// Counted like EF's own commands.
    /// </summary>
    public RoundTrip RawBatch(params Statement[] statements)
    {
        var settings = TransactionSettingsPending ? WriteTransactionSettings.Statement : null;
        TransactionSettingsPending = false;
        return new RoundTrip(Database.GetDbConnection(), Microsoft.EntityFrameworkCore.Storage.DbContextTransactionExtensions.GetDbTransaction(
            Database.CurrentTransaction ?? throw new InvalidOperationException("Raw commands run inside a transaction.")), settings, statements);
    }

    /// <summary>True when the save failed on a unique index (a duplicate SKU, channel reference or idempotency key).</summary>
    public abstract bool IsUniqueViolation(DbUpdateException exception);

    /// <summary>
    /// Locks customers by id, in id order, for the rest of the transaction against anyone who reads them with a share
    /// lock (a checkout reading its customer) as well as against writers. SQLite has one writer at a time: nothing to
    /// do there.
    /// </summary>
    public virtual Task LockCustomersAsync(IReadOnlyCollection<Guid> ids, CancellationToken ct) => Task.CompletedTask;

    /// <summary>
    /// The erasure gate, held to the end of the transaction (PostgreSQL advisory locks: in memory, nothing written):
    /// <paramref name="exclusive"/> by an erasure, shared by whoever copies personal data out of orders (the document
    /// issuer). An erasure waits for the copies in flight and scrubs what they wrote; a copy that starts later waits
    /// for the erasure and reads the placeholders. SQLite has one writer at a time: nothing to do there.
    /// </summary>
    public virtual Task EnterErasureGateAsync(bool exclusive, CancellationToken ct) => Task.CompletedTask;

    /// <summary>A unique violation on <paramref name="table"/> (on SQLite, which does not say where, any unique violation).</summary>
    public virtual bool IsUniqueViolationOn(DbUpdateException exception, string table) => IsUniqueViolation(exception);

    protected override void OnModelCreating(ModelBuilder modelBuilder) =>
        modelBuilder.ApplyConfigurationsFromAssembly(typeof(OmsDbContext).Assembly, t => t.Namespace == typeof(OmsDbContext).Namespace + ".Configurations");

    /// <summary>Maps events to webhook data; set once per pooled instance by the composition root.</summary>
    public IEventDataMapper? EventMapper { get; set; }

    public OutboxSignal? OutboxSignal { get; set; }

    /// <summary>Who acts in a save, for the audit trail (<see cref="Audit.AuditTrail"/>); set once per pooled instance by the composition root. Null: no trail (tools).</summary>
    public Audit.IAuditActorSource? AuditActors { get; set; }

    public DbSet<Audit.AuditEvent> AuditEvents => Set<Audit.AuditEvent>();

    public DbSet<Oms.Domain.Notifications.Notification> Notifications => Set<Oms.Domain.Notifications.Notification>();

    public DbSet<Oms.Domain.Notifications.NotificationTemplate> NotificationTemplates => Set<Oms.Domain.Notifications.NotificationTemplate>();

    /// <summary>What a save sets off in its transaction once its rows are written; set once per pooled instance by the composition root.</summary>
    public ISaveFollower? SaveFollower { get; set; }

    internal bool NotifyOnCommit { get; set; }

    /// <summary>True from the start of one of our transactions until its first command carries its settings (<see cref="WriteTransactionSettings"/>).</summary>
    internal bool TransactionSettingsPending { get; set; }

    /// <summary>True while EF writes a save (and opens its own transaction when the caller has none).</summary>
    internal bool Saving { get; private set; }

    public override async Task<int> SaveChangesAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken = default)
    {
        // Changes are detected once, here: each ChangeTracker.Entries() call and the save itself would scan every
        // tracked entity again. Nothing below changes an entity (the event data is a read-only projection).
        ChangeTracker.DetectChanges();
        var touched = SaveFollower is { } follower ? Untouched(() => follower.Touched(this)) : null;
        if (touched is { Count: > 0 } && Database.CurrentTransaction is null)
        {
            // The save and what follows it commit together.
            await using var tx = await Database.BeginTransactionAsync(cancellationToken);
            var n = await SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
            await tx.CommitAsync(cancellationToken);
            return n;
        }
        var autoDetect = ChangeTracker.AutoDetectChangesEnabled;
        ChangeTracker.AutoDetectChangesEnabled = false;
        int written;
        try
        {
            BumpVersions();
            // The trail of this save rides in it: what rolls back leaves no event behind.
            if (AuditActors is { } actors)
                Audit.AuditTrail.Record(this, ChangeTracker.Entries(), _oneStatement?.Added, actors);
            written = await SaveWithOutboxAsync(acceptAllChangesOnSuccess, cancellationToken);
        }
        finally
        {
            ChangeTracker.AutoDetectChangesEnabled = autoDetect;
        }
        if (touched is { Count: > 0 }) written += await SaveFollower!.FollowAsync(this, touched, cancellationToken);
        return written;
    }

    /// <summary>Reads the change tracker without detecting changes again (the save just did).</summary>
    private T Untouched<T>(Func<T> read)
    {
        var autoDetect = ChangeTracker.AutoDetectChangesEnabled;
        ChangeTracker.AutoDetectChangesEnabled = false;
        try
        {
            return read();
        }
        finally
        {
            ChangeTracker.AutoDetectChangesEnabled = autoDetect;
        }
    }

    /// <summary>
    /// Every aggregate root this save changes gets the next version: one whose own columns changed, or that raised an
    /// event (a change in what it owns). The version it was read at stays the concurrency check. New roots start at 1.
    /// </summary>
    private void BumpVersions()
    {
        foreach (var entry in ChangeTracker.Entries<AggregateRoot>())
        {
            if (entry.State is not (EntityState.Modified or EntityState.Unchanged)) continue;
            if (entry.State == EntityState.Unchanged && entry.Entity.DomainEvents.Count == 0) continue;
            var version = entry.Property(r => r.Version);
            version.CurrentValue = version.OriginalValue + 1;
        }
    }

    /// <summary>The JSON the last save's events carry for each of its aggregates, until <see cref="TakeSavedJson"/>.</summary>
    private Dictionary<AggregateRoot, string>? _savedJson;

    /// <summary>
    /// The JSON the last save wrote with <paramref name="root"/>'s events: the resource as webhooks show it, serialized
    /// at that save (<see cref="IEventDataMapper"/>), or null when the aggregate raised no event in it or has raised one
    /// since. Take it right after the save: a change that raises no event would not show.
    /// Forgets the save's JSON, so a pooled context holds no aggregate of an earlier request.
    /// </summary>
    public string? TakeSavedJson(AggregateRoot root)
    {
        var json = root.DomainEvents.Count == 0 ? _savedJson?.GetValueOrDefault(root) : null;
        _savedJson = null;
        return json;
    }

    /// <summary>The save <see cref="SaveInOneStatementAsync"/> asked for, until <see cref="SaveWithOutboxAsync"/> takes it.</summary>
    private OneStatement? _oneStatement;

    /// <param name="Declined">Set when the statement could not write the save, EF wrote it, and the COMMIT is the caller's.</param>
    private sealed record OneStatement(List<object> Added, Statement? SentWith, Statement? Within)
    {
        public string? Declined { get; set; }
    }

    /// <summary>
    /// The fast path's save (<see cref="FastPath.FastCheckoutWriter"/>, PostgreSQL, inside the caller's transaction):
    /// <paramref name="added"/> (new aggregates the change tracker never saw), whatever is tracked as added, and the
    /// events of both, written by one statement (<see cref="InsertOnlySave"/>), then <paramref name="sentWith"/> and the
    /// COMMIT, in one round trip. Should the statement not be able to write the save, EF writes it (after
    /// <paramref name="sentWith"/>) and the caller commits: the answer is then why, and null when the save committed.
    /// </summary>
    /// <param name="within">Steps written into the statement's <c>WITH</c> (see <see cref="InsertOnlySave.TryAsync"/>); run on their own when EF writes the save.</param>
    internal async Task<string?> SaveInOneStatementAsync(List<object> added, Statement? sentWith, CancellationToken ct, Statement? within = null)
    {
        if (!HasArrayParameters || Database.CurrentTransaction is null) throw new InvalidOperationException("The one-statement save runs on PostgreSQL, inside a transaction.");
        var save = _oneStatement = new OneStatement(added, sentWith, within);
        try
        {
            await SaveChangesAsync(ct);
        }
        finally
        {
            _oneStatement = null;
        }
        if (save.Declined is null)
        {
            // EF did not see this commit, so its interceptors did not run: what OutboxCommitInterceptor would do.
            TransactionSettingsPending = false;
            if (NotifyOnCommit)
            {
                NotifyOnCommit = false;
                OutboxSignal?.Notify();
            }
        }
        return save.Declined;
    }

    private async Task<int> SaveWithOutboxAsync(bool acceptAllChangesOnSuccess, CancellationToken cancellationToken)
    {
        // The outbox rows ride in the same transaction as the change that raised them.
        var direct = HasArrayParameters && Database.CurrentTransaction is not null;
        var one = _oneStatement;
        _oneStatement = null;
        var untracked = one?.Added ?? [];
        // The events go out in the order their aggregates were added, as EF's own save numbers them: a checkout adds its
        // new graph first, and whatever it tracks after (a backorder, a purchase order its reservation set off).
        var roots = new List<AggregateRoot>();
        foreach (var aggregate in untracked)
            if (aggregate is AggregateRoot { DomainEvents.Count: > 0 } root) roots.Add(root);
        var changed = new List<Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry>();
        List<OutboxMessage>? queued = null; // rows added directly (stock crossings, pings)
        foreach (var entry in ChangeTracker.Entries())
        {
            if (entry.State != EntityState.Unchanged) changed.Add(entry);
            if (entry.Entity is AggregateRoot { DomainEvents.Count: > 0 } root) roots.Add(root);
            else if (entry is { Entity: OutboxMessage message, State: EntityState.Added }) (queued ??= []).Add(message);
        }
        var outbox = new List<OutboxMessage>();
        _savedJson = null;
        var payloads = new Dictionary<AggregateRoot, string>(roots.Count, ReferenceEqualityComparer.Instance);
        foreach (var root in roots)
        {
            // Every event of one aggregate carries the aggregate as it is at commit: serialized once, stored once.
            var events = root.DomainEvents.ToList();
            var payload = (await OutboxRowAsync(events[^1], root, cancellationToken)).Payload!;
            outbox.AddRange(OutboxMessage.SharingPayload(events, payload));
            if (EventMapper is not null) payloads[root] = payload; // the resource's JSON, not the bare event's
        }
        // Inside a transaction on PostgreSQL the events skip EF's unit of work: one hand-written INSERT of all of them
        // and of their pending entry (EF would generate, parameterize and read back one INSERT per row), the rows added
        // directly too but for a test ping (the statement has no column for its target). Elsewhere EF writes them.
        // Every event is pending until the dispatcher takes it: one entry per save.
        List<Microsoft.EntityFrameworkCore.ChangeTracking.EntityEntry>? handed = null;
        if (direct && queued is not null)
        {
            handed = changed.FindAll(e => e.Entity is OutboxMessage { TargetSubscriptionId: null } && e.State == EntityState.Added);
            changed.RemoveAll(handed.Contains);
            foreach (var entry in handed)
            {
                var message = (OutboxMessage)entry.Entity;
                queued.Remove(message);
                outbox.Add(message);
                entry.State = EntityState.Detached; // restored below should the save fail
            }
            if (queued.Count == 0) queued = null;
        }
        if (!direct) OutboxMessages.AddRange(outbox);
        var viaEf = direct ? queued ?? [] : [.. outbox, .. queued ?? []];
        if (viaEf.Count > 0) changed.Add(Entry(OutboxPending.Add(Persistence.OutboxPending.For(viaEf)).Entity));
        try
        {
            var hasEvents = outbox.Count > 0 || queued is not null;
            // Our transactions are all or nothing: a failed save ends the request and rolls everything back, so EF's
            // automatic savepoint around a save inside a transaction (two more statements per save) buys nothing.
            // Set on every save because a pooled context resets it between requests.
            Database.AutoSavepointsEnabled = false;
            var sentWith = one?.SentWith;
            // The fast path's save (a checkout) goes out as one statement with its events, when it can; others go through EF.
            if (one is not null)
            {
                var (inserted, declined) = await InsertOnlySave.TryAsync(this, changed, untracked, outbox, sentWith, commit: true, acceptAllChangesOnSuccess, cancellationToken, one.Within);
                if (inserted is { } rows)
                {
                    Saved(roots, hasEvents, payloads);
                    return rows;
                }
                one.Declined = declined;
            }
            // The steps that were to go in front of the inserts, on their own: they change rows that exist already.
            Statement? alone = one?.Within is { } steps ? new Statement("WITH " + steps.Sql + " SELECT 1", steps.Parameters, Types: steps.Types) : null;
            if (alone is not null || sentWith is not null)
            {
                await using var batch = alone is { } a && sentWith is { } s ? RawBatch(a, s) : RawBatch(alone ?? sentWith!.Value);
                try
                {
                    await batch.ExecuteNonQueryAsync(cancellationToken);
                }
                catch (System.Data.Common.DbException e)
                {
                    throw new DbUpdateException("The statement sent with the save failed. See the inner exception for details.", e);
                }
            }
            AddRange(untracked); // not one statement's work: EF writes them
            int written;
            Saving = true;
            try
            {
                written = await base.SaveChangesAsync(acceptAllChangesOnSuccess, cancellationToken);
            }
            finally
            {
                Saving = false;
            }
            // After the state change, as EF's batch would: an aggregate's update takes its row lock first, so its events
            // get their sequence numbers in commit order.
            if (direct && outbox.Count > 0) written += await InsertOutboxAsync(outbox, cancellationToken);
            Saved(roots, hasEvents, payloads);
            return written;
        }
        catch when (handed is not null)
        {
            foreach (var entry in handed) entry.State = EntityState.Added; // as they were: a retried save writes them
            throw;
        }
    }

    private void Saved(List<AggregateRoot> roots, bool hasEvents, Dictionary<AggregateRoot, string> payloads)
    {
        foreach (var root in roots) root.ClearDomainEvents();
        _savedJson = payloads.Count > 0 ? payloads : null;
        if (hasEvents)
        {
            if (Database.CurrentTransaction is null) OutboxSignal?.Notify();
            else NotifyOnCommit = true; // OutboxCommitInterceptor wakes the dispatcher once the transaction commits
        }
    }

    /// <summary>Writes aggregates' events (for every subscriber: no target) with one statement, numbered in the order given.</summary>
    private async Task<int> InsertOutboxAsync(List<OutboxMessage> rows, CancellationToken ct)
    {
        await using var batch = RawBatch(new Statement(OutboxAlone, OutboxParameters(rows), Reused: true));
        return rows.Count + await batch.ExecuteNonQueryAsync(ct); // as EF counts: the events and their pending entry
    }

    private static readonly string OutboxAlone = Numbered($"WITH o AS ({OutboxInsert}{OutboxReturning}) {PendingInsert}", 1);

    /// <summary>
    /// The events' two inserts as <c>WITH</c> items, <c>o AS (…), p AS (…), </c>, their parameters
    /// (<see cref="OutboxParameters"/>) numbered from <c>$</c><paramref name="first"/>.
    /// </summary>
    internal static string OutboxSql(int first) => Numbered($"o AS ({OutboxInsert}{OutboxReturning}), p AS ({PendingInsert}), ", first);

    /// <summary>
    /// As <see cref="OutboxSql(int)"/> for <paramref name="rows"/> events as <c>VALUES</c>, one parameter per value
    /// (<see cref="OutboxValues"/>, typed by <see cref="OutboxTypes"/>): a checkout's seven events without a function scan
    /// or an array to take apart. The events are numbered in the order of the list.
    /// </summary>
    internal static string OutboxSql(int first, int rows)
    {
        var values = string.Join(", ", Enumerable.Range(0, rows).Select(r =>
            "(" + string.Join(", ", Enumerable.Range(first + r * OutboxColumns, OutboxColumns).Select(n => "$" + n)) + ")"));
        return $"o AS (INSERT INTO {OutboxTable} VALUES " + values +
            OutboxReturning + "), p AS (" + PendingInsert + "), ";
    }

    /// <summary>The types of one event's <see cref="OutboxValues"/>.</summary>
    internal static readonly System.Data.DbType?[] OutboxTypes =
        [System.Data.DbType.Guid, System.Data.DbType.String, System.Data.DbType.Guid, System.Data.DbType.DateTimeOffset, System.Data.DbType.String, System.Data.DbType.Guid,
         System.Data.DbType.String];

    /// <summary>The values of <see cref="OutboxSql(int, int)"/>'s parameters, event after event, into <paramref name="into"/> from <paramref name="at"/>.</summary>
    internal static void OutboxValues(List<OutboxMessage> rows, object?[] into, int at)
    {
        foreach (var m in rows)
        {
            into[at++] = m.Id;
            into[at++] = m.Type;
            into[at++] = m.AggregateId;
            into[at++] = m.OccurredAt.ToUniversalTime();
            into[at++] = m.Payload;
            into[at++] = m.PayloadFrom;
            into[at++] = m.Detail;
        }
    }

    private static string Numbered(string format, int first) =>
        string.Format(System.Globalization.CultureInfo.InvariantCulture, format, Enumerable.Range(first, OutboxColumns).Select(n => (object)("$" + n)).ToArray());

    /// <summary>
    /// The aggregates' events as one INSERT of arrays, numbered in the order given (the dispatcher delivers an
    /// aggregate's events in that order). A format: {0} to {6} are the parameters of <see cref="OutboxParameters"/>.
    /// </summary>
    private const string OutboxInsert =
        "INSERT INTO " + OutboxTable + " " +
        "SELECT id, type, aggregate_id, occurred_at, payload, payload_from, detail FROM unnest({0}, {1}, {2}, {3}, {4}, {5}, {6}) " +
        "WITH ORDINALITY AS m(id, type, aggregate_id, occurred_at, payload, payload_from, detail, n) ORDER BY n";

    /// <summary>The events' table and the columns an insert gives, in <see cref="OutboxParameters"/> order.</summary>
    private const string OutboxTable = "outbox_messages (id, type, aggregate_id, occurred_at, payload, payload_from, detail)";

    /// <summary>What the events' insert (<c>o</c>) returns for their pending entry.</summary>
    private const string OutboxReturning = " RETURNING id, aggregate_id";

    /// <summary>The events' one pending entry (<see cref="Persistence.OutboxPending"/>), from what their insert <c>o</c> returned.</summary>
    private const string PendingInsert =
        "INSERT INTO outbox_pending (message_ids, aggregate_ids) " +
        "SELECT array_agg(id), array_agg(DISTINCT aggregate_id) FROM o HAVING count(*) > 0";

    /// <summary>The number of <see cref="OutboxParameters"/>.</summary>
    internal const int OutboxColumns = 7;

    /// <summary>The values of <see cref="OutboxInsert"/>'s parameters, in order: one array per column.</summary>
    internal static object?[] OutboxParameters(List<OutboxMessage> rows)
    {
        var (ids, types, aggregates, times, payloads, payloadFrom, details) = (new Guid[rows.Count], new string[rows.Count], new Guid[rows.Count],
            new DateTimeOffset[rows.Count], new string?[rows.Count], new Guid?[rows.Count], new string?[rows.Count]);
        for (var i = 0; i < rows.Count; i++)
        {
            var m = rows[i];
            (ids[i], types[i], aggregates[i], times[i], payloads[i], payloadFrom[i], details[i]) =
                (m.Id, m.Type, m.AggregateId, m.OccurredAt.ToUniversalTime(), m.Payload, m.PayloadFrom, m.Detail);
        }
        return [ids, types, aggregates, times, payloads, payloadFrom, details];
    }

    /// <summary>An outbox row for an event that no aggregate raised (stock counters change by SQL, not through an aggregate).</summary>
    public async Task AddEventAsync(IDomainEvent e, CancellationToken ct) => OutboxMessages.Add(await OutboxRowAsync(e, null, ct));

    /// <summary>After committing a transaction that wrote events.</summary>
    public void NotifyOutbox() => OutboxSignal?.Notify();

    private async Task<OutboxMessage> OutboxRowAsync(IDomainEvent e, AggregateRoot? root, CancellationToken ct) =>
        EventMapper is { } mapper
            ? OutboxMessage.From(e, await mapper.DataAsync(e, root, this, ct), mapper.Json)
            : OutboxMessage.From(e, e, Json);

    internal static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);
}
