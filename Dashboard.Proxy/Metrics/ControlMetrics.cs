using System.Globalization;
using Dashboard.Contracts.Metrics;
using Dashboard.Proxy.Destination;
using Grpc.Core;
using Prometheus;
using L = Dashboard.Contracts.Metrics.LabelNames;

namespace Dashboard.Proxy.Metrics;

/// <summary>
/// The <c>control_*</c> families of a proxy asking a destination service, read from its <see cref="DestinationServiceHealth"/>
/// at each scrape: nothing is counted on the request path.
/// </summary>
internal static class ControlMetrics
{
    public static void Register(CollectorRegistry registry, DestinationServiceHealth health)
    {
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        var requests = factory.CreateCounter(MetricNames.ControlRequestTotal, "Total count of control-plane calls (destination streams opened).", [L.Addr])
            .WithLabels(health.Address);
        var responses = factory.CreateCounter(MetricNames.ControlResponseTotal,
            "Total count of control-plane calls ended (a destination stream's end or failure), by gRPC status.", [L.Addr, L.Classification, L.GrpcStatus]);
        var subscriptions = factory.CreateGauge(MetricNames.ControlDestinationSubscriptions,
            "Destinations this proxy holds a destination-service subscription for.", [L.Addr]).WithLabels(health.Address);
        var reachable = factory.CreateGauge(MetricNames.ControlDestinationReachable,
            "1 while the destination service answers; 0 from a failed stream until a stream is answered again.", [L.Addr]).WithLabels(health.Address);
        var statuses = Enum.GetValues<StatusCode>();
        registry.AddBeforeCollectCallback(() =>
        {
            requests.IncTo(health.Requests);
            foreach (var status in statuses)
            {
                if (health.Responses(status) is > 0 and var count)
                {
                    var classification = Classification.IsGrpcFailure((int)status) ? L.Values.Failure : L.Values.Success;
                    responses.WithLabels(health.Address, classification, ((int)status).ToString(CultureInfo.InvariantCulture)).IncTo(count);
                }
            }

            subscriptions.Set(health.Subscriptions);
            reachable.Set(health.Reachable ? 1 : 0);
        });
    }
}
