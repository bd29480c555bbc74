using System.Security.Cryptography.X509Certificates;
using Dashboard.Contracts.Identity;
using Dashboard.Contracts.Proxy;
using Dashboard.Proxy.IdentityService;

namespace Dashboard.Tests.Identity;

/// <summary>
/// The identity endpoint as a cluster runs it, on loopback: configured from files and MESH_IDENTITY_* variables under
/// <see cref="Mesh"/>'s anchor, reviewing ServiceAccount tokens with a <see cref="FakeTokenReview"/>.
/// </summary>
public sealed class TestIdentityEndpoint : IAsyncDisposable
{
    private readonly DirectoryInfo _files = Directory.CreateTempSubdirectory("identity-test-");

    private TestIdentityEndpoint(TestMesh mesh) => Mesh = mesh;

    public TestMesh Mesh { get; }
    public FakeTokenReview Kubernetes { get; private set; } = null!;
    public IdentityServiceHost Endpoint { get; private set; } = null!;
    public string Files => _files.FullName;

    /// <param name="tokens">token → username, e.g. <c>system:serviceaccount:shop:web</c>.</param>
    public static async Task<TestIdentityEndpoint> StartAsync(IReadOnlyDictionary<string, string> tokens, TestMesh? mesh = null)
    {
        var endpoint = new TestIdentityEndpoint(mesh ?? new TestMesh());
        endpoint.Kubernetes = await FakeTokenReview.StartAsync(tokens);
        var (options, errors) = IdentityServiceOptionsParser.Parse(endpoint.Environment(endpoint.Kubernetes.Url).GetValueOrDefault);
        Assert.True(options is not null, string.Join("; ", errors));
        endpoint.Endpoint = await IdentityServiceHost.StartAsync(options, logging: TestLog.For("identity").AddTo, cancellationToken: TestTimeouts.Token).Within();
        return endpoint;
    }

    /// <summary>The endpoint's MESH_IDENTITY_* variables, reviewing tokens at <paramref name="kubernetes"/>.</summary>
    public Dictionary<string, string> Environment(Uri kubernetes) => new()
    {
        [IdentityEnvironment.ListenAddr] = "127.0.0.1:0",
        [IdentityEnvironment.TrustAnchorsFile] = File("ca-bundle.crt", Mesh.Anchor.ExportCertificatePem()),
        [IdentityEnvironment.IssuerCertificateFile] = File("tls.crt", Mesh.Authority.Issuer.ExportCertificatePem()),
        [IdentityEnvironment.IssuerKeyFile] = File("tls.key", Mesh.Authority.Issuer.GetECDsaPrivateKey()!.ExportPkcs8PrivateKeyPem()),
        [IdentityEnvironment.KubernetesApi] = kubernetes.ToString(),
    };

    /// <summary>The identity variables of a proxy that proves itself with <paramref name="token"/>.</summary>
    public Dictionary<string, string> ProxyEnvironmentFor(string identity, string token) => new()
    {
        [ProxyEnvironment.IdentityTrustAnchors] = Mesh.Anchor.ExportCertificatePem(),
        [ProxyEnvironment.IdentityLocalName] = identity,
        [ProxyEnvironment.IdentityServiceAddr] = Endpoint.BoundEndPoint.ToString(),
        [ProxyEnvironment.IdentityTokenFile] = TokenFile(token),
    };

    /// <summary>The identity settings of a workload that proves itself with <paramref name="token"/>.</summary>
    public IdentityOptions OptionsFor(string identity, string token) => new()
    {
        LocalName = identity,
        TrustAnchors = [Mesh.Anchor],
        ServiceAddress = Endpoint.BoundEndPoint.ToString(),
        TokenFile = TokenFile(token),
    };

    /// <summary>A file holding <paramref name="token"/>, as the kubelet projects one.</summary>
    public string TokenFile(string token) => File(token, token + "\n");

    public string File(string name, string content)
    {
        var path = Path.Combine(_files.FullName, name);
        System.IO.File.WriteAllText(path, content);
        return path;
    }

    public async ValueTask DisposeAsync()
    {
        await Endpoint.DisposeAsync();
        await Kubernetes.DisposeAsync();
        _files.Delete(recursive: true);
    }
}
