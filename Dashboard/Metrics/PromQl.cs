using System.Globalization;
using Dashboard.Contracts.Metrics;
using Dashboard.Model;

namespace Dashboard.Metrics;

/// <summary>
/// Every PromQL expression the dashboard sends (shared/DESIGN.md §3). Each table costs one counts query
/// and three quantile queries, grouped <c>by</c> the row labels, whatever the number of rows.
/// </summary>
public static class PromQl
{
    /// <summary>The latency quantiles every table shows: P50, P95, P99.</summary>
    public static IReadOnlyList<double> Quantiles { get; } = [0.5, 0.95, 0.99];

    /// <summary>Charts aim at about this many points whatever the window.</summary>
    public const int ChartPoints = 60;

    /// <summary>Responses by classification and tls over the window, per row of <paramref name="kind"/>.</summary>
    public static string Counts(WorkloadKind kind, LabelSelector selector, StatWindow window) =>
        CountsExpression(Inbound(selector), window, RowLabels(kind, LabelNames.Namespace, kind.PromLabel()));

    /// <summary>A latency quantile (ms) over the window, per row of <paramref name="kind"/>.</summary>
    public static string Quantile(double quantile, WorkloadKind kind, LabelSelector selector, StatWindow window) =>
        QuantileExpression(quantile, Inbound(selector), window, RowLabels(kind, LabelNames.Namespace, kind.PromLabel()));

    /// <summary>
    /// One series per proxy Prometheus scrapes now, with its pod and version: which meshed pods report
    /// metrics (<c>check</c>) and which proxy versions run (<c>version</c>).
    /// </summary>
    public static string ProxyBuilds { get; } =
        $"count by ({LabelNames.Namespace}, {LabelNames.Pod}, {LabelNames.Version}) ({MetricNames.ProxyBuildInfo})";

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

    /// <summary>The latency quantile (ms) per neighbour, matching <see cref="EdgeCounts"/>.</summary>
    public static string EdgeQuantile(double quantile, ResourceKey resource, EdgeDirection direction, StatWindow window)
    {
        var (selector, groupBy) = Edge(resource, direction);
        return QuantileExpression(quantile, selector, window, groupBy);
    }

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

    private static string CountsExpression(string selector, StatWindow window, string rowLabels) =>
        $$"""sum(increase({{MetricNames.ResponseTotal}}{{{selector}}}[{{window}}])) by ({{rowLabels}}, {{LabelNames.Classification}}, {{LabelNames.Tls}})""";

    // rate, not Linkerd's irate: irate sees only the last two samples of the window (shared/DESIGN.md §3).
    private static string QuantileExpression(double quantile, string selector, StatWindow window, string rowLabels) =>
        $$"""histogram_quantile({{Number(quantile)}}, sum(rate({{MetricNames.ResponseLatencyMs}}_bucket{{{selector}}}[{{window}}])) by (le, {{rowLabels}}))""";

    private static string Inbound(LabelSelector selector) => Matchers(LabelNames.Values.Inbound, selector);

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

    private static LabelSelector Scope(string namespaceLabel, string kindLabel, ResourceKey resource)
    {
        var selector = LabelSelector.Empty.With(namespaceLabel, resource.Namespace);
        return resource.Kind == WorkloadKind.Namespace ? selector : selector.With(kindLabel, resource.Name);
    }

    private static string RowLabels(WorkloadKind kind, string namespaceLabel, string kindLabel) =>
        kind == WorkloadKind.Namespace ? namespaceLabel : $"{namespaceLabel}, {kindLabel}";

    private static string Matchers(string direction, LabelSelector selector)
    {
        if (selector.Contains(LabelNames.Direction))
        {
            throw new ArgumentException("the direction is chosen by the query shape, not the selector", nameof(selector));
        }

        var first = $"{LabelNames.Direction}=\"{direction}\"";
        return selector.IsEmpty ? first : $"{first}, {selector}";
    }

    private static string Number(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
