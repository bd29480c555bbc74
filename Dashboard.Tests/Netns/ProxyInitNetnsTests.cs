using System.Net;
using Dashboard.Tests.Packaging;

namespace Dashboard.Tests.Netns;

/// <summary>
/// <c>Dashboard.Proxy init</c> run in a pod's network namespace with real iptables: where connections into, out of and
/// within a meshed pod arrive. Listeners stand in for the proxy's ports (inbound 4143 on all addresses, outbound 4140 on
/// loopback, as the proxy binds them) and for apps.
/// </summary>
[Collection(NetnsCollection.Name)]
public sealed class ProxyInitNetnsTests(ProxyInitNetnsTests.Mesh mesh) : IClassFixture<ProxyInitNetnsTests.Mesh>
{
    /// <summary>A meshed pod <c>web</c>, an unmeshed <c>db</c> behind Service <c>db</c>, <c>other</c> in an ignored subnet, and a <c>client</c>.</summary>
    public sealed class Mesh : IAsyncLifetime
    {
        internal NetnsCluster Cluster { get; private set; } = null!;
        internal NetnsPod Client { get; private set; } = null!;
        internal NetnsPod Web { get; private set; } = null!;
        internal NetnsPod Db { get; private set; } = null!;
        internal NetnsPod Other { get; private set; } = null!;
        internal NetnsService DbService { get; private set; } = null!;
        internal NetnsListener Inbound { get; private set; } = null!;
        internal NetnsListener Outbound { get; private set; } = null!;
        internal NetnsListener App { get; private set; } = null!;
        internal ProcessResult FirstInit { get; private set; } = null!;

        internal string[] InitFlags =>
        [
            "--incoming-proxy-port", "4143", "--outgoing-proxy-port", "4140", "--proxy-uid", "2102",
            "--inbound-ports-to-ignore", "4190,4191,9000-9001", "--outbound-ports-to-ignore", "5432", "--subnets-to-ignore", $"{Other.Address}/32",
        ];

        public async ValueTask InitializeAsync()
        {
            Cluster = await NetnsCluster.CreateAsync();
            Client = await Cluster.AddPodAsync("client");
            Web = await Cluster.AddPodAsync("web");
            Db = await Cluster.AddPodAsync("db");
            Other = await Cluster.AddPodAsync("other");
            DbService = await Cluster.AddServiceAsync("db", "default", 80, 8080, Db);

            Inbound = Web.Listen("inbound", 4143);
            Outbound = Web.Listen("outbound", 4140, IPAddress.Loopback);
            Web.Listen("admin", 4191);
            Web.Listen("metrics", 9001);
            App = Web.Listen("app", 8080);
            Db.Listen("db", 8080);
            Db.Listen("db-5432", 5432);
            Other.Listen("other", 8080);

            FirstInit = await Web.ExecAsync(NetnsCommands.Proxy(["init", .. InitFlags]), TestTimeouts.Slow);
            Assert.True(FirstInit.ExitCode == 0, $"init failed: {FirstInit.Output}");
        }

        public async ValueTask DisposeAsync() => await Cluster.DisposeAsync();
    }

    [Fact]
    public async Task A_connection_to_the_app_port_arrives_at_the_inbound_port_with_the_app_port_as_its_original_destination()
    {
        var answer = await mesh.Client.AskAsync(mesh.Web.EndPoint(8080));

        Assert.Equal("inbound", answer.Listener);
        var arrival = mesh.Inbound.ArrivalFrom(answer.From);
        Assert.Equal(mesh.Web.EndPoint(8080), arrival.OriginalDestination);
        Assert.Equal(mesh.Web.EndPoint(4143), arrival.Local);
    }

    [Fact]
    public async Task Every_inbound_port_is_redirected_even_one_nothing_listens_on()
    {
        var answer = await mesh.Client.AskAsync(mesh.Web.EndPoint(7000));

        Assert.Equal("inbound", answer.Listener);
        Assert.Equal(mesh.Web.EndPoint(7000), mesh.Inbound.ArrivalFrom(answer.From).OriginalDestination);
    }

    [Fact]
    public async Task Ignored_inbound_ports_and_ranges_reach_their_listeners_directly()
    {
        Assert.Equal("admin", (await mesh.Client.AskAsync(mesh.Web.EndPoint(4191))).Listener);
        Assert.Equal("metrics", (await mesh.Client.AskAsync(mesh.Web.EndPoint(9001))).Listener);
    }

