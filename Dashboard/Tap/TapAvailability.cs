using Dashboard.Configuration;

namespace Dashboard.Tap;

/// <summary>
/// Whether tap can work at all, for the one notice that replaces every live panel when it cannot: disabled by
/// configuration (no token, no identity), or refused by the proxies (they reject the token, or have tap off). A refusal is
/// remembered until a proxy accepts a tap again, so pages stop retrying what cannot work.
/// </summary>
public sealed class TapAvailability(DashboardSettings settings)
{
    private volatile string? _refusal;

    /// <summary>Why tap is off by configuration, or null when a token or the dashboard's identity is configured.</summary>
    public string? Disabled { get; } = settings.TapToken is null && settings.Identity is null
        ? $"Tap is disabled: set {ConfigKeys.TapToken} (environment variable {ConfigKeys.EnvironmentVariable(ConfigKeys.TapToken)}) to the proxies' tap token, " +
          $"or give the dashboard its mesh identity ({ConfigKeys.IdentityTrustAnchors} and the other {ConfigKeys.Section}:Identity keys), to see live requests."
        : null;

    /// <summary>The last refusal by a proxy, or null once a proxy accepted.</summary>
    public string? Refused => _refusal;

    /// <summary>The one sentence to show instead of live panels, or null when tap is available.</summary>
    public string? Unavailable => Disabled ?? (_refusal is { } r ? $"Tap was refused by the proxies: {r}" : null);

    public event Action? Changed;

    internal void ReportRefused(string reason)
    {
        if (_refusal != reason)
        {
            _refusal = reason;
            Changed?.Invoke();
        }
    }

    internal void ReportAccepted()
    {
        if (_refusal is not null)
        {
            _refusal = null;
            Changed?.Invoke();
        }
    }
}
