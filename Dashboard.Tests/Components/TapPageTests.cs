using System.Text.Json;
using Bunit;
using Dashboard.Components.Controls;
using Dashboard.Components.Pages;
using Dashboard.Kubernetes;
using Dashboard.Model;
using Dashboard.Tap;
using Dashboard.Tests.Tap;
using Microsoft.AspNetCore.Components;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;
using Microsoft.JSInterop;
using MudBlazor.Services;

namespace Dashboard.Tests.Components;

/// <summary>
/// /tap, /top and the live-calls panel as rendered, fed events through a real session: folding on screen, coalesced
/// rendering, pause and resume, the command line, exports, and the one notice when tap cannot work.
/// </summary>
public sealed class TapPageTests : IAsyncDisposable
{
    private readonly BunitContext _context = new();
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2025-01-01T00:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private readonly TapAvailability _availability;
    private readonly FakeTapService _tap;

    public TapPageTests() : this(FakeTapService.Settings())
    {
    }

    private TapPageTests(Dashboard.Configuration.DashboardSettings settings)
    {
        _availability = new TapAvailability(settings);
        _tap = new FakeTapService(_availability, _time);
        Register(_context, _tap, _time);
    }

    /// <summary>What the tap components need: MudBlazor, a tap service fed by the test, an inventory, the test's clock.</summary>
    internal static void Register(BunitContext context, FakeTapService tap, TimeProvider time)
    {
        context.Services.AddMudServices();
        context.Services.AddSingleton<ITapService>(tap);
        context.Services.AddSingleton<IKubernetesInventory>(new FixedInventory(TapData.Snapshot()));
        context.Services.AddSingleton(time);
        context.Services.AddScoped<Dashboard.Services.PageVisibility>();
        context.Renderer.SetRendererInfo(new RendererInfo("Server", true));
        context.JSInterop.Mode = JSRuntimeMode.Loose;
        context.Render<MudBlazor.MudPopoverProvider>();
    }

    private IRenderedComponent<T> Open<T>(string query) where T : IComponent
    {
        _context.Services.GetRequiredService<NavigationManager>().NavigateTo(query);
        return _context.Render<T>();
    }

    private IRenderedComponent<TapPage> OpenTap() => Open<TapPage>("tap?namespace=default&resource=deploy/web&maxRps=20&autostart=true");

    /// <summary>The files the page saves; read during the call, while the page's stream is open.</summary>
    private List<(string Name, string Type, string Content)> CaptureDownloads()
    {
        var files = new List<(string, string, string)>();
        _context.JSInterop.SetupVoid("dashboard.download", call =>
        {
            var stream = ((DotNetStreamReference)call.Arguments[2]!).Stream;
            if (stream.Position == 0)
            {
                files.Add(((string)call.Arguments[0]!, (string)call.Arguments[1]!, new StreamReader(stream, leaveOpen: true).ReadToEnd()));
            }

            return true;
        });
        return files;
    }

    private static Task Received(TapViewModel model, long events) =>
        TestTimeouts.Eventually(() => Task.FromResult(model.Received >= events), $"{events} events to reach the page");

    [Fact]
    public void Autostart_starts_the_query_in_the_url_and_shows_the_command()
    {
        var cut = OpenTap();

        var query = Assert.Single(_tap.Started);
        Assert.Equal((new TapResource(WorkloadKind.Deployment, "web"), 20.0), (query.Resource, query.MaxRps));
        Assert.Equal("dashboard tap deploy/web --namespace default --max-rps 20", cut.Find("[data-testid=cli-command]").TextContent);
    }

