using System.Globalization;
using System.Text;
using Dashboard.Contracts.Metrics;
using Dashboard.Proxy.Metrics;
using L = Dashboard.Contracts.Metrics.LabelNames;

namespace Dashboard.Proxy.Fleet;

/// <summary>
/// Metrics of synthetic pods, computed from the time since the fleet started, with the labels a real proxy of the
/// fleet gives them (<see cref="ProxyMetrics"/>): each deployment's inbound requests at its own rate, success rate and
/// log-normal latency (<see cref="SyntheticProfile"/>), from its meshed callers over mTLS (<c>client_id</c>) and from
/// outside the mesh; and each pod's outbound requests to the pods of the deployments it calls
/// (<see cref="SyntheticWorkloads.Calls"/>), toward their identities (<c>server_id</c>) with <c>dst_</c> labels.
/// One pod's outbound series are the other pod's inbound series from it, counted alike, so both sides agree.
/// Counters and histogram buckets advance as a real proxy's would.
/// </summary>
/// <remarks>
/// A caller pod reaches as few of a callee's replicas as cover them all between its replicas (one each when they have as
/// many pods), each a series of its own as a real proxy's per endpoint: a real balancer would reach every replica from
/// every pod, which at 1,000 pods multiplies the series by the replicas. Empty labels are left out (Prometheus reads
/// them as absent), and every response's latency is counted with the successes, so a target has one histogram.
/// </remarks>
public sealed class SyntheticExporter
{
    /// <summary>What the outbound side adds to the callee's latency: the hop and the two proxies.</summary>
    public const double OutboundOverheadMs = 1;

    /// <summary>Requests carried by one connection before the pool opens another.</summary>
    private const int RequestsPerConnection = 1000;

    private readonly DateTimeOffset _started;
    private readonly Dictionary<FleetPod, PodSeries> _pods = [];

    /// <param name="identity">Whether the fleet's meshed pods have identities: the synthetic ones then speak mTLS to each other.</param>
    public SyntheticExporter(FleetTopology topology, bool identity, DateTimeOffset started)
    {
        ArgumentNullException.ThrowIfNull(topology);
        _started = started;
        var inbound = new Dictionary<FleetPod, List<(TlsLabels Tls, double Rps)>>();
        var outbound = new Dictionary<FleetPod, List<Target>>();
        foreach (var pod in topology.Pods.Where(p => p.Synthetic))
        {
            inbound[pod] = [];
            outbound[pod] = [];
        }

        var calls = topology.Synthetic.Calls();
        foreach (var call in calls)
        {
            var callers = topology.ServicePods(call.CallerNamespace, call.Caller);
            var callees = topology.ServicePods(call.CalleeNamespace, call.Callee);
            if (callers.Count == 0 || callees.Count == 0)
            {
                continue;
            }

            var profile = SyntheticProfile.Of(call.CalleeNamespace, call.Callee);
            var reach = (callees.Count + callers.Count - 1) / callers.Count;
            var rps = call.Rps / (callers.Count * reach);
            for (var i = 0; i < callers.Count; i++)
            {
                for (var j = 0; j < reach; j++)
                {
                    var (caller, callee) = (callers[i], callees[((i * reach) + j) % callees.Count]);
                    var secure = identity && caller.HasIdentity && callee.HasIdentity;
                    var tls = secure ? TlsLabels.ToServer(FleetIdentity.Of(callee)) : identity ? TlsLabels.NotProvidedByServiceDiscovery : TlsLabels.Disabled;
                    var endpoint = callee.PodEndPoint.ToString();
                    var dst = new DestinationLabels(callee.Namespace, call.Callee, call.Callee, callee.Name);
                    outbound[caller].Add(new Target(
                        Labels(ProxyMetrics.TargetLabels, ProxyMetrics.OutboundTarget(SyntheticWorkloads.Authority(call.CalleeNamespace, call.Callee), endpoint, dst, tls)),
                        Labels(ProxyMetrics.TcpLabels, ProxyMetrics.TcpTarget(L.Values.Outbound, L.Values.PeerDestination, tls, endpoint, dst)),
                        profile, OutboundOverheadMs, [rps]));
                    inbound[callee].Add((secure ? TlsLabels.FromClient(FleetIdentity.Of(caller)) : identity ? TlsLabels.NoTlsFromRemote : TlsLabels.Disabled, rps));
                }
            }
        }

        var meshed = calls.GroupBy(c => (c.CalleeNamespace, c.Callee)).ToDictionary(g => g.Key, g => g.Sum(c => c.Rps));
        foreach (var (pod, flows) in inbound)
        {
            var name = pod.Deployment!.Name;
            var profile = SyntheticProfile.Of(pod.Namespace, name);
            var unmeshed = (profile.Rps - meshed.GetValueOrDefault((pod.Namespace, name))) / pod.Deployment.Replicas;
            if (unmeshed > 0)
            {
                flows.Add((identity && pod.HasIdentity ? TlsLabels.NoTlsFromRemote : TlsLabels.Disabled, unmeshed));
            }

            var authority = SyntheticWorkloads.Authority(pod.Namespace, name);
            var target = pod.AppListen.ToString();
            _pods[pod] = new PodSeries(
                [.. flows.GroupBy(f => f.Tls).Select(g => new Target(
                    Labels(ProxyMetrics.TargetLabels, ProxyMetrics.InboundTarget(authority, target, g.Key)), null, profile, 0, [.. g.Select(f => f.Rps)]))],
                outbound[pod]);
        }
    }

