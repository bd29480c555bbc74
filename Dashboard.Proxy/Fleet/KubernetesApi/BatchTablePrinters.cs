using k8s.Models;
using static Dashboard.Proxy.Fleet.KubernetesApi.KubeTableFormat;

namespace Dashboard.Proxy.Fleet.KubernetesApi;

/// <summary>The columns of <c>kubectl get jobs|cronjobs</c>.</summary>
internal static class BatchTablePrinters
{
    public static KubeTablePrinter Job { get; } = KubeTablePrinter.Create<V1Job>(
    [
        KubeTableColumns.Name,
        new("Status", "Status of the job."),
        new("Completions", "The desired number of successfully finished pods the job should be run with."),
        new("Duration", "Time required to complete the job."),
        KubeTableColumns.Age,
        KubeTableColumns.Containers,
        KubeTableColumns.Images,
        KubeTableColumns.Selector,
    ], static (job, now) =>
    [
        job.Metadata.Name,
        JobStatus(job),
        $"{job.Status?.Succeeded ?? 0}/{job.Spec?.Completions ?? 1}",
        job.Status?.StartTime is { } start
            ? HumanDuration((job.Status.CompletionTime is { } end ? Utc(end) : now) - Utc(start))
            : "",
        Age(job.Metadata, now),
        ContainerNames(job.Spec?.Template),
        Images(job.Spec?.Template),
        Selector(job.Spec?.Selector),
    ]);

    public static KubeTablePrinter CronJob { get; } = KubeTablePrinter.Create<V1CronJob>(
    [
        KubeTableColumns.Name,
        new("Schedule", "The schedule in Cron format."),
        new("Timezone", "The time zone of the schedule."),
        new("Suspend", "Whether subsequent runs are suspended."),
        new("Active", "Number of running jobs.", Type: "integer"),
        new("Last Schedule", "When the job was last scheduled."),
        KubeTableColumns.Age,
        KubeTableColumns.Containers,
        KubeTableColumns.Images,
        KubeTableColumns.Selector,
    ], static (cj, now) =>
    [
        cj.Metadata.Name,
        cj.Spec?.Schedule ?? "",
        cj.Spec?.TimeZone ?? None,
        cj.Spec?.Suspend == true ? "True" : "False",
        cj.Status?.Active?.Count ?? 0,
        cj.Status?.LastScheduleTime is { } last ? Since(last, now) : None,
        Age(cj.Metadata, now),
        ContainerNames(cj.Spec?.JobTemplate?.Spec?.Template),
        Images(cj.Spec?.JobTemplate?.Spec?.Template),
        Selector(cj.Spec?.JobTemplate?.Spec?.Selector),
    ]);

    private static string JobStatus(V1Job job)
    {
        var conditions = (job.Status?.Conditions ?? []).Where(c => c.Status == "True").Select(c => c.Type).ToHashSet();
        return conditions switch
        {
            _ when conditions.Contains("Complete") => "Complete",
            _ when conditions.Contains("Failed") => "Failed",
            _ when conditions.Contains("Suspended") => "Suspended",
            _ => "Running",
        };
    }
}
