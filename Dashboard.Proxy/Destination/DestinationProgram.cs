using Dashboard.Contracts.Destination;
using Dashboard.Contracts.Proxy;
using Dashboard.Proxy.Hosting;

namespace Dashboard.Proxy.Destination;

/// <summary><c>Dashboard.Proxy destination</c>: runs the destination service, configured by flags or <c>MESH_DESTINATION_*</c> variables.</summary>
public static class DestinationProgram
{
    private const string Usage = $"""
        usage: Dashboard.Proxy destination [flags]   (each flag falls back to its variable)
          {DestinationEnvironment.ListenAddrFlag} IP:PORT            gRPC listener: mTLS with identity, else prior-knowledge HTTP/2 ({DestinationEnvironment.ListenAddr}, default {DestinationEnvironment.DefaultListenAddr})
          {DestinationEnvironment.AdminAddrFlag} IP:PORT             /ready, /live, /metrics over HTTP/1.1 ({DestinationEnvironment.AdminAddr}, default {DestinationEnvironment.DefaultAdminAddr})
          {DestinationEnvironment.KubernetesApiFlag} URL             the API to list and watch ({DestinationEnvironment.KubernetesApi}, default the in-cluster API)
          {DestinationEnvironment.ClusterDomainFlag} DOMAIN          the cluster's DNS domain ({DestinationEnvironment.ClusterDomain}, default {DestinationEnvironment.DefaultClusterDomain})
          {DestinationEnvironment.TrustDomainFlag} DOMAIN   the mesh's trust domain ({DestinationEnvironment.TrustDomain}, default cluster.local)
        identity (mTLS on the gRPC port; callers are authorized by their certificates' identities):
          {DestinationEnvironment.IdentityTrustAnchorsFlag} PEM     the trust anchors; setting them turns identity on ({DestinationEnvironment.IdentityTrustAnchors})
          {DestinationEnvironment.IdentityLocalNameFlag} NAME       its own identity ({DestinationEnvironment.IdentityLocalName}, default {DestinationEnvironment.DefaultServiceAccount}.linkerd.serviceaccount.identity.<trust domain>)
          {DestinationEnvironment.IdentityServiceAddrFlag} HOST:PORT    the identity endpoint ({DestinationEnvironment.IdentityServiceAddr})
          {DestinationEnvironment.IdentityServiceNameFlag} NAME         the identity endpoint's identity ({DestinationEnvironment.IdentityServiceName}, default its ServiceAccount's in linkerd)
          {DestinationEnvironment.IdentityTokenFileFlag} PATH       the ServiceAccount token it proves itself with ({DestinationEnvironment.IdentityTokenFile}, default {ProxyEnvironment.DefaultIdentityTokenFile})
        """;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args is ["-h" or "--help"])
        {
            Console.WriteLine(Usage);
            return 0;
        }

        var (options, errors) = DestinationOptionsParser.Parse(args, Environment.GetEnvironmentVariable);
        if (options is null)
        {
            await Console.Error.WriteLineAsync("invalid destination service configuration:\n  " + string.Join("\n  ", errors) + "\n\n" + Usage);
            return ProxyExitCodes.BadConfiguration;
        }

        foreach (var (flag, endPoint) in new[] { (DestinationEnvironment.ListenAddrFlag, options.Listen), (DestinationEnvironment.AdminAddrFlag, options.Admin) })
        {
            if (endPoint is not null && ListenerProbe.CannotBind(endPoint) is { } reason)
            {
                await Console.Error.WriteLineAsync($"cannot start the destination service: {flag} {endPoint}: {reason}");
                return ProxyExitCodes.StartFailed;
            }
        }

        await using var host = await DestinationServiceHost.StartAsync(options with { StopsOnSignal = true });
        var grpc = host.Identity is { } identity ? $"mTLS as {identity.Name}" : "h2c, callers not authenticated";
        Console.WriteLine($"destination service {Metrics.ProxyMetrics.Version}: grpc ({grpc}) on {host.BoundEndPoint}, admin on {host.AdminEndPoint}, " +
            $"watching {options.KubernetesApi?.ToString() ?? "the in-cluster API"} (cluster domain {options.ClusterDomain}, trust domain {options.TrustDomain})");
        await host.WaitForShutdownAsync();
        return 0;
    }
}
