using System.Globalization;
using Dashboard.Contracts.Metrics;
using Dashboard.Model;

namespace Dashboard.Metrics;

/// <summary>
/// Every PromQL expression the dashboard sends. Each table costs one counts query
/// and one latency-buckets query, grouped <c>by</c> the row labels, whatever the number of rows; the
/// percentiles are computed from the buckets (<see cref="HistogramQuantile"/>). Charts, which need a
/// percentile per step, ask Prometheus for <c>histogram_quantile</c> itself.
/// </summary>
public static class PromQl
{
    /// <summary>The latency quantiles every table shows: P50, P95, P99.</summary>
    public static IReadOnlyList<double> Quantiles { get; } = [0.5, 0.95, 0.99];

    /// <summary>The label holding a histogram bucket's upper bound.</summary>
    public const string BucketBound = "le";

    /// <summary>Charts aim at about this many points whatever the window.</summary>
    public const int ChartPoints = 60;

    /// <summary>Responses by classification and tls over the window, per row of <paramref name="kind"/>.</summary>
    public static string Counts(WorkloadKind kind, PromSelector selector, StatWindow window) =>
        CountsExpression(Inbound(selector), window, RowLabels(kind, LabelNames.Namespace, kind.PromLabel()));

    /// <summary>How many proxies Prometheus scrapes (in the selector's scope): asked only to explain an empty table.</summary>
    public static string ScrapedProxies(PromSelector selector) =>
        $"count({MetricNames.ProxyBuildInfo}{Braced(selector)})";

    /// <summary>
    /// The latency histogram's bucket rates over the window, per row of <paramref name="kind"/> and bound
    /// <c>le</c>: every percentile of a row comes from this one answer.
    /// </summary>
    public static string LatencyBuckets(WorkloadKind kind, PromSelector selector, StatWindow window) =>
        BucketsExpression(Inbound(selector), window, RowLabels(kind, LabelNames.Namespace, kind.PromLabel()));

    /// <summary>The window the recording rules of <c>docker/prometheus/rules.yml</c> cover: the tables' default.</summary>
    public static StatWindow RecordedWindow => StatWindow.Default;

    /// <summary>
    /// The recording rules of <c>docker/prometheus/rules.yml</c>, in their order there: the inbound latency
    /// histogram's bucket rates over <see cref="RecordedWindow"/>, per pod (with the label of every row kind), then
    /// summed from it per row of each other kind, then each pod's <see cref="Quantiles"/>. Prometheus computes them
    /// once per evaluation interval; a table over that window then reads its kind's series instead of taking the rate
    /// of every raw bucket series on every refresh (for 1,000 pods, ~26,000 series × a minute of samples), and the
    /// pods table reads three numbers per pod instead of 26 bucket rates.
    /// </summary>
    public static IReadOnlyList<RecordingRuleSpec> RecordingRules { get; } =
    [
        new(RecordedLatencyBucketsRule(WorkloadKind.Pod),
            $"sum by ({string.Join(", ", Enum.GetValues<WorkloadKind>().Select(k => k.PromLabel()))}, {BucketBound}) " +
            $"(rate({MetricNames.ResponseLatencyMs}_bucket{{{Inbound(PromSelector.Empty)}}}[{RecordedWindow}]))"),
        .. Enum.GetValues<WorkloadKind>().Where(k => k != WorkloadKind.Pod).Select(k => new RecordingRuleSpec(RecordedLatencyBucketsRule(k), k == WorkloadKind.Namespace
            ? $"sum by ({LabelNames.Namespace}, {BucketBound}) ({RecordedLatencyBucketsRule(WorkloadKind.Pod)})"
            : $"sum by ({LabelNames.Namespace}, {k.PromLabel()}, {BucketBound}) ({RecordedLatencyBucketsRule(WorkloadKind.Pod)}{{{k.PromLabel()}!=\"\"}})")),
        .. Quantiles.Select(q => new RecordingRuleSpec(RecordedPodQuantilesRule,
            $"histogram_quantile({Number(q)}, {RecordedLatencyBucketsRule(WorkloadKind.Pod)})", Number(q))),
    ];

