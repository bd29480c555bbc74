using Dashboard.Kubernetes;
using Dashboard.Model;
using Dashboard.Tap;
using Microsoft.AspNetCore.Components;

namespace Dashboard.Components.Pages;

/// <summary>
/// What /tap and /top share: the query lives in the URL (with <c>autostart=true</c> a link starts the tap), the
/// form navigates, and a <see cref="TapViewModel"/> owns the live session, rows and top.
/// </summary>
public abstract class LiveTapPageBase : ViewComponentBase, IAsyncDisposable
{
    [Inject] protected NavigationManager Navigation { get; set; } = null!;
    [Inject] private ITapService Tap { get; set; } = null!;
    [Inject] private IKubernetesInventory Inventory { get; set; } = null!;
    [Inject] protected TimeProvider Time { get; set; } = null!;

    [SupplyParameterFromQuery(Name = "namespace")] public string? Namespace { get; set; }
    [SupplyParameterFromQuery(Name = "resource")] public string? Resource { get; set; }
    [SupplyParameterFromQuery(Name = "toNamespace")] public string? ToNamespace { get; set; }
    [SupplyParameterFromQuery(Name = "toResource")] public string? ToResource { get; set; }
    [SupplyParameterFromQuery(Name = "method")] public string? Method { get; set; }
    [SupplyParameterFromQuery(Name = "path")] public string? Path { get; set; }
    [SupplyParameterFromQuery(Name = "authority")] public string? Authority { get; set; }
    [SupplyParameterFromQuery(Name = "scheme")] public string? Scheme { get; set; }
    [SupplyParameterFromQuery(Name = "maxRps")] public string? MaxRps { get; set; }
    [SupplyParameterFromQuery(Name = "autostart")] public string? AutostartText { get; set; }

    /// <summary>The CLI verb of the page: <c>tap</c> or <c>top</c>.</summary>
    protected abstract string Verb { get; }

    public TapViewModel Model { get; private set; } = null!;

    /// <summary>The query as in the URL, which the form edits.</summary>
    protected TapQueryText Text { get; private set; } = new();

    protected IReadOnlyList<string> Problems { get; private set; } = [];

    private TapQuery? _running;
    private ShownRender _render = null!;

    protected override void OnInitialized()
    {
        // Rows render no faster than the browser shows them (ShownRender), so a slow browser never shows stale rows.
        _render = new ShownRender(work => InvokeAsync(work), StateHasChanged, Time);
        Model = new TapViewModel(Tap, Inventory, Time, Host.Dispatch, _render.RenderAsync, Host.OnError);
    }

    protected override void OnAfterRender(bool firstRender) => _render.Shown();

    protected override async Task OnParametersSetAsync()
    {
        Text = new TapQueryText
        {
            Namespace = Namespace ?? "default",
            Resource = Resource,
            ToNamespace = ToNamespace,
            ToResource = ToResource,
            Method = Method,
            Path = Path,
            Authority = Authority,
            Scheme = Scheme,
            MaxRps = MaxRps,
        };
        var (query, problems) = Text.Parse();
        var autostart = QueryFlag.Parse(AutostartText);
        Problems = autostart is null ? [.. problems, $"{QueryFlag.NotAFlag("autostart", AutostartText!)}; press Start to tap"] : problems;
        if (autostart == true && query is not null && Model.Availability.Disabled is null && (!Model.IsRunning || query != _running))
        {
            _running = query;
            await Model.StartAsync(query);
        }
    }

    /// <summary>Puts the query in the URL with <c>autostart=true</c>; the parameters that arrive start the tap.</summary>
    protected void Submit(TapQueryText text)
    {
        _running = null;
        var parameters = text.ToQueryParameters();
        parameters["autostart"] = "true";
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(parameters));
    }

    protected async Task StopAsync()
    {
        await Model.StopAsync();
        // A reload or a shared link no longer restarts what was stopped.
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameter("autostart", (string?)null), replace: true);
    }

    protected void TogglePause()
    {
        if (Model.IsPaused)
        {
            Model.Resume();
        }
        else
        {
            Model.Pause();
        }
    }

    /// <summary>The /tap link that shows the requests of one top row.</summary>
    protected string TapLink(TopRow row)
    {
        var text = (Model.Session?.Query is { } query ? TapQueryText.From(query) : Text) with { Method = row.Method, Path = row.Path };
        var parameters = text.ToQueryParameters();
        parameters["autostart"] = "true";
        return Navigation.GetUriWithQueryParameters(Navigation.BaseUri + "tap", parameters);
    }

    public async ValueTask DisposeAsync()
    {
        await Model.DisposeAsync();
        GC.SuppressFinalize(this);
    }
}
