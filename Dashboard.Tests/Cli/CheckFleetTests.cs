using System.Text.Json;
using Dashboard.Cli;
using Dashboard.Hosting;

namespace Dashboard.Tests.Cli;

/// <summary><c>check</c>, <c>version</c> and local <c>open</c> against the real fleet, Prometheus and a dashboard process: golden output.</summary>
[Collection(CliFleetCollection.Name)]
public sealed class CheckFleetTests(CliFleetFixture fleet)
{
    private const string KubernetesApiOk = """
        kubernetes-api: can initialize the client..................................[ok]
        kubernetes-api: can query the Kubernetes API...............................[ok]
        kubernetes-api: is running the minimum Kubernetes API version..............[ok]

        """;

    /// <summary>The identity lines when the fleet's trust anchor and issuer (valid a year) are read.</summary>
    public const string IdentityOk = """
        linkerd-identity: certificate config is valid..............................[ok]
        linkerd-identity: trust anchors are using supported crypto algorithm.......[ok]
        linkerd-identity: trust anchors are within their validity period...........[ok]
        linkerd-identity: trust anchors are valid for at least 60 days.............[ok]
        linkerd-identity: issuer cert is using supported crypto algorithm..........[ok]
        linkerd-identity: issuer cert is within its validity period................[ok]
        linkerd-identity: issuer cert is valid for at least 60 days................[ok]
        linkerd-identity: issuer cert is issued by the trust anchor................[ok]

        """;

    [Fact]
    public async Task Pre_install_checks_find_the_fleets_read_only_api_cannot_create_anything()
    {
        var run = await fleet.RunAsync("check", "--pre");

        const string refused = "HTTP 405 MethodNotAllowed: this Kubernetes API server is read-only: POST is not allowed";
        Assert.Equal(KubernetesApiOk + $"""
            kubernetes-setup: control plane namespace does not already exist...........[ok]
            kubernetes-setup: can create Namespaces....................................[fail]
                hint: the API did not answer the access review for namespaces: {refused}
            kubernetes-setup: can create ClusterRoles..................................[fail]
                hint: the API did not answer the access review for clusterroles: {refused}
            kubernetes-setup: can create ClusterRoleBindings...........................[fail]
                hint: the API did not answer the access review for clusterrolebindings: {refused}
            kubernetes-setup: can create ServiceAccounts...............................[fail]
                hint: the API did not answer the access review for serviceaccounts: {refused}
            kubernetes-setup: can create ConfigMaps....................................[fail]
                hint: the API did not answer the access review for configmaps: {refused}
            kubernetes-setup: can create Secrets.......................................[fail]
                hint: the API did not answer the access review for secrets: {refused}
            kubernetes-setup: can create Services......................................[fail]
                hint: the API did not answer the access review for services: {refused}
            kubernetes-setup: can create Deployments...................................[fail]
                hint: the API did not answer the access review for deployments: {refused}

            Status check results are [fail]

            """, run.Out);
        Assert.Equal(ExitCodes.Failure, run.ExitCode);
    }

