using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dashboard.Configuration;
using Dashboard.Kubernetes;
using Dashboard.Security;
using Dashboard.Tap;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Dashboard.Tests.Tap;

/// <summary>
/// <c>GET /api/tap</c> on a real host behind the dashboard's security middleware, over sessions fed by the test
/// (<see cref="FakeTapService"/>) and an authorizer that answers as the test says.
/// </summary>
public sealed class TapStreamEndpointTests : IAsyncLifetime
{
    private readonly FakeAuthorizer _authorizer = new();
    private LoopbackHost _host = null!;
    private HttpClient _client = null!;

    private FakeTapService Taps => _host.Services.GetRequiredService<FakeTapService>();

    public async ValueTask InitializeAsync()
    {
        _host = await LoopbackHost.StartAsync("tap stream", app =>
        {
            app.UseDashboardSecurity();
            app.MapTapStream();
        }, builder =>
        {
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?> { [ConfigKeys.TapToken] = "t0ken" });
            builder.Services.AddSingleton(DashboardEnvironment.Local);
            builder.Services.AddDashboardOptions(builder.Configuration);
            builder.Services.AddDashboardSecurity();
            builder.Services.AddSingleton(TimeProvider.System);
            builder.Services.AddSingleton<TapAvailability>();
            builder.Services.AddSingleton<FakeTapService>();
            builder.Services.AddSingleton<ITapService>(sp => sp.GetRequiredService<FakeTapService>());
            builder.Services.AddSingleton<ITapAuthorizer>(_authorizer);
            builder.Services.AddSingleton<IKubernetesInventory>(new FixedInventory(TapData.Snapshot()));
        });
        _client = _host.CreateClient();
    }

    public async ValueTask DisposeAsync()
    {
        _client.Dispose();
        await _host.DisposeAsync();
    }

    [Theory]
    [InlineData("namespace=default&resource=deploy/web&maxRps=0", "maxRps: '0' is not a number of requests per second above 0")]
    [InlineData("namespace=default&resource=svc/web", "resource: 'svc/web' is not a resource")]
    [InlineData("resource=deploy/web", "namespace: is empty")]
    [InlineData("namespace=default&resource=deploy/web&headers=yes", "headers: 'yes' is not true or false")]
    public async Task A_bad_query_value_is_400_naming_the_parameter(string query, string problem)
    {
        using var response = await _client.GetAsync(new Uri($"/api/tap?{query}", UriKind.Relative), TestTimeouts.Token).Within();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(problem, await DetailAsync(response), StringComparison.Ordinal);
        Assert.Empty(Taps.Started);
    }

    [Fact]
    public async Task A_user_rbac_refuses_is_403_naming_the_user_the_access_and_the_reason()
    {
        _authorizer.Decision = new TapAccessDecision(true, false, "jane", "");

        using var response = await _client.GetAsync(new Uri("/api/tap?namespace=default&resource=deploy/web", UriKind.Relative), TestTimeouts.Token).Within();

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("user jane cannot watch tap.dashboard.io/tap in namespace default: no RBAC rule grants it", await DetailAsync(response));
        Assert.Equal("default", _authorizer.Namespace);
        Assert.Empty(Taps.Started);
    }

    [Fact]
    public async Task The_bearer_token_goes_to_the_authorizer_and_one_it_does_not_know_is_401()
    {
        _authorizer.Decision = new TapAccessDecision(false, false, "", "invalid bearer token");
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/tap?namespace=default&resource=deploy/web");
        request.Headers.Authorization = new("Bearer", "jane-token");

        using var response = await _client.SendAsync(request, TestTimeouts.Token).Within();

        Assert.Equal("jane-token", _authorizer.Token);
        Assert.Equal((HttpStatusCode.Unauthorized, "the Kubernetes API did not accept the bearer token: invalid bearer token"), (response.StatusCode, await DetailAsync(response)));
    }

    [Fact]
    public async Task Events_stream_as_ndjson_with_named_ends_and_the_session_ends_when_the_client_goes_away()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/tap?namespace=default&resource=deploy/web&maxRps=5&headers=true");
        var response = await _client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestTimeouts.Token).Within();
        var lines = new StreamReader(await response.Content.ReadAsStreamAsync(TestTimeouts.Token));
        var first = await lines.ReadLineAsync(TestTimeouts.Token).AsTask().Within();
        var session = Taps.Last!;
        Taps.Send(TapData.Request(7));
        var second = await lines.ReadLineAsync(TestTimeouts.Token).AsTask().Within();

        Assert.Equal("application/x-ndjson", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.Equal((5.0, true), (session.Query.MaxRps, session.Query.ExtractHeaders));
        Assert.Equal("""{"pods":[]}""", first);
        var line = JsonSerializer.Deserialize<TapStreamLine>(second!, TapStreamLine.Json)!;
        Assert.Equal(TapData.Request(7)[0].Pod, line.TappedPod);
        Assert.Equal(JsonSerializer.Serialize(TapData.Request(7)[0].Event), JsonSerializer.Serialize(line.Event));
        Assert.Equal(new TapPeer("deploy/web", "default", "web-1"), line.Source);

        lines.Dispose();
        response.Dispose();
        await TestTimeouts.Eventually(() => Task.FromResult(session.Stopped), "the dashboard's session to be disposed once the client left");
    }

    [Fact]
    public async Task An_unknown_host_is_refused_as_on_every_endpoint()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/tap?namespace=default&resource=deploy/web");
        request.Headers.Host = "evil.example";

        using var response = await _client.SendAsync(request, TestTimeouts.Token).Within();

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(Taps.Started);
    }

    private static async Task<string?> DetailAsync(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<JsonElement>(TestTimeouts.Token)).GetProperty("detail").GetString();

    private sealed class FakeAuthorizer : ITapAuthorizer
    {
        public TapAccessDecision Decision { get; set; } = new(true, true, "system:anonymous", "");

        public string? Token { get; private set; }

        public string? Namespace { get; private set; }

        public Task<TapAccessDecision> AuthorizeAsync(string? bearerToken, string @namespace, CancellationToken cancellationToken)
        {
            (Token, Namespace) = (bearerToken, @namespace);
            return Task.FromResult(Decision);
        }
    }
}
