using Dashboard.Cli;
using Dashboard.Contracts.Tap;
using k8s.Models;

namespace Dashboard.Tests.Cli;

/// <summary>
/// <c>tap</c> and <c>top</c> through the dashboard's stream as a user meets them: locally at <c>--dashboard-url</c>,
/// through a port-forward to the dashboard's pod when the control-plane namespace exists, authorized by the fleet's
/// RBAC for the kubeconfig's token user; and <c>--direct</c>, the proxies tapped from here.
/// </summary>
[Collection(TapCliFleetCollection.Name)]
public sealed class TapThroughDashboardTests(TapCliFleetFixture fleet)
{
    [Fact]
    public async Task In_a_cluster_tap_port_forwards_to_the_dashboard_pod_and_streams_its_lines()
    {
        // No --dashboard-url: the dashboard is found as open finds it, by its Service in the control-plane namespace.
        var run = await CliLiveRun.RunUntilAsync(["tap", "deploy/test-1", "-o", "wide", "-L", TapCliFleetFixture.ControlNamespace, "--server", fleet.Fleet.ApiUrl.ToString()],
            o => new TapLinesParsed(o).Complete.Any(IsToMl));

        Assert.Equal((ExitCodes.Success, ""), (run.ExitCode, run.Error));
        var toMl = new TapLinesParsed(run.Out).Complete.First(IsToMl);
        Assert.StartsWith("req id=", toMl[0], StringComparison.Ordinal);
        Assert.Matches(@" response-length=\d+B src_res=deploy/test-1 src_ns=default dst_res=deploy/ml dst_ns=default$", toMl[2]);
    }

    [Fact]
    public async Task Direct_taps_the_proxies_from_here_as_before()
    {
        var run = await fleet.RunDirectUntilAsync(o => new TapLinesParsed(o).Complete.Any(IsToMl), "tap", "deploy/test-1", "-o", "wide");

        Assert.Equal((ExitCodes.Success, ""), (run.ExitCode, run.Error));
        var toMl = new TapLinesParsed(run.Out).Complete.First(IsToMl);
        Assert.Matches(@" response-length=\d+B src_res=deploy/test-1 src_ns=default dst_res=deploy/ml dst_ns=default$", toMl[2]);
    }

    [Fact]
    public async Task Top_direct_prints_the_same_table_as_through_the_dashboard()
    {
        var run = await fleet.RunDirectAsync("top", "deploy/test-1", "--to", "deploy/ml", "--duration", "3s");

        Assert.Equal((ExitCodes.Success, ""), (run.ExitCode, run.Error));
        Assert.Matches(@"(?m)^test-1-\S+ +ml-\S+ +POST +/v1/test-1 +\d+ ", run.Out);
    }

    [Fact]
    public async Task A_token_user_without_the_tap_role_is_refused_with_who_what_and_where_and_exit_1()
    {
        var run = await CliRun.RunAsync("tap", "deploy/test-1", "--kubeconfig", fleet.Kubeconfig(TapCliFleetFixture.Jane), "--dashboard-url", fleet.Dashboard.Url.ToString());

        Assert.Equal((ExitCodes.Failure, ""), (run.ExitCode, run.Out));
        Assert.Equal("error: user jane cannot watch tap.dashboard.io/tap in namespace default: no RBAC rule grants it; " +
            "ask for the linkerd-dashboard-tap role, or use --direct\n", run.Error);
    }

    [Fact]
    public async Task A_token_user_bound_to_the_tap_role_in_the_namespace_streams()
    {
        fleet.Fleet.Store.Upsert(new V1RoleBinding
        {
            Metadata = new() { Name = "joe-taps", NamespaceProperty = "default" },
            RoleRef = new() { ApiGroup = "rbac.authorization.k8s.io", Kind = "ClusterRole", Name = TapAccess.ClusterRole },
            Subjects = [new Rbacv1Subject { ApiGroup = "rbac.authorization.k8s.io", Kind = "User", Name = TapCliFleetFixture.Joe }],
        });
        var kubeconfig = fleet.Kubeconfig(TapCliFleetFixture.Joe);

        var run = await CliLiveRun.RunUntilAsync(["tap", "deploy/test-1", "--kubeconfig", kubeconfig, "--dashboard-url", fleet.Dashboard.Url.ToString()],
            o => new TapLinesParsed(o).Requests.Any());
        var elsewhere = await CliRun.RunAsync("tap", "ns/kube-system", "--kubeconfig", kubeconfig, "--dashboard-url", fleet.Dashboard.Url.ToString());

        Assert.Equal((ExitCodes.Success, ""), (run.ExitCode, run.Error));
        Assert.Equal(ExitCodes.Failure, elsewhere.ExitCode);
        Assert.StartsWith("error: user joe cannot watch tap.dashboard.io/tap in namespace kube-system: ", elsewhere.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_certificate_user_is_told_the_certificate_cannot_be_forwarded()
    {
        // Without the sandbox's binding, anonymous (what the dashboard sees of a certificate user) may not tap.
        var sandbox = fleet.Fleet.Store.Get<V1ClusterRoleBinding>(null, TapAccess.ClusterRole + "-sandbox")!;
        Assert.True(fleet.Fleet.Store.Delete<V1ClusterRoleBinding>(null, sandbox.Metadata.Name));
        CliRun run;
        try
        {
            run = await CliRun.RunAsync("tap", "deploy/test-1", "--kubeconfig", fleet.CertificateKubeconfig(), "--dashboard-url", fleet.Dashboard.Url.ToString());
        }
        finally
        {
            fleet.Fleet.Store.Upsert(sandbox);
        }

        Assert.Equal((ExitCodes.Failure, ""), (run.ExitCode, run.Out));
        Assert.Equal("error: user system:anonymous cannot watch tap.dashboard.io/tap in namespace default: no RBAC rule grants it " +
            "(the kubeconfig's user authenticates with a client certificate, which the CLI cannot forward to the dashboard, so it asked as system:anonymous); " +
            "ask for the linkerd-dashboard-tap role, or use --direct\n", run.Error);
    }

    [Fact]
    public async Task An_unreachable_dashboard_is_named_and_direct_suggested()
    {
        var url = $"http://127.0.0.1:{TestPorts.Free()}/";

        var run = await CliRun.RunAsync("tap", "deploy/test-1", "--server", fleet.Fleet.ApiUrl.ToString(), "--dashboard-url", url);

        Assert.Equal((ExitCodes.Failure, ""), (run.ExitCode, run.Out));
        Assert.StartsWith($"error: cannot reach the dashboard at {url}: ", run.Error, StringComparison.Ordinal);
        Assert.EndsWith("or tap the proxies themselves with --direct\n", run.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_tap_token_file_without_direct_is_a_usage_error()
    {
        var run = await CliRun.RunAsync("tap", "deploy/test-1", "--tap-token-file", fleet.TokenFile, "--server", fleet.Fleet.ApiUrl.ToString());

        Assert.Equal((ExitCodes.Usage, "error: --tap-token-file is for --direct: through the dashboard, the dashboard holds the proxies' token\n"), (run.ExitCode, run.Error));
    }

    private static bool IsToMl(List<string> request) => request[0].Contains(":authority=ml.default", StringComparison.Ordinal);
}
