namespace Dashboard.Contracts.Utils;

/// <summary>What a full <see cref="BoundedCache{TKey, TValue}"/> does with a key it does not hold.</summary>
public enum CacheOverflow
{
    /// <summary>The entry written longest ago makes room, and is handed to the cache's eviction callback.</summary>
    EvictOldest,

    /// <summary>
    /// The new key shares the entry of the cache's overflow key, kept beyond the capacity: for values that must
    /// not be dropped, such as metric series whose counts would be lost (past the bound they add up in one series).
    /// </summary>
    ShareOverflowKey,
}
