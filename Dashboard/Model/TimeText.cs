using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Dashboard.Model;

/// <summary>A point in time as URLs and command lines write it: RFC 3339 (UTC when no offset is given) or Unix seconds.</summary>
public static class TimeText
{
    /// <summary>What a bad time is told to be instead.</summary>
    public const string Expected = "an RFC 3339 time such as 2026-12-02T21:00:00Z, or Unix seconds";

    public static bool TryParse([NotNullWhen(true)] string? text, out DateTimeOffset time)
    {
        time = default;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        // Below 10^11 seconds (the year 5138): a larger whole number is more likely milliseconds, which would be wrong.
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds))
        {
            if (seconds >= 100_000_000_000)
            {
                return false;
            }

            time = DateTimeOffset.FromUnixTimeSeconds(seconds);
            return true;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
        {
            time = parsed.ToUniversalTime();
            return true;
        }

        return false;
    }

    /// <summary><c>2026-12-02T21:00:00Z</c>.</summary>
    public static string Format(DateTimeOffset time) => time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
}