    [Fact]
    public async Task A_requests_three_events_show_as_one_row_that_expands_to_headers_with_redaction()
    {
        var cut = OpenTap();
        var events = TapData.Request(1, 503, 12);
        events[0] = events[0] with { Event = events[0].Event with { Headers = [new() { Name = "authorization", Redacted = true }, new() { Name = "accept", Value = "*/*" }] } };

        _tap.Send(events);
        await Received(cut.Instance.Model, 3);
        _time.Advance(RenderThrottle.DefaultInterval);

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("tr.tap-row")));
        string[] cells = [.. cut.FindAll("tr.tap-row td").Select(td => td.TextContent.Trim())];
        Assert.Equal(["▸", "out", "web-1", "ml-0", "GET", "/v1/items", "503", "12ms"], cells[..8]);
        // When the proxy saw the request (TapData's 1,700,000,000,000,001 µs), in Unix milliseconds for a script's clock.
        Assert.Equal("1700000000000", cut.Find("tr.tap-row").GetAttribute("data-started-ms"));
        await cut.Find("tr.tap-row").ClickAsync(new());
        Assert.Equal("redacted", cut.Find("tr[data-header=authorization] td").TextContent.Trim());
        Assert.Equal("*/*", cut.Find("tr[data-header=accept] td").TextContent.Trim());
    }

    [Fact]
    public void The_tap_summary_says_and_carries_the_events_from_the_proxies_those_the_page_got_and_those_dropped()
    {
        var cut = _context.Render<TapPodsStatus>(p => p
            .Add(x => x.Pods, [new TapPodStatus("default", "web-1", TapPodState.Streaming, null, Events: 1200), new TapPodStatus("default", "web-2", TapPodState.Unreachable, "refused", Events: 34)])
            .Add(x => x.Received, 1150L)
            .Add(x => x.Dropped, 84L));

        var summary = cut.Find(".tap-summary");
        Assert.Equal(("1234", "1150", "84"), (summary.GetAttribute("data-streamed"), summary.GetAttribute("data-events"), summary.GetAttribute("data-dropped")));
        Assert.Contains("1150 events", summary.TextContent, StringComparison.Ordinal);
        Assert.Contains("84 dropped", summary.TextContent, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Rendering_is_coalesced_to_one_render_per_interval()
    {
        var cut = OpenTap();
        // The first events render at once...
        _tap.Send(TapData.Request(1));
        await Received(cut.Instance.Model, 3);
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("tr.tap-row")));

        // ...those that follow within the interval wait for its end, however many they are...
        for (var i = 2; i <= 50; i++)
        {
            _tap.Send(TapData.Request(i));
        }

        await Received(cut.Instance.Model, 150);
        Assert.Single(cut.FindAll("tr.tap-row"));
        _time.Advance(RenderThrottle.DefaultInterval / 2);
        Assert.Single(cut.FindAll("tr.tap-row"));

        // ...and then show all at once. The reading loop asks for the render just after it applies a batch, so under
        // the full suite's load it may ask only after the clock has moved: then the next interval brings it. A request
        // lost would never show, however far the clock went.
        _time.Advance(RenderThrottle.DefaultInterval / 2);
        await TestTimeouts.Eventually(() =>
        {
            if (cut.FindAll("tr.tap-row").Count == 50)
            {
                return Task.FromResult(true);
            }

            _time.Advance(RenderThrottle.DefaultInterval);
            return Task.FromResult(false);
        }, "the 49 coalesced requests to render");
    }

    [Fact]
    public void The_throttle_renders_at_most_once_per_interval()
    {
        var renders = 0;
        using var throttle = new RenderThrottle(TimeSpan.FromMilliseconds(100), _time, () =>
        {
            renders++;
            return Task.CompletedTask;
        });

        for (var i = 0; i < 1000; i++)
        {
            throttle.Request();
        }

        Assert.Equal(1, renders);
        _time.Advance(TimeSpan.FromMilliseconds(99));
        Assert.Equal(1, renders);
        _time.Advance(TimeSpan.FromMilliseconds(1));
        Assert.Equal(2, renders);
        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(2, renders);
        throttle.Request();
        Assert.Equal(3, renders);
    }

    [Fact]
    public async Task At_most_100_rows_show_newest_first()
    {
        var cut = OpenTap();
        for (var i = 1; i <= 130; i++)
        {
            _tap.Send(TapData.Request(i, path: $"/r/{i}"));
        }

        await Received(cut.Instance.Model, 390);
        _time.Advance(RenderThrottle.DefaultInterval);

        cut.WaitForAssertion(() => Assert.Equal(TapViewModel.MaxRows, cut.FindAll("tr.tap-row").Count));
        Assert.Equal("/r/130", cut.Find("tr.tap-row td.path").TextContent);
    }

    [Fact]
    public async Task Pause_holds_new_rows_and_resume_shows_them()
    {
        var cut = OpenTap();
        _tap.Send(TapData.Request(1));
        await Received(cut.Instance.Model, 3);
        _time.Advance(RenderThrottle.DefaultInterval);
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("tr.tap-row")));

        await cut.Find("button.tap-pause").ClickAsync(new());
        _tap.Send(TapData.Request(2));
        _tap.Send(TapData.Request(3));
        await Received(cut.Instance.Model, 9);
        _time.Advance(RenderThrottle.DefaultInterval);

        cut.WaitForAssertion(() => Assert.Contains("Paused: 6 events held", cut.Find(".tap-paused").TextContent, StringComparison.Ordinal));
        Assert.Single(cut.FindAll("tr.tap-row"));
        Assert.Equal("Resume", cut.Find("button.tap-pause").TextContent.Trim());

        await cut.Find("button.tap-pause").ClickAsync(new());
        _time.Advance(RenderThrottle.DefaultInterval);
        cut.WaitForAssertion(() => Assert.Equal(3, cut.FindAll("tr.tap-row").Count));
        Assert.Empty(cut.FindAll(".tap-paused"));
    }

    [Fact]
    public async Task The_pause_buffer_is_bounded_and_counts_what_it_dropped()
    {
        await using var model = new TapViewModel(_tap, new FixedInventory(TapData.Snapshot()), _time, w => w(), () => Task.CompletedTask, _ => Task.CompletedTask);
        await model.StartAsync(new TapQuery { Namespace = "default" });
        model.Pause();

        var batch = Enumerable.Range(1, TapViewModel.MaxPausedEvents + 50).Select(i => new TappedEvent("p", TapData.Init(i))).ToList();
        model.Receive(batch);

        Assert.Equal((TapViewModel.MaxPausedEvents, 50L), (model.Buffered, model.PausedDropped));
        model.Resume();
        Assert.Equal(TapViewModel.MaxRows, model.Rows.Count);
        Assert.Equal(TapViewModel.MaxPausedEvents + 50, model.Rows[0].Id.Stream);
    }

    [Fact]
    public async Task The_ndjson_export_holds_the_completed_rows()
    {
        var cut = OpenTap();
        _tap.Send(TapData.Request(1, 200, 4));
        _tap.Send(TapData.Request(2, 500, 9, "/v1/fail"));
        await Received(cut.Instance.Model, 6);
        _time.Advance(RenderThrottle.DefaultInterval);
        cut.WaitForAssertion(() => Assert.False(cut.Find("button.export-ndjson").HasAttribute("disabled")));
        var files = CaptureDownloads();

        await cut.Find("button.export-ndjson").ClickAsync(new());

        var (name, type, text) = Assert.Single(files);
        Assert.Equal(("tap-deploy-web-20250101-000000.ndjson", "application/x-ndjson"), (name, type));
        var rows = text.TrimEnd('\n').Split('\n').Select(line => JsonDocument.Parse(line).RootElement).ToList();
        Assert.Equal([("/v1/items", 200), ("/v1/fail", 500)], rows.Select(r => (r.GetProperty("path").GetString(), r.GetProperty("status").GetInt32())));
    }

    [Fact]
    public async Task Top_aggregates_and_exports_csv_and_json()
    {
        var cut = Open<TopPage>("top?namespace=default&resource=deploy/web&autostart=true");
        _tap.Send(TapData.Request(1, 200, 4));
        _tap.Send(TapData.Request(2, 500, 8));
        _tap.Send(TapData.Request(3, 200, 2, "/healthy"));
        await Received(cut.Instance.Model, 9);
        _time.Advance(RenderThrottle.DefaultInterval);

        cut.WaitForAssertion(() => Assert.Equal(2, cut.FindAll("tr.top-row").Count));
        string[] first = [.. cut.FindAll("tr.top-row")[0].QuerySelectorAll("td").Select(td => td.TextContent.Trim())];
        Assert.Equal(["web-1", "ml-0", "GET", "/v1/items", "2", "4ms", "8ms", "8ms", "50.00%", "4ms (2)", "8ms", "100%", "tap"], first);
        Assert.Contains("path=%2Fv1%2Fitems", cut.Find("tr.top-row a.tap-link").GetAttribute("href"), StringComparison.Ordinal);
        Assert.Equal("dashboard top deploy/web --namespace default", cut.Find("[data-testid=cli-command]").TextContent);

        var files = CaptureDownloads();
        await cut.Find("button.export-csv").ClickAsync(new());
        await cut.Find("button.export-json").ClickAsync(new());

        Assert.Equal(["text/csv", "application/json"], files.Select(f => f.Type));
        Assert.Equal("web-1,ml-0,GET,/v1/items,2,1,0.5,4,8,8,4,8,2,1", files[0].Content.Split("\r\n")[1]);
        using var json = JsonDocument.Parse(files[1].Content);
        Assert.Equal(["/v1/items", "/healthy"], json.RootElement.EnumerateArray().Select(r => r.GetProperty("path").GetString()));
    }

    [Fact]
    public void Bad_query_fields_are_listed_and_nothing_starts()
    {
        var cut = Open<TapPage>("tap?namespace=default&resource=web&maxRps=-1&autostart=true");

        Assert.Empty(_tap.Started);
        var problems = cut.Find(".query-problems").TextContent;
        Assert.Contains("resource: 'web' is not a resource", problems, StringComparison.Ordinal);
        Assert.Contains("maxRps: '-1'", problems, StringComparison.Ordinal);
        Assert.True(cut.Find("button.tap-start").HasAttribute("disabled"));
    }

    [Fact]
    public void The_live_calls_panel_shows_the_resources_top()
    {
        var cut = _context.Render<LiveCallsPanel>(p => p.Add(x => x.Namespace, "default").Add(x => x.Kind, WorkloadKind.Deployment).Add(x => x.Name, "web"));
        _tap.Send(TapData.Request(1, 200, 4));
        _time.Advance(RenderThrottle.DefaultInterval);

        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("tr.top-row")));
        var query = Assert.Single(_tap.Started);
        Assert.Equal((false, LiveCallsPanel.MaxRps), (query.ExtractHeaders, query.MaxRps));
        Assert.Contains("top?namespace=default&resource=deploy%2Fweb", cut.Find("a.open-top").GetAttribute("href"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_live_calls_panel_taps_only_while_the_tab_is_visible_and_not_when_prerendered()
    {
        _context.Renderer.SetRendererInfo(new RendererInfo("Static", false));
        _context.Render<LiveCallsPanel>(p => p.Add(x => x.Namespace, "default").Add(x => x.Kind, WorkloadKind.Deployment).Add(x => x.Name, "web"));
        Assert.Empty(_tap.Started);
        await _context.DisposeComponentsAsync(); // the prerender's instance ends with its response

        _context.Renderer.SetRendererInfo(new RendererInfo("Server", true));
        var cut = _context.Render<LiveCallsPanel>(p => p.Add(x => x.Namespace, "default").Add(x => x.Kind, WorkloadKind.Deployment).Add(x => x.Name, "web"));
        Assert.Single(_tap.Started);

        var visibility = _context.Services.GetRequiredService<Dashboard.Services.PageVisibility>();
        visibility.SetVisible(false);
        _tap.Send(TapData.Request(1, 200, 4));
        _time.Advance(RenderThrottle.DefaultInterval);
        cut.WaitForAssertion(() => Assert.Empty(cut.FindAll("tr.top-row")));
        Assert.Single(_tap.Started);

        visibility.SetVisible(true);
        cut.WaitForAssertion(() => Assert.Equal(2, _tap.Started.Count));
        _tap.Send(TapData.Request(2, 200, 4));
        _time.Advance(RenderThrottle.DefaultInterval);
        cut.WaitForAssertion(() => Assert.Single(cut.FindAll("tr.top-row")));
    }

    [Fact]
    public void A_refusal_by_the_proxies_replaces_live_panels_with_one_notice()
    {
        var cut = _context.Render<LiveCallsPanel>(p => p.Add(x => x.Namespace, "default").Add(x => x.Kind, WorkloadKind.Deployment).Add(x => x.Name, "web"));

        _availability.ReportRefused("the proxy refused the tap credential (401)");

        cut.WaitForAssertion(() => Assert.Contains("Tap was refused by the proxies: the proxy refused the tap credential (401)", cut.Find(".tap-unavailable").TextContent, StringComparison.Ordinal));
        Assert.Empty(cut.FindAll("table"));
    }

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();
}

/// <summary>With no token configured, tap is off: one notice, no form, no session, no error.</summary>
public sealed class TapDisabledTests : IAsyncDisposable
{
    private readonly BunitContext _context = new();
    private readonly FakeTapService _tap;

    public TapDisabledTests()
    {
        var time = new FakeTimeProvider();
        _tap = new FakeTapService(new TapAvailability(FakeTapService.Settings(token: null)), time);
        TapPageTests.Register(_context, _tap, time);
    }

    [Fact]
    public void Pages_and_panels_say_so_once_and_start_nothing()
    {
        _context.Services.GetRequiredService<NavigationManager>().NavigateTo("tap?namespace=default&autostart=true");
        var page = _context.Render<TapPage>();
        var panel = _context.Render<LiveCallsPanel>(p => p.Add(x => x.Namespace, "default").Add(x => x.Kind, WorkloadKind.Deployment).Add(x => x.Name, "web"));

        Assert.Contains("Tap is disabled: set Dashboard:Tap:Token", page.Find(".tap-unavailable").TextContent, StringComparison.Ordinal);
        Assert.Empty(page.FindAll("form"));
        Assert.Single(panel.FindAll(".tap-unavailable"));
        Assert.Empty(panel.FindAll("a.open-top"));
        Assert.Empty(_tap.Started);
    }

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();
}
