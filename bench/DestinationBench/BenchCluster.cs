using System.Diagnostics;
using Dashboard.Proxy.Fleet.KubernetesApi;
using k8s.Models;

namespace DestinationBench;

/// <summary>One endpoint change made to the store: when, to which Service, and the ready set it leaves.</summary>
/// <param name="Started">The <see cref="Stopwatch"/> timestamp just before the first write to the store.</param>
public sealed record EndpointChange(int Index, string Kind, int Service, long Started, IReadOnlySet<string> Expected);

/// <summary>
/// The cluster in the store: <c>services</c> Services in a handful of namespaces, each with one EndpointSlice and
/// <c>podsPerService</c> ready, meshed pods (identity from their ServiceAccount), and the changes the bench makes to it
/// as the controllers would: a pod and its slice's endpoint added or removed (scale), or a pod's readiness flipped in
/// its status and in its slice's endpoint conditions.
/// </summary>
public sealed class BenchCluster
{
    public const int Namespaces = 5;
    public const int ServicePort = 80;
    public const int TargetPort = 8080;

    private readonly KubeStore _store;
    private readonly int _podsPerService;
    private readonly List<PodState>[] _pods;
    private int _nextIp;

    public BenchCluster(KubeStore store, int services, int podsPerService)
    {
        _store = store;
        _podsPerService = podsPerService;
        _pods = new List<PodState>[services];
        for (var s = 0; s < services; s++)
        {
            _store.Upsert(Service(s));
            _pods[s] = [];
            for (var p = 0; p < podsPerService; p++)
            {
                AddPod(s);
            }

            _store.Upsert(Slice(s));
        }
    }

    public int ServiceCount => _pods.Length;

    public static string Namespace(int service) => $"bench-{service % Namespaces}";

    public static string Name(int service) => $"svc-{service:D4}";

    /// <summary>The authority a proxy sends to: <c>svc-0007.bench-2.svc.cluster.local:80</c>.</summary>
    public static string Authority(int service) => $"{Name(service)}.{Namespace(service)}.svc.cluster.local:{ServicePort}";

    /// <summary>The addresses a Service's ready endpoints are at now.</summary>
    public IReadOnlySet<string> Ready(int service) =>
        _pods[service].Where(p => p.Ready).Select(p => $"{p.Ip}:{TargetPort}").ToHashSet(StringComparer.Ordinal);

    /// <summary>
    /// Even changes scale (one pod more, or back to <c>podsPerService</c>), odd ones flip a pod's readiness (one not
    /// ready, or ready again); a Service never drops below one ready endpoint.
    /// </summary>
    public EndpointChange Change(int index, int service)
    {
        var pods = _pods[service];
        string kind;
        long started;
        if (index % 2 == 0)
        {
            if (pods.Count > _podsPerService)
            {
                kind = "scale down";
                var gone = pods[^1];
                pods.RemoveAt(pods.Count - 1);
                // The EndpointSlice controller drops the endpoint; the pod goes after.
                started = Stopwatch.GetTimestamp();
                _store.Upsert(Slice(service));
                _store.Delete<V1Pod>(Namespace(service), gone.Name);
            }
            else
            {
                kind = "scale up";
                started = Stopwatch.GetTimestamp();
                AddPod(service);
                _store.Upsert(Slice(service));
            }
        }
        else
        {
            var notReady = pods.FindIndex(p => !p.Ready);
            var flipped = notReady >= 0 ? notReady : 0;
            kind = notReady >= 0 ? "ready" : "not ready";
            pods[flipped] = pods[flipped] with { Ready = notReady >= 0 };
            // The kubelet reports the pod's condition; the EndpointSlice controller follows it.
            started = Stopwatch.GetTimestamp();
            _store.Upsert(Pod(service, pods[flipped]));
            _store.Upsert(Slice(service));
        }

        return new EndpointChange(index, kind, service, started, Ready(service));
    }

    private void AddPod(int service)
    {
        var n = _nextIp++;
        var pod = new PodState($"{Name(service)}-7d9c5b6f4-{n:D5}", $"10.{42 + n / 62500}.{n / 250 % 250}.{n % 250 + 1}", Ready: true);
        _pods[service].Add(pod);
        _store.Upsert(Pod(service, pod));
    }

    private static V1Service Service(int s) => new()
    {
        Metadata = new() { Name = Name(s), NamespaceProperty = Namespace(s) },
        Spec = new()
        {
            ClusterIP = $"10.96.{s / 250}.{s % 250 + 1}",
            Selector = new Dictionary<string, string> { ["app"] = Name(s) },
            Ports = [new() { Name = "http", Port = ServicePort, TargetPort = TargetPort, Protocol = "TCP" }],
        },
    };

    private static V1Pod Pod(int s, PodState pod) => new()
    {
        Metadata = new()
        {
            Name = pod.Name,
            NamespaceProperty = Namespace(s),
            Labels = new Dictionary<string, string> { ["app"] = Name(s), ["linkerd.io/control-plane-ns"] = "linkerd" },
            OwnerReferences = [new() { Kind = "ReplicaSet", Name = $"{Name(s)}-7d9c5b6f4", ApiVersion = "apps/v1", Uid = $"rs-{s}" }],
        },
        Spec = new() { ServiceAccountName = Name(s), Containers = [new() { Name = "app", Image = "bench/app" }] },
        Status = new()
        {
            Phase = "Running",
            PodIP = pod.Ip,
            PodIPs = [new() { Ip = pod.Ip }],
            Conditions = [new() { Type = "Ready", Status = pod.Ready ? "True" : "False" }],
        },
    };

    private V1EndpointSlice Slice(int s) => new()
    {
        Metadata = new()
        {
            Name = $"{Name(s)}-abcde",
            NamespaceProperty = Namespace(s),
            Labels = new Dictionary<string, string> { ["kubernetes.io/service-name"] = Name(s) },
        },
        AddressType = "IPv4",
        Ports = [new() { Name = "http", Port = TargetPort, Protocol = "TCP" }],
        Endpoints = [.. _pods[s].Select(p => new V1Endpoint
        {
            Addresses = [p.Ip],
            Conditions = new() { Ready = p.Ready },
            TargetRef = new() { Kind = "Pod", Name = p.Name, NamespaceProperty = Namespace(s) },
        })],
    };

    private sealed record PodState(string Name, string Ip, bool Ready);
}
