using Dashboard.Model;
using Dashboard.Tap;

namespace Dashboard.Tests.Tap;

/// <summary>The tap query from a form or URL: parsing with every problem named, the CLI command, the budget split, and the targeted pods.</summary>
public sealed class TapQueryTests
{
    [Fact]
    public void A_full_query_parses_and_prints_as_the_cli_command()
    {
        var (query, problems) = new TapQueryText
        {
            Namespace = "default", Resource = "deploy/test-1", ToResource = "deployment/ml", ToNamespace = "default",
            Method = "post", Path = "/v1", Authority = "ml.default", Scheme = "HTTP", MaxRps = "10",
        }.Parse();

        Assert.Empty(problems);
        Assert.Equal(new TapResource(WorkloadKind.Deployment, "test-1"), query!.Resource);
        Assert.Equal("POST", query.Method);
        Assert.Equal("http", query.Scheme);
        Assert.Equal(
            "dashboard tap deploy/test-1 --namespace default --to deploy/ml --to-namespace default --method POST --path /v1 --authority ml.default --scheme http --max-rps 10",
            query.ToCommandLine("tap"));
    }

    [Fact]
    public void A_whole_namespace_with_defaults_prints_short_and_values_with_spaces_are_quoted()
    {
        var (query, _) = new TapQueryText { Namespace = "shop", Path = "/a b's" }.Parse();

        Assert.Null(query!.Resource);
        Assert.Equal(100, query.MaxRps);
        Assert.Equal("dashboard top ns/shop --path '/a b'\\''s'", query.ToCommandLine("top"));
    }

    [Fact]
    public void Every_bad_field_is_reported_by_name()
    {
        var (query, problems) = new TapQueryText
        {
            Namespace = "Default!", Resource = "deploy", ToNamespace = "other", Method = "G3T", Path = "v1", Scheme = "ftp", MaxRps = "0",
        }.Parse();

        Assert.Null(query);
        Assert.Collection(problems,
            p => Assert.StartsWith("namespace: 'Default!' is not a namespace name", p, StringComparison.Ordinal),
            p => Assert.StartsWith("resource: 'deploy' is not a resource; expected kind/name", p, StringComparison.Ordinal),
            p => Assert.StartsWith("toNamespace: 'other' needs toResource", p, StringComparison.Ordinal),
            p => Assert.StartsWith("method: 'G3T' is not an HTTP method", p, StringComparison.Ordinal),
            p => Assert.StartsWith("path: 'v1' is not a path prefix", p, StringComparison.Ordinal),
            p => Assert.StartsWith("scheme: 'ftp' is not http or https", p, StringComparison.Ordinal),
            p => Assert.StartsWith("maxRps: '0' is not a number of requests per second above 0", p, StringComparison.Ordinal));
    }

    [Fact]
    public void The_url_parameters_round_trip()
    {
        var text = new TapQueryText { Namespace = "default", Resource = "po/web-1", ToResource = "ns/shop", Method = "GET", MaxRps = "2.5" };

        var parameters = text.ToQueryParameters();
        var (query, _) = text.Parse();

        Assert.Equal("po/web-1", parameters["resource"]);
        Assert.Null(parameters["path"]);
        Assert.Equal(text with { }, TapQueryText.From(query!) with { Path = null, Authority = null, Scheme = null, ToNamespace = null });
    }

    [Fact]
    public void Each_pod_gets_its_share_of_the_budget_and_the_destination_labels()
    {
        var query = new TapQuery { Namespace = "default", Resource = new(WorkloadKind.Deployment, "web"), ToResource = new(WorkloadKind.Deployment, "ml"), MaxRps = 100 };

        var request = query.ToRequest(pods: 3);

        Assert.Equal(100.0 / 3, request.MaxRps, 9);
        Assert.Equal(new Dictionary<string, string> { ["dst_namespace"] = "default", ["dst_deployment"] = "ml" }, request.DestinationLabels);
        Assert.Equal(new Dictionary<string, string> { ["dst_namespace"] = "shop" },
            (query with { ToResource = new(WorkloadKind.Namespace, "shop") }).DestinationLabels());
    }

    [Fact]
    public void A_deployment_targets_its_running_meshed_pods_and_lists_the_others_with_why()
    {
        var targets = TapTargetResolver.Resolve(TapData.Snapshot(), new TapQuery { Namespace = "default", Resource = new(WorkloadKind.Deployment, "web") });

        var target = Assert.Single(targets.Targets);
        Assert.Equal(("default/web-1", new Uri("http://10.1.0.1:4190/tap")), (target.Key, target.Hub));
        var skipped = Assert.Single(targets.Skipped);
        Assert.Equal(("web-2", TapPodState.Skipped, "not running (phase Pending)"), (skipped.Pod, skipped.State, skipped.Reason));
    }

    [Fact]
    public void A_namespace_targets_every_meshed_pod_in_it()
    {
        var targets = TapTargetResolver.Resolve(TapData.Snapshot(), new TapQuery { Namespace = "default" });

        Assert.Equal(["web-1", "bare"], targets.Targets.Select(t => t.Pod));
        Assert.Contains(targets.Skipped, s => s.Pod == "legacy-1" && s.Reason!.StartsWith("not meshed", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("nope", null, "namespace nope does not exist")]
    [InlineData("default", "deploy/api", "deployment api does not exist in namespace default")]
    [InlineData("default", "po/ghost", "pod ghost does not exist in namespace default")]
    [InlineData("default", "deploy/legacy", "deploy/legacy in namespace default has no meshed running pod to tap (1 pods: legacy-1 is not meshed: it has no proxy to tap)")]
    [InlineData("shop", null, "ns/shop in namespace shop has no pods")]
    public void Nothing_to_tap_says_why(string ns, string? resource, string message)
    {
        var query = new TapQueryText { Namespace = ns, Resource = resource }.Parse().Query!;

        var error = Assert.Throws<TapQueryException>(() => TapTargetResolver.Resolve(TapData.Snapshot(), query));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void An_ipv6_pod_gets_a_bracketed_hub_address() =>
        Assert.Equal("http://[fd00::5]:4190/tap", TapTargetResolver.HubOf(System.Net.IPAddress.Parse("fd00::5")).ToString());
}
