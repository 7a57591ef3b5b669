using GraphQL.DataLoader;

namespace Oms.Api.Platform.GraphQL;

/// <summary>
/// Collects the keys a GraphQL level asks for and fetches them in one call when the first result is awaited
/// (GraphQL.NET's execution strategies await <see cref="IDataLoaderResult"/>s only after resolving the whole level).
/// One instance per request; the GraphQL.DataLoader package is not available here, so this is ours.
/// </summary>
public sealed class BatchLoader<TKey, TValue>(Func<IReadOnlyCollection<TKey>, CancellationToken, Task<Dictionary<TKey, TValue>>> fetch)
    where TKey : notnull where TValue : class
{
    private readonly Dictionary<TKey, TValue?> _loaded = [];
    private HashSet<TKey> _pending = [];
    private readonly SemaphoreSlim _gate = new(1, 1);

    public IDataLoaderResult<TValue?> Load(TKey key)
    {
        lock (_loaded)
        {
            if (!_loaded.ContainsKey(key)) _pending.Add(key);
        }
        return new Result(this, key);
    }

    private async Task<TValue?> GetAsync(TKey key, CancellationToken ct)
    {
        await _gate.WaitAsync(ct);
        try
        {
            HashSet<TKey> batch;
            lock (_loaded)
            {
                if (_loaded.TryGetValue(key, out var known)) return known;
                batch = _pending;
                _pending = [];
            }
            var found = await fetch(batch, ct);
            lock (_loaded)
            {
                foreach (var k in batch) _loaded[k] = found.GetValueOrDefault(k);
                return _loaded.GetValueOrDefault(key);
            }
        }
        finally
        {
            _gate.Release();
        }
    }

    private sealed class Result(BatchLoader<TKey, TValue> loader, TKey key) : IDataLoaderResult<TValue?>
    {
        public Task<TValue?> GetResultAsync(CancellationToken cancellationToken = default) => loader.GetAsync(key, cancellationToken);

        async Task<object?> IDataLoaderResult.GetResultAsync(CancellationToken cancellationToken) => await GetResultAsync(cancellationToken);
    }
}
