using System.Net;
using Dashboard.Contracts.Tap;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace Dashboard.Tests.Proxy;

/// <summary>The tap hub over real SignalR: the three events, filters, rate budget, redaction and refusals.</summary>
public sealed class TapTests
{
    private static async Task App(HttpContext context)
    {
        if (context.Request.Path.StartsWithSegments("/slow"))
        {
            await Task.Delay(20, context.RequestAborted);
        }

        context.Response.Headers.SetCookie = "session=secret-cookie";
        context.Response.StatusCode = context.Request.Path.StartsWithSegments("/fail") ? 500 : 200;
        await context.Response.WriteAsync("0123456789");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task A_request_yields_init_response_and_end_events(bool messagePack)
    {
        await using var app = await Upstream.StartAsync(App);
        await using var proxy = await TestProxy.StartAsync(app.Address);
        await using var tap = await TapClient.ConnectAsync(proxy.TapHubUrl, TestProxy.TapToken, messagePack);
        var events = await tap.WatchAsync(new TapRequest(), proxy.Instance.Tap);

        using var response = await proxy.Inbound.GetAsync("/slow/items?x=1", TestTimeouts.Token).Within();
        var (init, rsp, end) = await events.NextRequestAsync() is var e ? (e[0], e[1], e[2]) : default;

        Assert.Equal(TapEventKind.RequestInit, init.Kind);
        Assert.Equal(TapEventKind.ResponseInit, rsp.Kind);
        Assert.Equal(TapEventKind.ResponseEnd, end.Kind);
        Assert.All([rsp, end], x => Assert.Equal(init.Id, x.Id));
        Assert.Equal("inbound", init.Direction);
        Assert.Equal("GET", init.Method);
        Assert.Equal("http", init.Scheme);
        Assert.Equal("/slow/items?x=1", init.Path);
        Assert.Equal(proxy.BaseUri(Dashboard.Proxy.Hosting.ListenerKind.Inbound).Authority, init.Authority);
        Assert.Equal(proxy.BaseUri(Dashboard.Proxy.Hosting.ListenerKind.Inbound).Authority, init.Destination);
        Assert.StartsWith("127.0.0.1:", init.Source, StringComparison.Ordinal);
        Assert.Equal("disabled", init.Tls);
        Assert.Null(init.Headers);
        Assert.Equal(200, rsp.Status);
        // The upstream waits 20 ms; timers may fire a little early against the proxy's stopwatch.
        Assert.InRange(rsp.SinceRequestInitMicros!.Value, 15_000, 10_000_000);
        Assert.Equal(10, end.ResponseBytes);
        Assert.NotNull(end.SinceResponseInitMicros);
        Assert.Null(end.ResetError);
    }

    [Fact]
    public async Task Filters_narrow_the_stream_to_matching_requests()
    {
        await using var app = await Upstream.StartAsync(App);
        await using var proxy = await TestProxy.StartAsync(app.Address);
        await using var tap = await TapClient.ConnectAsync(proxy.TapHubUrl, TestProxy.TapToken);
        var authority = proxy.BaseUri(Dashboard.Proxy.Hosting.ListenerKind.Inbound).Authority;
        var byMethodAndPath = await tap.WatchAsync(new TapRequest { Method = "POST", PathPrefix = "/api" }, proxy.Instance.Tap);
        var byAuthority = await tap.WatchAsync(new TapRequest { Authority = "other.example:80" }, proxy.Instance.Tap);
        var outboundOnly = await tap.WatchAsync(new TapRequest { Direction = "outbound" }, proxy.Instance.Tap);

        // Requests the filters must skip go first: the first event each stream yields tells whether one leaked.
        (await proxy.Inbound.GetAsync("/api/items", TestTimeouts.Token).Within()).Dispose();
        (await proxy.Inbound.PostAsync("/other", new StringContent("x"), TestTimeouts.Token).Within()).Dispose();
        (await proxy.Inbound.PostAsync("/api/items", new StringContent("x"), TestTimeouts.Token).Within()).Dispose();
        using var otherHost = new HttpRequestMessage(HttpMethod.Get, "/fail");
        otherHost.Headers.Host = "other.example:80";
        (await proxy.Inbound.SendAsync(otherHost, TestTimeouts.Token).Within()).Dispose();
        using var outbound = new HttpRequestMessage(HttpMethod.Get, "/out");
        outbound.Headers.Host = app.Address;
        (await proxy.Outbound.SendAsync(outbound, TestTimeouts.Token).Within()).Dispose();

        var first = await byMethodAndPath.NextAsync();
        Assert.Equal(("POST", "/api/items"), (first.Method, first.Path));
        var second = await byAuthority.NextRequestAsync();
        Assert.Equal(("other.example:80", 500), (second[0].Authority, second[1].Status));
        var third = await outboundOnly.NextAsync();
        Assert.Equal(("outbound", "/out", app.Address), (third.Direction, third.Path, third.Destination));
        Assert.NotEqual(authority, third.Authority);
    }

    [Fact]
    public async Task Max_rps_admits_a_budget_of_requests_per_second()
    {
        var time = new FakeTimeProvider();
        await using var app = await Upstream.StartAsync(App);
        await using var proxy = await TestProxy.StartAsync(app.Address, time: time);
        await using var tap = await TapClient.ConnectAsync(proxy.TapHubUrl, TestProxy.TapToken);
        var events = await tap.WatchAsync(new TapRequest { MaxRps = 5 }, proxy.Instance.Tap);

        for (var i = 0; i < 40; i++)
        {
            (await proxy.Inbound.GetAsync($"/burst/{i}", TestTimeouts.Token).Within()).Dispose();
        }

        time.Advance(TimeSpan.FromSeconds(1));
        (await proxy.Inbound.GetAsync("/sentinel", TestTimeouts.Token).Within()).Dispose();

        var tapped = new List<string>();
        for (var e = await events.NextAsync(); e.Path != "/sentinel"; e = await events.NextAsync())
        {
            if (e.Kind == TapEventKind.RequestInit)
            {
                tapped.Add(e.Path!);
            }
        }

        // With the clock standing still, the budget is one second's worth: the first 5 requests.
        Assert.Equal(["/burst/0", "/burst/1", "/burst/2", "/burst/3", "/burst/4"], tapped);
    }

    [Fact]
    public async Task Credentials_in_headers_never_leave_the_proxy()
    {
        await using var app = await Upstream.StartAsync(App);
        await using var proxy = await TestProxy.StartAsync(app.Address);
        await using var tap = await TapClient.ConnectAsync(proxy.TapHubUrl, TestProxy.TapToken);
        var events = await tap.WatchAsync(new TapRequest { ExtractHeaders = true }, proxy.Instance.Tap);

        using var request = new HttpRequestMessage(HttpMethod.Get, "/");
        request.Headers.Authorization = new("Bearer", "top-secret");
        request.Headers.Add("Cookie", "id=secret-cookie");
        request.Headers.Add("Proxy-Authorization", "Basic c2VjcmV0");
        request.Headers.Add("X-Request-Tag", "visible");
        (await proxy.Inbound.SendAsync(request, TestTimeouts.Token).Within()).Dispose();
        var (init, rsp, _) = await events.NextRequestAsync() is var e ? (e[0], e[1], e[2]) : default;

        var headers = init.Headers!.Concat(rsp.Headers!).ToList();
        Assert.Contains(headers, h => h is { Name: "x-request-tag", Value: "visible" });
        foreach (var name in new[] { "authorization", "cookie", "proxy-authorization", "set-cookie" })
        {
            var header = Assert.Single(headers, h => h.Name == name);
            Assert.True(header.Redacted);
            Assert.Null(header.Value);
        }

        Assert.DoesNotContain(headers, h => h.Value?.Contains("secret", StringComparison.Ordinal) == true);
    }

    [Fact]
    public async Task Callers_without_the_token_are_refused_and_no_token_means_tap_is_off()
    {
        await using var app = await Upstream.StartAsync(App);
        await using var proxy = await TestProxy.StartAsync(app.Address);
        await using var disabled = await TestProxy.StartAsync(app.Address, new Dictionary<string, string> { ["MESH_PROXY_TAP_TOKEN"] = " " });

        // A SignalR client cannot open the hub...
        var missing = await Assert.ThrowsAnyAsync<Exception>(() => TapClient.ConnectAsync(proxy.TapHubUrl, null));
        var off = await Assert.ThrowsAnyAsync<Exception>(() => TapClient.ConnectAsync(disabled.TapHubUrl, TestProxy.TapToken));
        Assert.Contains("401", missing.Message, StringComparison.Ordinal);
        Assert.Contains("403", off.Message, StringComparison.Ordinal);

        // ...and the negotiate step every client starts with says why.
        using var http = new HttpClient { Timeout = TestTimeouts.Default };
        async Task<(HttpStatusCode, string)> Negotiate(Uri hub, string? token)
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(hub + "/negotiate?negotiateVersion=1"));
            if (token is not null)
            {
                request.Headers.Authorization = new("Bearer", token);
            }

            using var response = await http.SendAsync(request, TestTimeouts.Token).Within();
            return (response.StatusCode, await response.Content.ReadAsStringAsync(TestTimeouts.Token).Within());
        }

