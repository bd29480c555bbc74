using System.Globalization;
using System.Text;
using Dashboard.Contracts.Tap;
using Dashboard.Model;

namespace Dashboard.Tap;

/// <summary>
/// What to tap, as the <c>tap</c> and <c>top</c> verbs and the /tap and /top pages take it: the pods of
/// <see cref="Resource"/> in <see cref="Namespace"/> (all of the namespace when <see cref="Resource"/> is null),
/// narrowed by the destination and request filters, under a budget of <see cref="MaxRps"/> across all pods.
/// </summary>
public sealed record TapQuery
{
    public const double MaxRpsLimit = 100_000;
    public const double DefaultMaxRps = TapRequest.DefaultMaxRps;

    public required string Namespace { get; init; }
    public TapResource? Resource { get; init; }
    /// <summary>The destination's namespace; null means <see cref="Namespace"/>.</summary>
    public string? ToNamespace { get; init; }
    public TapResource? ToResource { get; init; }
    public string? Method { get; init; }
    public string? PathPrefix { get; init; }
    public string? Authority { get; init; }
    public string? Scheme { get; init; }
    public double MaxRps { get; init; } = TapRequest.DefaultMaxRps;
    /// <summary>Ask the proxies for headers (credentials always arrive redacted).</summary>
    public bool ExtractHeaders { get; init; } = true;

    /// <summary>What is tapped, as the CLI names it: <c>deploy/web</c>, or <c>ns/default</c> for a whole namespace.</summary>
    public TapResource Target => Resource ?? new TapResource(WorkloadKind.Namespace, Namespace);

    /// <summary>The request each pod's proxy gets: the filters, and this pod's share of the budget.</summary>
    public TapRequest ToRequest(int pods) => new()
    {
        Method = Blank(Method),
        PathPrefix = Blank(PathPrefix),
        Authority = Blank(Authority),
        Scheme = Blank(Scheme),
        MaxRps = MaxRps / Math.Max(1, pods),
        DestinationLabels = DestinationLabels(),
        ExtractHeaders = ExtractHeaders,
    };

    /// <summary>The destination labels of <see cref="ToResource"/> (the proxy's <c>dst_*</c> metric labels).</summary>
    public Dictionary<string, string>? DestinationLabels()
    {
        if (ToResource is not { } to)
        {
            return null;
        }

        var labels = new Dictionary<string, string>(StringComparer.Ordinal) { ["dst_namespace"] = ToNamespace ?? Namespace };
        if (to.Kind == WorkloadKind.Namespace)
        {
            labels["dst_namespace"] = to.Name;
        }
        else
        {
            labels[to.Kind.DstPromLabel()] = to.Name;
        }

        return labels;
    }

    /// <summary>The equivalent command line, e.g. <c>dashboard tap deploy/web --namespace default --max-rps 100</c>.</summary>
    public string ToCommandLine(string verb)
    {
        var line = new StringBuilder("dashboard ").Append(verb).Append(' ').Append(Target);
        if (Resource is not null)
        {
            Option(line, "--namespace", Namespace);
        }

        if (ToResource is { } to)
        {
            Option(line, "--to", to.ToString());
            Option(line, "--to-namespace", ToNamespace);
        }

        Option(line, "--method", Method);
        Option(line, "--path", PathPrefix);
        Option(line, "--authority", Authority);
        Option(line, "--scheme", Scheme);
        if (MaxRps != TapRequest.DefaultMaxRps)
        {
            Option(line, "--max-rps", MaxRps.ToString(CultureInfo.InvariantCulture));
        }

        return line.ToString();
    }

    private static void Option(StringBuilder line, string name, string? value)
    {
        if (!string.IsNullOrWhiteSpace(value))
        {
            line.Append(' ').Append(name).Append(' ').Append(Quote(value));
        }
    }

    // Single quotes keep a shell from reading anything in the value.
    private static string Quote(string value) =>
        value.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '-' or '_' or '.' or ':')
            ? value
            : "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
