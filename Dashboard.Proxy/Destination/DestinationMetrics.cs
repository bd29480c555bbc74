using Dashboard.Proxy.Discovery;
using Prometheus;

namespace Dashboard.Proxy.Destination;

/// <summary>The destination service's metrics on its admin listener (<c>/metrics</c>), with the process' own (<c>process_*</c>, <c>dotnet_*</c>).</summary>
public sealed class DestinationMetrics
{
    public const string StreamsOpenName = "destination_streams_open";
    public const string UpdatesSentName = "destination_updates_sent_total";
    public const string WatchEventsName = "destination_watch_events_total";
    public const string RefusedName = "destination_requests_refused_total";

    private readonly Counter _updates;
    private readonly Counter _refused;

    public DestinationMetrics(DestinationStreams streams, KubernetesDestinationDiscovery discovery)
    {
        ArgumentNullException.ThrowIfNull(streams);
        ArgumentNullException.ThrowIfNull(discovery);
        Registry = Prometheus.Metrics.NewCustomRegistry();
        DotNetStats.Register(Registry);
        var factory = Prometheus.Metrics.WithCustomRegistry(Registry);
        var open = factory.CreateGauge(StreamsOpenName, "Get streams open now.");
        var events = factory.CreateCounter(WatchEventsName, "Watch events received from the Kubernetes API (Services, EndpointSlices, Pods).");
        _updates = factory.CreateCounter(UpdatesSentName, "Updates (endpoint sets added, removed, no endpoints) sent on Get streams.");
        _refused = factory.CreateCounter(RefusedName, "Get requests refused: a caller without a valid certificate, or one that spoke for another identity.", "reason");
        Registry.AddBeforeCollectCallback(() =>
        {
            open.Set(streams.Total);
            events.IncTo(discovery.WatchEvents);
        });
    }

    public CollectorRegistry Registry { get; }

    internal void UpdateSent() => _updates.Inc();

    internal void Refused(string reason) => _refused.WithLabels(reason).Inc();
}
