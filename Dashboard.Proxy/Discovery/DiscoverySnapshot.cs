using Dashboard.Contracts.Identity;
using Dashboard.Contracts.Proxy;
using Dashboard.Contracts.Utils;
using Dashboard.Proxy.Metrics;
using k8s.Models;
using System.Net;

namespace Dashboard.Proxy.Discovery;

/// <summary>An immutable view of services and their ready endpoints, rebuilt when the watched objects change.</summary>
internal sealed class DiscoverySnapshot
{
    private const int MaxMemoizedAuthorities = 10_000;
    private const string MeshedLabel = "linkerd.io/control-plane-ns";
    private readonly Dictionary<(string Namespace, string Service, int Port), ResolvedService> _services;
    // Keyed by namespace too: a bare service name means a different service in each namespace.
    private readonly BoundedCache<(string Namespace, string Authority), ResolvedService?> _byAuthority = new(MaxMemoizedAuthorities);
    // The addresses redirected connections were made to: a Service's ClusterIP and port, or a pod's IP.
    private readonly Dictionary<(IPAddress, int), ResolvedService> _byClusterIp;
    private readonly Dictionary<IPAddress, PodDestination> _pods;
    private readonly BoundedCache<IPEndPoint, ResolvedService?> _byPodAddress = new(MaxMemoizedAuthorities);

    private DiscoverySnapshot(Dictionary<(string, string, int), ResolvedService> services, Dictionary<(IPAddress, int), ResolvedService> byClusterIp,
        Dictionary<IPAddress, PodDestination> pods)
    {
        _services = services;
        _byClusterIp = byClusterIp;
        _pods = pods;
    }

    public static DiscoverySnapshot Empty { get; } = new([], [], []);

    public int ServiceCount => _services.Count;

    public ResolvedService? Resolve(string authority, string defaultNamespace, string clusterDomain)
    {
        if (_byAuthority.TryGetValue((defaultNamespace, authority), out var cached))
        {
            return cached;
        }

        ResolvedService? resolved = null;
        if (Authority.TryParse(authority, out var parsed) &&
            parsed.TryGetService(defaultNamespace, clusterDomain, out var ns, out var svc))
        {
            _services.TryGetValue((ns, svc, parsed.Port), out resolved);
        }

        _byAuthority.Set((defaultNamespace, authority), resolved);
        return resolved;
    }

    /// <summary>
    /// The destination an address names: a Service's ClusterIP and port (its ready endpoints), or a pod's IP (that pod
    /// alone, with its labels and identity); null for an address discovery does not know.
    /// </summary>
    public ResolvedService? Resolve(IPEndPoint destination)
    {
        if (_byClusterIp.TryGetValue((destination.Address, destination.Port), out var service))
        {
            return service;
        }

        if (!_pods.TryGetValue(destination.Address, out var pod))
        {
            return null;
        }

        return _byPodAddress.GetOrAdd(destination, static (d, p) => new ResolvedService(p.Labels.Namespace, "",
            [new EndpointInfo(FormatAddress(d.Address.ToString(), d.Port), p.Labels, p.Identity, p.Meshed)], PortRange.AnyContains(p.OpaquePorts, d.Port)), pod);
    }

    /// <param name="trustDomain">The mesh's trust domain, in which meshed pods' identities are named.</param>
    /// <param name="previous">
    /// The snapshot this one replaces: a service whose endpoints did not change keeps its object, and so its place in the
    /// round-robin (a rebuild would otherwise send the next request of every service to its first endpoint again).
    /// </param>
    /// <param name="badAnnotation">Told of each object whose <c>config.linkerd.io/opaque-ports</c> does not parse, in a sentence.</param>
    public static DiscoverySnapshot Build(IEnumerable<V1Service> services, IEnumerable<V1EndpointSlice> slices,
        IReadOnlyDictionary<(string, string), V1Pod> pods, string trustDomain = IdentityNames.DefaultTrustDomain, DiscoverySnapshot? previous = null,
        Action<string>? badAnnotation = null)
    {
        var slicesByService = slices
            .Where(s => s.Metadata?.Labels?.TryGetValue("kubernetes.io/service-name", out _) == true)
            .ToLookup(s => (s.Metadata.NamespaceProperty ?? "", s.Metadata.Labels["kubernetes.io/service-name"]));
        var result = new Dictionary<(string, string, int), ResolvedService>();
        var byClusterIp = new Dictionary<(IPAddress, int), ResolvedService>();
        foreach (var service in services)
        {
            var ns = service.Metadata?.NamespaceProperty ?? "";
            var name = service.Metadata?.Name ?? "";
            var clusterIps = ClusterIps(service);
            var opaquePorts = OpaquePorts("Service", service.Metadata, badAnnotation);
            foreach (var port in service.Spec?.Ports ?? [])
            {
                var endpoints = new List<EndpointInfo>();
                foreach (var slice in slicesByService[(ns, name)])
                {
                    var slicePort = slice.Ports?.FirstOrDefault(p => (p.Name ?? "") == (port.Name ?? ""))?.Port;
                    if (slicePort is not { } targetPort)
                    {
                        continue;
                    }

                    foreach (var endpoint in slice.Endpoints ?? [])
                    {
                        if (endpoint.Conditions?.Ready == false || endpoint.Addresses is not { Count: > 0 } addresses)
                        {
                            continue;
                        }

                        // The slice names its pod even before the pod's own watch event has arrived.
                        var podName = endpoint.TargetRef is { Kind: "Pod" } target ? target.Name : null;
                        var pod = podName is not null &&
                            pods.TryGetValue((endpoint.TargetRef!.NamespaceProperty ?? ns, podName), out var p) ? p : null;
                        endpoints.Add(new EndpointInfo(FormatAddress(addresses[0], targetPort),
                            new DestinationLabels(ns, name, pod is null ? null : DeploymentOf(pod), podName),
                            pod is null ? null : IdentityOf(pod, trustDomain), pod is not null && IsMeshed(pod)));
                    }
                }

                EndpointInfo[] ready = [.. endpoints.Distinct()];
                var opaque = PortRange.AnyContains(opaquePorts, port.Port);
                var resolved = previous is not null && previous._services.TryGetValue((ns, name, port.Port), out var before) &&
                    before.Endpoints.SequenceEqual(ready) && before.Opaque == opaque
                    ? before
                    : new ResolvedService(ns, name, ready, opaque);
                result[(ns, name, port.Port)] = resolved;
                foreach (var ip in clusterIps)
                {
                    byClusterIp[(ip, port.Port)] = resolved;
                }
            }
        }

        return new DiscoverySnapshot(result, byClusterIp, PodsByIp(pods.Values, trustDomain, badAnnotation));
    }