    /// <summary>The label of <see cref="RecordedPodQuantilesRule"/>'s series naming their quantile, as in Prometheus' summaries.</summary>
    public const string QuantileLabel = "quantile";

    /// <summary>Each pod's latency quantiles (ms) over <see cref="RecordedWindow"/>, one series per pod and <see cref="QuantileLabel"/>.</summary>
    public static string RecordedPodQuantilesRule => $"pod:{MetricNames.ResponseLatencyMs}:inbound_quantile{RecordedWindow}";

    /// <summary>The pods table's percentiles over <see cref="RecordedWindow"/>, read from <see cref="RecordedPodQuantilesRule"/>.</summary>
    public static string RecordedPodQuantiles(PromSelector selector) =>
        RecordedPodQuantilesRule + Braced(selector);

    /// <summary>The recording rule with the bucket rates of <paramref name="kind"/>'s rows, e.g. <c>deployment:response_latency_ms_bucket:inbound_rate1m</c>.</summary>
    public static string RecordedLatencyBucketsRule(WorkloadKind kind) =>
        $"{kind.PromLabel()}:{MetricNames.ResponseLatencyMs}_bucket:inbound_rate{RecordedWindow}";

    /// <summary>
    /// <see cref="LatencyBuckets"/> over <see cref="RecordedWindow"/>, read from <paramref name="kind"/>'s recording
    /// rule: the same sums, already computed by Prometheus.
    /// </summary>
    public static string RecordedLatencyBuckets(WorkloadKind kind, PromSelector selector) =>
        $"sum({RecordedLatencyBucketsRule(kind)}{Braced(selector)}) by ({BucketBound}, {RowLabels(kind, LabelNames.Namespace, kind.PromLabel())})";

    /// <summary>A latency quantile (ms) over the window, per row of <paramref name="kind"/>.</summary>
    public static string Quantile(double quantile, WorkloadKind kind, PromSelector selector, StatWindow window) =>
        QuantileExpression(quantile, Inbound(selector), window, RowLabels(kind, LabelNames.Namespace, kind.PromLabel()));

    /// <summary>
    /// One series per proxy Prometheus scrapes now, with its pod and version: which meshed pods report
    /// metrics (<c>check</c>) and which proxy versions run (<c>version</c>).
    /// </summary>
    public static string ProxyBuilds { get; } =
        $"count by ({LabelNames.Namespace}, {LabelNames.Pod}, {LabelNames.Version}) ({MetricNames.ProxyBuildInfo})";

    /// <summary>
    /// One series per proxy whose destination service is unreachable now (its pod and the service's address): proxies
    /// without a destination service export no such gauge.
    /// </summary>
    public static string UnreachableDestinationServices { get; } =
        $"min by ({LabelNames.Namespace}, {LabelNames.Pod}, {LabelNames.Addr}) ({MetricNames.ControlDestinationReachable}) == 0";

    /// <summary>
    /// Responses between <paramref name="resource"/> and its neighbours of the same kind, measured by the
    /// callers' outbound proxies: for <see cref="EdgeDirection.Inbound"/> grouped by caller, for
    /// <see cref="EdgeDirection.Outbound"/> by destination.
    /// </summary>
    public static string EdgeCounts(ResourceKey resource, EdgeDirection direction, StatWindow window)
    {
        var (selector, groupBy) = Edge(resource, direction);
        return CountsExpression(selector, window, groupBy);
    }

    /// <summary>The latency bucket rates per neighbour, matching <see cref="EdgeCounts"/>.</summary>
    public static string EdgeLatencyBuckets(ResourceKey resource, EdgeDirection direction, StatWindow window)
    {
        var (selector, groupBy) = Edge(resource, direction);
        return BucketsExpression(selector, window, groupBy);
    }

