using System.Globalization;
using System.Net;
using Dashboard.Contracts.Durations;
using Dashboard.Contracts.Identity;
using Dashboard.Contracts.Proxy;

namespace Dashboard.Proxy.Configuration;

/// <summary>
/// Reads <see cref="ProxyOptions"/> from environment variables. Every problem is collected, and each
/// message names its variable, the value given and what was expected.
/// </summary>
public static class ProxyOptionsParser
{
    public const string UpstreamTimeoutVariable = "MESH_PROXY_UPSTREAM_TIMEOUT";
    public const string ShutdownGracePeriodVariable = "MESH_PROXY_SHUTDOWN_GRACE_PERIOD";
    public const string TapBufferVariable = "MESH_PROXY_TAP_BUFFER";

    private static readonly IdentitySettingNames IdentityVariables = new(ProxyEnvironment.IdentityTrustAnchors, ProxyEnvironment.IdentityLocalName,
        ProxyEnvironment.IdentityServiceAddr, ProxyEnvironment.IdentityServiceName, ProxyEnvironment.IdentityTokenFile);

    public static (ProxyOptions? Options, IReadOnlyList<string> Errors) Parse(Func<string, string?> env)
    {
        var errors = new List<string>();
        string Get(string name, string fallback) => Blank(env(name)) ?? fallback;

        var inbound = ParseEndPoint(ProxyEnvironment.InboundListenAddr, Get(ProxyEnvironment.InboundListenAddr, ProxyEnvironment.DefaultInboundListenAddr), errors);
        var outbound = ParseEndPoint(ProxyEnvironment.OutboundListenAddr, Get(ProxyEnvironment.OutboundListenAddr, ProxyEnvironment.DefaultOutboundListenAddr), errors);
        var admin = ParseEndPoint(ProxyEnvironment.AdminListenAddr, Get(ProxyEnvironment.AdminListenAddr, ProxyEnvironment.DefaultAdminListenAddr), errors);
        var tap = ParseEndPoint(ProxyEnvironment.TapListenAddr, Get(ProxyEnvironment.TapListenAddr, ProxyEnvironment.DefaultTapListenAddr), errors);
        var app = ParseHostPort(ProxyEnvironment.AppAddr, Get(ProxyEnvironment.AppAddr, ProxyEnvironment.DefaultAppAddr), errors);

        Uri? kubernetesApi = null;
        if (Blank(env(ProxyEnvironment.KubernetesApi)) is { } api)
        {
            kubernetesApi = ParseHttpUrl(ProxyEnvironment.KubernetesApi, api, errors);
        }

        var destination = Blank(env(ProxyEnvironment.DestinationServiceAddr)) is { } destinationAddr
            ? ParseHostPort(ProxyEnvironment.DestinationServiceAddr, destinationAddr, errors)
            : null;
        var upstreamTimeout = ParseDuration(UpstreamTimeoutVariable, env(UpstreamTimeoutVariable), TimeSpan.FromSeconds(100), errors);
        var grace = ParseDuration(ShutdownGracePeriodVariable, env(ShutdownGracePeriodVariable), TimeSpan.FromSeconds(30), errors);
        var detectTimeout = ParseDuration(ProxyEnvironment.DetectTimeout, env(ProxyEnvironment.DetectTimeout), ProxyEnvironment.DefaultDetectTimeout, errors);
        var destinationIdle = ParseDuration(ProxyEnvironment.DestinationIdleTimeout, env(ProxyEnvironment.DestinationIdleTimeout),
            ProxyEnvironment.DefaultDestinationIdleTimeout, errors);
        IReadOnlyList<PortRange> opaquePorts = [];
        if (Blank(env(ProxyEnvironment.InboundOpaquePorts)) is { } opaque && !PortRange.TryParseList(opaque, out opaquePorts, out var opaqueError))
        {
            errors.Add($"{ProxyEnvironment.InboundOpaquePorts}: {opaqueError}");
        }

        var tapBuffer = 10_000;
        if (Blank(env(TapBufferVariable)) is { } buffer &&
            (!int.TryParse(buffer, NumberStyles.None, CultureInfo.InvariantCulture, out tapBuffer) || tapBuffer is < 1 or > 1_000_000))
        {
            errors.Add($"{TapBufferVariable}: '{buffer}' is not valid; expected a whole number of events from 1 to 1000000");
        }

        var identity = IdentityOptionsParser.Parse(env, IdentityVariables, ProxyEnvironment.DefaultIdentityTokenFile, errors);
        var tapServiceName = ParseServiceName(ProxyEnvironment.TapServiceName, "the tap client's (the dashboard's)", "tap over mesh TLS",
            Blank(env(ProxyEnvironment.TapServiceName)), identity, ProxyEnvironment.DefaultTapServiceName, errors);
        var destinationServiceName = ParseServiceName(ProxyEnvironment.DestinationServiceName, "the destination service's", "the destination service over mesh TLS",
            Blank(env(ProxyEnvironment.DestinationServiceName)), identity, ProxyEnvironment.DefaultDestinationServiceName, errors);
        if (errors.Count > 0)
        {
            return (null, errors);
        }

        return (new ProxyOptions
        {
            InboundListen = inbound!,
            OutboundListen = outbound!,
            AdminListen = admin!,
            TapListen = tap!,
            AppAddress = app!,
            TapToken = Blank(env(ProxyEnvironment.TapToken)),
            TapServiceName = tapServiceName,
            PodName = Blank(env(ProxyEnvironment.PodName)),
            PodNamespace = Blank(env(ProxyEnvironment.PodNamespace)),
            KubernetesApi = kubernetesApi,
            DestinationService = destination,
            DestinationServiceName = destinationServiceName,
            UpstreamTimeout = upstreamTimeout,
            ShutdownGracePeriod = grace,
            DetectTimeout = detectTimeout,
            DestinationIdleTimeout = destinationIdle,
            InboundOpaquePorts = opaquePorts,
            TapBufferCapacity = tapBuffer,
            Identity = identity,
        }, errors);
    }

