using System.Net;
using System.Runtime.CompilerServices;
using Dashboard.Contracts.Destination;
using Dashboard.Proxy.Destination;
using Dashboard.Proxy.Fleet.KubernetesApi;
using Dashboard.Tests.Kubernetes;
using Grpc.Core;
using Grpc.Net.Client;
using DestinationClient = Dashboard.Contracts.Destination.Destination.DestinationClient;

namespace Dashboard.Tests.Destination;

/// <summary>A destination service on 127.0.0.1:0 watching a Kubernetes API served from a store, and a real gRPC client of it.</summary>
internal sealed class TestDestination : IAsyncDisposable
{
    private readonly KubeApiHost _api;
    private readonly GrpcChannel _channel;
    private readonly IPEndPoint _listen;
    private DestinationServiceHost? _host;

    private TestDestination(KubeApiHost api, DestinationServiceHost host)
    {
        _api = api;
        _host = host;
        _listen = host.BoundEndPoint;
        _channel = GrpcChannel.ForAddress($"http://{host.BoundEndPoint}");
        Client = new DestinationClient(_channel);
    }

    public KubeStore Store => _api.Store;

    public DestinationClient Client { get; }

    /// <summary>The running service; a test that stopped it must restart it first.</summary>
    public DestinationServiceHost Host => _host ?? throw new InvalidOperationException("the destination service is stopped");

    /// <summary>Its <c>host:port</c>, the same across a restart.</summary>
    public string Address => _listen.ToString();

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
        _host = await DestinationServiceHost.StartAsync(new DestinationOptions { Listen = _listen }, _api.CreateClient(), cancellationToken: TestTimeouts.Token).Within();
    }

    public static async Task<TestDestination> StartAsync(KubeStore store)
    {
        var api = await KubeApiHost.StartAsync(store);
        var host = await DestinationServiceHost.StartAsync(new DestinationOptions { Listen = new IPEndPoint(IPAddress.Loopback, 0) }, api.CreateClient(),
            cancellationToken: TestTimeouts.Token).Within();
        return new TestDestination(api, host);
    }

    /// <summary>Subscribes to an authority asked from a pod in <paramref name="namespace"/>.</summary>
    public Subscription GetAuthority(string authority, string @namespace = "default") =>
        new(Client.Get(new GetDestination { Authority = authority, Caller = new Caller { Namespace = @namespace, Pod = "client-0" } }, cancellationToken: TestTimeouts.Token));

    public Subscription GetAddress(string address) =>
        new(Client.Get(new GetDestination { Address = address, Caller = new Caller { Namespace = "default", Pod = "client-0" } }, cancellationToken: TestTimeouts.Token));

    public async ValueTask DisposeAsync()
    {
        _channel.Dispose();
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
