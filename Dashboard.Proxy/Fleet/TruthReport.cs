using System.Globalization;
using System.Text.Json.Serialization;
using Dashboard.Contracts.Utils;
using Dashboard.Proxy.Fleet.Manifest;

namespace Dashboard.Proxy.Fleet;

/// <summary>The JSON of <c>/fleet/truth?window=60s</c>: ground truth over the last window.</summary>
public sealed record TruthReport(
    double WindowSeconds,
    DateTimeOffset From,
    DateTimeOffset To,
    IReadOnlyList<TruthStats> Deployments,
    IReadOnlyList<TruthStats> Pods,
    IReadOnlyList<TruthStats> Routes,
    IReadOnlyList<TruthStats> Traffic)
{
    /// <summary>The causes the manifest planted in pods, with when they were active in the window.</summary>
    public IReadOnlyList<TruthFault> Faults { get; init; } = [];

    /// <summary>The traffic spikes of the manifest, with when they were active in the window.</summary>
    public IReadOnlyList<TruthSpike> Spikes { get; init; } = [];

    /// <summary>The calls between the scale option's deployments, at the rates planted (not measured: their pods have no process).</summary>
    public IReadOnlyList<SyntheticCall> SyntheticCalls { get; init; } = [];

    /// <param name="topology">The fleet's pods and manifest, for the planted faults, spikes and synthetic calls; none reported without it.</param>
    public static TruthReport Build(GroundTruth truth, TimeSpan window, FleetTopology? topology = null)
    {
        var to = truth.Time.GetUtcNow();
        var from = to - window;
        var report = Build(truth, from, to);
        return topology is null ? report : report with
        {
            Faults = [.. topology.Manifest.Namespaces.SelectMany(ns => ns.Deployments.SelectMany(d => d.Faults.Select(f =>
            {
                var pod = topology.ServicePods(ns.Name, d.Name).FirstOrDefault(p => p.Ordinal == f.Pod);
                return new TruthFault(ns.Name, d.Name, pod?.Name ?? "", f.Pod, f.ExtraLatencyMs, f.ErrorRate > 0 ? f.ErrorRate : null,
                    f.EverySeconds, f.DurationSeconds, f is { EverySeconds: { } every, DurationSeconds: { } duration }
                        ? Episodes(truth, every, duration, from, to)
                        : [new TruthEpisode(from < truth.Started ? truth.Started : from, to)]);
            })))],
            Spikes = [.. topology.Manifest.Traffic.Where(t => t.Spikes is not null).Select(t => new TruthSpike(t.Name, t.To, t.Spikes!.ExtraLatencyMs,
                t.Spikes.EverySeconds, t.Spikes.DurationSeconds, Episodes(truth, t.Spikes.EverySeconds, t.Spikes.DurationSeconds, from, to)))],
            SyntheticCalls = topology.Synthetic.Calls(),
        };
    }

    private static TruthEpisode[] Episodes(GroundTruth truth, double every, double duration, DateTimeOffset from, DateTimeOffset to) =>
        [.. FleetSchedule.Episodes(truth.Started, every, duration, from, to).Select(e => new TruthEpisode(e.Start, e.End))];

    private static TruthReport Build(GroundTruth truth, DateTimeOffset from, DateTimeOffset to)
    {
        var window = to - from;
        var server = truth.ServerSamples(from);
        var seconds = window.TotalSeconds;
        return new TruthReport(seconds, from, to,
            [.. server.Where(s => s.Key.Deployment is not null)
                .GroupBy(s => (s.Key.Namespace, s.Key.Deployment))
                .Select(g => TruthStats.Of(g.SelectMany(s => s.Samples), seconds) with { Namespace = g.Key.Namespace, Deployment = g.Key.Deployment })
                .OrderBy(s => s.Namespace, StringComparer.Ordinal).ThenBy(s => s.Deployment, StringComparer.Ordinal)],
            [.. server.GroupBy(s => (s.Key.Namespace, s.Key.Deployment, s.Key.Pod))
                .Select(g => TruthStats.Of(g.SelectMany(s => s.Samples), seconds) with { Namespace = g.Key.Namespace, Deployment = g.Key.Deployment, Pod = g.Key.Pod })
                .OrderBy(s => s.Namespace, StringComparer.Ordinal).ThenBy(s => s.Pod, StringComparer.Ordinal)],
            [.. server.GroupBy(s => (s.Key.Namespace, s.Key.Deployment, s.Key.Method, s.Key.Path))
                .Select(g => TruthStats.Of(g.SelectMany(s => s.Samples), seconds) with { Namespace = g.Key.Namespace, Deployment = g.Key.Deployment, Method = g.Key.Method, Path = g.Key.Path })
                .OrderBy(s => s.Namespace, StringComparer.Ordinal).ThenBy(s => s.Deployment, StringComparer.Ordinal).ThenBy(s => s.Path, StringComparer.Ordinal)],
            [.. truth.ClientSamples(from).Select(t => TruthStats.Of(t.Samples, seconds) with { Traffic = t.Traffic }).OrderBy(t => t.Traffic, StringComparer.Ordinal)]);
    }
}