    /// <summary>The identity a control-plane peer must prove (<paramref name="variable"/>); by default its own in the proxy's trust domain.</summary>
    private static string? ParseServiceName(string variable, string whose, string purpose, string? value, IdentityOptions? identity,
        Func<string, string> defaultName, List<string> errors)
    {
        if (value is not null && !IdentityNames.TryParse(value, out _, out _, out _))
        {
            errors.Add($"{variable}: '{value}' is not an identity; expected {whose}, e.g. {defaultName(IdentityNames.DefaultTrustDomain)}");
            return null;
        }

        if (value is not null && identity is null)
        {
            errors.Add($"{variable} is set but {ProxyEnvironment.IdentityTrustAnchors} is not: {purpose} needs the proxy's identity");
        }

        return identity is null ? null : value ?? defaultName(identity.TrustDomain);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();

    internal static IPEndPoint? ParseEndPoint(string name, string value, List<string> errors)
    {
        if (IPEndPoint.TryParse(value, out var endPoint) && HasPort(value))
        {
            return endPoint;
        }

        errors.Add($"{name}: '{value}' is not an address; expected IP:PORT, e.g. 0.0.0.0:4143 or [::]:4143");
        return null;
    }

    /// <summary>An absolute http(s) URL (a Kubernetes API's); otherwise an error naming <paramref name="name"/>.</summary>
    internal static Uri? ParseHttpUrl(string name, string value, List<string> errors)
    {
        if (Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            return uri;
        }

        errors.Add($"{name}: '{value}' is not a URL; expected http(s)://host:port");
        return null;
    }

    private static string? ParseHostPort(string name, string value, List<string> errors)
    {
        if (IdentityOptionsParser.IsHostPort(value))
        {
            return value;
        }

        errors.Add($"{name}: '{value}' is not an address; expected HOST:PORT with a port from 1 to 65535, e.g. 127.0.0.1:8080");
        return null;
    }

    private static bool HasPort(string value)
    {
        var colon = value.LastIndexOf(':');
        return colon > 0 && colon > value.LastIndexOf(']') && colon < value.Length - 1;
    }

    internal static TimeSpan ParseDuration(string name, string? raw, TimeSpan fallback, List<string> errors)
    {
        if (Blank(raw) is not { } value)
        {
            return fallback;
        }

        var parsed = DurationText.ParsePositive(value, DurationSyntax.Configuration);
        if (parsed.Problem is { } problem)
        {
            errors.Add($"{name}: '{value}' {problem}");
            return fallback;
        }

        return parsed.Value;
    }
}
