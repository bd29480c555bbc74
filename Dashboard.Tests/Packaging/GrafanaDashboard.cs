using System.Text.Json;

namespace Dashboard.Tests.Packaging;

/// <summary>A panel's query: the panel's title, the row it sits under (null above the first row) and its PromQL.</summary>
internal sealed record PanelQuery(string Panel, string? Row, string Expr);

/// <summary>A Grafana dashboard JSON file, read for what the tests check: uid, variables, datasources and queries.</summary>
internal sealed class GrafanaDashboard(string file, JsonElement root)
{
    public string File { get; } = file;
    public string Uid => root.GetProperty("uid").GetString()!;

    public static GrafanaDashboard Load(string file) => new(file, JsonDocument.Parse(System.IO.File.ReadAllText(file)).RootElement.Clone());

    public static IReadOnlyList<GrafanaDashboard> All() =>
        [.. Directory.GetFiles(Packaged.GrafanaDashboards, "*.json").Order(StringComparer.Ordinal).Select(Load)];

    public IReadOnlyList<JsonElement> Variables => [.. root.GetProperty("templating").GetProperty("list").EnumerateArray()];

    public IReadOnlyList<string> VariableNames => [.. Variables.Select(v => v.GetProperty("name").GetString()!)];

    /// <summary>Every panel target's query, in layout order, with the row each panel sits under.</summary>
    public IReadOnlyList<PanelQuery> Queries
    {
        get
        {
            var queries = new List<PanelQuery>();
            string? row = null;
            foreach (var panel in root.GetProperty("panels").EnumerateArray())
            {
                var title = panel.GetProperty("title").GetString()!;
                if (panel.GetProperty("type").GetString() == "row")
                {
                    row = title;
                    continue;
                }

                queries.AddRange(panel.GetProperty("targets").EnumerateArray().Select(t => new PanelQuery(title, row, t.GetProperty("expr").GetString()!)));
            }

            return queries;
        }
    }

    /// <summary>The datasource uid of every panel, target and query variable.</summary>
    public IEnumerable<string> DatasourceUids()
    {
        var withDatasource = root.GetProperty("panels").EnumerateArray().Where(p => p.GetProperty("type").GetString() != "row")
            .SelectMany(p => p.GetProperty("targets").EnumerateArray().Prepend(p))
            .Concat(Variables);
        return withDatasource.Select(e => e.GetProperty("datasource").GetProperty("uid").GetString()!);
    }
}