    /// <summary>The latency quantile (ms) per neighbour, matching <see cref="EdgeCounts"/>.</summary>
    public static string EdgeQuantile(double quantile, ResourceKey resource, EdgeDirection direction, StatWindow window)
    {
        var (selector, groupBy) = Edge(resource, direction);
        return QuantileExpression(quantile, selector, window, groupBy);
    }

    /// <summary>
    /// The requests of a resource's TLS edges (see <see cref="TlsEdges"/>), each grouped by what secured them:
    /// <see cref="TlsEdgeQuery.Outgoing"/> its own outbound proxies' view of its destinations (with the identity
    /// each destination proved), <see cref="TlsEdgeQuery.Incoming"/> its meshed callers' outbound view of it,
    /// <see cref="TlsEdgeQuery.Seen"/> its inbound proxies' view of every caller (the identities they presented,
    /// and the plaintext of clients outside the mesh).
    /// </summary>
    public static string TlsEdges(ResourceKey resource, TlsEdgeQuery query, StatWindow window)
    {
        var kind = resource.Kind;
        var tls = $"{LabelNames.Tls}, {LabelNames.NoTlsReason}";
        var (selector, groupBy) = query switch
        {
            TlsEdgeQuery.Outgoing => (
                Matchers(LabelNames.Values.Outbound, Scope(LabelNames.Namespace, kind.PromLabel(), resource)),
                $"{RowLabels(kind, LabelNames.DstNamespace, kind.DstPromLabel())}, {LabelNames.ServerId}, {tls}"),
            TlsEdgeQuery.Incoming => (
                Matchers(LabelNames.Values.Outbound, Scope(LabelNames.DstNamespace, kind.DstPromLabel(), resource)),
                $"{RowLabels(kind, LabelNames.Namespace, kind.PromLabel())}, {LabelNames.ServerId}, {tls}"),
            TlsEdgeQuery.Seen => (
                Inbound(Scope(LabelNames.Namespace, kind.PromLabel(), resource)),
                $"{LabelNames.ClientId}, {tls}"),
            _ => throw new ArgumentOutOfRangeException(nameof(query), query, "not a TLS edge query"),
        };
        return $$"""sum(increase({{MetricNames.ResponseTotal}}{{{selector}}}[{{window}}])) by ({{groupBy}})""";
    }

    /// <summary>
    /// The service graph's requests over the window, whatever the mesh size in one query: every meshed caller's outbound
    /// responses by caller, destination, tls and classification, <c>or</c> (told apart by <c>direction</c>) every
    /// destination's inbound responses that no client identity sent, from which the graph takes what came from outside
    /// the mesh. By workload (the label of each workload kind) or, with <paramref name="pods"/>, by pod too.
    /// </summary>
    public static string GraphCounts(bool pods, StatWindow window) => GraphExpression(
        $"increase({MetricNames.ResponseTotal}", window, $"{LabelNames.Tls}, {LabelNames.NoTlsReason}, {LabelNames.Classification}", pods);

    /// <summary>The latency bucket rates of <see cref="GraphCounts"/>'s edges, by bound: each edge's percentiles come from this one answer.</summary>
    public static string GraphLatencyBuckets(bool pods, StatWindow window) => GraphExpression(
        $"rate({MetricNames.ResponseLatencyMs}_bucket", window, BucketBound, pods);

    /// <summary>
    /// The bytes per second both ways over the meshed callers' outbound TCP connections, by caller, destination and tls:
    /// the edges that carried TCP but no HTTP (opaque traffic) are those <see cref="GraphCounts"/> does not have.
    /// </summary>
    public static string GraphTcpBytes(bool pods, StatWindow window)
    {
        // Two sums added, not one rate over both names: rate drops the name, and the read and write series of a connection would collide.
        string Sum(string metric) =>
            $$"""sum by ({{GraphSources(pods)}}, {{GraphDestinations(pods)}}, {{LabelNames.Tls}}) (rate({{metric}}{{{LabelNames.Direction}}="{{LabelNames.Values.Outbound}}", {{LabelNames.Peer}}="{{LabelNames.Values.PeerDestination}}"}[{{window}}]))""";
        return $"{Sum(MetricNames.TcpReadBytesTotal)} + {Sum(MetricNames.TcpWriteBytesTotal)}";
    }

