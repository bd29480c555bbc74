using System.Net;
using Dashboard.Tests.Packaging;

namespace Dashboard.Tests.Netns;

/// <summary>The harness itself: pods reach each other and Services, names resolve, and nothing is left behind.</summary>
[Collection(NetnsCollection.Name)]
public sealed class NetnsClusterTests : IAsyncLifetime
{
    private NetnsCluster _cluster = null!;

    public async ValueTask InitializeAsync() => _cluster = await NetnsCluster.CreateAsync();

    public async ValueTask DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Pods_reach_each_other_and_a_Service_reaches_each_endpoint_by_its_ClusterIP_and_its_names()
    {
        var client = await _cluster.AddPodAsync("client");
        var first = await _cluster.AddPodAsync("echo-0", "shop");
        var second = await _cluster.AddPodAsync("echo-1", "shop");
        first.Listen("echo-0", 8080);
        second.Listen("echo-1", 8080);
        var service = await _cluster.AddServiceAsync("echo", "shop", 80, 8080, first, second);

        Assert.Equal("echo-0", (await client.AskAsync(first.EndPoint(8080))).Listener);
        Assert.Equal("echo-1", (await client.AskAsync(second.EndPoint(8080))).Listener);
        Assert.Equal("198.19", string.Join('.', service.ClusterIP.GetAddressBytes()[..2])); // in 198.18.0.0/15, beside the pods' 198.18

        // Random choice between endpoints: both answer within a few dozen tries (each is missed with probability 2^-n).
        var seen = new HashSet<string>();
        for (var i = 0; i < 64 && seen.Count < 2; i++)
        {
            var answer = await client.AskAsync(service.EndPoint);
            seen.Add(answer.Listener);
        }

        Assert.Equal(new[] { "echo-0", "echo-1" }, seen.Order());
        Assert.StartsWith("echo-", await client.AskAsUserAsync(1000, service.Host, 80), StringComparison.Ordinal);
        Assert.StartsWith("echo-", await first.AskAsUserAsync(1000, "echo", 80), StringComparison.Ordinal); // the short name, within its namespace
    }

    [Fact]
    public async Task A_pod_reaches_its_own_Service()
    {
        var pod = await _cluster.AddPodAsync("loner");
        pod.Listen("loner", 8080);
        var service = await _cluster.AddServiceAsync("loner", "default", 80, 8080, pod);

        Assert.Equal("loner", (await pod.AskAsync(service.EndPoint)).Listener);
    }

    [Fact]
    public async Task A_pod_sees_only_its_own_loopback()
    {
        var first = await _cluster.AddPodAsync("first");
        var second = await _cluster.AddPodAsync("second");
        first.Listen("first-loopback", 7000, IPAddress.Loopback);
        second.Listen("second-loopback", 7000, IPAddress.Loopback);

        Assert.Equal("second-loopback", (await second.AskAsync(new IPEndPoint(IPAddress.Loopback, 7000))).Listener);
    }

    [Fact]
    public async Task Disposing_a_cluster_deletes_its_namespaces_and_hosts_files()
    {
        var cluster = await NetnsCluster.CreateAsync();
        var pod = await cluster.AddPodAsync("short-lived");

        await cluster.DisposeAsync();

        var listed = (await Tool.RunAsync("ip", ["netns", "list"], TestTimeouts.Default)).StandardOutput;
        Assert.DoesNotContain(pod.Netns, listed, StringComparison.Ordinal);
        Assert.DoesNotContain(cluster.Node, listed, StringComparison.Ordinal);
        Assert.False(Directory.Exists($"/etc/netns/{pod.Netns}"));
    }

    [Fact]
    public async Task A_new_cluster_sweeps_away_what_a_dead_run_left_and_keeps_what_a_live_run_uses()
    {
        // A process that has ended stands for a crashed run: its id names the leftovers.
        var ended = await Tool.RunAsync("sh", ["-c", "echo $$"], TestTimeouts.Default);
        var leftover = $"{NetnsCluster.Prefix}{ended.StandardOutput.Trim()}-1-node";
        Assert.Equal(0, (await Tool.RunAsync("ip", ["netns", "add", leftover], TestTimeouts.Default)).ExitCode);
        Directory.CreateDirectory($"/etc/netns/{leftover}");
        var live = await _cluster.AddPodAsync("live");

        await using (await NetnsCluster.CreateAsync())
        {
            var listed = (await Tool.RunAsync("ip", ["netns", "list"], TestTimeouts.Default)).StandardOutput;
            Assert.DoesNotContain(leftover, listed, StringComparison.Ordinal);
            Assert.False(Directory.Exists($"/etc/netns/{leftover}"));
            Assert.Contains(live.Netns, listed, StringComparison.Ordinal);
        }
    }
}
