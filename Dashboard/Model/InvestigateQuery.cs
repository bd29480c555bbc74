using Dashboard.Investigation;

namespace Dashboard.Model;

/// <summary>
/// What <c>/investigate</c> was asked, from its URL: a resource (<c>deployment/test-2</c> in a namespace), a lookback
/// (15m by default) and when it ends (now by default). A value of the wrong kind is explained, not a failure.
/// </summary>
/// <param name="Resource">Null until a namespace and a resource are given, and when they are not valid.</param>
/// <param name="Problem">What is wrong with the URL, or what to give; null when it is a whole query.</param>
public sealed record InvestigateQuery(ResourceKey? Resource, StatWindow Lookback, DateTimeOffset? At, string? Problem)
{
    /// <param name="defaultLookback">The lookback when the URL gives none (<c>Dashboard:Investigation:Lookback</c>).</param>
    public static InvestigateQuery Parse(string? @namespace, string? resource, string? lookback, string? at, StatWindow defaultLookback)
    {
        List<string> problems = [];
        var window = defaultLookback;
        if (!string.IsNullOrWhiteSpace(lookback) && !StatWindow.TryParse(lookback.Trim(), out window))
        {
            problems.Add($"lookback '{lookback}' is not {StatWindow.Expected}; looking back {defaultLookback}");
            window = defaultLookback;
        }

        DateTimeOffset? end = null;
        if (!string.IsNullOrWhiteSpace(at))
        {
            if (TimeText.TryParse(at, out var time))
            {
                end = time;
            }
            else
            {
                problems.Add($"at '{at}' is not {TimeText.Expected}; ending now");
            }
        }

        ResourceKey? key = null;
        if (string.IsNullOrWhiteSpace(@namespace) || string.IsNullOrWhiteSpace(resource))
        {
            if (problems.Count == 0)
            {
                return new InvestigateQuery(null, window, end, "Choose a namespace and a resource (deployment/NAME) to investigate.");
            }
        }
        // TYPE/NAME only: the namespace is a field of its own.
        else if (resource.Trim().Split('/').Length == 2 && Investigator.TryParseName(resource.Trim(), @namespace.Trim(), out var parsed))
        {
            key = parsed;
        }
        else
        {
            problems.Add($"resource '{resource}' is not TYPE/NAME, such as deployment/test-2 (types: deployment, statefulset, daemonset, job, pod, namespace)");
        }

        return new InvestigateQuery(key, window, end, problems.Count == 0 ? null : char.ToUpperInvariant(problems[0][0]) + string.Join("; ", problems)[1..] + ".");
    }
}
