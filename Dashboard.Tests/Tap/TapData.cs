using System.Collections.ObjectModel;
using Dashboard.Contracts.Tap;
using Dashboard.Kubernetes;
using Dashboard.Tap;

namespace Dashboard.Tests.Tap;

/// <summary>Inventories and tap events written out by hand, as the proxies and the Kubernetes API would send them.</summary>
internal static class TapData
{
    private static readonly IReadOnlyDictionary<string, string> NoLabels = ReadOnlyDictionary<string, string>.Empty;

    public static PodInfo Pod(string name, string? owner, string ip, bool meshed = true, string phase = "Running", string ns = "default") =>
        new(ns, name, phase, phase == "Running", meshed, owner is null ? null : new WorkloadRef(WorkloadKinds.Deployment, ns, owner), ip, NoLabels);

    /// <summary>default: web (2 meshed pods, one of them not running), legacy (unmeshed), a bare meshed pod; shop: empty.</summary>
    public static InventorySnapshot Snapshot() => new(1,
        [new NamespaceInfo("default", 3, 4), new NamespaceInfo("shop", 0, 0)],
        [
            new WorkloadInfo(new WorkloadRef(WorkloadKinds.Deployment, "default", "web"), NoLabels, 1, 1),
            new WorkloadInfo(new WorkloadRef(WorkloadKinds.Deployment, "default", "legacy"), NoLabels, 0, 1),
        ],
        [
            Pod("web-1", "web", "10.1.0.1"),
            Pod("web-2", "web", "10.1.0.2", phase: "Pending"),
            Pod("legacy-1", "legacy", "10.1.0.3", meshed: false),
            Pod("bare", null, "10.1.0.4"),
        ]);

    public static TapEvent Init(long stream, string path = "/v1/items", string method = "GET", long? matched = null, int @base = 1,
        string direction = "outbound", string? dstPod = "ml-0", string source = "10.1.0.1:40000", List<TapHeader>? headers = null) => new()
    {
        Kind = TapEventKind.RequestInit,
        Id = new TapId { Base = @base, Stream = stream },
        Direction = direction,
        Source = source,
        Destination = "10.1.0.9:8080",
        SourceLabels = new() { ["namespace"] = "default", ["pod"] = "web-1" },
        DestinationLabels = dstPod is null ? null : new() { ["namespace"] = "default", ["deployment"] = "ml", ["pod"] = dstPod },
        Tls = "disabled",
        TimestampMicros = 1_700_000_000_000_000 + stream,
        Method = method,
        Scheme = "http",
        Authority = "ml.default",
        Path = path,
        Matched = matched,
        Headers = headers,
    };

    public static TapEvent Response(long stream, int status, double latencyMs, int @base = 1, List<TapHeader>? headers = null) => Init(stream, @base: @base) with
    {
        Kind = TapEventKind.ResponseInit,
        Method = null,
        Path = null,
        Status = status,
        SinceRequestInitMicros = (long)(latencyMs * 1000),
        Headers = headers,
    };

    public static TapEvent End(long stream, int @base = 1, int? grpcStatus = null, string? error = null) => Init(stream, @base: @base) with
    {
        Kind = TapEventKind.ResponseEnd,
        Method = null,
        Path = null,
        SinceResponseInitMicros = 150,
        ResponseBytes = 15,
        GrpcStatus = grpcStatus,
        ResetError = error,
    };

    /// <summary>The three events of one request, from pod <c>default/web-1</c>.</summary>
    public static TappedEvent[] Request(long stream, int status = 200, double latencyMs = 5, string path = "/v1/items", string method = "GET",
        long? matched = null, string pod = "default/web-1") =>
    [
        new(pod, Init(stream, path, method, matched)),
        new(pod, Response(stream, status, latencyMs)),
        new(pod, End(stream)),
    ];

    public static TapRow Row(long stream, int status = 200, double latencyMs = 5, string path = "/v1/items", long? matched = null)
    {
        var folder = new TapRowFolder();
        TapRow? row = null;
        foreach (var e in Request(stream, status, latencyMs, path, matched: matched))
        {
            row = folder.Fold(e);
        }

        return row!;
    }
}
