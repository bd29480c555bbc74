using Dashboard.Model;

namespace Dashboard.Cli.Stat;

/// <summary>What to show of one kind: every resource (no names) or the named ones.</summary>
public sealed record StatTarget(WorkloadKind Kind, IReadOnlyList<string> Names)
{
    /// <summary>
    /// kubectl's forms: <c>TYPE [NAME...]</c> (<c>TYPE</c> may be <c>a,b</c> or <c>all</c>) or <c>TYPE/NAME...</c>.
    /// </summary>
    /// <exception cref="CommandException">A usage error naming the bad word.</exception>
    public static IReadOnlyList<StatTarget> Parse(IReadOnlyList<string> words)
    {
        if (words.Count == 0)
        {
            throw CommandException.Usage($"a resource type is required: {ResourceTypes.Expected}");
        }

        if (words[0].Contains('/', StringComparison.Ordinal))
        {
            return [.. words.Select(ParseTypeName).GroupBy(t => t.Kind).Select(g => new StatTarget(g.Key, [.. g.Select(t => t.Name).Distinct(StringComparer.Ordinal)]))];
        }

        var kinds = words[0].Split(',').SelectMany(Kinds).Distinct().ToList();
        var names = words.Skip(1).ToList();
        if (names.FirstOrDefault(n => n.Contains('/', StringComparison.Ordinal)) is { } mixed)
        {
            throw CommandException.Usage($"'{mixed}': give either TYPE NAME... or TYPE/NAME..., not both");
        }

        if (names.Count > 0 && kinds.Count > 1)
        {
            throw CommandException.Usage($"names need a single resource type, not '{words[0]}'");
        }

        return [.. kinds.Select(k => new StatTarget(k, names))];
    }

    /// <summary><c>deploy/web</c>: one named resource (also <c>--from</c> and <c>--to</c>).</summary>
    public static (WorkloadKind Kind, string Name) ParseTypeName(string word)
    {
        var slash = word.IndexOf('/', StringComparison.Ordinal);
        var name = slash < 0 ? "" : word[(slash + 1)..];
        if (slash <= 0 || name.Length == 0 || name.Contains('/', StringComparison.Ordinal))
        {
            throw CommandException.Usage($"'{word}' is not TYPE/NAME, such as deploy/web");
        }

        var kinds = Kinds(word[..slash]);
        return kinds.Count == 1 ? (kinds[0], name) : throw CommandException.Usage($"'{word}': 'all' cannot name one resource");
    }

    private static IReadOnlyList<WorkloadKind> Kinds(string type) => ResourceTypes.TryParse(type, out var kinds)
        ? kinds
        : throw CommandException.Usage($"unknown resource type '{type}': expected {ResourceTypes.Expected}");
}
