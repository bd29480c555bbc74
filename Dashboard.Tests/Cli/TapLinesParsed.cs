using System.Text.RegularExpressions;

namespace Dashboard.Tests.Cli;

/// <summary>The complete lines of <c>tap</c>'s output, checked against the seed's structure and grouped by request id.</summary>
public sealed partial class TapLinesParsed
{
    public TapLinesParsed(string output)
    {
        // The last piece may be a line still being written.
        Lines = [.. output.Split('\n').SkipLast(1)];
        ById = Lines.GroupBy(l => Id().Match(l).Groups[1].Value).ToDictionary(g => g.Key, g => g.ToList());
    }

    public IReadOnlyList<string> Lines { get; }

    public IReadOnlyDictionary<string, List<string>> ById { get; }

    public IEnumerable<string> Requests => Lines.Where(l => l.StartsWith("req ", StringComparison.Ordinal));

    /// <summary>The requests whose three lines (req, rsp, end) all arrived.</summary>
    public IEnumerable<List<string>> Complete => ById.Values.Where(l => l.Count == 3 && l[0].StartsWith("req ", StringComparison.Ordinal));

    /// <summary>Each line is one of the three kinds, field by field (the values vary: they are matched, not compared).</summary>
    public static void AssertStructure(string line)
    {
        var pattern = line[..4] switch
        {
            "req " => Request(),
            "rsp " => Response(),
            "end " => End(),
            _ => throw Xunit.Sdk.FailException.ForFailure($"not a tap line: {line}"),
        };
        Assert.Matches(pattern, line);
    }

    /// <summary>The request's lines with what varies from request to request masked: ids, source, numbers.</summary>
    public static string Masked(IEnumerable<string> lines, IReadOnlyList<string> destinations, string destinationName)
    {
        var text = string.Join("\n", lines);
        foreach (var destination in destinations)
        {
            text = text.Replace($"dst={destination} ", $"dst={destinationName} ", StringComparison.Ordinal);
        }

        text = Ids().Replace(text, "id=ID");
        text = Source().Replace(text, "src=ADDR");
        return Numbers().Replace(text, m => $"{m.Groups[1].Value}=N{m.Groups[2].Value}");
    }

    [GeneratedRegex(@"^\w{3} id=(\d+:\d+) ")]
    private static partial Regex Id();

    [GeneratedRegex(@"id=\d+:\d+")]
    private static partial Regex Ids();

    [GeneratedRegex(@"src=\S+")]
    private static partial Regex Source();

    [GeneratedRegex(@"(latency|duration|response-length)=\d+(µs|B)")]
    private static partial Regex Numbers();

    private const string Flow = @"^(req|rsp|end) id=\d+:\d+ proxy=(out|in ) src=[\d.]+:\d+ dst=[\d.]+:\d+ tls=(true|no_identity|disabled)";

    [GeneratedRegex(Flow + @" :method=[A-Z]+ :authority=\S+ :path=/\S*$")]
    private static partial Regex Request();

    [GeneratedRegex(Flow + @" :status=\d{3} latency=\d+µs$")]
    private static partial Regex Response();

    [GeneratedRegex(Flow + @"( reset-error=\w+| grpc-status=\w+)? duration=\d+µs response-length=\d+B$")]
    private static partial Regex End();
}
