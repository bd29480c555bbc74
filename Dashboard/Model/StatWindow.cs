using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Dashboard.Model;

/// <summary>
/// The time window of a stats query, written as a PromQL duration: a whole number of seconds, minutes
/// or hours (<c>15s</c>, <c>1m</c>, <c>1h</c>). <c>default(StatWindow)</c> is the default window, 1m.
/// </summary>
public readonly record struct StatWindow : IParsable<StatWindow>
{
    private const int DefaultSeconds = 60;

    // Far past Prometheus' default 15-day retention; the bound keeps the arithmetic in range.
    private const int MaxSeconds = 30 * 24 * 3600;

    // Zero stands for the default so that default(StatWindow) is a usable window, not an empty one.
    private readonly int _seconds;

    private StatWindow(int seconds) => _seconds = seconds == DefaultSeconds ? 0 : seconds;

    public static StatWindow Default => default;

    /// <summary>The windows the dashboard offers, shortest first.</summary>
    public static IReadOnlyList<StatWindow> Choices { get; } =
        [FromSeconds(15), FromSeconds(30), FromSeconds(60), FromSeconds(300), FromSeconds(600), FromSeconds(3600)];

    public int TotalSeconds => _seconds == 0 ? DefaultSeconds : _seconds;

    public TimeSpan Duration => TimeSpan.FromSeconds(TotalSeconds);

    public static StatWindow FromSeconds(int seconds) => seconds is > 0 and <= MaxSeconds
        ? new StatWindow(seconds)
        : throw new ArgumentOutOfRangeException(nameof(seconds), seconds, $"a window is between 1s and {MaxSeconds}s");

    /// <summary>The PromQL duration, in the largest unit that divides it: <c>1m</c>, not <c>60s</c>.</summary>
    public override string ToString()
    {
        var seconds = TotalSeconds;
        return seconds % 3600 == 0 ? Format(seconds / 3600, 'h')
            : seconds % 60 == 0 ? Format(seconds / 60, 'm')
            : Format(seconds, 's');

        static string Format(int amount, char unit) => amount.ToString(CultureInfo.InvariantCulture) + unit;
    }

    public static StatWindow Parse(string s) => Parse(s, provider: null);

    public static StatWindow Parse(string s, IFormatProvider? provider) =>
        TryParse(s, out var window) ? window : throw new FormatException(
            $"'{s}' is not a time window: write a whole number followed by s, m or h, such as 15s, 1m or 1h " +
            $"(at most {MaxSeconds / 3600}h)");

    public static bool TryParse([NotNullWhen(true)] string? s, out StatWindow result) => TryParse(s, null, out result);

    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out StatWindow result)
    {
        result = default;
        if (string.IsNullOrEmpty(s) || s.Length < 2)
        {
            return false;
        }

        var unitSeconds = s[^1] switch { 's' => 1, 'm' => 60, 'h' => 3600, _ => 0 };
        var digits = s.AsSpan(0, s.Length - 1);
        // NumberStyles.None: no sign, no spaces, no separators — only what PromQL itself accepts.
        if (unitSeconds == 0 || !long.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var amount)
            || amount <= 0 || amount > MaxSeconds / unitSeconds)
        {
            return false;
        }

        result = new StatWindow((int)amount * unitSeconds);
        return true;
    }

    /// <summary>
    /// Null when the window can be computed at this scrape interval, else why not. <c>rate</c> and
    /// <c>increase</c> need two samples inside the window, so the window must span two scrapes.
    /// </summary>
    public string? Validate(TimeSpan scrapeInterval)
    {
        if (scrapeInterval <= TimeSpan.Zero || TotalSeconds >= 2 * scrapeInterval.TotalSeconds)
        {
            return null;
        }

        return $"a {this} window needs a scrape interval of at most {Seconds(TotalSeconds / 2.0)}; " +
            $"Prometheus scrapes every {Seconds(scrapeInterval.TotalSeconds)}";

        static string Seconds(double value) => value.ToString("0.###", CultureInfo.InvariantCulture) + "s";
    }
}
