using Dashboard.Kubernetes;
using Dashboard.Services;
using Dashboard.Tap;

namespace Dashboard.Model;

/// <summary>
/// Live calls of one resource, for its page: the top of its tapped traffic (<see cref="Calls"/>). The tap runs in the
/// interactive circuit only, and only while the browser tab is visible, so a hidden tab costs the proxies nothing;
/// when tap cannot work, <see cref="Availability"/> says why and nothing starts.
/// </summary>
public sealed class LiveCallsViewModel : IAsyncDisposable
{
    /// <summary>A smaller budget than a tap of one's own: every resource page opens one.</summary>
    public const double MaxRps = 50;

    private readonly PageVisibility _visibility;
    private readonly ViewHost _host;
    private readonly bool _interactive;
    private TapQuery? _started;

    /// <param name="interactive">Whether the view is the interactive circuit's: a prerender never taps.</param>
    public LiveCallsViewModel(ITapService tap, IKubernetesInventory inventory, TimeProvider time, PageVisibility visibility, ViewHost host, bool interactive)
    {
        ArgumentNullException.ThrowIfNull(tap);
        ArgumentNullException.ThrowIfNull(visibility);
        ArgumentNullException.ThrowIfNull(host);
        _visibility = visibility;
        _host = host;
        _interactive = interactive;
        Calls = new TapViewModel(tap, inventory, time, host.Dispatch, host.Render, host.OnError, historyCapacity: 0);
        _visibility.Changed += OnVisibilityChanged;
    }

    public string Namespace { get; set; } = "";
    public WorkloadKind Kind { get; set; }
    /// <summary>The resource's name; for <see cref="WorkloadKind.Namespace"/>, the namespace itself.</summary>
    public string Name { get; set; } = "";

    /// <summary>Whether tap can work at all (<see cref="TapViewModel.Availability"/>).</summary>
    public TapAvailability Availability => Calls.Availability;

    /// <summary>The live tap: its rows, top and pods.</summary>
    public TapViewModel Calls { get; }

    /// <summary>The resource as the CLI names it (<c>deploy/web</c>).</summary>
    public string Resource => new TapResource(Kind, Name).ToString();

    /// <summary>The tap of the resource; null when its names are not Kubernetes names (nothing to tap).</summary>
    public TapQuery? Query => TapResource.IsName(Namespace) && TapResource.IsName(Name)
        ? new TapQuery { Namespace = Namespace, Resource = Kind == WorkloadKind.Namespace ? null : new TapResource(Kind, Name), MaxRps = MaxRps, ExtractHeaders = false }
        : null;

    /// <summary>Taps the resource now asked for, if it is another one, in the interactive view of a visible tab, when tap can work.</summary>
    public Task StartIfWantedAsync()
    {
        if (_interactive && _visibility.IsVisible && Query is { } query && query != _started && Availability.Disabled is null)
        {
            _started = query;
            return Calls.StartAsync(query);
        }

        return Task.CompletedTask;
    }

    private void OnVisibilityChanged(bool visible) => _ = _host.Dispatch(async () =>
    {
        if (visible)
        {
            await StartIfWantedAsync();
        }
        else
        {
            _started = null;
            await Calls.StopAsync();
        }

        await _host.Render();
    });

    public async ValueTask DisposeAsync()
    {
        _visibility.Changed -= OnVisibilityChanged;
        await Calls.DisposeAsync();
    }
}
