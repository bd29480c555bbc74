using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Dashboard.Contracts.Identity;
using Dashboard.Model;
using Dashboard.Proxy.Fleet;
using Dashboard.Proxy.Fleet.Manifest;
using Dashboard.Tap;
using Dashboard.Tests.DashboardApp;
using Microsoft.Extensions.Logging.Abstractions;

namespace Dashboard.Tests.Tap;

/// <summary>
/// The tap fan-in against a real fleet: real proxies, real SignalR streams, targets from a real inventory of the
/// fleet's Kubernetes API, and the fleet's ground truth to hold the rows against.
/// </summary>
public sealed class TapFleetTests(TapFleetTests.Fixture fixture) : IClassFixture<TapFleetTests.Fixture>
{
    /// <summary>The app's fixed latency on /v1/ok: log-normal with p50 = p99 has no spread.</summary>
    private const double OkLatencyMs = 30;

    public sealed class Fixture : IAsyncLifetime
    {
        public const string Token = "tap-fleet-token";

        public static FleetManifest Manifest { get; } = new(
            [
                new NamespaceSpec("default",
                [
                    new DeploymentSpec("ml", 2, true,
                    [
                        new RouteSpec("POST", "/v1/ok", new LatencySpec(OkLatencyMs, OkLatencyMs), 0, []),
                        new RouteSpec("POST", "/v1/fail", new LatencySpec(2, 2), 1, []),
                    ]),
                    new DeploymentSpec("db", 1, true, [new RouteSpec("GET", "/query", new LatencySpec(2, 2), 0, [])]),
                    new DeploymentSpec("test-1", 1, true, []),
                ],
                []),
            ],
            [
                new TrafficSpec("ok", "default/test-1", "ml.default", "POST", "/v1/ok", 20, null),
                new TrafficSpec("fail", "default/test-1", "ml.default", "POST", "/v1/fail", 5, null),
                new TrafficSpec("db", "default/test-1", "db.default", "GET", "/query", 5, null),
            ]);

        public FleetHost Fleet { get; private set; } = null!;
        internal InventoryUnderTest Inventory { get; private set; } = null!;
        public TapAvailability Availability { get; } = new(FakeTapService.Settings(Token));

        public async ValueTask InitializeAsync()
        {
            Fleet = await TestFleet.StartAsync(new FleetOptions
            {
                Manifest = Manifest,
                ApiListen = new IPEndPoint(IPAddress.Loopback, TestPorts.Free()),
                TapToken = Token,
                IpSecondOctet = 30,
            });
            Inventory = await InventoryUnderTest.StartAsync(Fleet.ApiUrl.ToString());
            await Inventory.Inventory.WaitForSyncAsync(TestTimeouts.Token).Within();
        }

        internal TapService Service(string token = Token)
        {
            var settings = FakeTapService.Settings(token);
            return new(Inventory.Inventory, settings, Availability, new TapClientIdentity(settings, TimeProvider.System, NullLogger<WorkloadIdentity>.Instance),
                TimeProvider.System, NullLogger<TapSession>.Instance);
        }

        internal TapRecorder Tap(string resource, Func<TapQuery, TapQuery>? with = null, string token = Token)
        {
            var query = new TapQuery { Namespace = "default", Resource = TapResource.TryParse(resource, out var r) ? r : null };
            return new TapRecorder(Service(token).Start(with?.Invoke(query) ?? query));
        }

        public string MlPod(int replica) => Fleet.Topology.ServicePods("default", "ml")[replica].Name;

        public async ValueTask DisposeAsync()
        {
            await Inventory.DisposeAsync();
            await Fleet.DisposeAsync().Within(TestTimeouts.Slow);
        }
    }

