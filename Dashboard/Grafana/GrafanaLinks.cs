using Dashboard.Model;

namespace Dashboard.Grafana;

/// <summary>
/// Links into the Grafana dashboards of docker/: <c>{base}/d/linkerd-{kind}?var-{kind}={name}&amp;var-namespace={ns}</c>,
/// the uids and variables Linkerd's own Grafana dashboards use.
/// </summary>
public static class GrafanaLinks
{
    /// <summary>The dashboard uid's kind part and the variable naming the resource: <c>deployment</c>, <c>pod</c>, <c>job</c> ….</summary>
    public static string KindOf(WorkloadKind kind) => kind.SingularName();

    /// <summary>Where links into Grafana start: its URL, or <c>grafana</c> (relative to the page) when the dashboard proxies it; null without Grafana.</summary>
    public static string? BaseOf(Configuration.DashboardSettings settings) =>
        settings.Grafana is { } g ? (g.Proxy ? "grafana" : g.Url.ToString()) : null;

    /// <param name="grafana">Grafana's base: an absolute URL, or <c>grafana</c> when the dashboard proxies it under its own path.</param>
    public static string For(string grafana, ResourceKey resource)
    {
        var root = grafana.TrimEnd('/');
        if (resource.Kind == WorkloadKind.Namespace)
        {
            return $"{root}/d/linkerd-namespace?var-namespace={Uri.EscapeDataString(resource.Name)}";
        }

        var kind = KindOf(resource.Kind);
        return $"{root}/d/linkerd-{kind}?var-{kind}={Uri.EscapeDataString(resource.Name)}&var-namespace={Uri.EscapeDataString(resource.Namespace)}";
    }
}
