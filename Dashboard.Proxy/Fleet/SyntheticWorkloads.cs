using Dashboard.Proxy.Fleet.Manifest;

namespace Dashboard.Proxy.Fleet;

/// <summary>
/// The fleet's scale option: deployments whose pods have no process. They appear in the Kubernetes API like
/// any other, call each other (<see cref="Calls"/>), and a shared exporter serves each pod's advancing metrics,
/// inbound and outbound (<see cref="SyntheticExporter"/>), so one machine can show Prometheus and the dashboard
/// a mesh of 100 deployments and 1,000 pods.
/// </summary>
public sealed record SyntheticWorkloads(int Deployments, int Pods)
{
    public const string NamespacePrefix = "scale-";
    public const int DeploymentsPerNamespace = 10;
    public const int MaxCallees = 3;

    /// <summary>How often a deployment's second or third callee is in a later namespace rather than its own.</summary>
    private const double CrossNamespaceShare = 0.2;

    /// <summary>The share of an entry point's requests that come from meshed callers; clients outside the mesh send the rest.</summary>
    private const double EntryPointMeshedShare = 0.5;

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
                deployments.Add(new DeploymentSpec(Name(d).Deployment, replicas, true, []));
            }

            namespaces.Add(new NamespaceSpec(Name(n * DeploymentsPerNamespace).Namespace, deployments, []));
        }

        return namespaces;
    }

    /// <summary>
    /// Who calls whom, and how often (requests per second over the whole deployments): each deployment calls 1 to
    /// <see cref="MaxCallees"/> deployments of a higher index (none for the last), drawn from a generator seeded by its
    /// name, so the graph has no cycles and lays out in layers. Its first callee is in its own namespace when one is left:
    /// every deployment then reaches the last of its namespace, which calls into a later one, so the graph is connected.
    /// A callee's meshed callers share all its requests (<see cref="SyntheticProfile.Rps"/>), or half of them for the first
    /// deployment of each namespace, an entry point also called from outside the mesh; a deployment nobody calls is
    /// called from outside only.
    /// </summary>
    public IReadOnlyList<SyntheticCall> Calls()
    {
        if (IsEmpty)
        {
            return [];
        }

        var callers = Enumerable.Range(0, Deployments).Select(_ => new List<int>()).ToArray();
        for (var d = 0; d < Deployments; d++)
        {
            foreach (var callee in Callees(d))
            {
                callers[callee].Add(d);
            }
        }

        var calls = new List<(int Caller, int Callee, SyntheticCall Call)>();
        for (var callee = 0; callee < Deployments; callee++)
        {
            if (callers[callee].Count == 0)
            {
                continue;
            }

            var (ns, name) = Name(callee);
            var random = new Random(SyntheticProfile.StableHash($"{ns}/{name}/callers"));
            var weights = callers[callee].Select(_ => 0.5 + random.NextDouble()).ToArray();
            var meshed = SyntheticProfile.Of(ns, name).Rps * (callee % DeploymentsPerNamespace == 0 ? EntryPointMeshedShare : 1);
            for (var i = 0; i < weights.Length; i++)
            {
                var (callerNs, caller) = Name(callers[callee][i]);
                calls.Add((callers[callee][i], callee, new SyntheticCall(callerNs, caller, ns, name, meshed * weights[i] / weights.Sum())));
            }
        }

        return [.. calls.OrderBy(c => c.Caller).ThenBy(c => c.Callee).Select(c => c.Call)];
    }

    public static bool IsSynthetic(string @namespace) => @namespace.StartsWith(NamespacePrefix, StringComparison.Ordinal);

    /// <summary>The authority callers name a synthetic deployment by: its Service's cluster name.</summary>
    public static string Authority(string @namespace, string deployment) => $"{deployment}.{@namespace}.svc.cluster.local";

    private static (string Namespace, string Deployment) Name(int index) =>
        ($"{NamespacePrefix}{index / DeploymentsPerNamespace:00}", $"svc-{index:000}");

    private List<int> Callees(int index)
    {
        var (ns, name) = Name(index);
        var random = new Random(SyntheticProfile.StableHash($"{ns}/{name}/calls"));
        var end = Math.Min(Deployments, ((index / DeploymentsPerNamespace) + 1) * DeploymentsPerNamespace);
        var same = Enumerable.Range(index + 1, end - index - 1).ToList();
        var later = Enumerable.Range(end, Deployments - end).ToList();
        var wanted = 1 + random.Next(MaxCallees);
        var chosen = new List<int>();
        while (chosen.Count < wanted && same.Count + later.Count > 0)
        {
            var pool = same.Count == 0 || (chosen.Count > 0 && later.Count > 0 && random.NextDouble() < CrossNamespaceShare) ? later : same;
            var pick = random.Next(pool.Count);
            chosen.Add(pool[pick]);
            pool.RemoveAt(pick);
        }

        return chosen;
    }
}

/// <summary>A call the scale option planted: <paramref name="Rps"/> requests per second from one deployment's pods to another's.</summary>
public sealed record SyntheticCall(string CallerNamespace, string Caller, string CalleeNamespace, string Callee, double Rps);
