using Dashboard.Contracts.Destination;
using Dashboard.Contracts.Metrics;
using Dashboard.Proxy.Discovery;
using Dashboard.Proxy.Metrics;

namespace Dashboard.Proxy.Destination;

/// <summary>An endpoint as discovery holds it and as the destination service sends it: both directions of one mapping.</summary>
internal static class EndpointMessages
{
    public static DestinationEndpoint ToMessage(EndpointInfo endpoint, bool opaque)
    {
        var message = new DestinationEndpoint { Address = endpoint.Address, Identity = endpoint.Identity ?? "", Meshed = endpoint.Meshed, Opaque = opaque };
        var labels = endpoint.Labels;
        // Labels a destination lacks (a pod address has no service; an unowned pod no deployment) are left out, as in /metrics.
        foreach (var (name, value) in new[]
        {
            (LabelNames.DstNamespace, labels.Namespace), (LabelNames.DstService, labels.Service),
            (LabelNames.DstDeployment, labels.Deployment), (LabelNames.DstPod, labels.Pod),
        })
        {
            if (!string.IsNullOrEmpty(value))
            {
                message.MetricLabels[name] = value;
            }
        }

        return message;
    }

    /// <summary>The endpoint a proxy holds from a message: the same labels and identity a proxy watching by itself derives.</summary>
    public static EndpointInfo FromMessage(DestinationEndpoint message)
    {
        string? Label(string name) => message.MetricLabels.TryGetValue(name, out var value) && value.Length > 0 ? value : null;
        var labels = new DestinationLabels(Label(LabelNames.DstNamespace) ?? "", Label(LabelNames.DstService) ?? "",
            Label(LabelNames.DstDeployment), Label(LabelNames.DstPod));
        return new EndpointInfo(message.Address, labels, message.Identity.Length == 0 ? null : message.Identity, message.Meshed);
    }
}
