using Bunit;
using Dashboard.Components.Controls;
using Dashboard.Configuration;
using Dashboard.Investigation;
using Dashboard.Kubernetes;
using Dashboard.Metrics;
using Dashboard.Model;
using Dashboard.Services;
using Dashboard.Tap;
using Dashboard.Tests.Tap;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using MudBlazor.Services;

namespace Dashboard.Tests.Components;

/// <summary>The spike panel as rendered from a diagnosis: the sentence, each episode with its causes and evidence, outliers, where the time goes.</summary>
public sealed class SpikesPanelTests : IAsyncDisposable
{
    private static readonly DateTimeOffset Now = DateTimeOffset.Parse("2026-12-03T06:15:00Z", System.Globalization.CultureInfo.InvariantCulture);
    private static readonly ResourceKey Test2 = new(WorkloadKind.Deployment, "default", "test-2");
    private readonly BunitContext _context = new();
    private readonly FakeTimeProvider _time = new(Now);
    private readonly FixedInvestigator _investigator = new();

    public SpikesPanelTests()
    {
        _context.Services.AddMudServices();
        _context.JSInterop.Mode = JSRuntimeMode.Loose;
        _context.Services.AddSingleton<TimeProvider>(_time);
        _context.Services.AddSingleton(new DashboardSettings(
            new PrometheusSettings(new Uri("http://127.0.0.1:1"), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5)),
            KubernetesSource.Default, null, TimeSpan.FromSeconds(2), [], "", null));
        _context.Services.AddSingleton<IInvestigator>(_investigator);
        _context.Services.AddScoped<PageVisibility>();
    }

    /// <summary>What test-2's investigation finds in the demo: spikes every 30s from the unmeshed clients only.</summary>
    public static Diagnosis ExternalSpikes()
    {
        var from = Now.AddMinutes(-15);
        List<(DateTimeOffset, double?)> Points(Func<int, double?> value) => [.. Enumerable.Range(0, 61).Select(i => (from.AddSeconds(15 * i), value(i)))];
        return new Diagnosis(Test2, StatWindow.FromSeconds(900), from, Now, TimeSpan.FromSeconds(15),
            "deployment/test-2's P99 rose from 9ms to 262ms in 2 episodes, every 30s; only unmeshed clients were slow (deployment/test-1 stayed at its 8ms baseline).",
            [
                new Episode(Now.AddSeconds(-90), Now.AddSeconds(-75), SpikeMetric.P99, 9, 262, 30,
                    [new Cause(CauseKind.Caller, Cause.UnmeshedClients, "unmeshed clients: P99 262ms during the episode vs 9ms baseline")]),
                new Episode(Now.AddSeconds(-60), Now.AddSeconds(-45), SpikeMetric.P99, 9, 250, 30,
                    [new Cause(CauseKind.Caller, Cause.UnmeshedClients, "unmeshed clients: P99 250ms during the episode vs 9ms baseline"),
                     new Cause(CauseKind.Downstream, "shop/deployment/pricing", "shop/deployment/pricing: P99 40ms during the episode vs 20ms baseline")]),
            ],
            [new PodOutlier("test-2-abc-1", OutlierMetric.P99, 170, 20)],
            [new DownstreamShare(new ResourceKey(WorkloadKind.Deployment, "shop", "pricing"), 40, 0.85), new DownstreamShare(new ResourceKey(WorkloadKind.Deployment, "default", "ml"), null, null)])
        {
            Series = [new EvidenceSeries("deployment/test-2 P99", SpikeMetric.P99, Points(i => i % 2 == 0 ? 9 : 262)),
                      new EvidenceSeries("unmeshed clients P99", SpikeMetric.P99, Points(_ => null))],
        };
    }

    private IRenderedComponent<SpikesPanel> Render(Action<ComponentParameterCollectionBuilder<SpikesPanel>>? parameters = null)
    {
        // The renderer is the first service taken: every registration comes before it.
        _context.Renderer.SetRendererInfo(new RendererInfo("Server", true));
        return _context.Render<SpikesPanel>(p =>
        {
            p.Add(x => x.Resource, Test2);
            parameters?.Invoke(p);
        });
    }

    [Fact]
    public void The_panel_says_the_sentence_and_shows_each_episode_with_its_causes_and_evidence()
    {
        _investigator.Answer = ExternalSpikes();

        var cut = Render();

        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find("#spikes").GetAttribute("data-loaded")), TestTimeouts.Default);
        Assert.Equal("Spikes in the last 15m", cut.Find("#spikes h6").TextContent.Trim());
        Assert.Equal(_investigator.Answer.Summary, cut.Find(".diagnosis-summary").TextContent.Trim());
        var episodes = cut.FindAll("tr.episode");
        Assert.Equal(2, episodes.Count);
        Assert.Contains("06:13:30", episodes[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("(1m ago, 15s)", episodes[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("9ms → 262ms", episodes[0].TextContent, StringComparison.Ordinal);
        Assert.Contains("every 30s", episodes[0].TextContent, StringComparison.Ordinal);

        // The unmeshed clients are no resource: named, not linked; a downstream in another namespace links to its page.
        var causes = cut.FindAll(".cause");
        Assert.Equal(3, causes.Count);
        Assert.Equal(("caller", "unmeshed clients"), (causes[0].GetAttribute("data-kind"), causes[0].GetAttribute("data-name")));
        Assert.Empty(causes[0].QuerySelectorAll("a"));
        Assert.Equal("unmeshed clients: P99 262ms during the episode vs 9ms baseline", causes[0].QuerySelector(".evidence")!.TextContent);
        Assert.Equal("namespaces/shop/deployments/pricing", causes[2].QuerySelector("a.cause-name")!.GetAttribute("href"));

        var outlier = cut.Find("tr.outlier");
        Assert.Equal(["test-2-abc-1", "P99", "170ms", "20ms"], outlier.QuerySelectorAll("td").Select(td => td.TextContent.Trim()));
        var shares = cut.FindAll("tr.downstream");
        Assert.Equal(["shop/deployment/pricing", "40ms", "85%"], shares[0].QuerySelectorAll("td").Select(td => td.TextContent.Trim()));
        Assert.Equal(["deployment/ml", "-", "-"], shares[1].QuerySelectorAll("td").Select(td => td.TextContent.Trim()));
        Assert.Equal("investigate?namespace=default&resource=deployment%2Ftest-2&lookback=15m", cut.Find("a.investigate-link").GetAttribute("href"));
    }

    [Fact]
    public void A_quiet_resource_says_nothing_left_the_baseline()
    {
        _investigator.Answer = ExternalSpikes() with
        {
            Summary = "No latency or failure episode in the last 15m; P99 stayed near 9ms.", Episodes = [], Outliers = [], Breakdown = [],
        };

        var cut = Render();

        cut.WaitForAssertion(() => Assert.Equal("No episode: nothing left the baseline.", cut.Find(".no-episodes").TextContent), TestTimeouts.Default);
        Assert.Contains("mud-alert-text-success", cut.Find(".diagnosis-summary").ClassName, StringComparison.Ordinal);
        Assert.Empty(cut.FindAll(".outliers-table"));
        Assert.Empty(cut.FindAll(".breakdown-table"));
    }

    [Fact]
    public void Prometheus_away_is_said_and_the_last_diagnosis_stays()
    {
        _investigator.Failure = new PrometheusUnavailableException(new Uri("http://127.0.0.1:9090"), "connection refused");

        var cut = Render();

        cut.WaitForAssertion(() => Assert.StartsWith("Prometheus at http://127.0.0.1:9090 is unreachable: connection refused",
            cut.Find(".source-banner").TextContent.Trim(), StringComparison.Ordinal), TestTimeouts.Default);
        Assert.Equal("No diagnosis yet.", cut.Find(".empty-reason").TextContent);
        Assert.EndsWith("The diagnosis shown is the last one made.", cut.Find(".source-banner").TextContent.Trim(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_lookback_that_ends_at_a_time_says_when()
    {
        _investigator.Answer = ExternalSpikes();

        var cut = Render(p => p.Add(x => x.Lookback, StatWindow.FromSeconds(3600)).Add(x => x.At, Now.AddHours(-1)).Add(x => x.LinkToInvestigation, false));

        cut.WaitForAssertion(() => Assert.Equal("Spikes in the 1h to 05:15:00 UTC", cut.Find("#spikes h6").TextContent.Trim()), TestTimeouts.Default);
        Assert.Equal((StatWindow.FromSeconds(3600), Now.AddHours(-1)), (_investigator.Lookback, _investigator.At));
        Assert.Empty(cut.FindAll("a.investigate-link"));
        Assert.Equal("No paths: a tap sees requests as they happen, not a lookback that ended in the past.", cut.Find(".paths-note").TextContent);
    }

    [Fact]
    public void A_live_panel_taps_the_resource_and_hands_its_inbound_requests_to_the_next_investigation()
    {
        var tap = new FakeTapService(new TapAvailability(FakeTapService.Settings()), _time);
        _context.Services.AddSingleton<ITapService>(tap);
        _investigator.Answer = ExternalSpikes();

        var cut = Render();

        cut.WaitForAssertion(() => Assert.Equal("true", cut.Find("#spikes").GetAttribute("data-loaded")), TestTimeouts.Default);
        var query = Assert.Single(tap.Started);
        Assert.Equal(("default", "deploy/test-2", SpikesViewModel.MaxRps, false), (query.Namespace, query.Resource.ToString(), query.MaxRps, query.ExtractHeaders));
        Assert.Empty(_investigator.Paths!);

        // One inbound request of test-2 (a path of its own) and one it sent (no path of its own).
        tap.Send(new TappedEvent("default/test-2-0", TapData.Init(1, path: "/v1/test-2?x=1", method: "POST", direction: "inbound")),
            new TappedEvent("default/test-2-0", TapData.Response(1, 200, 262)), new TappedEvent("default/test-2-0", TapData.End(1)));
        tap.Send(TapData.Request(2, pod: "default/test-2-0"));
        cut.WaitForAssertion(() =>
        {
            _time.Advance(TimeSpan.FromSeconds(15));
            Assert.Equal([("/v1/test-2", 262.0, false)], _investigator.Paths!.Select(p => (p.Route, p.LatencyMs, p.Failed)));
        }, TestTimeouts.Default);
    }

    [Fact]
    public void Without_tap_the_panel_says_paths_are_not_judged()
    {
        _context.Services.AddSingleton<ITapService>(new FakeTapService(new TapAvailability(FakeTapService.Settings(token: null)), _time));
        _investigator.Answer = ExternalSpikes();

        var cut = Render();

        cut.WaitForAssertion(() => Assert.StartsWith("No paths: tap is off (", cut.Find(".paths-note").TextContent, StringComparison.Ordinal), TestTimeouts.Default);
        Assert.Empty(_investigator.Paths!);
    }

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();

    private sealed class FixedInvestigator : IInvestigator
    {
        public Diagnosis? Answer { get; set; }
        public PrometheusException? Failure { get; set; }
        public StatWindow Lookback { get; private set; }
        public DateTimeOffset? At { get; private set; }

        /// <summary>The tapped requests the last investigation was given.</summary>
        public IReadOnlyList<PathSample>? Paths { get; private set; }

        public Task<Diagnosis> InvestigateAsync(ResourceKey resource, StatWindow lookback, DateTimeOffset? at, CancellationToken cancellationToken) =>
            InvestigateAsync(resource, lookback, at, null, cancellationToken);

        public Task<Diagnosis> InvestigateAsync(
            ResourceKey resource, StatWindow lookback, DateTimeOffset? at, IReadOnlyList<PathSample>? paths, CancellationToken cancellationToken)
        {
            (Lookback, At, Paths) = (lookback, at, paths);
            return Failure is { } failure ? Task.FromException<Diagnosis>(failure) : Task.FromResult(Answer!);
        }

        public Task<IReadOnlyDictionary<ResourceKey, int>> EpisodesByRowAsync(WorkloadKind kind, string? @namespace, StatWindow lookback, CancellationToken cancellationToken) =>
            Task.FromResult<IReadOnlyDictionary<ResourceKey, int>>(new Dictionary<ResourceKey, int>());
    }
}
