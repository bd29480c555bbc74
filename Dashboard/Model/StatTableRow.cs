namespace Dashboard.Model;

/// <summary>One row of a stat table: a resource from the inventory with its stats from Prometheus (null: no traffic).</summary>
public sealed record StatTableRow(ResourceKey Key, int MeshedPods, int RunningPods, StatCounts? Stats)
{
    public string Name => Key.Name;
    public string Namespace => Key.Namespace;
    /// <summary>A resource with at least one meshed pod has metrics and a detail page.</summary>
    public bool IsMeshed => MeshedPods > 0;
    public string Meshed => $"{MeshedPods}/{RunningPods}";
}
