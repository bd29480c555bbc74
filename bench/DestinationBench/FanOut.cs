using System.Diagnostics;
using Dashboard.Proxy.Discovery;

namespace DestinationBench;

/// <summary>What one change took to reach its subscribers: to the first and to the last, in ms; infinite for one that did not reach all.</summary>
public sealed record ChangeResult(EndpointChange Change, int Subscribers, double FirstMs, double LastMs)
{
    public bool Delivered => !double.IsPositiveInfinity(LastMs);
}

/// <summary>
/// One endpoint change a second, each to a Service picked by a seeded random (none of the last ten again); after each, the
/// views of the proxies that subscribed to that Service are polled about every millisecond until each answers the
/// change's ready set, for at most <see cref="DeliveryLimit"/>.
/// </summary>
public static class FanOut
{
    public static readonly TimeSpan DeliveryLimit = TimeSpan.FromSeconds(5);

    /// <param name="views">By Service: each subscribed proxy's current answer for it.</param>
    public static async Task<IReadOnlyList<ChangeResult>> RunAsync(BenchCluster cluster, IReadOnlyList<Func<ResolvedService?>>[] views, int changes, int seed,
        CancellationToken ct)
    {
        var random = new Random(seed);
        var recent = new Queue<int>();
        var pollers = new List<Task<ChangeResult>>();
        using var tick = new PeriodicTimer(TimeSpan.FromSeconds(1));
        for (var i = 0; i < changes; i++)
        {
            int service;
            do
            {
                service = random.Next(cluster.ServiceCount);
            }
            while (recent.Contains(service) && recent.Count < cluster.ServiceCount);

            recent.Enqueue(service);
            if (recent.Count > 10)
            {
                recent.Dequeue();
            }

            var change = cluster.Change(i, service);
            pollers.Add(Task.Run(() => AwaitDeliveryAsync(change, views[service], ct), ct));
            if (i + 1 < changes)
            {
                await tick.WaitForNextTickAsync(ct);
            }
        }

        return await Task.WhenAll(pollers);
    }

    private static async Task<ChangeResult> AwaitDeliveryAsync(EndpointChange change, IReadOnlyList<Func<ResolvedService?>> views, CancellationToken ct)
    {
        var pending = Enumerable.Range(0, views.Count).ToList();
        // A view's answer is replaced whole at each update: compare the sets only when the object is new.
        var seen = new ResolvedService?[views.Count];
        double first = double.PositiveInfinity;
        double last = double.PositiveInfinity;
        while (true)
        {
            // A proxy's receipt is stamped when a sweep first sees it: at most one sweep (about a millisecond) late.
            pending.RemoveAll(p => New(p, views[p]()) is { } view && Answers(view, change.Expected) && Record(Stopwatch.GetElapsedTime(change.Started).TotalMilliseconds));
            if (pending.Count == 0)
            {
                return new ChangeResult(change, views.Count, first, last);
            }

            if (Stopwatch.GetElapsedTime(change.Started) > DeliveryLimit)
            {
                return new ChangeResult(change, views.Count, first, double.PositiveInfinity);
            }

            await Task.Delay(1, ct);
        }

        ResolvedService? New(int p, ResolvedService? view) => ReferenceEquals(view, seen[p]) ? null : seen[p] = view;

        bool Record(double ms)
        {
            if (double.IsPositiveInfinity(first))
            {
                first = ms;
            }

            last = ms;
            return true;
        }
    }

    private static bool Answers(ResolvedService view, IReadOnlySet<string> expected) =>
        view.Endpoints.Count == expected.Count && view.Endpoints.All(e => expected.Contains(e.Address));
}
