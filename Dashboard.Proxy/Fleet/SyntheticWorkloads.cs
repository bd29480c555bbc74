using Dashboard.Proxy.Fleet.Manifest;

namespace Dashboard.Proxy.Fleet;

/// <summary>
/// The fleet's scale option: deployments whose pods have no process. They appear in the Kubernetes API like
/// any other, and a shared exporter serves each pod's advancing metrics (<see cref="SyntheticExporter"/>), so
/// one machine can show Prometheus and the dashboard 100 deployments and 1,000 pods.
/// </summary>
public sealed record SyntheticWorkloads(int Deployments, int Pods)
{
    public const string NamespacePrefix = "scale-";
    public const int DeploymentsPerNamespace = 10;

    public bool IsEmpty => Deployments <= 0 || Pods <= 0;

    /// <summary>The namespaces of the synthetic deployments, with replicas spread evenly over them.</summary>
    public IReadOnlyList<NamespaceSpec> Namespaces()
    {
        if (IsEmpty)
        {
            return [];
        }

        var namespaces = new List<NamespaceSpec>();
        for (var n = 0; n * DeploymentsPerNamespace < Deployments; n++)
        {
            var deployments = new List<DeploymentSpec>();
            for (var d = n * DeploymentsPerNamespace; d < Math.Min(Deployments, (n + 1) * DeploymentsPerNamespace); d++)
            {
                var replicas = (Pods / Deployments) + (d < Pods % Deployments ? 1 : 0);
                deployments.Add(new DeploymentSpec($"svc-{d:000}", replicas, true, []));
            }

            namespaces.Add(new NamespaceSpec($"{NamespacePrefix}{n:00}", deployments, []));
        }

        return namespaces;
    }

    public static bool IsSynthetic(string @namespace) => @namespace.StartsWith(NamespacePrefix, StringComparison.Ordinal);
}
