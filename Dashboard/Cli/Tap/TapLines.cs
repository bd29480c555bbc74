using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Dashboard.Contracts.Metrics;
using Dashboard.Contracts.Tap;
using Dashboard.Tap;

namespace Dashboard.Cli.Tap;

/// <summary>
/// Tap events as <c>tap</c> prints them, one line each, in Linkerd's format (the seed's):
/// <c>req id=0:7 proxy=out src=… dst=… tls=true :method=POST :authority=ml:5000 :path=/v1/test-1</c>, then
/// <c>rsp … :status=200 latency=4180µs</c> and <c>end … duration=130µs response-length=15B</c>. Wide adds each
/// peer's resource and namespace (<c>src_res=deploy/test-1 src_ns=default dst_res=deploy/ml dst_ns=default</c>);
/// JSON is the event itself with the tapped pod and the peers' resources, one object per line.
/// </summary>
internal sealed class TapLines(ITapPeerNames peers)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        // The µ of latencies and non-ASCII paths stay readable; the output is a terminal or a file, not HTML.
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public string Format(TappedEvent tapped, OutputFormat format) => format switch
    {
        OutputFormat.Json => ToJson(tapped),
        OutputFormat.Wide => Line(tapped.Event) + Resources(tapped.Event),
        _ => Line(tapped.Event),
    };

    /// <summary>The seed's line of one event.</summary>
    public static string Line(TapEvent e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var line = new StringBuilder();
        line.Append(e.Kind switch
        {
            TapEventKind.RequestInit => "req",
            TapEventKind.ResponseInit => "rsp",
            TapEventKind.ResponseEnd => "end",
            _ => "unknown",
        });
        // "in " keeps the columns of inbound and outbound lines aligned, as Linkerd prints them.
        var proxy = e.Direction == LabelNames.Values.Inbound ? "in " : "out";
        line.Append(CultureInfo.InvariantCulture, $" id={e.Id} proxy={proxy} src={e.Source} dst={e.Destination} tls={e.Tls}");
        switch (e.Kind)
        {
            case TapEventKind.RequestInit:
                line.Append(CultureInfo.InvariantCulture, $" :method={e.Method} :authority={e.Authority} :path={e.Path}");
                break;
            case TapEventKind.ResponseInit:
                line.Append(CultureInfo.InvariantCulture, $" :status={e.Status} latency={e.SinceRequestInitMicros ?? 0}µs");
                break;
            case TapEventKind.ResponseEnd:
                if (e.ResetError is { } error)
                {
                    line.Append(" reset-error=").Append(error);
                }
                else if (e.GrpcStatus is { } grpc)
                {
                    line.Append(" grpc-status=").Append(GrpcStatusName(grpc));
                }

                line.Append(CultureInfo.InvariantCulture, $" duration={e.SinceResponseInitMicros ?? 0}µs response-length={e.ResponseBytes ?? 0}B");
                break;
        }

        return line.ToString();
    }

    /// <summary>gRPC's name of a status code, as Linkerd prints it (<c>OK</c>, <c>Unavailable</c>, <c>Code(42)</c>).</summary>
    public static string GrpcStatusName(int code) => code switch
    {
        0 => "OK",
        1 => "Canceled",
        2 => "Unknown",
        3 => "InvalidArgument",
        4 => "DeadlineExceeded",
        5 => "NotFound",
        6 => "AlreadyExists",
        7 => "PermissionDenied",
        8 => "ResourceExhausted",
        9 => "FailedPrecondition",
        10 => "Aborted",
        11 => "OutOfRange",
        12 => "Unimplemented",
        13 => "Internal",
        14 => "Unavailable",
        15 => "DataLoss",
        16 => "Unauthenticated",
        _ => string.Create(CultureInfo.InvariantCulture, $"Code({code})"),
    };

    private string Resources(TapEvent e)
    {
        var source = peers.Peer(e.SourceLabels, e.Source);
        var destination = peers.Peer(e.DestinationLabels, e.Destination);
        var text = new StringBuilder();
        Append(text, "src_res", source.Resource);
        Append(text, "src_ns", source.Namespace);
        Append(text, "dst_res", destination.Resource);
        Append(text, "dst_ns", destination.Namespace);
        return text.ToString();
    }

    private static void Append(StringBuilder text, string key, string? value)
    {
        if (value is not null)
        {
            text.Append(' ').Append(key).Append('=').Append(value);
        }
    }

    private string ToJson(TappedEvent tapped)
    {
        var e = tapped.Event;
        var node = JsonSerializer.SerializeToNode(e, Json)!.AsObject();
        node.Insert(0, "tappedPod", tapped.Pod);
        var source = peers.Peer(e.SourceLabels, e.Source).Resource;
        var destination = peers.Peer(e.DestinationLabels, e.Destination).Resource;
        if (source is not null)
        {
            node["sourceResource"] = source;
        }

        if (destination is not null)
        {
            node["destinationResource"] = destination;
        }

        return node.ToJsonString(Json);
    }
}
