using Dashboard.Investigation;
using Dashboard.Metrics;
using Dashboard.Model;
using static Dashboard.Tests.Investigation.Traffic;

namespace Dashboard.Tests.Investigation;

/// <summary>The tables' badges from a per-row P99 range answer and a per-row counts range answer.</summary>
public sealed class RowEpisodesTests
{
    private static readonly List<DateTimeOffset> Steps = Times(30);

    private static PromSeries Series(Func<int, double?> value, params string[] labels)
    {
        var dictionary = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < labels.Length; i += 2)
        {
            dictionary[labels[i]] = labels[i + 1];
        }

        return new PromSeries(dictionary, [.. Enumerable.Range(0, Steps.Count).Select(i => new PromPoint(At(i), value(i)))]);
    }

    private static IReadOnlyDictionary<ResourceKey, int> Count(WorkloadKind kind, IReadOnlyList<PromSeries> p99, IReadOnlyList<PromSeries> counts) =>
        RowEpisodes.Count(kind, Steps, Step, p99, counts, InvestigationThresholds.Default);

    [Fact]
    public void A_row_with_two_p99_spikes_gets_two_and_a_flat_row_is_absent()
    {
        var p99 = new[]
        {
            Series(i => i is 10 or 20 ? 250 : 9, "namespace", "shop", "deployment", "gateway"),
            Series(_ => 9, "namespace", "shop", "deployment", "pricing"),
        };
        var counts = new[]
        {
            Series(_ => 100, "namespace", "shop", "deployment", "gateway", "classification", "success", "tls", "true"),
            Series(_ => 100, "namespace", "shop", "deployment", "pricing", "classification", "success", "tls", "true"),
        };

        var rows = Count(WorkloadKind.Deployment, p99, counts);

        Assert.Equal(new Dictionary<ResourceKey, int> { [new(WorkloadKind.Deployment, "shop", "gateway")] = 2 }, rows);
    }

    [Fact]
    public void A_failure_rate_spike_counts_beside_the_latency_ones()
    {
        var p99 = new[] { Series(i => i == 10 ? 250 : 9, "namespace", "shop", "deployment", "gateway") };
        var counts = new[]
        {
            Series(i => i == 20 ? 50 : 100, "namespace", "shop", "deployment", "gateway", "classification", "success", "tls", "true"),
            Series(i => i == 20 ? 50 : 0, "namespace", "shop", "deployment", "gateway", "classification", "failure", "tls", "true"),
        };

        var rows = Count(WorkloadKind.Deployment, p99, counts);

        Assert.Equal(2, rows[new ResourceKey(WorkloadKind.Deployment, "shop", "gateway")]);
    }

    [Fact]
    public void A_spike_on_too_few_requests_is_no_episode()
    {
        var p99 = new[] { Series(i => i == 10 ? 250 : 9, "namespace", "shop", "deployment", "gateway") };
        var counts = new[] { Series(i => i == 10 ? 5 : 100, "namespace", "shop", "deployment", "gateway", "classification", "success", "tls", "true") };

        Assert.Empty(Count(WorkloadKind.Deployment, p99, counts));
    }

    [Fact]
    public void Namespace_rows_are_keyed_by_the_namespace_alone()
    {
        var p99 = new[] { Series(i => i == 10 ? 250 : 9, "namespace", "shop"), Series(_ => 9, "namespace", "ops") };
        var counts = new[]
        {
            Series(_ => 100, "namespace", "shop", "classification", "success", "tls", "true"),
            Series(_ => 100, "namespace", "ops", "classification", "success", "tls", "true"),
        };

        var rows = Count(WorkloadKind.Namespace, p99, counts);

        Assert.Equal(new Dictionary<ResourceKey, int> { [ResourceKey.ForNamespace("shop")] = 1 }, rows);
    }

    [Fact]
    public void Series_without_the_rows_labels_are_left_out()
    {
        var p99 = new[] { Series(i => i == 10 ? 250 : 9, "namespace", "shop") };
        var counts = new[] { Series(_ => 100, "namespace", "shop", "classification", "success", "tls", "true") };

        Assert.Empty(Count(WorkloadKind.Deployment, p99, counts));
    }
}
