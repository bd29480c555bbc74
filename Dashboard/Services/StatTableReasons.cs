using Dashboard.Model;

namespace Dashboard.Services;

/// <summary>Why a table shows no numbers, in words a user can act on.</summary>
internal static class StatTableReasons
{
    /// <summary>The reason a table shows no numbers; null when it has some.</summary>
    public static string? Explain(IReadOnlyList<StatTableRow> rows, TableScope scope, StatWindow window)
    {
        var plural = scope.Kind.UrlSegment();
        var where = scope.Namespace is null ? "" : $" in namespace {scope.Namespace}";
        var of = scope.Of is { } resource ? $"{resource.Kind.SingularName()} {resource.Name}" : "";
        if (rows.Any(r => r.Stats is not null))
        {
            return null;
        }

        switch (scope.Relation)
        {
            case TableRelation.Callers:
                return $"Nothing called {of} in the last {window}: no meshed {plural}, and no unmeshed clients.";
            case TableRelation.Destinations:
                return $"{Capitalised(of)} sent no requests through its proxy in the last {window}.";
            case TableRelation.Self when rows is [{ RunningPods: 0 }]:
                return $"No running pods of {of}{where}.";
            case TableRelation.Pods when rows.Count == 0:
                return $"{Capitalised(of)} has no pods.";
            case TableRelation.Members when rows.Count == 0:
                return $"No {plural}{where}.";
        }

        if (!rows.Any(r => r.IsMeshed))
        {
            var which = rows.Count == 1
                ? $"The {scope.Kind.SingularName()} {rows[0].Name}{where} has no"
                : $"None of the {rows.Count} {plural}{where} has a";
            return $"{which} meshed pod: add the proxy with `dashboard inject` to see its traffic.";
        }

        return rows.Count == 1 && scope.Relation != TableRelation.Members
            ? $"No traffic to {rows[0].Key.Kind.SingularName()} {rows[0].Name} in the last {window}, or Prometheus has not scraped its proxies yet."
            : $"No traffic{where} in the last {window}: the meshed {plural} received no requests, or Prometheus has not scraped their proxies yet.";
    }

    public static string NotScraped(string? @namespace) =>
        $"Prometheus scrapes no proxy{(@namespace is null ? "" : $" in namespace {@namespace}")}: the meshed pods' admin ports are not among its targets. " +
        "Check its scrape configuration: it must scrape every meshed pod's proxy admin port (4191, /metrics).";

    private static string Capitalised(string text) => text.Length == 0 ? text : char.ToUpperInvariant(text[0]) + text[1..];
}