    /// <summary>The pod's metrics at <paramref name="now"/>, in the proxy's exposition format.</summary>
    public string Render(FleetPod pod, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(pod);
        var series = _pods[pod];
        var elapsed = Math.Max(0, (now - _started).TotalSeconds);
        var targets = series.Inbound.Concat(series.Outbound).Select(t => (Target: t, Counts: t.Count(elapsed))).ToList();
        var text = new StringBuilder();
        text.Append("# TYPE ").Append(MetricNames.RequestTotal).Append(" counter\n");
        foreach (var (t, c) in targets)
        {
            Line(text, MetricNames.RequestTotal, t.Labels, "", c.Total);
        }

        text.Append("# TYPE ").Append(MetricNames.ResponseTotal).Append(" counter\n");
        foreach (var (t, c) in targets)
        {
            Line(text, MetricNames.ResponseTotal, t.Labels, $",{L.StatusCode}=\"200\",{L.Classification}=\"{L.Values.Success}\"", c.Total - c.Failures);
            Line(text, MetricNames.ResponseTotal, t.Labels, $",{L.StatusCode}=\"500\",{L.Classification}=\"{L.Values.Failure}\"", c.Failures);
        }

        text.Append("# TYPE ").Append(MetricNames.ResponseLatencyMs).Append(" histogram\n");
        var ok = $",{L.StatusCode}=\"200\"";
        foreach (var (t, c) in targets)
        {
            for (var b = 0; b < MetricNames.LatencyBucketsMs.Count; b++)
            {
                Line(text, MetricNames.ResponseLatencyMs + "_bucket", t.Labels, $"{ok},le=\"{F(MetricNames.LatencyBucketsMs[b])}\"", c.Buckets[b]);
            }

            Line(text, MetricNames.ResponseLatencyMs + "_bucket", t.Labels, $"{ok},le=\"+Inf\"", c.Total);
            Line(text, MetricNames.ResponseLatencyMs + "_sum", t.Labels, ok, Math.Round(c.SumMs, 3));
            Line(text, MetricNames.ResponseLatencyMs + "_count", t.Labels, ok, c.Total);
        }

        foreach (var (family, value) in new (string, Func<Target, Counts, double>)[]
        {
            (MetricNames.TcpOpenTotal, (_, c) => c.Total == 0 ? 0 : 1 + Math.Floor(c.Total / RequestsPerConnection)),
            (MetricNames.TcpReadBytesTotal, (t, c) => c.Total * t.Profile.ResponseBytes),
            (MetricNames.TcpWriteBytesTotal, (t, c) => c.Total * t.Profile.RequestBytes),
        })
        {
            text.Append("# TYPE ").Append(family).Append(" counter\n");
            foreach (var (t, c) in targets.Where(t => t.Target.TcpLabels is not null))
            {
                Line(text, family, t.TcpLabels!, "", value(t, c));
            }
        }

        text.Append("# TYPE ").Append(MetricNames.ProcessStartTimeSeconds).Append(" gauge\n")
            .Append(MetricNames.ProcessStartTimeSeconds).Append(' ').Append(F(_started.ToUnixTimeSeconds())).Append('\n');
        return text.ToString();
    }

    private static string F(double value) => value.ToString(CultureInfo.InvariantCulture);

    private static void Line(StringBuilder text, string name, string labels, string more, double value) =>
        text.Append(name).Append('{').Append(labels).Append(more).Append("} ").Append(F(value)).Append('\n');

    /// <summary>A label set in the exposition's syntax, without the empty labels.</summary>
    private static string Labels(string[] names, string[] values) =>
        string.Join(',', names.Zip(values).Where(l => l.Second.Length > 0).Select(l => $"{l.First}=\"{l.Second}\""));

    private sealed record PodSeries(IReadOnlyList<Target> Inbound, IReadOnlyList<Target> Outbound);

    /// <summary>
    /// One label set's requests: the sum of flows at <see cref="Rates"/> (requests per second), each counted in whole
    /// requests, as the callee counts the flow from each caller pod and the caller counts its own.
    /// </summary>
    /// <param name="TcpLabels">The label set of its connections (outbound only), or null.</param>
    /// <param name="OffsetMs">Added to the profile's latency.</param>
    private sealed record Target(string Labels, string? TcpLabels, SyntheticProfile Profile, double OffsetMs, double[] Rates)
    {
        public Counts Count(double elapsed)
        {
            var buckets = new double[MetricNames.LatencyBucketsMs.Count];
            double total = 0, failures = 0;
            foreach (var rps in Rates)
            {
                var requests = Math.Floor(rps * elapsed);
                total += requests;
                failures += Math.Floor(requests * (1 - Profile.SuccessRate));
                for (var b = 0; b < buckets.Length; b++)
                {
                    buckets[b] += Math.Round(requests * Profile.Cdf(MetricNames.LatencyBucketsMs[b] - OffsetMs));
                }
            }

            return new Counts(total, failures, buckets, total * (Profile.MeanMs + OffsetMs));
        }
    }

    private sealed record Counts(double Total, double Failures, double[] Buckets, double SumMs);
}
