using System.Globalization;
using k8s.Models;

namespace Dashboard.Proxy.Fleet.KubernetesApi;

/// <summary>How kubectl's printers spell values: "&lt;none&gt;", ages like "5m10s", selectors like "app=web".</summary>
internal static class KubeTableFormat
{
    public const string None = "<none>";

    public static string Age(V1ObjectMeta meta, DateTimeOffset now) => Since(meta.CreationTimestamp, now);

    public static string Since(DateTime? time, DateTimeOffset now) =>
        time is { } t ? HumanDuration(now - Utc(t)) : "<unknown>";

    // KubernetesClient reads timestamps as UTC; an unspecified kind must not pick up the local offset.
    public static DateTimeOffset Utc(DateTime time) => new(DateTime.SpecifyKind(time, DateTimeKind.Utc));

    /// <summary>
    /// Precision falls as durations grow (seconds under 2 minutes, minutes under 3 hours, ...),
    /// the rounding of apimachinery's duration.HumanDuration that kubectl users read every day.
    /// </summary>
    public static string HumanDuration(TimeSpan d)
    {
        var seconds = (long)d.TotalSeconds;
        if (seconds < -1)
        {
            return "<invalid>";
        }
        if (seconds < 120)
        {
            return $"{Math.Max(seconds, 0)}s";
        }
        var minutes = seconds / 60;
        if (minutes < 10)
        {
            return seconds % 60 == 0 ? $"{minutes}m" : $"{minutes}m{seconds % 60}s";
        }
        if (minutes < 180)
        {
            return $"{minutes}m";
        }
        var hours = minutes / 60;
        if (hours < 8)
        {
            return minutes % 60 == 0 ? $"{hours}h" : $"{hours}h{minutes % 60}m";
        }
        if (hours < 48)
        {
            return $"{hours}h";
        }
        var days = hours / 24;
        if (hours < 24 * 8)
        {
            return hours % 24 == 0 ? $"{days}d" : $"{days}d{hours % 24}h";
        }
        if (days < 365 * 2)
        {
            return $"{days}d";
        }
        return days < 365 * 8 && days % 365 != 0 ? $"{days / 365}y{days % 365}d" : $"{days / 365}y";
    }

    public static string Number(int? value) => (value ?? 0).ToString(CultureInfo.InvariantCulture);

    public static string Labels(IDictionary<string, string>? labels) =>
        labels is { Count: > 0 } ? string.Join(',', labels.Select(l => $"{l.Key}={l.Value}")) : None;

    public static string Selector(V1LabelSelector? selector)
    {
        if (selector is null)
        {
            return None;
        }
        var parts = (selector.MatchLabels ?? new Dictionary<string, string>()).Select(l => $"{l.Key}={l.Value}")
            .Concat((selector.MatchExpressions ?? []).Select(Requirement))
            .ToList();
        return parts.Count > 0 ? string.Join(',', parts) : None;
    }

    public static string ContainerNames(V1PodTemplateSpec? template) =>
        JoinOrNone(template?.Spec?.Containers?.Select(c => c.Name));

    public static string Images(V1PodTemplateSpec? template) =>
        JoinOrNone(template?.Spec?.Containers?.Select(c => c.Image));

    /// <summary>At most three values, then "+ N more...", as kubectl abbreviates endpoint lists.</summary>
    public static string FirstThree(IReadOnlyList<string> values, string empty) => values.Count switch
    {
        0 => empty,
        <= 3 => string.Join(',', values),
        _ => $"{string.Join(',', values.Take(3))} + {values.Count - 3} more...",
    };

    private static string JoinOrNone(IEnumerable<string>? values) =>
        values?.ToList() is { Count: > 0 } list ? string.Join(',', list) : None;

    private static string Requirement(V1LabelSelectorRequirement r) => r.OperatorProperty switch
    {
        "Exists" => r.Key,
        "DoesNotExist" => $"!{r.Key}",
        "NotIn" => $"{r.Key} notin ({string.Join(',', r.Values ?? [])})",
        _ => $"{r.Key} in ({string.Join(',', r.Values ?? [])})",
    };
}
