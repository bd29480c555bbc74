using System.Diagnostics;

namespace DestinationBench;

/// <summary>Which Services each proxy subscribes to: distinct ones, the least subscribed first (ties by a seeded random), so every Service gets as many subscribers as any other, give or take one.</summary>
public static class Subscriptions
{
    public static int[][] Assign(int proxies, int services, int perProxy, int seed)
    {
        var random = new Random(seed);
        var counts = new int[services];
        var result = new int[proxies][];
        for (var p = 0; p < proxies; p++)
        {
            var keys = Enumerable.Range(0, services).Select(_ => random.Next()).ToArray();
            result[p] = [.. Enumerable.Range(0, services).OrderBy(s => counts[s]).ThenBy(s => keys[s]).Take(perProxy)];
            foreach (var s in result[p])
            {
                counts[s]++;
            }
        }

        return result;
    }
}

/// <summary>The live managed heap: bytes after full, compacting, blocking collections.</summary>
public static class Heap
{
    public static long Live()
    {
        for (var i = 0; i < 3; i++)
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }

        return GC.GetTotalMemory(forceFullCollection: false);
    }
}

/// <summary>Runs work for 0..count-1 at most <c>width</c> at a time (a thousand proxies connecting at once would time each other out).</summary>
public static class Batches
{
    public static Task RunAsync(int count, int width, Func<int, Task> work, CancellationToken ct) =>
        Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = width, CancellationToken = ct },
            async (i, _) => await work(i));
}

/// <summary>The measured window: the changes' results, its length, and the CPU the bench process and the destination service spent in it.</summary>
public sealed record Window(IReadOnlyList<ChangeResult> Results, TimeSpan Wall, TimeSpan BenchCpu, TimeSpan? DestinationCpu)
{
    public static async Task<Window> MeasureAsync(Func<Task<IReadOnlyList<ChangeResult>>> run, Func<TimeSpan>? cpu)
    {
        var self = Process.GetCurrentProcess();
        var (bench0, child0, wall) = (self.TotalProcessorTime, cpu?.Invoke(), Stopwatch.StartNew());
        var results = await run();
        self.Refresh();
        ThreadPool.GetMinThreads(out var min, out _);
        Console.Error.WriteLine($"[{DateTime.Now:HH:mm:ss}] window done: {wall.Elapsed.TotalSeconds:F1} s, bench process {(self.TotalProcessorTime - bench0).TotalSeconds:F1} s CPU, " +
            $"thread pool {ThreadPool.ThreadCount} threads (min {min}), {ThreadPool.PendingWorkItemCount} items queued");
        return new Window(results, wall.Elapsed, self.TotalProcessorTime - bench0, cpu is null ? null : cpu() - child0);
    }
}

/// <summary>One mode's figures; <paramref name="Scale"/> extrapolates its totals to the proxies of the other mode.</summary>
public sealed record Row(string Mode, int Proxies, long Watches, long Lists, Window Window, (long Idle, long Rss, long Hwm)? Memory, double HeapPerProxy, double Scale);