/// <summary>Counts and exact latency quantiles (nearest rank) of a set of requests.</summary>
public sealed record TruthStats
{
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Namespace { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Deployment { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Pod { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Method { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Path { get; init; }
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public string? Traffic { get; init; }
    public long Requests { get; init; }
    /// <summary>Requests by HTTP status; "0" counts requests that got no response (client side only).</summary>
    public required SortedDictionary<string, long> ByStatus { get; init; }
    public long Successes { get; init; }
    /// <summary>Successes / requests; null when there were none (never 0 for no data).</summary>
    public double? SuccessRate { get; init; }
    public double Rps { get; init; }
    public double? P50Ms { get; init; }
    public double? P95Ms { get; init; }
    public double? P99Ms { get; init; }

    public static TruthStats Of(IEnumerable<GroundTruth.Sample> samples, double windowSeconds)
    {
        var all = samples.ToList();
        var latencies = all.Select(s => s.LatencyMs).Order().ToArray();
        var successes = all.LongCount(s => s.Status is > 0 and < 500);
        return new TruthStats
        {
            Requests = all.Count,
            ByStatus = new(all.GroupBy(s => s.Status).ToDictionary(g => g.Key.ToString(CultureInfo.InvariantCulture), g => g.LongCount()), StringComparer.Ordinal),
            Successes = successes,
            SuccessRate = all.Count == 0 ? null : (double)successes / all.Count,
            Rps = windowSeconds > 0 ? all.Count / windowSeconds : 0,
            P50Ms = Quantile(latencies, 0.50),
            P95Ms = Quantile(latencies, 0.95),
            P99Ms = Quantile(latencies, 0.99),
        };
    }

    private static double? Quantile(double[] sorted, double q) => NearestRank.Of(sorted, q);
}

/// <summary>A fault the manifest planted in one replica (see <see cref="FaultSpec"/>).</summary>
/// <param name="ErrorRate">Null when the fault adds no errors.</param>
/// <param name="EverySeconds">Null for a fault always on; its one episode is then the window (from the fleet's start).</param>
public sealed record TruthFault(string Namespace, string Deployment, string Pod, int Ordinal, double ExtraLatencyMs, double? ErrorRate,
    double? EverySeconds, double? DurationSeconds, IReadOnlyList<TruthEpisode> Episodes);

/// <summary>A traffic entry's latency spikes (see <see cref="SpikeSpec"/>).</summary>
public sealed record TruthSpike(string Traffic, string To, double ExtraLatencyMs, double EverySeconds, double DurationSeconds, IReadOnlyList<TruthEpisode> Episodes);

/// <summary>When a planted cause was active, clipped to the report's window.</summary>
public sealed record TruthEpisode(DateTimeOffset Start, DateTimeOffset End);
