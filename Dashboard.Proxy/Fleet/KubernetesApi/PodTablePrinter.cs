using System.Globalization;
using k8s.Models;
using static Dashboard.Proxy.Fleet.KubernetesApi.KubeTableFormat;

namespace Dashboard.Proxy.Fleet.KubernetesApi;

/// <summary>The columns of <c>kubectl get pods</c>: NAME READY STATUS RESTARTS AGE, and with -o wide IP NODE ...</summary>
internal static class PodTablePrinter
{
    public static KubeTablePrinter Printer { get; } = KubeTablePrinter.Create<V1Pod>(
    [
        KubeTableColumns.Name,
        new("Ready", "The aggregate readiness state of this pod for accepting traffic."),
        new("Status", "The aggregate status of the containers in this pod."),
        new("Restarts", "The number of times the containers in this pod have been restarted."),
        KubeTableColumns.Age,
        new("IP", "IP address allocated to the pod.", 1),
        new("Node", "Name of the Node this pod is assigned to.", 1),
        new("Nominated Node", "Name of the node nominated by the scheduler.", 1),
        new("Readiness Gates", "Readiness gates of the pod.", 1),
    ], Cells);

    private static object[] Cells(V1Pod pod, DateTimeOffset now)
    {
        var statuses = pod.Status?.ContainerStatuses ?? [];
        var containers = pod.Spec?.Containers?.Count ?? statuses.Count;
        return
        [
            pod.Metadata.Name,
            $"{statuses.Count(s => s.Ready)}/{containers}",
            Status(pod),
            statuses.Sum(s => s.RestartCount).ToString(CultureInfo.InvariantCulture),
            Age(pod.Metadata, now),
            pod.Status?.PodIP is { Length: > 0 } ip ? ip : None,
            pod.Spec?.NodeName is { Length: > 0 } node ? node : None,
            pod.Status?.NominatedNodeName is { Length: > 0 } nominated ? nominated : None,
            ReadinessGates(pod),
        ];
    }

    // The phase, overridden by the first reason a container gives for not running, as kubectl shows it.
    private static string Status(V1Pod pod)
    {
        if (pod.Metadata.DeletionTimestamp is not null)
        {
            return "Terminating";
        }
        var reason = pod.Status?.Reason is { Length: > 0 } r ? r : pod.Status?.Phase ?? "Pending";
        var init = pod.Status?.InitContainerStatuses ?? [];
        var initDone = init.Count(s => s.State?.Terminated?.ExitCode == 0);
        if (initDone < init.Count)
        {
            var pending = init.First(s => s.State?.Terminated?.ExitCode != 0);
            return "Init:" + (ContainerReason(pending) ?? $"{initDone}/{init.Count}");
        }
        foreach (var status in pod.Status?.ContainerStatuses ?? [])
        {
            if (ContainerReason(status) is { } containerReason)
            {
                reason = containerReason;
            }
        }
        return reason;
    }

    private static string? ContainerReason(V1ContainerStatus status)
    {
        if (status.State?.Waiting?.Reason is { Length: > 0 } waiting && waiting != "PodInitializing")
        {
            return waiting;
        }
        return status.State?.Terminated switch
        {
            null => null,
            { Reason.Length: > 0 } t => t.Reason,
            { Signal: > 0 } t => $"Signal:{t.Signal}",
            var t => $"ExitCode:{t.ExitCode}",
        };
    }

    private static string ReadinessGates(V1Pod pod)
    {
        var gates = pod.Spec?.ReadinessGates ?? [];
        if (gates.Count == 0)
        {
            return None;
        }
        var trueConditions = (pod.Status?.Conditions ?? [])
            .Where(c => c.Status == "True")
            .Select(c => c.Type)
            .ToHashSet();
        return $"{gates.Count(g => trueConditions.Contains(g.ConditionType))}/{gates.Count}";
    }
}
