namespace Dashboard.Proxy.Hosting;

/// <summary>Exit codes of every mode of the proxy executable (proxy, fleet, identity, demo-app).</summary>
public static class ProxyExitCodes
{
    public const int StartFailed = 1;
    public const int BadConfiguration = 2;
}