    [Fact]
    public async Task A_connection_the_app_opens_to_another_pod_arrives_at_the_outbound_port_addressed_to_that_pod()
    {
        var answer = await mesh.Web.AskAsync(mesh.Db.EndPoint(8080));

        Assert.Equal("outbound", answer.Listener);
        Assert.Equal(mesh.Db.EndPoint(8080), mesh.Outbound.ArrivalFrom(answer.From).OriginalDestination);
    }

    [Fact]
    public async Task A_connection_the_app_opens_to_a_ClusterIP_arrives_at_the_outbound_port_addressed_to_the_Service()
    {
        var answer = await mesh.Web.AskAsync(mesh.DbService.EndPoint);

        Assert.Equal("outbound", answer.Listener);
        Assert.Equal(mesh.DbService.EndPoint, mesh.Outbound.ArrivalFrom(answer.From).OriginalDestination);
        Assert.Equal("db", (await mesh.Client.AskAsync(mesh.DbService.EndPoint)).Listener); // unmeshed, the Service reaches db
    }

    [Fact]
    public async Task An_app_running_as_its_own_user_calling_a_Service_by_name_is_redirected()
    {
        Assert.Equal("outbound", await mesh.Web.AskAsUserAsync(1000, mesh.DbService.Host, 80));
    }

    [Fact]
    public async Task The_proxy_s_own_connections_are_not_redirected_back_to_it()
    {
        Assert.Equal("db", await mesh.Web.AskAsUserAsync(2102, mesh.Db.Address.ToString(), 8080));
        Assert.Equal("db", await mesh.Web.AskAsUserAsync(2102, mesh.DbService.Host, 80));
        Assert.Equal("app", await mesh.Web.AskAsUserAsync(2102, "127.0.0.1", 8080)); // the proxy forwarding inbound to the app
    }

    [Fact]
    public async Task Loopback_is_not_redirected_whichever_local_address_is_used()
    {
        var loopback = await mesh.Web.AskAsync(new IPEndPoint(IPAddress.Loopback, 8080));
        Assert.Equal("app", loopback.Listener);
        Assert.Equal("app", (await mesh.Web.AskAsync(mesh.Web.EndPoint(8080))).Listener);

        // Not redirected, a connection's original destination is where it arrived: how a proxy tells a direct caller.
        var arrival = mesh.App.ArrivalFrom(loopback.From);
        Assert.Equal(arrival.Local, arrival.OriginalDestination);
    }

    [Fact]
    public async Task Ignored_outbound_ports_bypass_the_proxy()
    {
        Assert.Equal("db-5432", (await mesh.Web.AskAsync(mesh.Db.EndPoint(5432))).Listener);
    }

    [Fact]
    public async Task Ignored_subnets_bypass_the_proxy_both_ways()
    {
        Assert.Equal("other", (await mesh.Web.AskAsync(mesh.Other.EndPoint(8080))).Listener);
        Assert.Equal("app", (await mesh.Other.AskAsync(mesh.Web.EndPoint(8080))).Listener);
    }

    [Fact]
    public async Task Init_installs_its_rules_in_chains_of_its_own_and_a_second_run_leaves_one_set()
    {
        var before = await mesh.Web.NatRulesAsync();
        Assert.Equal($"""
            *nat
            :PREROUTING ACCEPT [0:0]
            :INPUT ACCEPT [0:0]
            :OUTPUT ACCEPT [0:0]
            :POSTROUTING ACCEPT [0:0]
            :PROXY_INIT_OUTPUT - [0:0]
            :PROXY_INIT_REDIRECT - [0:0]
            -A PREROUTING -m comment --comment "mesh-init/inbound" -j PROXY_INIT_REDIRECT
            -A OUTPUT -m comment --comment "mesh-init/outbound" -j PROXY_INIT_OUTPUT
            -A PROXY_INIT_OUTPUT -m owner --uid-owner 2102 -m comment --comment "mesh-init/ignore-proxy-uid" -j RETURN
            -A PROXY_INIT_OUTPUT -o lo -m comment --comment "mesh-init/ignore-loopback" -j RETURN
            -A PROXY_INIT_OUTPUT -p tcp -m multiport --dports 5432 -m comment --comment "mesh-init/ignore-outbound-ports" -j RETURN
            -A PROXY_INIT_OUTPUT -d {mesh.Other.Address}/32 -m comment --comment "mesh-init/ignore-subnet" -j RETURN
            -A PROXY_INIT_OUTPUT -p tcp -m comment --comment "mesh-init/to-outbound-proxy-port" -j REDIRECT --to-ports 4140
            -A PROXY_INIT_REDIRECT -p tcp -m multiport --dports 4190,4191,9000:9001 -m comment --comment "mesh-init/ignore-inbound-ports" -j RETURN
            -A PROXY_INIT_REDIRECT -s {mesh.Other.Address}/32 -m comment --comment "mesh-init/ignore-subnet" -j RETURN
            -A PROXY_INIT_REDIRECT -p tcp -m comment --comment "mesh-init/to-inbound-proxy-port" -j REDIRECT --to-ports 4143
            COMMIT

            """, before);
        Assert.Contains("init: iptables-nft -t nat -A PROXY_INIT_OUTPUT -m owner --uid-owner 2102", mesh.FirstInit.StandardOutput.Replace("/usr/sbin/", "", StringComparison.Ordinal), StringComparison.Ordinal);

        var second = await mesh.Web.ExecAsync(NetnsCommands.Proxy(["init", .. mesh.InitFlags]), TestTimeouts.Slow);

        Assert.True(second.ExitCode == 0, second.Output);
        Assert.Contains("found rules of an earlier run", second.StandardOutput, StringComparison.Ordinal);
        Assert.Equal(before, await mesh.Web.NatRulesAsync());
        Assert.Equal("inbound", (await mesh.Client.AskAsync(mesh.Web.EndPoint(8080))).Listener);
    }

