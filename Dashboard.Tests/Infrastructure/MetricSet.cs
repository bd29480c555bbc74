using System.Globalization;

namespace Dashboard.Tests.Infrastructure;

/// <summary>One scrape of a Prometheus text exposition, parsed: enough to sum series by label.</summary>
public sealed class MetricSet
{
    private readonly List<(string Name, Dictionary<string, string> Labels, double Value)> _samples = [];

    public MetricSet(string text)
    {
        Text = text;
        foreach (var raw in text.Split('\n'))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line[0] == '#')
            {
                continue;
            }

            var brace = line.IndexOf('{', StringComparison.Ordinal);
            var space = line.LastIndexOf(' ');
            var name = brace >= 0 ? line[..brace] : line[..space];
            var labels = new Dictionary<string, string>(StringComparer.Ordinal);
            if (brace >= 0)
            {
                var body = line[(brace + 1)..line.LastIndexOf('}')];
                foreach (var pair in SplitLabels(body))
                {
                    var eq = pair.IndexOf('=', StringComparison.Ordinal);
                    labels[pair[..eq]] = pair[(eq + 2)..^1];
                }
            }

            var value = line[(space + 1)..] switch
            {
                "+Inf" => double.PositiveInfinity,
                "-Inf" => double.NegativeInfinity,
                "NaN" => double.NaN,
                var v => double.Parse(v, CultureInfo.InvariantCulture),
            };
            _samples.Add((name, labels, value));
        }
    }

    public string Text { get; }

    /// <summary>Sum of every sample of <paramref name="name"/> whose labels include all of <paramref name="match"/>.</summary>
    public double Sum(string name, params (string Label, string Value)[] match) =>
        Series(name, match).Sum(s => s.Value);

    public IEnumerable<(Dictionary<string, string> Labels, double Value)> Series(string name, params (string Label, string Value)[] match) =>
        _samples.Where(s => s.Name == name && match.All(m => s.Labels.TryGetValue(m.Label, out var v) ? v == m.Value : m.Value == ""))
            .Select(s => (s.Labels, s.Value));

    private static IEnumerable<string> SplitLabels(string body)
    {
        var start = 0;
        var quoted = false;
        for (var i = 0; i < body.Length; i++)
        {
            if (body[i] == '"' && (i == 0 || body[i - 1] != '\\'))
            {
                quoted = !quoted;
            }
            else if (body[i] == ',' && !quoted)
            {
                yield return body[start..i];
                start = i + 1;
            }
        }

        if (start < body.Length)
        {
            yield return body[start..];
        }
    }
}
