using Bunit;
using Dashboard.Components.Controls;
using Dashboard.Components.Pages;
using Dashboard.Configuration;
using Dashboard.Graph;
using Dashboard.Kubernetes;
using Dashboard.Model;
using Dashboard.Services;
using Dashboard.Tests.Tap;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor.Services;

namespace Dashboard.Tests.Components;

/// <summary>
/// The graph's components over a fixed graph: the octopus of a workload's page (folded to six a side, the unmeshed
/// clients among the callers), the graph page's find box, and what hide leaves for the script to draw.
/// </summary>
public sealed class GraphComponentsTests : IAsyncDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-12-03T06:15:00Z", System.Globalization.CultureInfo.InvariantCulture);
    private static readonly ResourceKey Api = new(WorkloadKind.Deployment, "shop", "api");
    private readonly BunitContext _context = new();
    private readonly FixedGraphService _graphs = new();

    public GraphComponentsTests()
    {
        _context.Services.AddMudServices();
        _context.JSInterop.Mode = JSRuntimeMode.Loose;
        _context.Services.AddSingleton<TimeProvider>(new FakeTimeProvider(Now));
        _context.Services.AddSingleton(new DashboardSettings(
            new PrometheusSettings(new Uri("http://127.0.0.1:1"), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5)),
            KubernetesSource.Default, null, TimeSpan.FromSeconds(2), [], "", null));
        _context.Services.AddSingleton<IGraphService>(_graphs);
        _context.Services.AddSingleton<IKubernetesInventory>(new FixedInventory(InventorySnapshot.Empty));
        _context.Services.AddScoped<PageVisibility>();
        _context.Renderer.SetRendererInfo(new RendererInfo("Server", true));
    }

    private static StatCounts Counts(double rps, double successRate = 1) =>
        new(rps * 60 * successRate, rps * 60 * (1 - successRate), rps * 60, 60, 5, 20, 40);

    private static GraphNode Workload(string ns, string name) => new(new ResourceKey(WorkloadKind.Deployment, ns, name), true, Counts(1));

    /// <summary>api called by the unmeshed clients (the quietest caller) and eight workloads, and calling two.</summary>
    private static ServiceGraph Busy()
    {
        var callers = Enumerable.Range(1, 8).Select(i => Workload("shop", $"caller-{i}")).ToList();
        var api = Workload("shop", "api");
        var db = Workload("shop", "db");
        var pricing = Workload("billing", "pricing");
        List<GraphEdge> edges =
        [
            new(GraphNode.UnmeshedId, api.Id, Counts(0.1, 0.5), null) { NoTlsReason = "no_tls_from_remote" },
            .. callers.Select((c, i) => new GraphEdge(c.Id, api.Id, Counts(10 + i), null) { Tls = GraphTls.True }),
            new(api.Id, db.Id, Counts(0, 0), 2048) { Tls = GraphTls.True },
            new(api.Id, pricing.Id, Counts(3, 0.92), null) { Tls = GraphTls.Mixed },
        ];
        return new ServiceGraph([GraphNode.Unmeshed(Counts(0.1)), api, db, pricing, .. callers], edges, StatWindow.Default, Now);
    }

    [Fact]
    public void The_octopus_shows_six_callers_a_side_folds_the_rest_and_keeps_the_unmeshed_clients()
    {
        _graphs.Answer = Busy();

        var cut = _context.Render<OctopusPanel>(p => p.Add(x => x.Resource, Api).Add(x => x.Window, StatWindow.Default));

        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find("section.octopus-panel").GetAttribute("data-loaded")), TestTimeouts.Default);
        // The graph of the resource's namespace, over the page's window.
        Assert.Equal(["shop"], _graphs.Requests.Single().Namespaces);
        Assert.Equal(StatWindow.Default, _graphs.Requests.Single().Window);
        var callers = cut.FindAll(".callers .octopus-arm");
        Assert.Equal(OctopusViewModel.MaxPerSide, callers.Count);
        // The busiest five workloads, then the unmeshed clients: they keep their place at 0.1 RPS.
        Assert.Equal(["caller-8", "caller-7", "caller-6", "caller-5", "caller-4", "unmeshed clients"],
            callers.Select(c => c.QuerySelector(".octopus-arm-name")!.TextContent));
        Assert.Contains("unmeshed", callers[^1].ClassName, StringComparison.Ordinal);
        Assert.Empty(callers[^1].QuerySelectorAll("a"));
        Assert.Equal("0.10rps", callers[^1].QuerySelector(".rps")!.TextContent);
        Assert.Equal("50.00%", callers[^1].QuerySelector(".success")!.TextContent);
        Assert.NotNull(callers[^1].QuerySelector(".dot-bad"));
        Assert.Equal("namespaces/shop/deployments/caller-8", callers[0].QuerySelector("a")!.GetAttribute("href"));
        var more = cut.Find(".callers a.octopus-more");
        Assert.Equal("+3 more", more.TextContent);
        Assert.Equal("graph?namespace=shop", more.GetAttribute("href"));

        var destinations = cut.FindAll(".destinations .octopus-arm");
        Assert.Equal(["billing/pricing", "db"], destinations.Select(d => d.QuerySelector(".octopus-arm-name")!.TextContent));
        Assert.Equal("TCP 2KiB/s", destinations[1].QuerySelector(".tcp")!.TextContent);
        Assert.Empty(cut.FindAll(".destinations .octopus-more"));
        Assert.Equal("deployment/api", cut.Find(".octopus-name").TextContent);
    }

    [Fact]
    public void A_find_expression_that_does_not_parse_is_explained_under_its_box()
    {
        _graphs.Answer = Busy();
        Assert.False(GraphFind.TryParse("sr <", out _, out var error));

        var navigation = _context.Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo(navigation.GetUriWithQueryParameter("find", "sr <"));

        var cut = _context.Render<GraphPage>();

        cut.WaitForAssertion(() => Assert.Equal(error, cut.Find(".find-error").TextContent), TestTimeouts.Default);
        Assert.Empty(cut.FindAll(".hide-error"));
        Assert.Empty(cut.FindAll(".graph-empty"));
    }

    [Fact]
    public void A_graph_without_edges_says_there_was_no_traffic_and_offers_the_idle_workloads()
    {
        _graphs.Answer = ServiceGraph.Empty(StatWindow.Default, Now);
        var navigation = _context.Services.GetRequiredService<NavigationManager>();
        navigation.NavigateTo("graph");

        var cut = _context.Render<GraphPage>();

        cut.WaitForAssertion(() => Assert.Equal("No traffic between meshed workloads in the last 1m", cut.Find(".graph-empty .empty-reason").TextContent), TestTimeouts.Default);
        Assert.EndsWith("graph?idle=true", cut.Find(".graph-empty a").GetAttribute("href"), StringComparison.Ordinal);
    }

    [Fact]
    public void Hide_leaves_the_nodes_it_matches_and_their_edges_out_of_what_the_script_draws()
    {
        Assert.True(GraphFind.TryParse("name = caller-*", out var hide, out _));
        Assert.True(GraphFind.TryParse("sr < 95", out var find, out _));

        var view = GraphView.Of(Busy(), find, hide, EdgeLabels.All);

        Assert.Equal(["unmeshed", "shop/deployment/api", "shop/deployment/db", "billing/deployment/pricing"], view.Nodes.Select(n => n.Id));
        Assert.All(Enumerable.Range(1, 8), i => Assert.Contains($"shop/deployment/caller-{i}", view.Hidden));
        Assert.Contains("shop/deployment/caller-1->shop/deployment/api", view.Hidden);
        Assert.Equal(["billing", "shop"], view.Namespaces);
        Assert.Null(view.Nodes.Single(n => n.Id == GraphNode.UnmeshedId).Parent);
        Assert.Equal("namespace:shop", view.Nodes.Single(n => n.Id == "shop/deployment/api").Parent);

        // Labels, colours and locks are worked out here; find marks what it matches (92% and 50% are below 95%).
        var edges = view.Edges.ToDictionary(e => e.Target.Split('/')[^1] + (e.Source == GraphNode.UnmeshedId ? " from outside" : ""));
        Assert.Equal("0.10rps · 50.00% · P95 20ms\nno mTLS: no_tls_from_remote", edges["api from outside"].Label);
        Assert.Equal(("bad", "false", true), (edges["api from outside"].Health, edges["api from outside"].Tls, edges["api from outside"].Found));
        Assert.Equal("3.0rps · 92.00% · P95 20ms\nmixed mTLS", edges["pricing"].Label);
        Assert.Equal(("warn", "mixed", true), (edges["pricing"].Health, edges["pricing"].Tls, edges["pricing"].Found));
        Assert.Equal(("TCP 2KiB/s", true, "true", false), (edges["db"].Label, edges["db"].Tcp, edges["db"].Tls, edges["db"].Found));
        Assert.True(edges["pricing"].Width > edges["api from outside"].Width);

        var labels = GraphView.Of(Busy(), null, hide, EdgeLabels.Rps).Edges.Single(e => e.Target.EndsWith("pricing", StringComparison.Ordinal)).Label;
        Assert.Equal("3.0rps\nmixed mTLS", labels);
    }

    [Fact]
    public void The_url_keeps_a_bad_expression_as_typed_with_its_error_and_reads_the_rest()
    {
        var url = GraphUrlState.Parse("shop, billing", "5m", "true", "maybe", "rps,p99", "sr < 99", "name =", TimeSpan.FromSeconds(10));

        Assert.Equal(["shop", "billing"], url.Namespaces);
        Assert.Equal((StatWindow.FromSeconds(300), true, false, EdgeLabels.Rps), (url.Window, url.Pods, url.Idle, url.Labels));
        Assert.NotNull(url.Find);
        Assert.Null(url.FindError);
        Assert.Null(url.Hide);
        Assert.Equal("name =", url.HideText);
        Assert.StartsWith("'name =' in 'name ='", url.HideError, StringComparison.Ordinal);
        Assert.Equal("idle 'maybe' is not true or false; hiding idle workloads. labels: 'p99' is not one of rps, sr, p95; left out.", url.Problem);
    }

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();

    private sealed class FixedGraphService : IGraphService
    {
        public ServiceGraph Answer { get; set; } = ServiceGraph.Empty(StatWindow.Default, Now);

        public List<GraphRequest> Requests { get; } = [];

        public Task<ServiceGraph> GetAsync(GraphRequest request, CancellationToken cancellationToken)
        {
            Requests.Add(request);
            return Task.FromResult(Answer);
        }
    }
}
