using Dashboard.Contracts.Tap;
using Microsoft.Extensions.Primitives;

namespace Dashboard.Proxy.Tap;

/// <summary>Turns headers into tap headers; credentials (docs/ARCHITECTURE.md §4) keep their name but lose their value.</summary>
public static class TapHeaders
{
    public static List<TapHeader> From(IEnumerable<KeyValuePair<string, StringValues>> headers)
    {
        var result = new List<TapHeader>();
        foreach (var (name, values) in headers)
        {
            if (TapRoutes.RedactedHeaders.Contains(name))
            {
                result.Add(new TapHeader { Name = name.ToLowerInvariant(), Redacted = true });
                continue;
            }

            foreach (var value in values)
            {
                result.Add(new TapHeader { Name = name.ToLowerInvariant(), Value = value });
            }
        }

        return result;
    }
}