    [Fact]
    public async Task Pre_install_checks_refuse_a_namespace_that_exists()
    {
        var run = await fleet.RunAsync("check", "--pre", "-L", "default");

        Assert.Contains("""
            kubernetes-setup: control plane namespace does not already exist...........[fail]
                hint: namespace 'default' exists: the control plane is installed already (run check without --pre), or choose another namespace with -L

            """, run.Out, StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_a_local_dashboard_and_every_proxy_scraped_all_checks_pass()
    {
        var dashboard = await fleet.DashboardAsync();
        await fleet.WaitForWindowAsync(5);

        var run = await CliRun.RunAsync("check", "--proxy", "--server", fleet.Api.ToString(), "--prometheus", fleet.Prometheus.Url.ToString(), "--dashboard-url", dashboard.Url.ToString());

        Assert.Equal(KubernetesApiOk + """
            control-plane: control plane is installed..................................[ok]
            control-plane: control plane and CLI versions match........................[ok]
            prometheus: can query Prometheus...........................................[ok]
            prometheus: is scraping meshed pods........................................[ok]
            data-plane: data plane proxies are ready...................................[ok]
            data-plane: data plane proxies report metrics..............................[ok]
            data-plane: data plane proxies reach the destination service...............[ok]
            data-plane: data plane and CLI versions match..............................[ok]

            """ + IdentityOk + """
            linkerd-identity-data-plane: data plane proxies certificate match CA.......[ok]

            Status check results are [ok]

            """, run.Out);
        Assert.Equal(ExitCodes.Success, run.ExitCode);
        Assert.Equal("", run.Error);
    }

    [Fact]
    public async Task Without_a_control_plane_the_check_fails_with_a_hint_and_json_says_so()
    {
        var nowhere = $"http://127.0.0.1:{TestPorts.Free()}/";
        await fleet.WaitForWindowAsync(5);
        var run = await CliRun.RunAsync("check", "--server", fleet.Api.ToString(), "--prometheus", fleet.Prometheus.Url.ToString(), "--dashboard-url", nowhere);
        var json = await CliRun.RunAsync("check", "-o", "json", "--server", fleet.Api.ToString(), "--prometheus", fleet.Prometheus.Url.ToString(), "--dashboard-url", nowhere);

        Assert.Equal(KubernetesApiOk + $"""
            control-plane: control plane is installed..................................[fail]
                hint: no namespace 'linkerd' in the cluster and no dashboard at {nowhere}: install the control plane (dashboard install | kubectl apply -f -) or start it here (./run.sh)
            prometheus: can query Prometheus...........................................[ok]
            prometheus: is scraping meshed pods........................................[ok]

            """ + IdentityOk + """

            Status check results are [fail]

            """, run.Out);
        Assert.Equal(ExitCodes.Failure, run.ExitCode);
        var document = JsonDocument.Parse(json.Out).RootElement;
        Assert.False(document.GetProperty("success").GetBoolean());
        Assert.Equal(["kubernetes-api", "control-plane", "prometheus", "linkerd-identity"], document.GetProperty("categories").EnumerateArray().Select(c => c.GetProperty("categoryName").GetString()));
        var installed = document.GetProperty("categories")[1].GetProperty("checks")[0];
        Assert.Equal(("control plane is installed", "error"), (installed.GetProperty("description").GetString(), installed.GetProperty("result").GetString()));
        Assert.Equal(ExitCodes.Failure, json.ExitCode);
    }

    [Fact]
    public async Task A_prometheus_that_does_not_answer_fails_its_checks()
    {
        var nowhere = $"http://127.0.0.1:{TestPorts.Free()}";
        var run = await CliRun.RunAsync("check", "--server", fleet.Api.ToString(), "--prometheus", nowhere, "--dashboard-url", nowhere);

        Assert.Contains($"""
            prometheus: can query Prometheus...........................................[fail]
                hint: Prometheus at {nowhere} is unreachable: Connection refused; pass --prometheus URL (in a cluster: kubectl -n linkerd port-forward svc/prometheus 9090)
            prometheus: is scraping meshed pods........................................[fail]
                hint: Prometheus at {nowhere} is unreachable: Connection refused

            """, run.Out, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Failure, run.ExitCode);
    }

    [Fact]
    public async Task Version_reports_the_dashboards_and_the_proxies_versions()
    {
        var dashboard = await fleet.DashboardAsync();
        await fleet.WaitForWindowAsync(5);

        var run = await CliRun.RunAsync("version", "--server", fleet.Api.ToString(), "--prometheus", fleet.Prometheus.Url.ToString(), "--dashboard-url", dashboard.Url.ToString());

        Assert.Equal($"""
            Client version: {BuildVersion.Current}
            Dashboard version: {BuildVersion.Current}
            Proxy versions: {BuildVersion.Current} (4 pods)

            """, run.Out);
        Assert.Equal("", run.Error);
    }

    [Fact]
    public async Task Open_without_a_control_plane_in_the_cluster_prints_the_local_dashboards_url()
    {
        var dashboard = await fleet.DashboardAsync();

        var run = await CliRun.RunAsync("open", "--no-browser", "--server", fleet.Api.ToString(), "--dashboard-url", dashboard.Url.ToString());
        var nowhere = await CliRun.RunAsync("open", "--no-browser", "--server", fleet.Api.ToString(), "--dashboard-url", $"http://127.0.0.1:{TestPorts.Free()}");

        Assert.Equal((ExitCodes.Success, $"Dashboard available at {dashboard.Url}\n"), (run.ExitCode, run.Out));
        Assert.Equal(ExitCodes.Failure, nowhere.ExitCode);
        Assert.StartsWith("error: no control plane in namespace linkerd of the cluster, and no version from the dashboard", nowhere.Error, StringComparison.Ordinal);
    }
}
