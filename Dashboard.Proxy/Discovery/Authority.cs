using System.Globalization;

namespace Dashboard.Proxy.Discovery;

/// <summary>A Host/authority split into the parts discovery needs: <c>svc</c>, <c>svc.ns</c>, <c>svc.ns.svc.cluster.local</c>, with port.</summary>
public readonly record struct Authority(string Host, int Port)
{
    public const int DefaultPort = 80;

    public static bool TryParse(string authority, out Authority result)
    {
        result = default;
        if (string.IsNullOrEmpty(authority))
        {
            return false;
        }

        var host = authority;
        var port = DefaultPort;
        var colon = authority.LastIndexOf(':');
        if (colon >= 0 && colon > authority.LastIndexOf(']'))
        {
            if (!int.TryParse(authority.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out port) || port is 0 or > 65535)
            {
                return false;
            }

            host = authority[..colon];
        }

        if (host.Length == 0)
        {
            return false;
        }

        result = new Authority(host.ToLowerInvariant(), port);
        return true;
    }

    /// <summary>
    /// The service this host names, if it has a Kubernetes service's shape; a bare name lives in
    /// <paramref name="defaultNamespace"/>. IP addresses and foreign domains name no service.
    /// </summary>
    public bool TryGetService(string defaultNamespace, string clusterDomain, out string @namespace, out string service)
    {
        @namespace = defaultNamespace;
        service = "";
        if (Uri.CheckHostName(Host) is UriHostNameType.IPv4 or UriHostNameType.IPv6)
        {
            return false;
        }

        var parts = Host.TrimEnd('.').Split('.');
        var suffix = ("svc." + clusterDomain).Split('.');
        var matchesSuffix = parts.Length >= 2 + suffix.Length && parts.AsSpan(2).SequenceEqual(suffix);
        switch (parts.Length)
        {
            case 1:
                service = parts[0];
                return true;
            case 2:
                (service, @namespace) = (parts[0], parts[1]);
                return true;
            case 3 when parts[2] == "svc":
                (service, @namespace) = (parts[0], parts[1]);
                return true;
            default:
                if (matchesSuffix && parts.Length == 2 + suffix.Length)
                {
                    (service, @namespace) = (parts[0], parts[1]);
                    return true;
                }

                return false;
        }
    }
}