    [Fact]
    public async Task A_tap_on_test_1_yields_its_requests_to_ml_with_the_status_and_latency_they_had()
    {
        await using var tap = fixture.Tap("deploy/test-1");

        await tap.UntilAsync(rows => rows.Count(r => r.Path == "/v1/ok") >= 10 && rows.Count(r => r.Path == "/v1/fail") >= 3, "requests to ml on both routes");

        var toMl = tap.Completed().Where(r => r.Authority == "ml.default").ToList();
        Assert.All(toMl, r =>
        {
            Assert.Equal("outbound", r.Direction);
            Assert.StartsWith("test-1-", r.SourceName, StringComparison.Ordinal);
            Assert.StartsWith("ml-", r.DestinationName, StringComparison.Ordinal);
            Assert.Equal("POST", r.Method);
        });
        // Ground truth: the fleet's own record of what ml answered on each route.
        var truth = TruthReport.Build(fixture.Fleet.Truth, TimeSpan.FromMinutes(10));
        var ok = truth.Routes.Single(r => r.Deployment == "ml" && r.Path == "/v1/ok");
        var fail = truth.Routes.Single(r => r.Deployment == "ml" && r.Path == "/v1/fail");
        Assert.Equal(["200"], ok.ByStatus.Keys);
        Assert.Equal(["500"], fail.ByStatus.Keys);
        Assert.All(toMl.Where(r => r.Path == "/v1/ok"), r => Assert.Equal((200, true), (r.Status, r.IsSuccess)));
        Assert.All(toMl.Where(r => r.Path == "/v1/fail"), r => Assert.Equal((500, false), (r.Status, r.IsSuccess)));
        // The proxy of test-1 waits for ml's app, which takes its fixed 30 ms on /v1/ok (timers may fire a little early).
        var latencies = toMl.Where(r => r.Path == "/v1/ok").Select(r => r.LatencyMs!.Value).Order().ToList();
        Assert.All(latencies, ms => Assert.InRange(ms, OkLatencyMs - 2, 30_000));
        Assert.InRange(latencies[latencies.Count / 2], ok.P50Ms!.Value - 2, ok.P99Ms!.Value * 10);
    }

    [Fact]
    public async Task A_tap_on_ml_shows_its_meshed_caller_by_the_address_of_test_1s_pod()
    {
        await using var tap = fixture.Tap("deploy/ml", q => q with { ExtractHeaders = false });

        await tap.UntilAsync(rows => rows.Count >= 5, "requests into ml");

        // Each pod of the fleet has its own loopback address; its proxy's connections leave from it, as from a pod's IP.
        var test1 = fixture.Fleet.Topology.ServicePods("default", "test-1").Single();
        Assert.All(tap.Completed(), r => Assert.Equal(("inbound", test1.Ip.ToString()), (r.Direction, TapRowFolder.Ip(r.Source))));
    }

    [Fact]
    public async Task Filters_on_method_path_authority_and_destination_narrow_the_stream()
    {
        await using var byMethod = fixture.Tap("deploy/test-1", q => q with { Method = "GET" });
        await using var byPath = fixture.Tap("deploy/test-1", q => q with { PathPrefix = "/v1/f" });
        await using var byAuthority = fixture.Tap("deploy/test-1", q => q with { Authority = "ml.default" });
        await using var byDestination = fixture.Tap("deploy/test-1", q => q with { ToResource = new TapResource(WorkloadKind.Deployment, "db") });

        foreach (var tap in new[] { byMethod, byPath, byAuthority, byDestination })
        {
            await tap.UntilAsync(rows => rows.Count >= 8, "requests through every filter");
        }

        Assert.All(byMethod.Completed(), r => Assert.Equal(("GET", "/query"), (r.Method, r.Path)));
        Assert.All(byPath.Completed(), r => Assert.Equal(("POST", "/v1/fail", 500), (r.Method, r.Path, r.Status)));
        Assert.All(byAuthority.Completed(), r => Assert.StartsWith("ml-", r.DestinationName, StringComparison.Ordinal));
        Assert.Contains(byAuthority.Completed(), r => r.Path == "/v1/ok");
        Assert.All(byDestination.Completed(), r => Assert.Equal(("db.default", "/query"), (r.Authority, r.Path)));
    }

    [Fact]
    public async Task The_max_rps_budget_is_split_across_pods_and_holds_within_10_percent()
    {
        // ml's two pods get 25 requests/s between them; the tap admits 10/s, 5 per pod.
        const double maxRps = 10;
        await using var tap = fixture.Tap("deploy/ml", q => q with { MaxRps = maxRps, ExtractHeaders = false });
        Assert.Equal(maxRps / 2, tap.Session.MaxRpsPerPod);
        long Micros(double seconds) => (long)(seconds * 1_000_000);

        // Measured on the proxies' own clocks, from 2 s in (past each bucket's initial burst) over 10 s.
        await TestTimeouts.Eventually(() => Task.FromResult(tap.Inits() is { Count: > 0 } inits
            && inits[^1].Event.TimestampMicros - inits.Min(i => i.Event.TimestampMicros) > Micros(12.5)), "12 s of tapped requests", TimeSpan.FromSeconds(60));
        var all = tap.Inits();
        var start = all.Min(i => i.Event.TimestampMicros) + Micros(2);
        var window = all.Where(i => i.Event.TimestampMicros >= start && i.Event.TimestampMicros < start + Micros(10)).ToList();

        Assert.InRange(window.Count, maxRps * 10 * 0.9, maxRps * 10 * 1.1);
        var byPod = window.GroupBy(i => i.Pod).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(2, byPod.Count);
        Assert.All(byPod.Values, count => Assert.InRange(count, maxRps / 2 * 10 * 0.9, maxRps / 2 * 10 * 1.1));
        // About 10 of 25 matching requests a second were let through, and the top says so.
        Assert.InRange(tap.LetThrough()!.Value, 0.2, 0.7);
    }