    /// <summary>The virtual addresses kube-proxy serves a Service at; none for a headless one (its clients dial pods).</summary>
    private static List<IPAddress> ClusterIps(V1Service service)
    {
        var spec = service.Spec;
        var listed = spec?.ClusterIPs is { Count: > 0 } ips ? ips : spec?.ClusterIP is { } ip ? [ip] : [];
        return [.. listed.Select(a => IPAddress.TryParse(a, out var parsed) ? parsed : null).OfType<IPAddress>()];
    }

    /// <summary>Pods by their IPs; pods on the node's network share its address and name no pod.</summary>
    private static Dictionary<IPAddress, PodDestination> PodsByIp(IEnumerable<V1Pod> pods, string trustDomain, Action<string>? badAnnotation)
    {
        var result = new Dictionary<IPAddress, PodDestination>();
        foreach (var pod in pods)
        {
            if (pod.Spec?.HostNetwork == true)
            {
                continue;
            }

            var destination = new PodDestination(new DestinationLabels(pod.Metadata?.NamespaceProperty ?? "", "", DeploymentOf(pod), pod.Metadata?.Name),
                IdentityOf(pod, trustDomain), OpaquePorts("Pod", pod.Metadata, badAnnotation), IsMeshed(pod));
            var ips = pod.Status?.PodIPs?.Select(p => p.Ip) ?? (pod.Status?.PodIP is { } single ? [single] : []);
            foreach (var ip in ips)
            {
                if (IPAddress.TryParse(ip, out var parsed))
                {
                    result[parsed] = destination;
                }
            }
        }

        return result;
    }

    private sealed record PodDestination(DestinationLabels Labels, string? Identity, IReadOnlyList<PortRange> OpaquePorts, bool Meshed);

    /// <summary>
    /// The ports an object's <c>config.linkerd.io/opaque-ports</c> names (Linkerd's format: ports and ranges, comma
    /// separated); none when it has none. A value that does not parse names none either, and is reported: an object of
    /// someone else's must not stop this proxy, and its connections are still detected.
    /// </summary>
    private static IReadOnlyList<PortRange> OpaquePorts(string kind, V1ObjectMeta? metadata, Action<string>? badAnnotation)
    {
        if (metadata?.Annotations?.TryGetValue(ProxyAnnotations.OpaquePorts, out var text) != true || text is null)
        {
            return [];
        }

        if (PortRange.TryParseList(text, out var ranges, out var error))
        {
            return ranges;
        }

        badAnnotation?.Invoke($"{kind} {metadata.NamespaceProperty}/{metadata.Name}: {ProxyAnnotations.OpaquePorts}: {error}; its ports are detected");
        return [];
    }

    /// <summary>
    /// The identity a pod's proxy proves: meshed pods run as their ServiceAccount; an unmeshed pod, or one whose proxy
    /// runs without identity, has none (traffic to it stays plaintext).
    /// </summary>
    internal static string? IdentityOf(V1Pod pod, string trustDomain)
    {
        var meta = pod.Metadata;
        if (meta is null || !IsMeshed(pod) ||
            meta.Annotations?.TryGetValue(IdentityResources.DisableIdentityAnnotation, out var disabled) == true && disabled == "true")
        {
            return null;
        }

        var account = pod.Spec?.ServiceAccountName is { Length: > 0 } sa ? sa : IdentityNames.DefaultServiceAccount;
        return IdentityNames.Format(account, meta.NamespaceProperty ?? "default", trustDomain);
    }

    private static bool IsMeshed(V1Pod pod) => pod.Metadata?.Labels?.ContainsKey(MeshedLabel) == true;

    /// <summary>The deployment that owns a pod through its ReplicaSet (named <c>deployment-hash</c>).</summary>
    internal static string? DeploymentOf(V1Pod pod)
    {
        var owner = pod.Metadata?.OwnerReferences?.FirstOrDefault(o => o.Kind == "ReplicaSet");
        if (owner is null)
        {
            return null;
        }

        var hash = pod.Metadata!.Labels?.TryGetValue("pod-template-hash", out var h) == true ? h : null;
        var dash = owner.Name.LastIndexOf('-');
        return hash is not null && owner.Name.EndsWith("-" + hash, StringComparison.Ordinal)
            ? owner.Name[..^(hash.Length + 1)]
            : dash > 0 ? owner.Name[..dash] : null;
    }

    private static string FormatAddress(string ip, int port) => ip.Contains(':', StringComparison.Ordinal) ? $"[{ip}]:{port}" : $"{ip}:{port}";
}
