using System.Globalization;

namespace Dashboard.Tests.Netns;

/// <summary>Prefixes that run a command as a container of a pod would run it.</summary>
internal static class NetnsCommands
{
    /// <summary>As a non-root user, e.g. the proxy's UID 2102, with no supplementary groups.</summary>
    public static string[] AsUser(long uid)
    {
        var id = uid.ToString(CultureInfo.InvariantCulture);
        return ["setpriv", $"--reuid={id}", $"--regid={id}", "--clear-groups"];
    }

    /// <summary>As root without the NET_ADMIN capability, as an init container whose securityContext does not add it.</summary>
    public static readonly string[] WithoutNetAdmin = ["setpriv", "--inh-caps=-net_admin", "--bounding-set=-net_admin"];

    /// <summary>The proxy executable the tests built: <c>dotnet Dashboard.Proxy.dll</c> and its arguments.</summary>
    public static string[] Proxy(params string[] args) => ["dotnet", RepoPaths.ProxyDll, .. args];
}
