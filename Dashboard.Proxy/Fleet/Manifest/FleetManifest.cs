namespace Dashboard.Proxy.Fleet.Manifest;

/// <summary>
/// The bundled fleet's manifest: namespaces with deployments and bare pods, and the traffic that flows
/// between them. Loaded and validated by <see cref="FleetManifestLoader"/>.
/// </summary>
public sealed record FleetManifest(IReadOnlyList<NamespaceSpec> Namespaces, IReadOnlyList<TrafficSpec> Traffic)
{
    public IEnumerable<(NamespaceSpec Namespace, DeploymentSpec Deployment)> Deployments =>
        Namespaces.SelectMany(n => n.Deployments.Select(d => (n, d)));

    /// <summary>Splits <c>svc</c> or <c>svc.ns</c> (or longer cluster names) into namespace and service.</summary>
    public static (string Namespace, string Service) ParseService(string name, string defaultNamespace)
    {
        var host = name.Split(':')[0];
        var parts = host.Split('.');
        return parts.Length >= 2 ? (parts[1], parts[0]) : (defaultNamespace, parts[0]);
    }
}

public sealed record NamespaceSpec(string Name, IReadOnlyList<DeploymentSpec> Deployments, IReadOnlyList<BarePodSpec> Pods);

/// <param name="Routes">What the app serves; a request matching none is served by <see cref="RouteSpec.Default"/>.</param>
/// <param name="Identity">Whether its meshed pods' proxies have an identity (and so mTLS); false is Linkerd's
/// <c>config.linkerd.io/disable-identity</c> annotation.</param>
public sealed record DeploymentSpec(string Name, int Replicas, bool Meshed, IReadOnlyList<RouteSpec> Routes, bool Identity = true)
{
    /// <summary>Causes planted in its pods: slow or failing replicas, always or periodically.</summary>
    public IReadOnlyList<FaultSpec> Faults { get; init; } = [];
}

/// <summary>
/// A cause the fleet plants in one replica: while active, the pod's app adds <see cref="ExtraLatencyMs"/> to each request
/// it serves and answers <see cref="ErrorRate"/> of them 500. Always on without a period; else active for
/// <see cref="DurationSeconds"/> of every <see cref="EverySeconds"/> (<see cref="FleetSchedule"/>).
/// </summary>
/// <param name="Pod">The replica's ordinal, 0 to replicas - 1.</param>
public sealed record FaultSpec(int Pod, double ExtraLatencyMs, double ErrorRate, double? EverySeconds, double? DurationSeconds)
{
    public bool Periodic => EverySeconds is not null;
}

/// <param name="Method">HTTP method, upper case.</param>
/// <param name="Path">Exact path, starting with '/'.</param>
/// <param name="ErrorRate">Share of requests answered 500, from 0 to 1.</param>
/// <param name="Calls">Downstream calls made for each request, in order, before answering.</param>
public sealed record RouteSpec(string Method, string Path, LatencySpec Latency, double ErrorRate, IReadOnlyList<CallSpec> Calls)
{
    public static RouteSpec Default { get; } = new("GET", "/", LatencySpec.Default, 0, []);
}

/// <summary>Server-side latency of the app: log-normal with this median and 99th percentile (milliseconds).</summary>
public sealed record LatencySpec(double P50Ms, double P99Ms)
{
    public static LatencySpec Default { get; } = new(5, 20);
}

/// <param name="Service">A service name, <c>svc</c> (same namespace) or <c>svc.ns</c>.</param>
public sealed record CallSpec(string Service, string Method, string Path);

/// <param name="Phase">Kubernetes pod phase: Running, Pending, Succeeded, Failed, Unknown.</param>
public sealed record BarePodSpec(string Name, bool Meshed, string Phase);

/// <param name="From"><c>external</c> (outside the mesh, straight to the service's pods) or <c>namespace/deployment</c>.</param>
/// <param name="To">A service, <c>svc.ns</c> or <c>svc</c> (namespace <c>default</c>).</param>
public sealed record TrafficSpec(string Name, string From, string To, string Method, string Path, double Rps, SpikeSpec? Spikes)
{
    public const string External = "external";
}

/// <summary>
/// Every <see cref="EverySeconds"/>, for <see cref="DurationSeconds"/>, the requests of this traffic take <see cref="ExtraLatencyMs"/>
/// longer (<see cref="FleetSchedule"/>).
/// </summary>
public sealed record SpikeSpec(double EverySeconds, double DurationSeconds, double ExtraLatencyMs);