    /// <summary>The labels naming a graph node as a caller (or, inbound, as the destination): its namespace and workload, and its pod by pod.</summary>
    public static string GraphSources(bool pods) =>
        string.Join(", ", [LabelNames.Namespace, .. WorkloadKindExtensions.Workloads.Select(k => k.PromLabel()), .. pods ? [LabelNames.Pod] : Array.Empty<string>()]);

    /// <summary>The labels the callers' proxies name a destination node with, as <see cref="GraphSources"/>.</summary>
    public static string GraphDestinations(bool pods) =>
        string.Join(", ", [LabelNames.DstNamespace, .. WorkloadKindExtensions.Workloads.Select(k => k.DstPromLabel()), .. pods ? [LabelNames.DstPod] : Array.Empty<string>()]);

    private static string GraphExpression(string function, StatWindow window, string labels, bool pods)
    {
        var outbound = $"{LabelNames.Direction}=\"{LabelNames.Values.Outbound}\"";
        var unidentified = $"{LabelNames.Direction}=\"{LabelNames.Values.Inbound}\", {LabelNames.ClientId}=\"\", {LabelNames.NoTlsReason}!=\"{LabelNames.Values.Loopback}\"";
        return $"sum by ({LabelNames.Direction}, {GraphSources(pods)}, {GraphDestinations(pods)}, {labels}) ({function}{{{outbound}}}[{window}]))" +
            $" or sum by ({LabelNames.Direction}, {GraphSources(pods)}, {labels}) ({function}{{{unidentified}}}[{window}]))";
    }

    /// <summary>
    /// A chart's traffic: the response rate of <paramref name="resource"/> by classification, each point a rate
    /// over <paramref name="rateWindow"/> (see <see cref="ChartRateWindow"/>).
    /// </summary>
    public static string ChartResponseRates(ResourceKey resource, StatWindow rateWindow) =>
        $$"""sum(rate({{MetricNames.ResponseTotal}}{{{Matchers(LabelNames.Values.Inbound, Scope(LabelNames.Namespace, resource.Kind.PromLabel(), resource))}}}[{{rateWindow}}])) by ({{LabelNames.Classification}})""";

    /// <summary>A chart's latency: the bucket rates of <paramref name="resource"/> by bound, from which each point's percentiles come.</summary>
    public static string ChartLatencyBuckets(ResourceKey resource, StatWindow rateWindow) =>
        $$"""sum(rate({{MetricNames.ResponseLatencyMs}}_bucket{{{Matchers(LabelNames.Values.Inbound, Scope(LabelNames.Namespace, resource.Kind.PromLabel(), resource))}}}[{{rateWindow}}])) by ({{BucketBound}})""";

    /// <summary>
    /// The window each chart point's rate covers: one step, so the points tile the range without gaps or
    /// overlap, but never less than four scrape intervals (Grafana's <c>$__rate_interval</c> reasoning: a rate
    /// needs two samples even when a scrape is missed).
    /// </summary>
    public static StatWindow ChartRateWindow(TimeSpan step, TimeSpan scrapeInterval) =>
        StatWindow.FromSeconds((int)Math.Ceiling(Math.Max(step.TotalSeconds, 4 * scrapeInterval.TotalSeconds)));

    /// <summary>
    /// The step of a range query over <paramref name="window"/>: about <see cref="ChartPoints"/> points,
    /// in whole seconds, never finer than the scrape interval (finer points would repeat samples).
    /// </summary>
    public static TimeSpan StepFor(StatWindow window, TimeSpan scrapeInterval)
    {
        var seconds = Math.Max(Math.Ceiling(window.TotalSeconds / (double)ChartPoints), Math.Ceiling(scrapeInterval.TotalSeconds));
        return TimeSpan.FromSeconds(Math.Max(seconds, 1));
    }

