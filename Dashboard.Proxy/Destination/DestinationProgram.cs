using Dashboard.Contracts.Destination;
using Dashboard.Proxy.Hosting;

namespace Dashboard.Proxy.Destination;

/// <summary><c>Dashboard.Proxy destination</c>: runs the destination service, configured by flags or <c>MESH_DESTINATION_*</c> variables.</summary>
public static class DestinationProgram
{
    private const string Usage = $"""
        usage: Dashboard.Proxy destination [flags]   (each flag falls back to its variable)
          {DestinationEnvironment.ListenAddrFlag} IP:PORT            gRPC listener, prior-knowledge HTTP/2 ({DestinationEnvironment.ListenAddr}, default {DestinationEnvironment.DefaultListenAddr})
          {DestinationEnvironment.KubernetesApiFlag} URL             the API to list and watch ({DestinationEnvironment.KubernetesApi}, default the in-cluster API)
          {DestinationEnvironment.ClusterDomainFlag} DOMAIN          the cluster's DNS domain ({DestinationEnvironment.ClusterDomain}, default {DestinationEnvironment.DefaultClusterDomain})
          {DestinationEnvironment.TrustDomainFlag} DOMAIN   the mesh's trust domain ({DestinationEnvironment.TrustDomain}, default cluster.local)
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

        if (ListenerProbe.CannotBind(options.Listen) is { } reason)
        {
            await Console.Error.WriteLineAsync($"cannot start the destination service: {DestinationEnvironment.ListenAddrFlag} {options.Listen}: {reason}");
            return ProxyExitCodes.StartFailed;
        }

        await using var host = await DestinationServiceHost.StartAsync(options);
        Console.WriteLine($"destination service {Metrics.ProxyMetrics.Version}: grpc (h2c) on {host.BoundEndPoint}, watching {options.KubernetesApi?.ToString() ?? "the in-cluster API"} " +
            $"(cluster domain {options.ClusterDomain}, trust domain {options.TrustDomain})");
        await host.WaitForShutdownAsync();
        return 0;
    }
}
