using System.Net;
using Dashboard.Contracts.Identity;
using Dashboard.Contracts.Proxy;
using Dashboard.Proxy.Configuration;
using E = Dashboard.Contracts.Destination.DestinationEnvironment;

namespace Dashboard.Proxy.Destination;

/// <summary>
/// Reads <see cref="DestinationOptions"/> from the verb's flags (<c>--flag value</c> or <c>--flag=value</c>), each
/// falling back to its environment variable. Every problem is collected; each message names the flag or variable.
/// </summary>
public static class DestinationOptionsParser
{
    private static readonly (string Flag, string Variable)[] Settings =
    [
        (E.ListenAddrFlag, E.ListenAddr), (E.AdminAddrFlag, E.AdminAddr), (E.KubernetesApiFlag, E.KubernetesApi), (E.ClusterDomainFlag, E.ClusterDomain),
        (E.TrustDomainFlag, E.TrustDomain), (E.IdentityTrustAnchorsFlag, E.IdentityTrustAnchors), (E.IdentityLocalNameFlag, E.IdentityLocalName),
        (E.IdentityServiceAddrFlag, E.IdentityServiceAddr), (E.IdentityServiceNameFlag, E.IdentityServiceName), (E.IdentityTokenFileFlag, E.IdentityTokenFile),
    ];

    public static (DestinationOptions? Options, IReadOnlyList<string> Errors) Parse(IReadOnlyList<string> args, Func<string, string?> env)
    {
        var errors = new List<string>();
        var flags = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 0; i < args.Count; i++)
        {
            var (flag, inline) = args[i].IndexOf('=', StringComparison.Ordinal) is var eq and > 0 ? (args[i][..eq], args[i][(eq + 1)..]) : (args[i], null);
            // Every flag takes a value: an unknown flag's value goes with it, so a misspelt flag is one error, not two.
            var value = inline ?? (i + 1 < args.Count && !args[i + 1].StartsWith("--", StringComparison.Ordinal) ? args[++i] : null);
            if (!Settings.Any(s => s.Flag == flag))
            {
                errors.Add($"unknown argument '{flag}'; destination takes {string.Join(", ", Settings.Select(s => s.Flag))}, each with a value");
            }
            else if (value is null)
            {
                errors.Add($"{flag} needs a value");
            }
            else if (!flags.TryAdd(flag, value))
            {
                errors.Add($"{flag} is given twice ('{flags[flag]}' and '{value}')");
            }
        }

        var defaults = new DestinationOptions();
        var trustDomain = DnsName(E.TrustDomainFlag, E.TrustDomain, defaults.TrustDomain);
        var options = defaults with
        {
            Listen = Value(E.ListenAddrFlag, E.ListenAddr) is var (name, listen) ? ProxyOptionsParser.ParseEndPoint(name, listen, errors)! : defaults.Listen,
            Admin = Value(E.AdminAddrFlag, E.AdminAddr) is var (adminName, admin) ? ProxyOptionsParser.ParseEndPoint(adminName, admin, errors)! : IPEndPoint.Parse(E.DefaultAdminAddr),
            KubernetesApi = Value(E.KubernetesApiFlag, E.KubernetesApi) is var (apiName, api) ? ProxyOptionsParser.ParseHttpUrl(apiName, api, errors) : null,
            ClusterDomain = DnsName(E.ClusterDomainFlag, E.ClusterDomain, defaults.ClusterDomain),
            TrustDomain = trustDomain,
            Identity = Identity(trustDomain),
        };
        if (options.Identity is { } identity && !string.Equals(identity.TrustDomain, trustDomain, StringComparison.Ordinal))
        {
            errors.Add($"{Name(E.IdentityLocalNameFlag, E.IdentityLocalName)}: '{identity.LocalName}' is not in the trust domain {trustDomain} ({Name(E.TrustDomainFlag, E.TrustDomain)})");
        }

        return errors.Count > 0 ? (null, errors) : (options, errors);

        // The identity settings, each named as given (flag or variable); the local name defaults to the service's ServiceAccount's.
        IdentityOptions? Identity(string domain)
        {
            var names = new IdentitySettingNames(Name(E.IdentityTrustAnchorsFlag, E.IdentityTrustAnchors), Name(E.IdentityLocalNameFlag, E.IdentityLocalName),
                Name(E.IdentityServiceAddrFlag, E.IdentityServiceAddr), Name(E.IdentityServiceNameFlag, E.IdentityServiceName), Name(E.IdentityTokenFileFlag, E.IdentityTokenFile));
            string? Get(string setting) => Settings.First(s => s.Flag == setting || s.Variable == setting) is var (flag, variable) && Value(flag, variable) is var (_, value)
                ? value
                : setting == names.LocalName && Value(E.IdentityTrustAnchorsFlag, E.IdentityTrustAnchors) is not null ? E.DefaultLocalName(domain) : null;
            return IdentityOptionsParser.Parse(Get, names, ProxyEnvironment.DefaultIdentityTokenFile, errors);
        }

        // The flag when given, else its variable: the name an error cites.
        string Name(string flag, string variable) => flags.ContainsKey(flag) ? flag : variable;

        // The flag's value, else the variable's; with the name to cite when it does not parse.
        (string Name, string Value)? Value(string flag, string variable) =>
            flags.TryGetValue(flag, out var given) ? (flag, given.Trim())
            : env(variable) is { } set && !string.IsNullOrWhiteSpace(set) ? (variable, set.Trim())
            : null;

        string DnsName(string flag, string variable, string fallback)
        {
            if (Value(flag, variable) is not var (name, value))
            {
                return fallback;
            }

            if (Uri.CheckHostName(value) != UriHostNameType.Dns)
            {
                errors.Add($"{name}: '{value}' is not a DNS name; expected e.g. cluster.local");
            }

            return value;
        }
    }
}
