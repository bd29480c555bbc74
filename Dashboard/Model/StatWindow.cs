using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Dashboard.Contracts.Durations;

namespace Dashboard.Model;

/// <summary>
/// The time window of a stats query: a duration of <see cref="DurationText"/>'s Prometheus grammar in whole seconds,
/// from 1s to 30d (<c>15s</c>, <c>1m</c>, <c>1m30s</c>, <c>1h</c>), written back the same way for PromQL range
/// selectors and URLs. <c>default(StatWindow)</c> is the default window, 1m.
/// </summary>
public readonly record struct StatWindow : IParsable<StatWindow>
{
    /// <summary>What a window is, to follow "is not".</summary>
    public const string Expected = "a duration in whole seconds up to 30d, such as 15s, 1m or 1h";

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

    /// <summary>The PromQL duration, as Prometheus writes it: <c>1m</c>, not <c>60s</c>; <c>1m30s</c>.</summary>
    public override string ToString() => DurationText.Format(Duration);

    public static StatWindow Parse(string s) => Parse(s, provider: null);

    public static StatWindow Parse(string s, IFormatProvider? provider) =>
        TryParse(s, out var window) ? window : throw new FormatException($"'{s}' is not a time window: write {Expected}");

    public static bool TryParse([NotNullWhen(true)] string? s, out StatWindow result) => TryParse(s, null, out result);

    public static bool TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out StatWindow result)
    {
        result = default;
        if (!DurationText.TryParse(s, DurationSyntax.Prometheus, out var duration)
            || duration.Ticks % TimeSpan.TicksPerSecond != 0 || duration <= TimeSpan.Zero || duration.TotalSeconds > MaxSeconds)
        {
            return false;
        }

        result = new StatWindow((int)duration.TotalSeconds);
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
