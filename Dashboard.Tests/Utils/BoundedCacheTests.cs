using System.Globalization;
using Dashboard.Contracts.Utils;

namespace Dashboard.Tests.Utils;

public sealed class BoundedCacheTests
{
    [Fact]
    public void A_full_cache_evicts_the_entry_written_longest_ago()
    {
        var evicted = new List<(string, int)>();
        var cache = new BoundedCache<string, int>(2, evicted: (key, value) => evicted.Add((key, value)));

        cache.Set("a", 1);
        cache.Set("b", 2);
        Assert.True(cache.TryGetValue("a", out _)); // a read does not make "a" newer
        cache.Set("c", 3);

        Assert.Equal([("a", 1)], evicted);
        Assert.False(cache.TryGetValue("a", out _));
        Assert.Equal([2, 3], new[] { "b", "c" }.Select(k => cache.TryGetValue(k, out var v) ? v : -1));
        Assert.Equal(2, cache.Count);
    }

    [Fact]
    public void Replacing_a_value_makes_it_the_newest_without_evicting()
    {
        var evicted = new List<string>();
        var cache = new BoundedCache<string, int>(2, evicted: (key, _) => evicted.Add(key));

        cache.Set("a", 1);
        cache.Set("b", 2);
        cache.Set("a", 10);
        Assert.Empty(evicted);
        cache.Set("c", 3);

        Assert.Equal(["b"], evicted);
        Assert.True(cache.TryGetValue("a", out var a));
        Assert.Equal(10, a);
    }

    [Fact]
    public void Get_or_add_makes_each_value_once_and_hands_it_its_state()
    {
        var cache = new BoundedCache<string, string>(4, StringComparer.OrdinalIgnoreCase);
        var made = 0;
        string Make(string key, string suffix)
        {
            made++;
            return key + suffix;
        }

        Assert.Equal("web!", cache.GetOrAdd("web", Make, "!"));
        Assert.Equal("web!", cache.GetOrAdd("WEB", Make, "?"));
        Assert.Equal("ml", cache.GetOrAdd("ml", k => k));
        Assert.Equal(1, made);
    }

    [Fact]
    public void Add_or_update_lets_the_owner_keep_the_value_held()
    {
        var cache = new BoundedCache<string, int>(2);
        static int Newest(int held, int offered) => Math.Max(held, offered);

        Assert.Equal(5, cache.AddOrUpdate("a", 5, Newest));
        Assert.Equal(5, cache.AddOrUpdate("a", 3, Newest));
        Assert.Equal(8, cache.AddOrUpdate("a", 8, Newest));
        Assert.True(cache.TryGetValue("a", out var a));
        Assert.Equal(8, a);
    }

    [Fact]
    public void Removing_and_clearing_are_not_evictions()
    {
        var evicted = new List<string>();
        var cache = new BoundedCache<string, int>(3, evicted: (key, _) => evicted.Add(key));
        cache.Set("a", 1);
        cache.Set("b", 2);
        cache.Set("c", 3);

        Assert.False(cache.Remove("a", 99));
        Assert.True(cache.Remove("a", 1));
        Assert.False(cache.Remove("a"));
        Assert.True(cache.Remove("b"));
        Assert.Equal(1, cache.RemoveWhere((_, value) => value == 3));
        cache.Set("d", 4);
        cache.Clear();

        Assert.Empty(evicted);
        Assert.Equal(0, cache.Count);
    }

    [Fact]
    public void Removing_frees_room_so_nothing_is_evicted()
    {
        var evicted = new List<string>();
        var cache = new BoundedCache<string, int>(2, evicted: (key, _) => evicted.Add(key));
        cache.Set("a", 1);
        cache.Set("b", 2);
        cache.Remove("a");
        cache.Set("c", 3);

        Assert.Empty(evicted);
        Assert.Equal(2, cache.Count);
    }

    [Fact]
    public void The_eviction_callback_runs_outside_the_lock_so_it_may_use_the_cache_from_another_thread()
    {
        BoundedCache<string, int>? cache = null;
        var written = false;
        cache = new BoundedCache<string, int>(2, evicted: (key, _) =>
        {
            if (key == "a")
            {
                written = Task.Run(() => cache!.Set("from-callback", 0)).Wait(TestTimeouts.Default);
            }
        });

        cache.Set("a", 1);
        cache.Set("b", 2);
        cache.Set("c", 3);

        Assert.True(written, "the callback's write from another thread finished");
    }

    [Fact]
    public void Past_its_capacity_a_sharing_cache_gives_new_keys_the_overflow_entry_and_evicts_nothing()
    {
        var cache = new BoundedCache<string, string>(2, overflowKey: "", StringComparer.Ordinal);
        var made = new List<string>();
        string Make(string key)
        {
            made.Add(key);
            return "series of '" + key + "'";
        }

        cache.GetOrAdd("a", Make);
        cache.GetOrAdd("b", Make);

        Assert.Equal("series of ''", cache.GetOrAdd("c", Make));
        Assert.Equal("series of ''", cache.GetOrAdd("d", Make));
        Assert.Equal("series of 'a'", cache.GetOrAdd("a", Make));
        Assert.False(cache.TryGetValue("c", out _));
        Assert.Equal(["a", "b", ""], made);
        Assert.Equal(3, cache.Count);
        Assert.Equal(CacheOverflow.ShareOverflowKey, cache.Overflow);
    }

    [Fact]
    public void The_overflow_key_itself_does_not_take_a_place()
    {
        var cache = new BoundedCache<string, int>(2, overflowKey: "", StringComparer.Ordinal);

        cache.GetOrAdd("", _ => 0);
        cache.GetOrAdd("a", _ => 1);
        cache.GetOrAdd("b", _ => 2);

        Assert.Equal(0, cache.GetOrAdd("c", _ => 3));
        Assert.Equal([0, 1, 2], new[] { "", "a", "b" }.Select(k => cache.TryGetValue(k, out var v) ? v : -1));
    }

    [Fact]
    public async Task Concurrent_writers_never_pass_the_capacity_and_every_entry_is_its_own_keys()
    {
        const int Keys = 5_000;
        var evictions = 0;
        var cache = new BoundedCache<int, string>(100, evicted: (_, _) => Interlocked.Increment(ref evictions));

        await Task.WhenAll(Enumerable.Range(0, 4).Select(worker => Task.Run(() =>
        {
            for (var key = worker; key < Keys; key += 4)
            {
                Assert.Equal(key.ToString(CultureInfo.InvariantCulture),
                    cache.GetOrAdd(key, static k => k.ToString(CultureInfo.InvariantCulture)));
            }
        }))).Within();

        Assert.Equal(100, cache.Count);
        Assert.Equal(Keys - 100, evictions);
        Assert.Equal(100, Enumerable.Range(0, Keys).Count(k => cache.TryGetValue(k, out var v) && v == k.ToString(CultureInfo.InvariantCulture)));
    }

    [Fact]
    public void A_capacity_below_one_is_refused_naming_it()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new BoundedCache<string, int>(0));
        Assert.Equal("capacity", error.ParamName);
    }
}
