namespace Dashboard.Model;

/// <summary>One row of a stat table: a resource from the inventory with its stats from Prometheus (null: no traffic).</summary>
public sealed record StatTableRow(ResourceKey Key, int MeshedPods, int RunningPods, StatCounts? Stats)
{
    /// <summary>The name of a callers table's row of requests without a client identity (no resource can have it: it has a space).</summary>
    public const string UnmeshedClientsName = "unmeshed clients";

    /// <summary>The row of <paramref name="of"/>'s unmeshed clients, as its inbound proxies counted them; no namespace, no page.</summary>
    public static StatTableRow UnmeshedClients(ResourceKey of, StatCounts stats) =>
        new(new ResourceKey(of.Kind, "", UnmeshedClientsName), 0, 0, stats) { IsUnmeshedClients = true };

    /// <summary>
    /// A caller the destination saw only by <paramref name="identity"/>, which no single workload runs as: named by the
    /// identity, in its namespace, without a page.
    /// </summary>
    public static StatTableRow IdentifiedCaller(WorkloadKind kind, string @namespace, string identity, StatCounts stats) =>
        new(new ResourceKey(kind, @namespace, identity), 0, 0, stats) { Identity = identity, IsIdentityOnly = true };

    /// <summary>
    /// The identity a caller row was seen by at the destination, when only the destination's proxies counted it (the
    /// caller's own are not scraped); null for rows from the callers' outbound metrics.
    /// </summary>
    public string? Identity { get; init; }

    /// <summary>Whether the row is an identity no workload could be found for (<see cref="IdentifiedCaller"/>): no page, no pods.</summary>
    public bool IsIdentityOnly { get; init; }

    public string Name => Key.Name;
    public string Namespace => Key.Namespace;

    /// <summary>A resource with at least one meshed pod has metrics and a detail page.</summary>
    public bool IsMeshed => MeshedPods > 0 && !IsIdentityOnly;

    /// <summary>Whether this is the "unmeshed clients" row of a callers table (<see cref="UnmeshedClients"/>), not a resource.</summary>
    public bool IsUnmeshedClients { get; init; }

    public string Meshed => IsUnmeshedClients || IsIdentityOnly ? StatFormat.NoData : $"{MeshedPods}/{RunningPods}";

    /// <summary>Why this pod stands out among its workload's pods (<c>P99 170ms vs 20ms</c>); null when it does not.</summary>
    public PodOutlierNote? Outlier { get; init; }

    /// <summary>The spike episodes the resource had lately (the row's badge); null: none, or not asked.</summary>
    public SpikeBadge? Spikes { get; init; }

    /// <summary>The same row in the compared window (<c>compare=</c>); null when not comparing.</summary>
    public StatComparison? Comparison { get; init; }
}

/// <summary>A row's numbers in the other window of a comparison.</summary>
/// <param name="Stats">Null: no traffic in that window.</param>
/// <param name="WindowEnd">When the other window ended.</param>
public sealed record StatComparison(StatCounts? Stats, DateTimeOffset WindowEnd);

/// <summary>A pod's flag: the metric it deviates on, its value and its siblings' median.</summary>
public sealed record PodOutlierNote(string Metric, string Value, string Baseline)
{
    /// <summary><c>P99 170ms vs 20ms</c>.</summary>
    public override string ToString() => $"{Metric} {Value} vs {Baseline}";
}

/// <summary>A row's badge: <paramref name="Episodes"/> spike episodes in the last <paramref name="Lookback"/>.</summary>
public sealed record SpikeBadge(int Episodes, StatWindow Lookback)
{
    /// <summary><c>2 spikes</c>.</summary>
    public override string ToString() => Episodes == 1 ? "1 spike" : $"{Episodes} spikes";
}
