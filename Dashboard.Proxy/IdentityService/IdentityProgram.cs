using Dashboard.Contracts.Identity;

namespace Dashboard.Proxy.IdentityService;

/// <summary><c>Dashboard.Proxy identity</c>: runs the identity endpoint, configured by <c>MESH_IDENTITY_*</c> variables.</summary>
public static class IdentityProgram
{
    public static async Task<int> RunAsync()
    {
        var (options, errors) = IdentityServiceOptionsParser.Parse(Environment.GetEnvironmentVariable);
        if (options is null)
        {
            await Console.Error.WriteLineAsync("invalid identity endpoint configuration:\n  " + string.Join("\n  ", errors));
            return Hosting.ProxyExitCodes.BadConfiguration;
        }

        if (Hosting.ListenerProbe.CannotBind(options.Listen) is { } reason)
        {
            await Console.Error.WriteLineAsync($"cannot start the identity endpoint: {IdentityEnvironment.ListenAddr}={options.Listen}: {reason}");
            return Hosting.ProxyExitCodes.StartFailed;
        }

        await using var host = await IdentityServiceHost.StartAsync(options);
        Console.WriteLine($"identity endpoint {Metrics.ProxyMetrics.Version}: https://{host.BoundEndPoint}{IdentityRoutes.Certify} as {options.LocalName}, " +
            $"issuer {options.Issuer.Subject} (valid until {options.Issuer.NotAfter.ToUniversalTime():u}), certificates for {options.TrustDomain} valid {options.CertificateLifetime}");
        await host.WaitForShutdownAsync();
        return 0;
    }
}
