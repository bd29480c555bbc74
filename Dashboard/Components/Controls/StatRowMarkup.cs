using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Encodings.Web;
using Dashboard.Grafana;
using Dashboard.Model;
using Microsoft.AspNetCore.Components;

namespace Dashboard.Components.Controls;

/// <summary>
/// A stat table's row as one piece of HTML, built once per row and shared by every viewer of the table
/// (<see cref="Services.StatTableService"/> shares the rows themselves). As elements and attributes a row is about
/// fifty render-tree frames, which each viewer's circuit keeps twice (the current and the previous tree) for every
/// row in view; as markup it is one. The row has no event handlers: its links are plain anchors, which Blazor's
/// navigation handles wherever they are.
/// </summary>
internal static class StatRowMarkup
{
    private static readonly ConditionalWeakTable<StatTableRow, Built> Cache = new();

    public static MarkupString For(StatTableRow row, bool showNamespace, string? grafanaUrl)
    {
        var built = Cache.GetValue(row, static _ => new Built());
        var index = showNamespace ? 1 : 0;
        if (built.Html[index] is not { } html || !string.Equals(built.GrafanaUrl[index], grafanaUrl, StringComparison.Ordinal))
        {
            html = Render(row, showNamespace, grafanaUrl);
            (built.Html[index], built.GrafanaUrl[index]) = (html, grafanaUrl);
        }

        return new MarkupString(html);
    }

    /// <summary>Whether the row's name links to its page: namespaces always, other resources when meshed (an unmeshed one has no numbers).</summary>
    public static string? Link(StatTableRow row) => row.Key.Kind == WorkloadKind.Namespace || row.IsMeshed ? row.Key.PagePath : null;

    private static string Render(StatTableRow row, bool showNamespace, string? grafanaUrl)
    {
        var html = HtmlEncoder.Default;
        var stats = row.Stats;
        var b = new StringBuilder(512);
        b.Append("<tr data-name=\"").Append(html.Encode(row.Name)).Append("\" data-namespace=\"").Append(html.Encode(row.Namespace)).Append('"');
        if (row.IsUnmeshedClients)
        {
            b.Append(" class=\"unmeshed-clients\"");
        }

        b.Append('>');
        if (showNamespace && row.IsUnmeshedClients)
        {
            b.Append("<td></td>");
        }
        else if (showNamespace)
        {
            b.Append("<td><a href=\"").Append(html.Encode($"namespaces/{Uri.EscapeDataString(row.Namespace)}")).Append("\">")
                .Append(html.Encode(row.Namespace)).Append("</a></td>");
        }

        b.Append("<td class=\"name\">");
        if (Link(row) is { } href)
        {
            b.Append("<a href=\"").Append(html.Encode(href)).Append("\">").Append(html.Encode(row.Name)).Append("</a>");
        }
        else
        {
            b.Append(html.Encode(row.Name));
        }

        if (row.Identity is { } identity)
        {
            b.Append(" <span class=\"by-identity\" title=\"").Append(html.Encode($"seen only by the destination's proxies, as {identity}: the caller's own proxies are not scraped"))
                .Append("\">by identity</span>");
        }

        if (row.Outlier is { } outlier)
        {
            b.Append(" <span class=\"outlier\" title=\"this pod against the median of its workload's other pods\">outlier: ")
                .Append(html.Encode(outlier.ToString())).Append("</span>");
        }

        if (row.Spikes is { } spikes && Link(row) is { } page)
        {
            b.Append(" <a class=\"spike-badge\" href=\"").Append(html.Encode(page + "#spikes")).Append("\" title=\"")
                .Append(html.Encode($"{spikes} in the last {spikes.Lookback}: see why")).Append("\">").Append(html.Encode(spikes.ToString())).Append("</a>");
        }

        var health = StatFormat.HealthOf(stats?.SuccessRate);
        b.Append("</td><td class=\"num\">").Append(html.Encode(row.Meshed)).Append("</td>")
            .Append("<td class=\"num success\" data-column=\"success\"><span class=\"dot dot-").Append(health.CssName())
            .Append("\" title=\"").Append(HealthTitle(health)).Append("\"></span>").Append(html.Encode(StatFormat.SuccessRate(stats?.SuccessRate)));
        Compared(b, row, StatColumn.SuccessRate);
        b.Append("</td>");
        Cell(b, row, StatColumn.Rps);
        Cell(b, row, StatColumn.P50);
        Cell(b, row, StatColumn.P95);
        Cell(b, row, StatColumn.P99);
        Cell(b, row, StatColumn.Tls);
        if (grafanaUrl is not null)
        {
            b.Append("<td>");
            if (row.IsMeshed)
            {
                b.Append("<a href=\"").Append(html.Encode(GrafanaLinks.For(grafanaUrl, row.Key)))
                    .Append("\" target=\"_blank\" rel=\"noopener\" title=\"Open in Grafana\" class=\"grafana\">Grafana</a>");
            }

            b.Append("</td>");
        }

        return b.Append("</tr>").ToString();

        static void Cell(StringBuilder b, StatTableRow row, StatColumn column)
        {
            b.Append("<td class=\"num\" data-column=\"").Append(column.ToString().ToLowerInvariant()).Append("\">")
                .Append(HtmlEncoder.Default.Encode(StatChange.Format(column, StatChange.Value(column, row.Stats))));
            Compared(b, row, column);
            b.Append("</td>");
        }
    }

    // "262ms ← 9ms +253ms": the other window's value and the change, marked (class and arrow) when beyond the noise.
    private static void Compared(StringBuilder b, StatTableRow row, StatColumn column)
    {
        if (row.Comparison is not { } comparison)
        {
            return;
        }

        var html = HtmlEncoder.Default;
        var change = StatChange.For(column, row.Stats, comparison.Stats);
        b.Append(" <span class=\"compared\"><span class=\"was\">← ").Append(html.Encode(change.Other)).Append("</span>");
        if (change.Delta is { } delta)
        {
            b.Append(" <span class=\"delta").Append(change.Significant ? (change.Up ? " changed up" : " changed down") : "").Append('"')
                .Append(change.Significant ? " title=\"larger than the noise\"" : " title=\"within the noise\"").Append('>')
                .Append(change.Arrow.Length > 0 ? change.Arrow + " " : "").Append(html.Encode(delta)).Append("</span>");
        }

        b.Append("</span>");
    }

    private static string HealthTitle(Health health) => health switch
    {
        Health.Bad => "below 90 %",
        Health.Warn => "below 95 %",
        Health.Good => "95 % or more",
        _ => "no traffic",
    };

    private sealed class Built
    {
        public string?[] Html { get; } = new string?[2];

        public string?[] GrafanaUrl { get; } = new string?[2];
    }
}