    /// <summary>
    /// The range of a chart over the last <paramref name="window"/>. The end is rounded down to a
    /// multiple of the step so that viewers refreshing at slightly different moments send the same
    /// query (one cache entry), and Prometheus evaluates at the same aligned instants each time.
    /// </summary>
    public static QueryRange ChartRange(StatWindow window, DateTimeOffset now, TimeSpan scrapeInterval)
    {
        var step = StepFor(window, scrapeInterval);
        var end = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds() / (long)step.TotalSeconds * (long)step.TotalSeconds);
        return new QueryRange(end - window.Duration, end, step);
    }

    /// <summary>
    /// The selector of <paramref name="resource"/>'s inbound requests that no meshed caller sent: those without a client
    /// identity (plaintext from outside the mesh, <c>no_tls_from_remote</c>). The "unmeshed clients" of inbound tables,
    /// charts and investigations. Callers injected without an identity count here too: their proxies prove none.
    /// </summary>
    public static string UnmeshedInbound(ResourceKey resource) =>
        Inbound(Scope(LabelNames.Namespace, resource.Kind.PromLabel(), resource).With(LabelNames.ClientId, ""));

    /// <summary>
    /// An investigation's latency of <paramref name="resource"/> per pod: the inbound bucket rates by bound and pod, each
    /// point a rate over <paramref name="rateWindow"/>.
    /// </summary>
    public static string PodLatencyBuckets(ResourceKey resource, StatWindow rateWindow) =>
        BucketsExpression(Inbound(Scope(LabelNames.Namespace, resource.Kind.PromLabel(), resource)), rateWindow, LabelNames.Pod);

    /// <summary>An investigation's responses of <paramref name="resource"/> per pod and classification, matching <see cref="PodLatencyBuckets"/>.</summary>
    public static string PodResponseRates(ResourceKey resource, StatWindow rateWindow) =>
        RatesExpression(Inbound(Scope(LabelNames.Namespace, resource.Kind.PromLabel(), resource)), rateWindow, $"{LabelNames.Pod}, {LabelNames.Classification}");

    /// <summary>The bucket rates by bound of the requests no meshed caller sent (<see cref="UnmeshedInbound"/>).</summary>
    public static string UnmeshedLatencyBuckets(ResourceKey resource, StatWindow rateWindow) =>
        $$"""sum(rate({{MetricNames.ResponseLatencyMs}}_bucket{{{UnmeshedInbound(resource)}}}[{{rateWindow}}])) by ({{BucketBound}})""";

    /// <summary>The response rates by classification of the requests no meshed caller sent (<see cref="UnmeshedInbound"/>).</summary>
    public static string UnmeshedResponseRates(ResourceKey resource, StatWindow rateWindow) =>
        RatesExpression(UnmeshedInbound(resource), rateWindow, LabelNames.Classification);

    private static string RatesExpression(string selector, StatWindow window, string groupBy) =>
        $$"""sum(rate({{MetricNames.ResponseTotal}}{{{selector}}}[{{window}}])) by ({{groupBy}})""";

    /// <summary>
    /// Responses of <paramref name="resource"/>'s unmeshed clients (<see cref="UnmeshedInbound"/>) over the window, by
    /// classification and tls, as its inbound proxies counted them: the callers table's "unmeshed clients" row.
    /// </summary>
    public static string UnmeshedInboundCounts(ResourceKey resource, StatWindow window) =>
        CountsExpression(UnmeshedInbound(resource), window, RowLabels(resource.Kind, LabelNames.Namespace, resource.Kind.PromLabel()));

    /// <summary>
    /// The selector of <paramref name="resource"/>'s inbound requests from meshed callers, by the identity each proved
    /// (<c>client_id</c>): the callers as the destination saw them, whether or not their own proxies are scraped.
    /// </summary>
    public static string IdentifiedInbound(ResourceKey resource) =>
        $"{Inbound(Scope(LabelNames.Namespace, resource.Kind.PromLabel(), resource))}, {LabelNames.ClientId}!=\"\"";

    /// <summary>The response counts of <paramref name="resource"/>'s meshed callers by <c>client_id</c>, classification and tls.</summary>
    public static string IdentifiedInboundCounts(ResourceKey resource, StatWindow window) =>
        CountsExpression(IdentifiedInbound(resource), window, LabelNames.ClientId);

    /// <summary>The latency bucket rates of <paramref name="resource"/>'s meshed callers by <c>client_id</c>, matching <see cref="IdentifiedInboundCounts"/>.</summary>
    public static string IdentifiedInboundLatencyBuckets(ResourceKey resource, StatWindow window) =>
        BucketsExpression(IdentifiedInbound(resource), window, LabelNames.ClientId);

    /// <summary>The latency bucket rates of <paramref name="resource"/>'s unmeshed clients, matching <see cref="UnmeshedInboundCounts"/>.</summary>
    public static string UnmeshedInboundLatencyBuckets(ResourceKey resource, StatWindow window) =>
        BucketsExpression(UnmeshedInbound(resource), window, RowLabels(resource.Kind, LabelNames.Namespace, resource.Kind.PromLabel()));

    private static string CountsExpression(string selector, StatWindow window, string rowLabels) =>
        $$"""sum(increase({{MetricNames.ResponseTotal}}{{{selector}}}[{{window}}])) by ({{rowLabels}}, {{LabelNames.Classification}}, {{LabelNames.Tls}})""";

    private static string QuantileExpression(double quantile, string selector, StatWindow window, string rowLabels) =>
        $"histogram_quantile({Number(quantile)}, {BucketsExpression(selector, window, rowLabels)})";

    // rate, not Linkerd's irate: irate sees only the last two samples of the window.
    private static string BucketsExpression(string selector, StatWindow window, string rowLabels) =>
        $$"""sum(rate({{MetricNames.ResponseLatencyMs}}_bucket{{{selector}}}[{{window}}])) by ({{BucketBound}}, {{rowLabels}})""";

    private static string Inbound(PromSelector selector) => Matchers(LabelNames.Values.Inbound, selector);

    private static (string Selector, string GroupBy) Edge(ResourceKey resource, EdgeDirection direction)
    {
        var kind = resource.Kind;
        return direction switch
        {
            EdgeDirection.Inbound => (
                Matchers(LabelNames.Values.Outbound, Scope(LabelNames.DstNamespace, kind.DstPromLabel(), resource)),
                RowLabels(kind, LabelNames.Namespace, kind.PromLabel())),
            EdgeDirection.Outbound => (
                Matchers(LabelNames.Values.Outbound, Scope(LabelNames.Namespace, kind.PromLabel(), resource)),
                RowLabels(kind, LabelNames.DstNamespace, kind.DstPromLabel())),
            _ => throw new ArgumentOutOfRangeException(nameof(direction), direction, "not an edge direction"),
        };
    }

    private static PromSelector Scope(string namespaceLabel, string kindLabel, ResourceKey resource)
    {
        var selector = PromSelector.Empty.With(namespaceLabel, resource.Namespace);
        return resource.Kind == WorkloadKind.Namespace ? selector : selector.With(kindLabel, resource.Name);
    }

    private static string RowLabels(WorkloadKind kind, string namespaceLabel, string kindLabel) =>
        kind == WorkloadKind.Namespace ? namespaceLabel : $"{namespaceLabel}, {kindLabel}";

    private static string Matchers(string direction, PromSelector selector)
    {
        if (selector.Contains(LabelNames.Direction))
        {
            throw new ArgumentException("the direction is chosen by the query shape, not the selector", nameof(selector));
        }

        var first = $"{LabelNames.Direction}=\"{direction}\"";
        return selector.IsEmpty ? first : $"{first}, {selector}";
    }

    /// <summary>A number as PromQL and Prometheus' labels write it: <c>0.5</c>, <c>0.95</c>.</summary>
    internal static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);

    // A selector in braces after a metric name; nothing for the empty selector.
    private static string Braced(PromSelector selector) => selector.IsEmpty ? "" : $"{{{selector}}}";
}