    [Fact]
    public async Task A_proxy_killed_mid_stream_is_reported_with_the_reason_while_the_others_stream_on()
    {
        var killed = fixture.MlPod(0);
        var survivor = fixture.MlPod(1);
        await using var tap = fixture.Tap("deploy/ml", q => q with { ExtractHeaders = false });
        await tap.UntilAsync(rows => rows.Any(r => r.Pod == $"default/{killed}") && rows.Any(r => r.Pod == $"default/{survivor}"), "events from both ml pods");

        try
        {
            await fixture.Fleet.KillProxyAsync("default", killed);

            await tap.UntilPodAsync(killed, p => p.State == TapPodState.Unreachable && p.Reason!.Contains("connection refused", StringComparison.Ordinal),
                "the killed pod to be reported unreachable");
            var before = tap.Completed().Count(r => r.Pod == $"default/{survivor}");
            await tap.UntilAsync(rows => rows.Count(r => r.Pod == $"default/{survivor}") >= before + 10, "the other pod to keep streaming");
            Assert.Equal(TapPodState.Streaming, tap.Session.Pods.Single(p => p.Pod == survivor).State);
            Assert.Equal($"cannot connect to {fixture.Fleet.Topology.Pod("default", killed)!.Tap}: connection refused", tap.Session.Pods.Single(p => p.Pod == killed).Reason);
        }
        finally
        {
            await fixture.Fleet.RestartProxyAsync("default", killed, TestTimeouts.Token);
        }

        // Restarted, it is found again by the retries.
        await tap.UntilPodAsync(killed, p => p.State == TapPodState.Streaming, "the restarted pod to stream again");
    }

    [Fact]
    public async Task A_wrong_token_is_refused_by_every_proxy_and_becomes_the_one_notice_until_a_tap_is_accepted()
    {
        await using (var wrong = fixture.Tap("deploy/ml", token: "not-the-token"))
        {
            await TestTimeouts.Eventually(() => Task.FromResult(wrong.Session.Pods.All(p => p.State == TapPodState.Refused)), "both pods to refuse", TestTimeouts.Slow);
            Assert.All(wrong.Session.Pods, p => Assert.True(p.Denied));
            Assert.Contains("(401)", fixture.Availability.Unavailable, StringComparison.Ordinal);
        }

        await using var right = fixture.Tap("deploy/ml");
        await TestTimeouts.Eventually(() => Task.FromResult(fixture.Availability.Unavailable is null), "the refusal to clear once a tap is accepted", TestTimeouts.Slow);
    }

    [Fact]
    public async Task The_fleet_api_kills_a_proxy_so_its_ports_refuse_and_restarts_it()
    {
        using var http = new HttpClient { BaseAddress = fixture.Fleet.ApiUrl, Timeout = TestTimeouts.Default };
        var pod = fixture.Fleet.Topology.ServicePods("default", "db")[0];
        async Task<SocketError> ConnectAsync()
        {
            using var socket = new Socket(SocketType.Stream, ProtocolType.Tcp);
            try
            {
                await socket.ConnectAsync(pod.Tap, TestTimeouts.Token).AsTask().Within();
                return SocketError.Success;
            }
            catch (SocketException ex)
            {
                return ex.SocketErrorCode;
            }
        }

        try
        {
            using var kill = await http.PostAsync($"fleet/proxy/kill?pod=default/{pod.Name}", null, TestTimeouts.Token).Within();
            Assert.Equal(HttpStatusCode.OK, kill.StatusCode);
            Assert.Equal(SocketError.ConnectionRefused, await ConnectAsync());
            var status = await http.GetFromJsonAsync<k8s.Models.V1Pod>($"api/v1/namespaces/default/pods/{pod.Name}", TestTimeouts.Token).Within();
            Assert.Equal("False", status!.Status.Conditions.Single(c => c.Type == "Ready").Status);
        }
        finally
        {
            using var restart = await http.PostAsync($"fleet/proxy/restart?pod=default/{pod.Name}", null, TestTimeouts.Token).Within();
            Assert.Equal(HttpStatusCode.OK, restart.StatusCode);
        }

        Assert.Equal(SocketError.Success, await ConnectAsync());
        using var unknown = await http.PostAsync("fleet/proxy/kill?pod=default/nope", null, TestTimeouts.Token).Within();
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Contains("no running meshed pod default/nope", await unknown.Content.ReadAsStringAsync(TestTimeouts.Token), StringComparison.Ordinal);
    }
}
