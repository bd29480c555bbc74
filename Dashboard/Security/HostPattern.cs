using System.Net;
using System.Net.Sockets;

namespace Dashboard.Security;

/// <summary>
/// One entry of the allowed-hosts list: an exact host name or IP address (<c>localhost</c>,
/// <c>127.0.0.1</c>, <c>[::1]</c>), a subdomain wildcard (<c>*.example.com</c>, which does not match
/// <c>example.com</c> itself) or <c>*</c> for any host. Ports are never part of a pattern: a host is
/// allowed on any port. Matching ignores case and a trailing dot.
/// </summary>
public sealed class HostPattern
{
    public const string Expected = "expected a host name, an IP address, '*.domain' or '*', without scheme, path or port";

    private readonly string _host; // normalised; for a wildcard the suffix with its leading dot

    private HostPattern(string text, string host, bool isWildcard, bool isAny)
    {
        Text = text;
        _host = host;
        IsWildcard = isWildcard;
        IsAny = isAny;
    }

    /// <summary>The pattern as configured.</summary>
    public string Text { get; }

    /// <summary><c>*</c>: every host is allowed.</summary>
    public bool IsAny { get; }

    public bool IsWildcard { get; }

    public static HostPattern Any { get; } = new("*", "", isWildcard: false, isAny: true);

    public static HostPattern Parse(string text) =>
        TryParse(text, out var pattern, out var error) ? pattern : throw new FormatException($"'{text}': {error}");

    public static bool TryParse(string? text, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out HostPattern? pattern, out string error)
    {
        pattern = null;
        var trimmed = text?.Trim() ?? "";
        if (trimmed == "*")
        {
            pattern = Any;
            error = "";
            return true;
        }

        var wildcard = trimmed.StartsWith("*.", StringComparison.Ordinal);
        var host = wildcard ? trimmed[2..] : trimmed;
        error = Problem(host);
        if (error.Length > 0)
        {
            return false;
        }

        var normalised = NormalizeHost(host);
        pattern = new HostPattern(trimmed, wildcard ? "." + normalised : normalised, wildcard, isAny: false);
        return true;
    }

    /// <summary>Whether <paramref name="host"/> (a Host header without its port) is allowed.</summary>
    public bool Matches(string host)
    {
        if (IsAny)
        {
            return true;
        }

        host = NormalizeHost(host);
        return IsWildcard
            ? host.Length > _host.Length && host.EndsWith(_host, StringComparison.Ordinal)
            : host == _host;
    }

    /// <summary>
    /// The comparable form of a host: lower case, without a trailing dot, an IPv6 address in
    /// brackets and in its canonical spelling (so <c>[0:0::1]</c> is <c>[::1]</c>).
    /// </summary>
    public static string NormalizeHost(string host)
    {
        ArgumentNullException.ThrowIfNull(host);
        host = host.Trim().TrimEnd('.').ToLowerInvariant();
        var inner = host.StartsWith('[') && host.EndsWith(']') ? host[1..^1] : host;
        return inner.Contains(':', StringComparison.Ordinal) && IsIPv6(inner) ? "[" + IPAddress.Parse(inner) + "]" : host;
    }

    public override string ToString() => Text;

    // IPAddress.TryParse also accepts "[::1]:8084"; a bare address has no brackets.
    private static bool IsIPv6(string text) =>
        !text.Contains('[', StringComparison.Ordinal) && IPAddress.TryParse(text, out var address) && address.AddressFamily == AddressFamily.InterNetworkV6;

    private static string Problem(string host)
    {
        if (host.Length == 0)
        {
            return "is empty; " + Expected;
        }

        if (host.Contains("://", StringComparison.Ordinal) || host.Contains('/', StringComparison.Ordinal))
        {
            return "is a URL, not a host; " + Expected;
        }

        if (host.Contains('*', StringComparison.Ordinal))
        {
            return "has a wildcard other than a leading '*.'; " + Expected;
        }

        var bare = host.TrimEnd('.');
        var bracketed = bare.StartsWith('[');
        if (bracketed || bare.Contains(':', StringComparison.Ordinal))
        {
            var address = bracketed && bare.EndsWith(']') ? bare[1..^1] : bare;
            return IsIPv6(address) ? "" : "has a port (hosts are allowed on any port) or is not an IPv6 address; " + Expected;
        }

        return Uri.CheckHostName(bare) is UriHostNameType.Dns or UriHostNameType.IPv4 ? "" : "is not a host name; " + Expected;
    }
}
