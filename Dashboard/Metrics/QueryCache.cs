using System.Globalization;
using Dashboard.Contracts.Utils;

namespace Dashboard.Metrics;

/// <summary>
/// Shares query answers between the viewers of the same table: within one refresh interval a query is
/// sent once, however many viewers ask; callers that ask while it is in flight await the same task. A
/// failed query is forgotten at once, so the next caller retries. Bounded: past the capacity the stale entries go,
/// then the oldest.
/// </summary>
public sealed class QueryCache
{
    public static readonly TimeSpan DefaultLifetime = TimeSpan.FromSeconds(5);
    public const int DefaultCapacity = 256;

    private readonly Lock _gate = new();
    private readonly BoundedCache<string, Entry> _entries;
    private readonly TimeProvider _time;
    private long _hits;
    private long _misses;

    /// <param name="time">The clock that ages entries.</param>
    /// <param name="lifetime">How long an answer is reused: the dashboard's refresh interval.</param>
    /// <param name="capacity">The most entries kept.</param>
    public QueryCache(TimeProvider time, TimeSpan? lifetime = null, int capacity = DefaultCapacity)
    {
        ArgumentNullException.ThrowIfNull(time);
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _time = time;
        Lifetime = lifetime ?? DefaultLifetime;
        ArgumentOutOfRangeException.ThrowIfLessThan(Lifetime, TimeSpan.Zero, nameof(lifetime));
        _entries = new BoundedCache<string, Entry>(capacity, StringComparer.Ordinal);
    }

    public TimeSpan Lifetime { get; }

    public int Capacity => _entries.Capacity;

    /// <summary>Calls answered from an entry (fresh or in flight).</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Calls that ran the query.</summary>
    public long Misses => Interlocked.Read(ref _misses);

    public int Count => _entries.Count;

    /// <summary>The key of an instant query at a given time (a query at "now" is keyed by its expression alone).</summary>
    public static string InstantKey(string promql, DateTimeOffset time) =>
        string.Create(CultureInfo.InvariantCulture, $"{promql}\n@{time.ToUnixTimeMilliseconds()}");

    /// <summary>The key of a range query: the expression and the range.</summary>
    public static string RangeKey(string promql, QueryRange range) => string.Create(CultureInfo.InvariantCulture,
        $"{promql}\n{range.Start.ToUnixTimeMilliseconds()}\n{range.End.ToUnixTimeMilliseconds()}\n{range.Step.Ticks}");

    /// <summary>
    /// The answer of <paramref name="query"/> for <paramref name="key"/>, run at most once per
    /// <see cref="Lifetime"/>. The query runs without the caller's token, because other callers may be
    /// waiting on it (it must carry its own timeout); <paramref name="cancellationToken"/> only stops this
    /// caller's wait.
    /// </summary>
    public Task<T> GetOrAddAsync<T>(string key, Func<CancellationToken, Task<T>> query, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(query);
        Entry entry;
        TaskCompletionSource<T> answer;
        lock (_gate)
        {
            var now = _time.GetTimestamp();
            if (_entries.TryGetValue(key, out var existing) && !IsStale(existing, now))
            {
                Interlocked.Increment(ref _hits);
                return ((Task<T>)existing.Task).WaitAsync(cancellationToken);
            }

            answer = new TaskCompletionSource<T>(TaskCreationOptions.RunContinuationsAsynchronously);
            entry = new Entry(answer.Task, now);
            if (_entries.Count >= Capacity)
            {
                // Stale entries go first; only then does the cache give up the oldest fresh one.
                _entries.RemoveWhere((_, e) => IsStale(e, now));
            }

            _entries.Set(key, entry);
            Interlocked.Increment(ref _misses);
        }

        _ = RunAsync(key, entry, query, answer);
        return answer.Task.WaitAsync(cancellationToken);
    }

    /// <summary>Forgets every entry; queries in flight still complete for those awaiting them.</summary>
    public void Clear() => _entries.Clear();

    private async Task RunAsync<T>(string key, Entry entry, Func<CancellationToken, Task<T>> query, TaskCompletionSource<T> answer)
    {
        try
        {
            answer.SetResult(await query(CancellationToken.None).ConfigureAwait(false));
        }
        catch (Exception e)
        {
            // Forget before completing, so that whoever sees this failure and asks again gets a new query.
            _entries.Remove(key, entry);

            if (e is OperationCanceledException canceled)
            {
                answer.SetCanceled(canceled.CancellationToken);
            }
            else
            {
                answer.SetException(e);
            }
        }
    }

    // An entry in flight is never stale: a slow query is joined, not sent again.
    private bool IsStale(Entry entry, long now) =>
        entry.Task.IsCompleted && _time.GetElapsedTime(entry.Created, now) >= Lifetime;

    private sealed record Entry(Task Task, long Created);
}
