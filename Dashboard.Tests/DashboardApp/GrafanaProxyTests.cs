using System.Net;
using Microsoft.AspNetCore.Http;

namespace Dashboard.Tests.DashboardApp;

/// <summary>With Grafana:Proxy, /grafana/… of the dashboard reaches Grafana, so one port-forward serves both.</summary>
public sealed class GrafanaProxyTests
{
    [Fact]
    public async Task Grafana_requests_are_forwarded_with_their_path_and_query()
    {
        await using var grafana = await Upstream.StartAsync(c => c.Response.WriteAsync($"grafana saw {c.Request.Path}{c.Request.QueryString}"));
        await using var dashboard = await DashboardProcess.StartAsync(new Dictionary<string, string>
        {
            ["Grafana:Url"] = $"http://{grafana.Address}/grafana/",
            ["Grafana:Proxy"] = "true",
        });
        using var http = new HttpClient { BaseAddress = dashboard.Url, Timeout = TestTimeouts.Default };

        using var response = await http.GetAsync("/grafana/d/linkerd-deployment?var-deployment=ml&var-namespace=default", TestTimeouts.Token).Within();

        Assert.Equal("grafana saw /grafana/d/linkerd-deployment?var-deployment=ml&var-namespace=default", await response.Content.ReadAsStringAsync(TestTimeouts.Token));
        Assert.False(response.Headers.Contains("Content-Security-Policy"), "Grafana's pages keep Grafana's own policy");
        Assert.Equal("DENY", response.Headers.GetValues("X-Frame-Options").Single());
    }

    [Fact]
    public async Task An_unreachable_grafana_is_a_502_that_names_it()
    {
        var port = TestPorts.Free();
        await using var dashboard = await DashboardProcess.StartAsync(new Dictionary<string, string>
        {
            ["Grafana:Url"] = $"http://127.0.0.1:{port}/grafana/",
            ["Grafana:Proxy"] = "true",
        });
        using var http = new HttpClient { BaseAddress = dashboard.Url, Timeout = TestTimeouts.Default };

        using var response = await http.GetAsync("/grafana/", TestTimeouts.Token).Within();

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        Assert.Contains($"Grafana at http://127.0.0.1:{port} did not answer", await response.Content.ReadAsStringAsync(TestTimeouts.Token), StringComparison.Ordinal);
    }
}
