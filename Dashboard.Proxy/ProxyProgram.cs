using System.Net;
using Dashboard.Contracts.Proxy;
using Dashboard.Proxy.Configuration;
using Dashboard.Proxy.Fleet.DemoApp;
using Dashboard.Proxy.Hosting;

namespace Dashboard.Proxy;

/// <summary>Command line of the proxy executable: <c>proxy</c> (the default), <c>demo-app</c>, <c>fleet</c>, <c>identity</c>, <c>destination</c> and <c>init</c>.</summary>
public static class ProxyProgram
{
    public static async Task<int> RunAsync(string[] args)
    {
        var mode = args.Length > 0 ? args[0] : "proxy";
        switch (mode)
        {
            case "proxy":
                return await RunProxyAsync();
            case "demo-app":
                return await DemoAppProgram.RunAsync(args[1..], Usage);
            case "fleet":
                return await Fleet.FleetProgram.RunAsync(args[1..]);
            case "identity":
                return await IdentityService.IdentityProgram.RunAsync();
            case Contracts.Destination.DestinationEnvironment.Verb:
                return await Destination.DestinationProgram.RunAsync(args[1..]);
            case ProxyInitFlags.Verb:
                return await ProxyInit.InitProgram.RunAsync(args[1..]);
            case "-h" or "--help" or "help":
                Console.WriteLine(Usage);
                return 0;
            default:
                await Console.Error.WriteLineAsync($"unknown command '{mode}'\n\n{Usage}");
                return ProxyExitCodes.BadConfiguration;
        }
    }

    private const string Usage = """
        usage: Dashboard.Proxy [proxy]                    run the sidecar proxy, configured by MESH_PROXY_* variables
               Dashboard.Proxy demo-app --listen IP:PORT  run a small demo application to put behind a proxy
               Dashboard.Proxy fleet [MANIFEST] [options] run the bundled local mesh (see: fleet --help)
               Dashboard.Proxy identity                   run the identity endpoint (certificate issuer), configured by MESH_IDENTITY_* variables
               Dashboard.Proxy destination [flags]        run the destination service: endpoints for proxies over gRPC (see: destination --help)
               Dashboard.Proxy init [flags]               the init container: redirect the pod's TCP traffic through the proxy (see: init --help)
        """;

    private static async Task<int> RunProxyAsync()
    {
        var (options, errors) = ProxyOptionsParser.Parse(Environment.GetEnvironmentVariable);
        if (options is null)
        {
            await Console.Error.WriteLineAsync("invalid proxy configuration:\n  " + string.Join("\n  ", errors));
            return ProxyExitCodes.BadConfiguration;
        }

        await using var host = ProxyHost.Create(options.ShutdownGracePeriod);
        var proxy = host.AddProxy(options);
        var listeners = new (string Variable, IPEndPoint EndPoint)[]
        {
            (ProxyEnvironment.InboundListenAddr, options.InboundListen),
            (ProxyEnvironment.OutboundListenAddr, options.OutboundListen),
            (ProxyEnvironment.AdminListenAddr, options.AdminListen),
            (ProxyEnvironment.TapListenAddr, options.TapListen),
        };
        if (!await TryStartAsync(host, listeners))
        {
            return ProxyExitCodes.StartFailed;
        }

        // Both modes at once: a connection the init container's rules redirected goes to the app's port it was addressed to.
        var opaque = options.InboundOpaquePorts.Count == 0 ? "none" : string.Join(',', options.InboundOpaquePorts);
        Console.WriteLine($"proxy {Metrics.ProxyMetrics.Version}: inbound {host.BoundEndPoint(proxy, ListenerKind.Inbound)} -> 127.0.0.1:<original port> when redirected, " +
            $"else app {options.AppAddress} (protocol detection {Contracts.Durations.DurationText.Format(options.DetectTimeout)}, opaque ports {opaque}), " +
            $"outbound {host.BoundEndPoint(proxy, ListenerKind.Outbound)}, admin {host.BoundEndPoint(proxy, ListenerKind.Admin)}, " +
            $"tap {host.BoundEndPoint(proxy, ListenerKind.Tap)}{TapModes(options)}" +
            (options.DestinationService is { } destination
                ? $", destinations from {destination} (idle after {Contracts.Durations.DurationText.Format(options.DestinationIdleTimeout)})" : ""));
        await host.App.WaitForShutdownAsync();
        return 0;
    }

    private static string TapModes(ProxyOptions options) => (options.TapServiceName, options.TapToken) switch
    {
        (null, null) => " (disabled: no token)",
        ({ } client, null) => $" (mesh TLS for {client})",
        ({ } client, _) => $" (mesh TLS for {client}, or plaintext with the token)",
        _ => "",
    };

    /// <summary>Starts the host; a listener that cannot bind is reported with the variable that set it.</summary>
    internal static async Task<bool> TryStartAsync(ProxyHost host, IReadOnlyList<(string Variable, IPEndPoint EndPoint)> listeners)
    {
        // Kestrel logs a bind failure with a stack trace before throwing: try each address first, so the
        // common case (a port in use) gets one clear line.
        foreach (var (variable, endPoint) in listeners)
        {
            if (endPoint.Port != 0 && ListenerProbe.CannotBind(endPoint) is { } reason)
            {
                await Console.Error.WriteLineAsync($"cannot start the proxy: {variable}={endPoint}: {reason}");
                return false;
            }
        }

        try
        {
            await host.StartAsync();
            return true;
        }
        catch (IOException ex)
        {
            var culprit = listeners.FirstOrDefault(l => ex.Message.Contains(l.EndPoint.ToString(), StringComparison.Ordinal));
            var what = culprit.Variable is null ? "a listener" : $"{culprit.Variable}={culprit.EndPoint}";
            await Console.Error.WriteLineAsync($"cannot start the proxy: {what}: {(ex.InnerException ?? ex).Message}");
            return false;
        }
    }
}
