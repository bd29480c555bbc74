using System.Globalization;
using System.Text.RegularExpressions;
using Dashboard.Contracts.Durations;
using Dashboard.Model;

namespace Dashboard.Graph;

/// <summary>What a find/hide expression of the graph is judged on: a node's or an edge's name and numbers (null: none).</summary>
/// <param name="SuccessRate">0..1.</param>
/// <param name="Tls"><c>true</c>, <c>mixed</c> or <c>false</c>: whether the requests went over mTLS; null for a node.</param>
public sealed record GraphSubject(
    string Name, string Namespace, bool? Meshed, double? Rps, double? SuccessRate, double? P50Ms, double? P95Ms, double? P99Ms, string? Tls);

/// <summary>
/// The graph's find and hide box, in the spirit of Kiali's: comparisons joined by <c>and</c> (or <c>,</c>) and
/// <c>or</c>, <c>and</c> binding tighter. <c>sr &lt; 99</c> (success rate in percent), <c>rps &gt; 1</c>,
/// <c>p50</c>/<c>p95</c>/<c>p99 &gt; 100ms</c> (milliseconds, or a duration: <c>100ms</c>, <c>1s</c>),
/// <c>name = api*</c> and <c>ns = shop</c> (<c>*</c> wildcards; <c>!=</c> negates), and the flags <c>tls</c>
/// (every request over mTLS) and <c>meshed</c>, negated by <c>!</c>. A subject without the value a comparison or a
/// flag asks for (an idle edge's P95, a node's TLS) does not match it either way.
/// </summary>
public sealed partial class GraphFind
{
    /// <summary>The fields an expression may name, for messages.</summary>
    public const string Fields = "sr, rps, p50, p95, p99, name, ns, tls, meshed";

    private readonly List<List<Func<GraphSubject, bool>>> _anyOf;

    private GraphFind(List<List<Func<GraphSubject, bool>>> anyOf, string text) => (_anyOf, Text) = (anyOf, text);

    /// <summary>The expression as given.</summary>
    public string Text { get; }

    public bool Matches(GraphSubject subject)
    {
        ArgumentNullException.ThrowIfNull(subject);
        return _anyOf.Any(all => all.All(test => test(subject)));
    }

    /// <summary>Parses <paramref name="text"/>; false with <paramref name="error"/> naming the part and what was expected.</summary>
    public static bool TryParse(string? text, out GraphFind find, out string? error)
    {
        find = new GraphFind([], text ?? "");
        error = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            error = "an empty expression; expected a comparison such as 'sr < 99', 'p95 > 100ms' or 'name = api*'";
            return false;
        }

        var anyOf = new List<List<Func<GraphSubject, bool>>>();
        foreach (var alternative in Or().Split(text.Trim()))
        {
            var all = new List<Func<GraphSubject, bool>>();
            foreach (var clause in And().Split(alternative))
            {
                if (Clause(clause.Trim(), out var test, out var problem) is false)
                {
                    error = $"'{clause.Trim()}' in '{text.Trim()}': {problem}";
                    return false;
                }

                all.Add(test!);
            }

            anyOf.Add(all);
        }

        find = new GraphFind(anyOf, text.Trim());
        return true;
    }

    private static bool Clause(string clause, out Func<GraphSubject, bool>? test, out string? problem)
    {
        test = null;
        problem = null;
        var match = ClauseShape().Match(clause);
        if (!match.Success)
        {
            problem = "expected FIELD OPERATOR VALUE (such as 'rps > 1') or a flag ('tls', '!meshed')";
            return false;
        }

        var negated = match.Groups["not"].Success;
        var field = match.Groups["field"].Value.ToLowerInvariant();
        var op = match.Groups["op"].Success ? match.Groups["op"].Value : null;
        var value = match.Groups["value"].Value;
        if (op is null)
        {
            Func<GraphSubject, bool?>? flag = field switch
            {
                "tls" => s => s.Tls is { } tls ? tls == "true" : null,
                "meshed" => s => s.Meshed,
                _ => null,
            };
            if (flag is null)
            {
                problem = Fields.Split(", ").Contains(field)
                    ? $"'{field}' needs an operator and a value, such as '{field} > 1'"
                    : $"unknown field '{field}'; expected one of {Fields}";
                return false;
            }

            test = s => flag(s) is { } on && on != negated;
            return true;
        }

        if (negated)
        {
            problem = "'!' goes before a flag ('!tls', '!meshed'); for a comparison write its opposite ('sr >= 99')";
            return false;
        }

        switch (field)
        {
            case "name" or "ns" or "namespace":
                if (op is not ("=" or "!="))
                {
                    problem = $"'{field}' is compared with = or != (wildcards: 'api*')";
                    return false;
                }

                var matches = StatSort.NameMatcher(value);
                Func<GraphSubject, string> of = field == "name" ? s => s.Name : s => s.Namespace;
                test = op == "=" ? s => matches(of(s)) : s => !matches(of(s));
                return true;
            case "sr" or "rps" or "p50" or "p95" or "p99":
                if (Number(field, value) is not { } threshold)
                {
                    problem = field switch
                    {
                        "sr" => $"expected a success rate in percent such as 99 or 99.5, got '{value}'",
                        "rps" => $"expected requests per second such as 1 or 0.5, got '{value}'",
                        _ => $"expected a latency such as 100 (ms), 100ms or 1s, got '{value}'",
                    };
                    return false;
                }

                Func<GraphSubject, double?> number = field switch
                {
                    "sr" => s => s.SuccessRate * 100,
                    "rps" => s => s.Rps,
                    "p50" => s => s.P50Ms,
                    "p95" => s => s.P95Ms,
                    _ => s => s.P99Ms,
                };
                Func<double, bool> compare = op switch
                {
                    "<" => v => v < threshold,
                    "<=" => v => v <= threshold,
                    ">" => v => v > threshold,
                    ">=" => v => v >= threshold,
                    "=" => v => v == threshold,
                    _ => v => v != threshold,
                };
                test = s => number(s) is { } v && double.IsFinite(v) && compare(v);
                return true;
            default:
                problem = field is "tls" or "meshed"
                    ? $"'{field}' is a flag: write '{field}' or '!{field}'"
                    : $"unknown field '{field}'; expected one of {Fields}";
                return false;
        }
    }

    private static double? Number(string field, string value)
    {
        if (double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) && double.IsFinite(number) && number >= 0)
        {
            return number;
        }

        return field is "p50" or "p95" or "p99" && DurationText.TryParse(value, DurationSyntax.Prometheus, out var duration)
            ? duration.TotalMilliseconds
            : null;
    }

    [GeneratedRegex(@"\s+or\s+|\s*\|\|\s*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex Or();

    [GeneratedRegex(@"\s+and\s+|\s*,\s*|\s*&&\s*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex And();

    [GeneratedRegex(@"^(?<not>!)?\s*(?<field>[A-Za-z][A-Za-z0-9]*)\s*(?:(?<op><=|>=|!=|=|<|>)\s*(?<value>\S+))?$", RegexOptions.CultureInvariant, matchTimeoutMilliseconds: 100)]
    private static partial Regex ClauseShape();
}
