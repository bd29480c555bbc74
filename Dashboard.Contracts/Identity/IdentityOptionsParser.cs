using System.Globalization;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace Dashboard.Contracts.Identity;

/// <summary>
/// Reads a workload's identity settings, the proxy's from its environment and the dashboard's from its configuration.
/// Identity is on when the trust anchors are set, and then needs the local name and the identity endpoint's address;
/// every problem names its setting (<see cref="IdentitySettingNames"/>).
/// </summary>
public static class IdentityOptionsParser
{
    public static IdentityOptions? Parse(Func<string, string?> get, IdentitySettingNames names, string defaultTokenFile, List<string> errors)
    {
        ArgumentNullException.ThrowIfNull(get);
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(errors);
        string? Get(string name) => string.IsNullOrWhiteSpace(get(name)) ? null : get(name)!.Trim();
        var anchorsPem = Get(names.TrustAnchors);
        if (anchorsPem is null)
        {
            foreach (var name in new[] { names.LocalName, names.ServiceAddress, names.ServiceName })
            {
                if (Get(name) is not null)
                {
                    errors.Add($"{name} is set but {names.TrustAnchors} is not: identity needs the trust anchors (PEM) too");
                }
            }

            return null;
        }

        var anchors = new X509Certificate2Collection();
        try
        {
            anchors = MeshCertificates.ReadPem(anchorsPem, names.TrustAnchors);
        }
        catch (CryptographicException ex)
        {
            errors.Add($"{ex.Message}; expected the PEM of the mesh's trust anchor(s)");
        }

        var localName = Get(names.LocalName);
        if (localName is null || !IdentityNames.TryParse(localName, out _, out _, out _))
        {
            errors.Add($"{names.LocalName}: '{localName}' is not an identity; expected <serviceaccount>.<namespace>.serviceaccount.identity.<trust-domain>, e.g. web.shop.serviceaccount.identity.cluster.local");
        }

        var address = Get(names.ServiceAddress);
        if (address is null || !IsHostPort(address))
        {
            errors.Add($"{names.ServiceAddress}: '{address}' is not an address; expected HOST:PORT of the identity endpoint, e.g. linkerd-identity.linkerd.svc.cluster.local:8080");
        }

        var serviceName = Get(names.ServiceName);
        if (serviceName is not null && !IdentityNames.TryParse(serviceName, out _, out _, out _))
        {
            errors.Add($"{names.ServiceName}: '{serviceName}' is not an identity; expected the identity endpoint's, e.g. {IdentityEnvironment.DefaultLocalName(IdentityNames.DefaultTrustDomain)}");
        }

        return localName is null ? null : new IdentityOptions
        {
            LocalName = localName,
            TrustAnchors = anchors,
            ServiceAddress = address,
            ServiceName = serviceName,
            TokenFile = Get(names.TokenFile) ?? defaultTokenFile,
        };
    }

    /// <summary>Whether <paramref name="value"/> is <c>host:port</c> with a port from 1 to 65535.</summary>
    public static bool IsHostPort(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var colon = value.LastIndexOf(':');
        return colon > 0 && colon < value.Length - 1 &&
            int.TryParse(value.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var port) &&
            port is > 0 and <= 65535 && Uri.CheckHostName(value[..colon].Trim('[', ']')) != UriHostNameType.Unknown;
    }
}

/// <summary>The names of the identity settings, as the user writes them (environment variables, configuration keys).</summary>
public sealed record IdentitySettingNames(string TrustAnchors, string LocalName, string ServiceAddress, string ServiceName, string TokenFile);
