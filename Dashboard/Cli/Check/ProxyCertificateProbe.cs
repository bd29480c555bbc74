using System.Net;
using Dashboard.Contracts.Identity;
using Dashboard.Kubernetes;
using k8s;
using k8s.Models;

namespace Dashboard.Cli.Check;

/// <summary>
/// The certificates the running meshed pods' proxies present (<see cref="IdentityCheckSource.ProbeAsync"/>), a few
/// pods at a time. Pods whose identity is turned off are left out: they have no certificate to match.
/// </summary>
internal static class ProxyCertificateProbe
{
    private const int Parallelism = 8;
    private const int DefaultInboundPort = 4143;

    public static async Task<IReadOnlyList<ProxyCertificate>> ProbeAsync(CheckContext context, CancellationToken cancellationToken)
    {
        var ns = context.Options.Namespace;
        var list = ns is null
            ? await context.Kubernetes.CoreV1.ListPodForAllNamespacesAsync(labelSelector: KubeLabels.ControlPlaneNamespace, cancellationToken: cancellationToken).ConfigureAwait(false)
            : await context.Kubernetes.CoreV1.ListNamespacedPodAsync(ns, labelSelector: KubeLabels.ControlPlaneNamespace, cancellationToken: cancellationToken).ConfigureAwait(false);
        var pods = list.Items
            .Where(p => p.Metadata.Labels?.ContainsKey(KubeLabels.ControlPlaneNamespace) == true && p.Status?.Phase == PodInfo.RunningPhase
                && IPAddress.TryParse(p.Status.PodIP, out _) && !IdentityOff(p))
            .OrderBy(p => p.Metadata.NamespaceProperty, StringComparer.Ordinal).ThenBy(p => p.Metadata.Name, StringComparer.Ordinal)
            .ToList();
        var results = new ProxyCertificate[pods.Count];
        await Parallel.ForAsync(0, pods.Count, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, CancellationToken = cancellationToken },
            async (i, ct) => results[i] = await ProbePodAsync(pods[i], context.Cli.Timeout, ct).ConfigureAwait(false)).ConfigureAwait(false);
        return results;
    }

    /// <summary>
    /// The proxy's own inbound port answers in a cluster; in the bundled fleet (as behind an iptables redirect) the proxy
    /// holds the app's port instead: the first port that shows a certificate wins.
    /// </summary>
    private static async Task<ProxyCertificate> ProbePodAsync(V1Pod pod, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var name = $"{pod.Metadata.NamespaceProperty}/{pod.Metadata.Name}";
        var ip = IPAddress.Parse(pod.Status.PodIP);
        // The name inject gives the pod's proxy (Cli/Inject/ProxyIdentity.cs): its ServiceAccount's identity.
        var identity = IdentityNames.Format(pod.Spec?.ServiceAccountName ?? IdentityNames.DefaultServiceAccount, pod.Metadata.NamespaceProperty);
        ProxyCertificate? first = null;
        foreach (var port in Ports(pod))
        {
            var probe = await IdentityCheckSource.ProbeAsync(name, new IPEndPoint(ip, port), identity, timeout, cancellationToken).ConfigureAwait(false);
            if (probe.Certificate is not null)
            {
                return probe;
            }

            first ??= probe;
        }

        return first!;
    }

    private static bool IdentityOff(V1Pod pod) =>
        pod.Metadata.Annotations?.TryGetValue(IdentityResources.DisableIdentityAnnotation, out var off) == true && off == "true";

    private static IEnumerable<int> Ports(V1Pod pod)
    {
        var containers = pod.Spec?.Containers ?? [];
        var proxy = containers.FirstOrDefault(c => c.Name == ControlPlane.ProxyContainer);
        var inbound = proxy?.Ports?.FirstOrDefault(p => p.Name == Inject.ProxySidecar.InboundPortName)?.ContainerPort ?? DefaultInboundPort;
        var app = containers.Where(c => c != proxy).SelectMany(c => c.Ports ?? []).FirstOrDefault(p => p.Protocol is null or "TCP")?.ContainerPort;
        return app is { } port && port != inbound ? [inbound, port] : [inbound];
    }
}
