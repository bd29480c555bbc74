using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Dashboard.Contracts.Identity;
using Dashboard.Tests.Identity;
using System.Runtime.CompilerServices;
using Dashboard.Contracts.Destination;
using Dashboard.Proxy.Destination;
using Dashboard.Proxy.Fleet.KubernetesApi;
using Dashboard.Tests.Kubernetes;
using Grpc.Core;
using Grpc.Net.Client;
using DestinationClient = Dashboard.Contracts.Destination.Destination.DestinationClient;

namespace Dashboard.Tests.Destination;

/// <summary>
/// A destination service on 127.0.0.1:0 (admin too) watching a Kubernetes API served from a store, and a real gRPC client
/// of it; with a <see cref="TestMesh"/>, the service has an identity of that mesh and serves mTLS.
/// </summary>
internal sealed class TestDestination : IAsyncDisposable
{
    private readonly KubeApiHost _api;
    private readonly GrpcChannel _channel;
    private readonly DestinationOptions _options;
    private readonly TestMesh? _mesh;
    private readonly List<GrpcChannel> _secureChannels = [];
    private DestinationServiceHost? _host;

    private TestDestination(KubeApiHost api, DestinationServiceHost host, DestinationOptions options, TestMesh? mesh)
    {
        _api = api;
        _host = host;
        _mesh = mesh;
        // Restarted on the ports it had.
        _options = options with { Listen = host.BoundEndPoint, Admin = host.AdminEndPoint };
        _channel = GrpcChannel.ForAddress($"http://{host.BoundEndPoint}");
        Client = new DestinationClient(_channel);
        Admin = new HttpClient { BaseAddress = new Uri($"http://{host.AdminEndPoint}") };
    }

    /// <summary>A client of the admin listener.</summary>
    public HttpClient Admin { get; }

    public KubeStore Store => _api.Store;

    public DestinationClient Client { get; }

    /// <summary>The running service; a test that stopped it must restart it first.</summary>
    public DestinationServiceHost Host => _host ?? throw new InvalidOperationException("the destination service is stopped");

    /// <summary>Its <c>host:port</c>, the same across a restart.</summary>
    public string Address => _options.Listen.ToString();

    /// <summary>Stops the service (its streams end), leaving the Kubernetes API running.</summary>
    public async Task StopAsync()
    {
        await Host.DisposeAsync();
        _host = null;
    }

    /// <summary>Starts the service again on the port it had, watching the same API.</summary>
    public async Task RestartAsync()
    {
        Assert.Null(_host);
        _host = await DestinationServiceHost.StartAsync(_options, _api.CreateClient(), certificates: _mesh?.Source, cancellationToken: TestTimeouts.Token).Within();
    }

    /// <param name="mesh">Gives the service an identity of this mesh (mTLS on its gRPC port); null serves plaintext.</param>
    /// <param name="identity">Its identity in <paramref name="mesh"/>; by default the destination service's.</param>
    public static async Task<TestDestination> StartAsync(KubeStore store, TestMesh? mesh = null, string? identity = null, LogCapture? logs = null)
    {
        var api = await KubeApiHost.StartAsync(store);
        var options = new DestinationOptions
        {
            Listen = new IPEndPoint(IPAddress.Loopback, 0),
            Admin = new IPEndPoint(IPAddress.Loopback, 0),
            Identity = mesh is null ? null : new IdentityOptions
            {
                LocalName = identity ?? DestinationEnvironment.DefaultLocalName(IdentityNames.DefaultTrustDomain),
                TrustAnchors = [mesh.Anchor],
            },
        };
        var host = await DestinationServiceHost.StartAsync(options, api.CreateClient(), logs is null ? null : b => b.AddProvider(logs), mesh?.Source,
            cancellationToken: TestTimeouts.Token).Within();
        if (host.Identity is { } own)
        {
            await own.WaitForCertificateAsync(TestTimeouts.Token).Within();
        }

        return new TestDestination(api, host, options, mesh);
    }

    /// <summary>
    /// A client over TLS that presents <paramref name="certificate"/> (none when null) and checks the service's certificate
    /// under <paramref name="anchor"/>, as any mesh client would; <paramref name="serverCertificate"/> is told the certificate of each handshake.
    /// </summary>
    public DestinationClient SecureClient((X509Certificate2 Certificate, X509Certificate2Collection Chain)? certificate, X509Certificate2 anchor,
        Action<X509Certificate2>? serverCertificate = null)
    {
        var verifier = new PeerVerifier([anchor]);
        var channel = GrpcChannel.ForAddress($"https://{Host.BoundEndPoint}", new GrpcChannelOptions
        {
            DisposeHttpClient = true,
            HttpHandler = new SocketsHttpHandler
            {
                SslOptions = new SslClientAuthenticationOptions
                {
                    EnabledSslProtocols = SslProtocols.Tls13,
                    ClientCertificateContext = certificate is var (leaf, chain) ? SslStreamCertificateContext.Create(leaf, chain, offline: true) : null,
                    CertificateChainPolicy = verifier.Policy(null),
                    RemoteCertificateValidationCallback = (_, server, serverChain, errors) =>
                    {
                        if (server is X509Certificate2 presented)
                        {
                            serverCertificate?.Invoke(presented);
                        }

                        return verifier.Evaluate(server, serverChain, errors & ~SslPolicyErrors.RemoteCertificateNameMismatch, null, DateTimeOffset.UtcNow).Refusal is null;
                    },
                },
            },
        });
        _secureChannels.Add(channel);
        return new DestinationClient(channel);
    }


    /// <summary>Subscribes to an authority asked from a pod in <paramref name="namespace"/>.</summary>
    public Subscription GetAuthority(string authority, string @namespace = "default") =>
        new(Client.Get(new GetDestination { Authority = authority, Caller = new Caller { Namespace = @namespace, Pod = "client-0" } }, cancellationToken: TestTimeouts.Token));

    public Subscription GetAddress(string address) =>
        new(Client.Get(new GetDestination { Address = address, Caller = new Caller { Namespace = "default", Pod = "client-0" } }, cancellationToken: TestTimeouts.Token));

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
        Admin.Dispose();
        _secureChannels.ForEach(c => c.Dispose());
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        await _api.DisposeAsync();
    }

    /// <summary>One open <c>Get</c> stream; each read is bounded by the test's timeout.</summary>
    internal sealed class Subscription(AsyncServerStreamingCall<Update> call) : IDisposable
    {
        /// <summary>The next update; a timeout names the caller's line.</summary>
        public async Task<Update> NextAsync([CallerFilePath] string file = "", [CallerLineNumber] int line = 0)
        {
            Assert.True(await call.ResponseStream.MoveNext(TestTimeouts.Token).Within(file: file, line: line), "the stream ended");
            return call.ResponseStream.Current;
        }

        public void Dispose() => call.Dispose();
    }
}
