using System.Security.Cryptography.X509Certificates;
using Dashboard.Contracts.Identity;
using Dashboard.Contracts.Proxy;
using Dashboard.Proxy.Discovery;
using Dashboard.Proxy.IdentityService;
using Dashboard.Proxy.Metrics;

namespace Dashboard.Tests.Identity;

/// <summary>A mesh's identity for tests: a trust anchor and issuer, proxies that carry identities it issues, and raw certificates.</summary>
public sealed class TestMesh
{
    public TestMesh(TimeSpan? lifetime = null)
    {
        (Anchor, Authority) = CertificateAuthority.CreateMesh(IdentityNames.DefaultTrustDomain, TimeSpan.FromDays(365), lifetime: lifetime);
        Source = new LocalCertificateSource(Authority);
    }

    public X509Certificate2 Anchor { get; }
    public CertificateAuthority Authority { get; }
    public ICertificateSource Source { get; }

    public static string Id(string serviceAccount, string ns = "default") => IdentityNames.Format(serviceAccount, ns);

    /// <summary>The environment of a proxy with <paramref name="identity"/> under this mesh's anchor.</summary>
    public Dictionary<string, string> Environment(string identity) => new()
    {
        [ProxyEnvironment.IdentityTrustAnchors] = Anchor.ExportCertificatePem(),
        [ProxyEnvironment.IdentityLocalName] = identity,
        // Certificates come from Source in process; the address is never dialled.
        [ProxyEnvironment.IdentityServiceAddr] = "identity.invalid:8080",
    };

    /// <summary>A proxy with <paramref name="identity"/>, certified by this mesh, ready (certificate in hand).</summary>
    public async Task<TestProxy> StartProxyAsync(string appAddress, string identity, IDestinationResolver? resolver = null, LogCapture? logs = null)
    {
        var proxy = await TestProxy.StartAsync(appAddress, Environment(identity), resolver, certificates: Source, logs: logs);
        await proxy.Instance.Identity!.WaitForCertificateAsync(TestTimeouts.Token).Within();
        return proxy;
    }

    /// <summary>A workload certificate with its key and chain, as a raw TLS client or server would present it.</summary>
    public (X509Certificate2 Certificate, X509Certificate2Collection Chain) Workload(string identity, DateTimeOffset? notBefore = null, DateTimeOffset? notAfter = null)
    {
        using var key = MeshCertificates.NewKey();
        var now = DateTimeOffset.UtcNow;
        var issued = Authority.Issue(new PublicKey(key), identity, notBefore ?? now.AddMinutes(-1), notAfter ?? now.AddHours(1));
        return (issued.Certificate.CopyWithPrivateKey(key), issued.Intermediates);
    }
}

/// <summary>Discovery from a fixed table: authority → one endpoint, with its identity when meshed.</summary>
public sealed class StaticResolver(params (string Authority, string Address, string? Identity)[] routes) : IDestinationResolver
{
    private readonly Dictionary<string, ResolvedService> _services = routes.ToDictionary(r => r.Authority, r =>
        new ResolvedService("default", r.Authority.Split('.')[0],
            [new EndpointInfo(r.Address, new DestinationLabels("default", r.Authority.Split('.')[0], r.Authority.Split('.')[0], r.Authority.Split('.')[0] + "-0"), r.Identity)]));

    public bool IsSynced => true;

    public ResolvedService? Resolve(string authority) => _services.GetValueOrDefault(authority);

    public ResolvedService? Resolve(System.Net.IPEndPoint destination) => null;
}
