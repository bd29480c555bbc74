using Dashboard.Cli;
using Dashboard.Model;

namespace Dashboard.Graph;

/// <summary>
/// A graph request as URLs write it, for the page and the export alike: <c>namespace=shop,pay</c> (all when absent),
/// <c>window=1m</c>, <c>pods=true</c>, <c>idle=true</c>.
/// </summary>
public static class GraphQuery
{
    /// <summary>The request, or the problem with the first value that is not what it should be.</summary>
    /// <param name="namespaceName">What the problem calls the namespaces' parameter (the CLI's option).</param>
    /// <param name="windowName">What the problem calls the window's parameter.</param>
    public static (GraphRequest? Request, string? Problem) Parse(
        string? namespaces, string? window, string? pods, string? idle, string namespaceName = "namespace", string windowName = "window")
    {
        var names = Namespaces(namespaces);
        if (names.FirstOrDefault(n => !ResourceNames.IsDnsLabel(n)) is { } bad)
        {
            return (null, $"{namespaceName} '{bad}' is not a namespace name (lower-case letters, digits and '-'; several joined by ',')");
        }

        var windowText = string.IsNullOrEmpty(window) ? StatWindow.Default.ToString() : window;
        if (!StatWindow.TryParse(windowText, out var parsed))
        {
            return (null, $"{windowName} '{window}' is not {StatWindow.Expected}");
        }

        if (QueryFlag.Parse(pods) is not { } byPod)
        {
            return (null, QueryFlag.NotAFlag("pods", pods!));
        }

        if (QueryFlag.Parse(idle) is not { } withIdle)
        {
            return (null, QueryFlag.NotAFlag("idle", idle!));
        }

        return (new GraphRequest(names, parsed, byPod, withIdle), null);
    }

    /// <summary>The namespaces of a <c>namespace=shop,pay</c> value: trimmed, each once, empty parts left out.</summary>
    public static string[] Namespaces(string? text) =>
        [.. (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal)];

    /// <summary>The query string of <paramref name="request"/>, as <see cref="Parse"/> reads it (defaults left out).</summary>
    public static string Format(GraphRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var parts = new List<string>();
        if (request.Namespaces is { Count: > 0 } names)
        {
            parts.Add("namespace=" + string.Join(",", names.Select(Uri.EscapeDataString)));
        }

        parts.Add($"window={request.Window}");
        if (request.Pods)
        {
            parts.Add("pods=true");
        }

        if (request.Idle)
        {
            parts.Add("idle=true");
        }

        return string.Join("&", parts);
    }
}
