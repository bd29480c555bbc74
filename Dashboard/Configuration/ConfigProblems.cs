using System.Globalization;
using Dashboard.Contracts.Durations;

namespace Dashboard.Configuration;

/// <summary>
/// Collects configuration problems, each as "key: 'value' what was expected", and parses the
/// value kinds the options use. Parsing goes on after a problem so that one start-up lists them all.
/// </summary>
internal sealed class ConfigProblems
{
    private readonly List<string> _messages = [];

    public IReadOnlyList<string> Messages => _messages;

    public void Add(string key, string? value, string expected) =>
        _messages.Add(string.Create(CultureInfo.InvariantCulture, $"{key}: '{value}' {expected}"));

    public void AddMessage(string message) => _messages.Add(message);

    public Uri? HttpUrl(string key, string? value)
    {
        if (Uri.TryCreate(value?.Trim(), UriKind.Absolute, out var url)
            && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
            && url.Host.Length > 0)
        {
            return url;
        }

        Add(key, value, "is not an absolute http(s) URL (expected e.g. 'http://127.0.0.1:9090')");
        return null;
    }

    /// <summary>A duration above zero and, when <paramref name="minimum"/> is given, at least that.</summary>
    public TimeSpan? Duration(string key, string? value, TimeSpan? minimum = null)
    {
        var parsed = DurationText.ParsePositive(value, DurationSyntax.Configuration, minimum);
        if (parsed.Problem is { } problem)
        {
            Add(key, value, problem);
            return null;
        }

        return parsed.Value;
    }

    /// <summary>
    /// A finite number in invariant culture, at least <paramref name="minimum"/> (above it when <paramref name="exclusive"/>);
    /// <paramref name="unset"/> when the value is empty.
    /// </summary>
    public double? Number(string key, string? value, double unset, double minimum, bool exclusive = false)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return unset;
        }

        var bound = exclusive ? $"above {minimum.ToString(CultureInfo.InvariantCulture)}" : $"at least {minimum.ToString(CultureInfo.InvariantCulture)}";
        if (!double.TryParse(value.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var number) || !double.IsFinite(number))
        {
            Add(key, value, $"is not a number (expected one {bound}, such as '{unset.ToString(CultureInfo.InvariantCulture)}')");
            return null;
        }

        if (exclusive ? number <= minimum : number < minimum)
        {
            Add(key, value, $"is out of range (expected a number {bound})");
            return null;
        }

        return number;
    }

    /// <summary>A boolean that may be left unset (<paramref name="unset"/>).</summary>
    public bool? Boolean(string key, string? value, bool unset)
    {
        if (string.IsNullOrWhiteSpace(value))
        {
            return unset;
        }

        if (bool.TryParse(value.Trim(), out var result))
        {
            return result;
        }

        Add(key, value, "is not a boolean (expected 'true' or 'false')");
        return null;
    }
}