    [Fact]
    public async Task Without_NET_ADMIN_init_fails_saying_so_and_changes_nothing()
    {
        var pod = await mesh.Cluster.AddPodAsync("no-net-admin");
        var before = await pod.NatRulesAsync();

        var result = await pod.ExecAsync([.. NetnsCommands.WithoutNetAdmin, .. NetnsCommands.Proxy(["init", .. mesh.InitFlags])], TestTimeouts.Slow);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("init: not permitted to change this network namespace's iptables rules: the init container needs the NET_ADMIN capability", result.StandardError, StringComparison.Ordinal);
        Assert.Contains("Permission denied (you must be root)", result.StandardError, StringComparison.Ordinal);
        Assert.Equal(before, await pod.NatRulesAsync());
    }

    [Fact]
    public async Task A_dry_run_prints_every_command_and_runs_none_even_without_NET_ADMIN()
    {
        var pod = await mesh.Cluster.AddPodAsync("dry-run");
        var before = await pod.NatRulesAsync();

        var result = await pod.ExecAsync([.. NetnsCommands.WithoutNetAdmin, .. NetnsCommands.Proxy(["init", .. mesh.InitFlags, "--dry-run"])], TestTimeouts.Slow);

        Assert.True(result.ExitCode == 0, result.Output);
        var commands = result.StandardOutput.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#')).ToList();
        Assert.Equal(13, commands.Count); // the listing, 2 chains, 2 jumps, 3 inbound and 5 outbound rules (exact lines: RedirectRulesTests)
        Assert.EndsWith("iptables-nft-save -t nat", commands[0], StringComparison.Ordinal);
        Assert.Contains(commands, c => c.EndsWith("iptables-nft -t nat -A PROXY_INIT_OUTPUT -m owner --uid-owner 2102 -m comment --comment mesh-init/ignore-proxy-uid -j RETURN", StringComparison.Ordinal));
        Assert.Equal(before, await pod.NatRulesAsync());
    }

    [Fact]
    public async Task With_iptables_legacy_the_rules_go_to_the_legacy_tables_and_redirect_the_same()
    {
        var pod = await mesh.Cluster.AddPodAsync("legacy");
        pod.Listen("legacy-inbound", 4143);

        var result = await pod.ExecAsync(NetnsCommands.Proxy(["init", .. mesh.InitFlags, "--firewall-bin-path", "iptables-legacy"]), TestTimeouts.Slow);

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains(":PROXY_INIT_REDIRECT", await pod.NatRulesAsync("iptables-legacy-save"), StringComparison.Ordinal);
        Assert.DoesNotContain(":PROXY_INIT_REDIRECT", await pod.NatRulesAsync("iptables-nft-save"), StringComparison.Ordinal);
        Assert.Equal("legacy-inbound", (await mesh.Client.AskAsync(pod.EndPoint(8080))).Listener);
    }

    [Fact]
    public async Task A_firewall_binary_that_is_not_there_is_named_in_the_error()
    {
        var pod = await mesh.Cluster.AddPodAsync("no-iptables");

        var result = await pod.ExecAsync(NetnsCommands.Proxy(["init", "--firewall-bin-path", "/nonexistent/iptables-nft"]), TestTimeouts.Slow);

        Assert.Equal(1, result.ExitCode);
        Assert.StartsWith("init: --firewall-bin-path: '/nonexistent/iptables-nft' (and its iptables-nft-save) not found; is iptables installed?", result.StandardError, StringComparison.Ordinal);
    }
}
