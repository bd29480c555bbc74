using System.Net;
using System.Text.Json;
using Dashboard.Hosting;
using Dashboard.Metrics;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Dashboard.Cli;

/// <summary>
/// Where the control plane runs: in the cluster when its namespace exists (<c>install</c> made it), else
/// on this machine (./run.sh, <c>dashboard serve</c>) at <see cref="CliContext.DashboardUrl"/>.
/// </summary>
internal static class ControlPlaneLocator
{
    /// <summary>Whether the control-plane namespace exists; an unreachable API fails the command.</summary>
    public static async Task<bool> IsInClusterAsync(CliContext context, CancellationToken cancellationToken)
    {
        try
        {
            await context.KubernetesClient().CoreV1.ReadNamespaceAsync(context.ControlPlaneNamespace, cancellationToken: cancellationToken).ConfigureAwait(false);
            return true;
        }
        catch (HttpOperationException e) when (e.Response.StatusCode == HttpStatusCode.NotFound)
        {
            return false;
        }
        catch (Exception e) when (e is HttpOperationException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            throw CommandException.Failed($"cannot reach the Kubernetes API at {context.Kubernetes}: {Kubernetes.ConnectionTracker.Describe(e)}");
        }
    }

    /// <summary>
    /// The dashboard's version: in a cluster through the API server's service proxy, locally from its URL.
    /// The error says why there is none.
    /// </summary>
    public static async Task<(string? Version, string? Error)> DashboardVersionAsync(CliContext context, bool inCluster, CancellationToken cancellationToken)
    {
        try
        {
            Stream body;
            if (inCluster)
            {
                body = await context.KubernetesClient().CoreV1.ConnectGetNamespacedServiceProxyWithPathAsync(
                    ControlPlane.DashboardName, context.ControlPlaneNamespace, DashboardWebApp.VersionPath.TrimStart('/'),
                    cancellationToken: cancellationToken).ConfigureAwait(false);
            }
            else
            {
                var response = await context.Http.GetAsync(new Uri(context.DashboardUrl, DashboardWebApp.VersionPath), cancellationToken).ConfigureAwait(false);
                response.EnsureSuccessStatusCode();
                body = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
            }

            await using (body.ConfigureAwait(false))
            {
                using var json = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken).ConfigureAwait(false);
                return (json.RootElement.GetProperty("version").GetString(), null);
            }
        }
        catch (Exception e) when (e is HttpRequestException or HttpOperationException or JsonException or KeyNotFoundException or InvalidOperationException
            || e is TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            var where = inCluster ? $"service {ControlPlane.DashboardName} in namespace {context.ControlPlaneNamespace}" : context.DashboardUrl.ToString();
            return (null, $"no version from the dashboard ({where}): {Kubernetes.ConnectionTracker.Describe(e)}");
        }
    }

    /// <summary>A running, ready pod behind the dashboard's Service, and the pod port its first service port targets.</summary>
    public static async Task<(string Pod, int Port)> DashboardPodAsync(CliContext context, CancellationToken cancellationToken)
    {
        var client = context.KubernetesClient();
        var ns = context.ControlPlaneNamespace;
        V1Service service;
        try
        {
            service = await client.CoreV1.ReadNamespacedServiceAsync(ControlPlane.DashboardName, ns, cancellationToken: cancellationToken).ConfigureAwait(false);
        }
        catch (k8s.Autorest.HttpOperationException e)
        {
            throw CommandException.Failed($"no service {ControlPlane.DashboardName} in namespace {ns}: {Kubernetes.ConnectionTracker.Describe(e)}; is the control plane installed (dashboard check)?");
        }

        if (service.Spec?.Ports is not { Count: > 0 } ports || service.Spec.Selector is not { Count: > 0 } selector)
        {
            throw CommandException.Failed($"service {ns}/{ControlPlane.DashboardName} has no ports or no selector to forward to");
        }

        var labelSelector = string.Join(',', selector.Select(s => $"{s.Key}={s.Value}"));
        var pods = await client.CoreV1.ListNamespacedPodAsync(ns, labelSelector: labelSelector, cancellationToken: cancellationToken).ConfigureAwait(false);
        var pod = pods.Items.FirstOrDefault(p => p.Status?.Phase == "Running" && p.Status.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true)
            ?? throw CommandException.Failed($"no ready pod of service {ns}/{ControlPlane.DashboardName} ({labelSelector}): kubectl -n {ns} get pods -l {labelSelector}");
        return (pod.Metadata.Name, TargetPort(ports[0], pod));
    }

    /// <summary>The pod port a service port sends to: a number, a container port's name, or (unset) the service port itself.</summary>
    private static int TargetPort(V1ServicePort port, V1Pod pod)
    {
        var target = port.TargetPort?.Value;
        if (string.IsNullOrEmpty(target))
        {
            return port.Port;
        }

        if (int.TryParse(target, System.Globalization.CultureInfo.InvariantCulture, out var number))
        {
            return number;
        }

        return pod.Spec.Containers.SelectMany(c => c.Ports ?? []).FirstOrDefault(p => p.Name == target)?.ContainerPort
            ?? throw CommandException.Failed($"no container of pod {pod.Metadata.Name} has a port named '{target}', which service {ControlPlane.DashboardName} targets");
    }

    /// <summary>Every proxy Prometheus scrapes now: pod and version (see <see cref="PromQl.ProxyBuilds"/>).</summary>
    public static async Task<IReadOnlyList<ProxyBuild>> ProxyBuildsAsync(CliContext context, CancellationToken cancellationToken)
    {
        var samples = await context.Prometheus.QueryAsync(PromQl.ProxyBuilds, time: null, cancellationToken).ConfigureAwait(false);
        return [.. samples.Select(s => new ProxyBuild(
            s.Label(Contracts.Metrics.LabelNames.Namespace) ?? "",
            s.Label(Contracts.Metrics.LabelNames.Pod) ?? "",
            s.Label(Contracts.Metrics.LabelNames.Version) ?? ""))];
    }
}

/// <summary>One proxy as Prometheus sees it.</summary>
public sealed record ProxyBuild(string Namespace, string Pod, string Version);
