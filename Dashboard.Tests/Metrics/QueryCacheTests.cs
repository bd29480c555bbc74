using Dashboard.Metrics;
using Microsoft.Extensions.Time.Testing;

namespace Dashboard.Tests.Metrics;

public sealed class QueryCacheTests
{
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(5);
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public async Task Concurrent_callers_of_one_key_share_one_query()
    {
        var cache = new QueryCache(_time, Refresh);
        var answer = new TaskCompletionSource<int>();
        var calls = 0;
        Task<int> Query(CancellationToken _)
        {
            Interlocked.Increment(ref calls);
            return answer.Task;
        }

        var first = cache.GetOrAddAsync("q", Query, TestTimeouts.Token);
        var second = cache.GetOrAddAsync("q", Query, TestTimeouts.Token);
        answer.SetResult(42);

        var answers = await Task.WhenAll(first, second).Within();
        Assert.Equal([42, 42], answers);
        Assert.Equal(1, calls);
        Assert.Equal(1, cache.Misses);
        Assert.Equal(1, cache.Hits);
    }

    [Fact]
    public async Task An_answer_lives_for_the_refresh_interval()
    {
        var cache = new QueryCache(_time, Refresh);
        var calls = 0;
        Task<int> Query(CancellationToken _) => Task.FromResult(Interlocked.Increment(ref calls));

        Assert.Equal(1, await cache.GetOrAddAsync("q", Query, TestTimeouts.Token).Within());
        _time.Advance(Refresh - TimeSpan.FromTicks(1));
        Assert.Equal(1, await cache.GetOrAddAsync("q", Query, TestTimeouts.Token).Within());
        _time.Advance(TimeSpan.FromTicks(1));
        Assert.Equal(2, await cache.GetOrAddAsync("q", Query, TestTimeouts.Token).Within());
        Assert.Equal(2, await cache.GetOrAddAsync("q", Query, TestTimeouts.Token).Within());
        Assert.Equal(3, await cache.GetOrAddAsync("other", Query, TestTimeouts.Token).Within());
    }

    [Fact]
    public async Task A_query_in_flight_is_joined_even_past_the_interval()
    {
        var cache = new QueryCache(_time, Refresh);
        var answer = new TaskCompletionSource<int>();
        var calls = 0;
        Task<int> Query(CancellationToken _)
        {
            Interlocked.Increment(ref calls);
            return answer.Task;
        }

        var first = cache.GetOrAddAsync("q", Query, TestTimeouts.Token);
        _time.Advance(Refresh * 3);
        var second = cache.GetOrAddAsync("q", Query, TestTimeouts.Token);
        answer.SetResult(7);

        var answers = await Task.WhenAll(first, second).Within();
        Assert.Equal([7, 7], answers);
        Assert.Equal(1, calls);
    }

    [Fact]
    public async Task A_failure_is_not_cached()
    {
        var cache = new QueryCache(_time, Refresh);
        var failing = new TaskCompletionSource<int>();
        var calls = 0;
        Task<int> Query(CancellationToken _) => Interlocked.Increment(ref calls) == 1 ? failing.Task : Task.FromResult(5);

        var first = cache.GetOrAddAsync("q", Query, TestTimeouts.Token);
        var joined = cache.GetOrAddAsync("q", Query, TestTimeouts.Token);
        failing.SetException(new InvalidOperationException("prometheus said no"));

        await Assert.ThrowsAsync<InvalidOperationException>(() => first).Within();
        await Assert.ThrowsAsync<InvalidOperationException>(() => joined).Within();
        Assert.Equal(0, cache.Count);
        Assert.Equal(5, await cache.GetOrAddAsync("q", Query, TestTimeouts.Token).Within());
        Assert.Equal(2, calls);
    }

    [Fact]
    public async Task A_query_that_throws_at_once_is_not_cached_either()
    {
        var cache = new QueryCache(_time, Refresh);
        var calls = 0;
        Task<int> Query(CancellationToken _) =>
            Interlocked.Increment(ref calls) == 1 ? throw new InvalidOperationException("synchronous") : Task.FromResult(9);

        await Assert.ThrowsAsync<InvalidOperationException>(() => cache.GetOrAddAsync("q", Query, TestTimeouts.Token)).Within();
        Assert.Equal(9, await cache.GetOrAddAsync("q", Query, TestTimeouts.Token).Within());
    }

    [Fact]
    public async Task One_caller_giving_up_does_not_cancel_the_query_for_the_others()
    {
        var cache = new QueryCache(_time, Refresh);
        var answer = new TaskCompletionSource<int>();
        var queryToken = new CancellationToken(canceled: true);
        Task<int> Query(CancellationToken ct)
        {
            queryToken = ct;
            return answer.Task;
        }

        using var leaving = new CancellationTokenSource();
        var left = cache.GetOrAddAsync("q", Query, leaving.Token);
        var staying = cache.GetOrAddAsync("q", Query, TestTimeouts.Token);
        await leaving.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => left).Within();
        Assert.False(queryToken.IsCancellationRequested);
        answer.SetResult(3);
        Assert.Equal(3, await staying.Within());
    }

    [Fact]
    public async Task The_cache_is_bounded_and_evicts_the_oldest()
    {
        var cache = new QueryCache(_time, Refresh, capacity: 2);
        var calls = new List<string>();
        Task<string> Query(string key) => Task.FromResult(key);
        async Task<string> GetAsync(string key) => await cache.GetOrAddAsync(key, _ =>
        {
            calls.Add(key);
            return Query(key);
        }, TestTimeouts.Token).Within();

        await GetAsync("a");
        _time.Advance(TimeSpan.FromSeconds(1));
        await GetAsync("b");
        _time.Advance(TimeSpan.FromSeconds(1));
        await GetAsync("c");
        await GetAsync("b");
        await GetAsync("a");

        Assert.Equal(2, cache.Count);
        Assert.Equal(["a", "b", "c", "a"], calls);
    }

    [Fact]
    public void Range_keys_tell_ranges_apart()
    {
        var start = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);
        var range = new QueryRange(start, start.AddHours(1), TimeSpan.FromMinutes(1));

        Assert.Equal(QueryCache.RangeKey("up", range), QueryCache.RangeKey("up", range with { }));
        Assert.NotEqual(QueryCache.RangeKey("up", range), QueryCache.RangeKey("up", range with { Step = TimeSpan.FromSeconds(30) }));
        Assert.NotEqual(QueryCache.RangeKey("up", range), QueryCache.RangeKey("up", range with { End = range.End.AddMinutes(1) }));
        Assert.NotEqual("up", QueryCache.RangeKey("up", range));
    }
}
