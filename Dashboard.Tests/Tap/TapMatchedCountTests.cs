using Dashboard.Contracts.Tap;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Time.Testing;

namespace Dashboard.Tests.Tap;

/// <summary>The proxy counts the requests that match a tap, admitted or not, so the dashboard can say what share it sees.</summary>
public sealed class TapMatchedCountTests
{
    [Fact]
    public async Task Each_request_init_carries_how_many_requests_matched_so_far_including_those_over_budget()
    {
        var time = new FakeTimeProvider();
        await using var app = await Upstream.StartAsync(context => context.Response.WriteAsync("ok"));
        await using var proxy = await TestProxy.StartAsync(app.Address, time: time);
        await using var tap = await TapClient.ConnectAsync(proxy.TapHubUrl, TestProxy.TapToken, messagePack: true);
        var events = await tap.WatchAsync(new TapRequest { Method = "GET", MaxRps = 5 }, proxy.Instance.Tap);

        for (var i = 0; i < 40; i++)
        {
            (await proxy.Inbound.GetAsync($"/burst/{i}", TestTimeouts.Token).Within()).Dispose();
        }

        // Not a match: not counted.
        (await proxy.Inbound.PostAsync("/other", new StringContent("x"), TestTimeouts.Token).Within()).Dispose();
        time.Advance(TimeSpan.FromSeconds(1));
        (await proxy.Inbound.GetAsync("/sentinel", TestTimeouts.Token).Within()).Dispose();

        var matched = new List<(string, long?)>();
        TapEvent e;
        do
        {
            e = await events.NextAsync();
            if (e.Kind == TapEventKind.RequestInit)
            {
                matched.Add((e.Path!, e.Matched));
            }
            else
            {
                Assert.Null(e.Matched);
            }
        }
        while (e.Path != "/sentinel");

        Assert.Equal([("/burst/0", 1L), ("/burst/1", 2L), ("/burst/2", 3L), ("/burst/3", 4L), ("/burst/4", 5L), ("/sentinel", 41L)], matched);
    }
}
