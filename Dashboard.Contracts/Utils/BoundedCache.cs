using System.Collections.Concurrent;
using System.Diagnostics.CodeAnalysis;

namespace Dashboard.Contracts.Utils;

/// <summary>
/// A cache that holds at most <see cref="Capacity"/> entries, shared by the sidecar's request path and the
/// dashboard. Thread-safe: a hit is one lock-free dictionary read (the request path reads on every request), writes
/// take a lock. "Oldest" is the entry written longest ago (added or replaced); reads do not reorder, so a hit costs
/// no write. Past the capacity it follows its <see cref="Overflow"/> policy.
/// </summary>
public sealed class BoundedCache<TKey, TValue>
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, Entry> _entries;
    private readonly LinkedList<TKey> _order = new(); // oldest first; written under _gate
    private readonly Lock _gate = new();
    private readonly Action<TKey, TValue>? _evicted;
    private readonly TKey? _overflowKey;

    /// <summary>A cache that evicts its oldest entry to make room (<see cref="CacheOverflow.EvictOldest"/>).</summary>
    /// <param name="evicted">
    /// Called with each entry evicted to make room (not with those removed or cleared by the owner), after the cache's
    /// lock is released: where a value owns something outside the cache, such as metric series, it removes it.
    /// </param>
    public BoundedCache(int capacity, IEqualityComparer<TKey>? comparer = null, Action<TKey, TValue>? evicted = null)
        : this(capacity, comparer, CacheOverflow.EvictOldest, default, evicted)
    {
    }

    private BoundedCache(int capacity, IEqualityComparer<TKey>? comparer, CacheOverflow overflow, TKey? overflowKey, Action<TKey, TValue>? evicted)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        Capacity = capacity;
        Overflow = overflow;
        _overflowKey = overflowKey;
        _evicted = evicted;
        _entries = new ConcurrentDictionary<TKey, Entry>(comparer);
    }

    /// <summary>
    /// A cache in which, once <paramref name="capacity"/> other keys are held, every new key shares the entry of
    /// <paramref name="overflowKey"/> (<see cref="CacheOverflow.ShareOverflowKey"/>); nothing is ever evicted.
    /// </summary>
    public BoundedCache(int capacity, TKey overflowKey, IEqualityComparer<TKey>? comparer)
        : this(capacity, comparer, CacheOverflow.ShareOverflowKey, overflowKey ?? throw new ArgumentNullException(nameof(overflowKey)), null)
    {
    }

    public int Capacity { get; }

    public CacheOverflow Overflow { get; }

    /// <summary>Entries held; with <see cref="CacheOverflow.ShareOverflowKey"/>, the overflow key's comes on top of the capacity.</summary>
    public int Count => _entries.Count;

    public bool TryGetValue(TKey key, [MaybeNullWhen(false)] out TValue value)
    {
        if (_entries.TryGetValue(key, out var entry))
        {
            value = entry.Value;
            return true;
        }

        value = default;
        return false;
    }

    /// <summary>The value of <paramref name="key"/>, made once by <paramref name="create"/> (under the lock) when absent.</summary>
    public TValue GetOrAdd(TKey key, Func<TKey, TValue> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        return GetOrAdd(key, static (k, make) => make(k), create);
    }

    /// <summary>
    /// As <see cref="GetOrAdd(TKey, Func{TKey, TValue})"/>, with the state <paramref name="create"/> needs passed in,
    /// so that a static lambda allocates no closure on the request path. A full cache sharing its overflow key
    /// passes that key to <paramref name="create"/>.
    /// </summary>
    public TValue GetOrAdd<TArgument>(TKey key, Func<TKey, TArgument, TValue> create, TArgument argument)
    {
        ArgumentNullException.ThrowIfNull(create);
        if (_entries.TryGetValue(key, out var found))
        {
            return found.Value;
        }

        List<(TKey, TValue)>? evicted = null;
        TValue value;
        lock (_gate)
        {
            key = Destination(key);
            if (_entries.TryGetValue(key, out found))
            {
                return found.Value;
            }

            value = create(key, argument);
            Insert(key, value, ref evicted);
        }

        Notify(evicted);
        return value;
    }

    /// <summary>Adds or replaces the value of <paramref name="key"/>; either way it becomes the newest entry.</summary>
    public void Set(TKey key, TValue value) => AddOrUpdate(key, value, static (_, added) => added);

    /// <summary>
    /// Adds <paramref name="value"/>, or replaces the value held with <paramref name="choose"/>(held, offered); either
    /// way the entry becomes the newest. Returns the value now held. In a full cache sharing its overflow key, a new
    /// key's write goes to the overflow key's entry, as its reads do.
    /// </summary>
    public TValue AddOrUpdate(TKey key, TValue value, Func<TValue, TValue, TValue> choose)
    {
        ArgumentNullException.ThrowIfNull(choose);
        List<(TKey, TValue)>? evicted = null;
        lock (_gate)
        {
            key = Destination(key);
            if (_entries.TryGetValue(key, out var held))
            {
                value = choose(held.Value, value);
                _order.Remove(held.Node);
                _order.AddLast(held.Node);
                _entries[key] = new Entry(value, held.Node);
            }
            else
            {
                Insert(key, value, ref evicted);
            }
        }

        Notify(evicted);
        return value;
    }

    public bool Remove(TKey key)
    {
        lock (_gate)
        {
            if (!_entries.TryRemove(key, out var entry))
            {
                return false;
            }

            _order.Remove(entry.Node);
            return true;
        }
    }

    /// <summary>Removes <paramref name="key"/> only while it still holds <paramref name="value"/>, not a value written since.</summary>
    public bool Remove(TKey key, TValue value)
    {
        lock (_gate)
        {
            if (!_entries.TryGetValue(key, out var entry) || !EqualityComparer<TValue>.Default.Equals(entry.Value, value))
            {
                return false;
            }

            _entries.TryRemove(key, out _);
            _order.Remove(entry.Node);
            return true;
        }
    }

    /// <summary>Removes every entry <paramref name="predicate"/> picks; returns how many.</summary>
    public int RemoveWhere(Func<TKey, TValue, bool> predicate)
    {
        ArgumentNullException.ThrowIfNull(predicate);
        lock (_gate)
        {
            var removed = 0;
            for (var node = _order.First; node is not null;)
            {
                var next = node.Next;
                if (predicate(node.Value, _entries[node.Value].Value))
                {
                    _entries.TryRemove(node.Value, out _);
                    _order.Remove(node);
                    removed++;
                }

                node = next;
            }

            return removed;
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _entries.Clear();
            _order.Clear();
        }
    }

    // Under _gate: where a key not held goes. Only a full cache sharing its overflow key sends it elsewhere.
    private TKey Destination(TKey key)
    {
        if (Overflow != CacheOverflow.ShareOverflowKey || _entries.ContainsKey(key))
        {
            return key;
        }

        var others = _entries.Count - (_entries.ContainsKey(_overflowKey!) ? 1 : 0);
        return others >= Capacity ? _overflowKey! : key;
    }

    // Under _gate, for a key not held.
    private void Insert(TKey key, TValue value, ref List<(TKey, TValue)>? evicted)
    {
        while (Overflow == CacheOverflow.EvictOldest && _entries.Count >= Capacity && _order.First is { } oldest)
        {
            _entries.TryRemove(oldest.Value, out var gone);
            _order.RemoveFirst();
            (evicted ??= []).Add((oldest.Value, gone!.Value));
        }

        _entries[key] = new Entry(value, _order.AddLast(key));
    }

    private void Notify(List<(TKey Key, TValue Value)>? evicted)
    {
        if (_evicted is null || evicted is null)
        {
            return;
        }

        foreach (var (key, value) in evicted)
        {
            _evicted(key, value);
        }
    }

    private sealed record Entry(TValue Value, LinkedListNode<TKey> Node);
}
