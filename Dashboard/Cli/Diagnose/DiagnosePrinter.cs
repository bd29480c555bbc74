using System.Globalization;
using Dashboard.Contracts.Durations;
using Dashboard.Investigation;
using Dashboard.Model;

namespace Dashboard.Cli.Diagnose;

/// <summary>
/// Prints a <see cref="Diagnosis"/>: the summary sentence, a line naming the resource and the lookback (the date once,
/// in UTC), then the <see cref="Sections"/> in that order, each under its title, as <c>stat</c>'s plain tables
/// formatted by the dashboard's own <see cref="StatFormat"/>; a section with nothing says so in one line.
/// <c>-o json</c> is <see cref="DiagnosisJson"/>.
/// </summary>
public static class DiagnosePrinter
{
    public static readonly IReadOnlyList<string> Sections = ["EPISODES", "CAUSES", "OUTLIERS", "BREAKDOWN"];

    public static readonly IReadOnlyList<string> EpisodeColumns = ["START", "END", "METRIC", "BASELINE", "PEAK", "EVERY", "CAUSES"];

    public static readonly IReadOnlyList<string> CauseColumns = ["EPISODE", "KIND", "NAME", "EVIDENCE"];

    public static readonly IReadOnlyList<string> OutlierColumns = ["POD", "METRIC", "VALUE", "SIBLINGS"];

    public static readonly IReadOnlyList<string> BreakdownColumns = ["DOWNSTREAM", "NAMESPACE", "P95", "SHARE"];

    public static async Task WriteAsync(CliContext context, Diagnosis diagnosis)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(diagnosis);
        if (context.Output == OutputFormat.Json)
        {
            await context.Console.Out.WriteLineAsync(DiagnosisJson.Write(diagnosis)).ConfigureAwait(false);
        }
        else
        {
            await WriteTextAsync(context.Console.Out, diagnosis).ConfigureAwait(false);
        }
    }

    /// <summary>The text report (the default output).</summary>
    public static async Task WriteTextAsync(TextWriter writer, Diagnosis diagnosis)
    {
        ArgumentNullException.ThrowIfNull(writer);
        ArgumentNullException.ThrowIfNull(diagnosis);
        // Within one UTC day a time of day is unambiguous; a lookback across midnight dates every time.
        var oneDay = diagnosis.From.UtcDateTime.Date == diagnosis.To.UtcDateTime.Date;
        await writer.WriteLineAsync(diagnosis.Summary).ConfigureAwait(false);
        await writer.WriteLineAsync().ConfigureAwait(false);
        await writer.WriteLineAsync(Header(diagnosis, oneDay)).ConfigureAwait(false);

        await SectionAsync(writer, Sections[0], Episodes(diagnosis, oneDay), "No episodes.").ConfigureAwait(false);
        await SectionAsync(writer, Sections[1], Causes(diagnosis, oneDay),
            diagnosis.Episodes.Count == 0 ? "No episodes, so no causes." : "No cause stood out.").ConfigureAwait(false);
        await SectionAsync(writer, Sections[2], Outliers(diagnosis), "No outlier pods.").ConfigureAwait(false);
        await SectionAsync(writer, Sections[3], Breakdown(diagnosis), "No downstream traffic.").ConfigureAwait(false);
    }

    // "deployment/test-2 in default, 2026-12-03 06:00:00–06:15:00 UTC (step 15s)"
    private static string Header(Diagnosis diagnosis, bool oneDay)
    {
        var resource = DiagnosisJson.ResourceName(diagnosis.Resource);
        var where = diagnosis.Resource.Kind == WorkloadKind.Namespace ? "" : $" in {diagnosis.Resource.Namespace}";
        var from = diagnosis.From.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);
        return $"{resource}{where}, {from}–{Time(diagnosis.To, oneDay)} UTC (step {DurationText.Format(diagnosis.Step)})";
    }

    private static async Task SectionAsync(TextWriter writer, string title, TextTable table, string empty)
    {
        await writer.WriteLineAsync().ConfigureAwait(false);
        await writer.WriteLineAsync(title).ConfigureAwait(false);
        if (table.Count == 0)
        {
            await writer.WriteLineAsync(empty).ConfigureAwait(false);
        }
        else
        {
            await table.WriteAsync(writer).ConfigureAwait(false);
        }
    }

    private static TextTable Episodes(Diagnosis diagnosis, bool oneDay)
    {
        var table = new TextTable(EpisodeColumns, leftAligned: 3, leftAlignedAtEnd: 1);
        foreach (var episode in diagnosis.Episodes)
        {
            table.Add([
                Time(episode.Start, oneDay),
                Time(episode.End, oneDay),
                EpisodeAttribution.Name(episode.Metric),
                EpisodeAttribution.Format(episode.Metric, episode.Baseline),
                EpisodeAttribution.Format(episode.Metric, episode.Peak),
                Every(episode.RecurrenceSeconds),
                episode.Causes.Count == 0 ? StatFormat.NoData : string.Join(", ", episode.Causes.Select(c => c.Name)),
            ]);
        }

        return table;
    }

    // One line per cause, under the start of its episode: the evidence is the numbers that make it one.
    private static TextTable Causes(Diagnosis diagnosis, bool oneDay)
    {
        var table = new TextTable(CauseColumns, leftAligned: CauseColumns.Count);
        foreach (var episode in diagnosis.Episodes)
        {
            foreach (var cause in episode.Causes)
            {
                table.Add([Time(episode.Start, oneDay), DiagnosisJson.KindName(cause.Kind), cause.Name, cause.Evidence]);
            }
        }

        return table;
    }

    private static TextTable Outliers(Diagnosis diagnosis)
    {
        var table = new TextTable(OutlierColumns, leftAligned: 2);
        foreach (var outlier in diagnosis.Outliers)
        {
            table.Add(outlier.Metric == OutlierMetric.SuccessRate
                ? [outlier.Pod, "success rate", StatFormat.SuccessRate(outlier.Value), StatFormat.SuccessRate(outlier.SiblingsMedian)]
                : [outlier.Pod, outlier.Metric.ToString(), StatFormat.Latency(outlier.Value), StatFormat.Latency(outlier.SiblingsMedian)]);
        }

        return table;
    }

    private static TextTable Breakdown(Diagnosis diagnosis)
    {
        var table = new TextTable(BreakdownColumns, leftAligned: 2);
        foreach (var share in diagnosis.Breakdown)
        {
            table.Add([DiagnosisJson.ResourceName(share.Downstream), share.Downstream.Namespace, StatFormat.Latency(share.P95Ms), Share(share.ShareOfP95)]);
        }

        return table;
    }

    private static string Time(DateTimeOffset time, bool oneDay) =>
        time.UtcDateTime.ToString(oneDay ? "HH:mm:ss" : "yyyy-MM-dd HH:mm:ss", CultureInfo.InvariantCulture);

    // "30s", "1m30s": a period of whole seconds, as durations are written everywhere else.
    private static string Every(double? seconds) => seconds is { } s && double.IsFinite(s) && s >= 0.5
        ? DurationText.Format(TimeSpan.FromSeconds(Math.Round(s, MidpointRounding.AwayFromZero)))
        : StatFormat.NoData;

    private static string Share(double? share) => share is { } s && double.IsFinite(s)
        ? string.Create(CultureInfo.InvariantCulture, $"{Math.Round(Math.Clamp(s, 0, 1) * 100, MidpointRounding.AwayFromZero):0}%")
        : StatFormat.NoData;
}
