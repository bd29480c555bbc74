using System.Globalization;
using System.Threading.Channels;
using Dashboard.Configuration;
using Dashboard.Kubernetes;
using Dashboard.Metrics;
using Dashboard.Model;
using Dashboard.Services;
using Microsoft.Extensions.Time.Testing;

namespace Dashboard.Tests.Model;

/// <summary>
/// The one refresh lifecycle every live table, chart and edge list shares, on a plain view model and a fake clock: it
/// loads at once and each interval while the tab is visible, skips the ticks while it is hidden, loads at once when
/// shown again or asked for other data, keeps the last data with the reason when Prometheus fails, hands any other
/// failure to the page, and does nothing once disposed or while prerendering.
/// </summary>
public sealed class LiveViewModelTests : IAsyncDisposable
{
    private static readonly TimeSpan Refresh = TimeSpan.FromSeconds(2);
    private readonly FakeTimeProvider _time = new(DateTimeOffset.Parse("2026-11-25T12:00:00Z", CultureInfo.InvariantCulture));
    private readonly PageVisibility _visibility = new();
    private readonly Channel<object> _loads = Channel.CreateUnbounded<object>();
    private readonly Channel<bool> _renders = Channel.CreateUnbounded<bool>();
    private readonly TaskCompletionSource<Exception> _failure = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CountingModel _model;

    public LiveViewModelTests()
    {
        var settings = new DashboardSettings(
            new PrometheusSettings(new Uri("http://127.0.0.1:9"), TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5)),
            KubernetesSource.Default, null, Refresh, [], "", null);
        var host = new ViewHost(work => work(), () => Task.FromResult(_renders.Writer.TryWrite(true)), e => Task.FromResult(_failure.TrySetResult(e)));
        _model = new CountingModel(settings, _time, _visibility, host, _loads.Writer);
    }

    private async Task<object> NextLoadAsync() => await _loads.Reader.ReadAsync(TestTimeouts.Token).AsTask().Within();

    /// <summary>A load has been taken in (the render comes after it).</summary>
    private async Task NextRenderAsync() => await _renders.Reader.ReadAsync(TestTimeouts.Token).AsTask().Within();

    [Fact]
    public async Task Loads_at_once_then_each_interval_while_visible_and_at_once_when_shown_again()
    {
        await _model.InitializeAsync(interactive: true);
        Assert.True(_model.IsLive);
        Assert.Equal("a", await NextLoadAsync());

        _time.Advance(Refresh);
        Assert.Equal("a", await NextLoadAsync());

        _visibility.SetVisible(false);
        _time.Advance(Refresh);
        _time.Advance(Refresh);
        _visibility.SetVisible(true);
        Assert.Equal("a", await NextLoadAsync());

        _time.Advance(Refresh);
        Assert.Equal("a", await NextLoadAsync());
        await _model.DisposeAsync().Within();

        // The two hidden ticks loaded nothing: after the loop has ended, no load is left over.
        Assert.False(_loads.Reader.TryRead(out _));
    }

    [Fact]
    public async Task Other_data_asked_for_loads_at_once_and_the_same_data_does_not()
    {
        await _model.InitializeAsync(interactive: true);
        Assert.Equal("a", await NextLoadAsync());
        await NextRenderAsync();

        _model.Asked = "b";
        await _model.RefreshIfChangedAsync().Within();
        Assert.Equal("b", await NextLoadAsync());

        await _model.RefreshIfChangedAsync().Within();
        await _model.DisposeAsync().Within();
        Assert.False(_loads.Reader.TryRead(out _));
    }

    [Fact]
    public async Task A_prometheus_failure_is_the_reason_the_data_is_old_until_a_load_succeeds()
    {
        _model.Next = new PrometheusUnavailableException(new Uri("http://127.0.0.1:9090"), "connection refused");
        await _model.InitializeAsync(interactive: true);
        await NextRenderAsync();

        Assert.Equal("Prometheus at http://127.0.0.1:9090 is unreachable: connection refused", _model.Error);

        _time.Advance(Refresh);
        Assert.Equal("a", await NextLoadAsync());
        await NextRenderAsync();
        Assert.Null(_model.Error);
    }

    [Fact]
    public async Task Any_other_failure_ends_the_loop_and_goes_to_the_page()
    {
        var bug = new InvalidOperationException("a bug");
        _model.Next = bug;

        await _model.InitializeAsync(interactive: true);

        Assert.Same(bug, await _failure.Task.Within());
    }

    [Fact]
    public async Task A_prerender_starts_nothing()
    {
        await _model.InitializeAsync(interactive: false);
        _time.Advance(Refresh);
        await _model.RefreshIfChangedAsync().Within();

        Assert.False(_model.IsLive);
        Assert.False(_loads.Reader.TryRead(out _));
    }

    public ValueTask DisposeAsync() => _model.DisposeAsync();

    private sealed class CountingModel(DashboardSettings settings, TimeProvider time, PageVisibility visibility, ViewHost host, ChannelWriter<object> loads)
        : LiveViewModel(settings, time, visibility, host)
    {
        public object Asked { get; set; } = "a";

        /// <summary>What the next load throws instead of loading.</summary>
        public Exception? Next { get; set; }

        protected override object Key => Asked;

        protected override Task LoadAsync(object key, CancellationToken cancellationToken)
        {
            if (Next is { } failure)
            {
                Next = null;
                throw failure;
            }

            loads.TryWrite(key);
            return Task.CompletedTask;
        }
    }
}