        var (noTokenStatus, noTokenBody) = await Negotiate(proxy.TapHubUrl, null);
        var (wrongStatus, _) = await Negotiate(proxy.TapHubUrl, "guess");
        var (rightStatus, _) = await Negotiate(proxy.TapHubUrl, TestProxy.TapToken);
        var (offStatus, offBody) = await Negotiate(disabled.TapHubUrl, TestProxy.TapToken);
        Assert.Equal(HttpStatusCode.Unauthorized, noTokenStatus);
        Assert.Contains("tap token", noTokenBody, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Unauthorized, wrongStatus);
        Assert.Equal(HttpStatusCode.OK, rightStatus);
        Assert.Equal(HttpStatusCode.Forbidden, offStatus);
        Assert.Contains("MESH_PROXY_TAP_TOKEN is not set", offBody, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Bad_tap_requests_are_refused_with_the_reason()
    {
        await using var app = await Upstream.StartAsync(App);
        await using var proxy = await TestProxy.StartAsync(app.Address);
        await using var tap = await TapClient.ConnectAsync(proxy.TapHubUrl, TestProxy.TapToken);

        var events = await tap.WatchAsync(new TapRequest { MaxRps = 0 });
        var error = await Assert.ThrowsAnyAsync<Exception>(() => events.ReadAsync(TestTimeouts.Token).AsTask().Within());

        Assert.Contains("maxRps 0 is out of range", (error.InnerException ?? error).Message, StringComparison.Ordinal);
    }
}
