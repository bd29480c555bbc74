using System.Globalization;

namespace Dashboard.Proxy.Configuration;

/// <summary>Parses Go-style durations as Linkerd's settings use them: <c>500ms</c>, <c>10s</c>, <c>2m</c>, <c>1h</c>.</summary>
public static class DurationParser
{
    private static readonly System.Buffers.SearchValues<char> NumberCharacters = System.Buffers.SearchValues.Create("0123456789.");

    public static bool TryParse(string value, out TimeSpan duration)
    {
        duration = default;
        var unitStart = value.AsSpan().IndexOfAnyExcept(NumberCharacters);
        if (unitStart <= 0 ||
            !double.TryParse(value.AsSpan(0, unitStart), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            return false;
        }

        double? milliseconds = value[unitStart..] switch
        {
            "ms" => number,
            "s" => number * 1000,
            "m" => number * 60_000,
            "h" => number * 3_600_000,
            _ => null,
        };
        if (milliseconds is not { } ms || ms > TimeSpan.MaxValue.TotalMilliseconds)
        {
            return false;
        }

        duration = TimeSpan.FromMilliseconds(ms);
        return true;
    }
}
