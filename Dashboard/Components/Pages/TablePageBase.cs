using Dashboard.Configuration;
using Dashboard.Model;
using Microsoft.AspNetCore.Components;

namespace Dashboard.Components.Pages;

/// <summary>
/// What table pages share: the window, sort and filter live in the query string, so a link reproduces the view.
/// </summary>
public abstract class TablePageBase : ComponentBase
{
    [Inject] protected NavigationManager Navigation { get; set; } = null!;
    [Inject] protected DashboardSettings Settings { get; set; } = null!;

    [SupplyParameterFromQuery(Name = "window")] public string? WindowText { get; set; }
    [SupplyParameterFromQuery(Name = "sort")] public string? Sort { get; set; }
    [SupplyParameterFromQuery(Name = "desc")] public bool Descending { get; set; }
    [SupplyParameterFromQuery(Name = "filter")] public string? Filter { get; set; }

    protected StatWindow Window { get; private set; }
    /// <summary>Why the window in the URL was not used, if it was not.</summary>
    protected string? WindowProblem { get; private set; }

    protected override void OnParametersSet()
    {
        WindowProblem = null;
        if (WindowText is null)
        {
            Window = StatWindow.Default;
        }
        else if (!StatWindow.TryParse(WindowText, out var window))
        {
            (Window, WindowProblem) = (StatWindow.Default, $"window '{WindowText}' is not {StatWindow.Expected}; showing {StatWindow.Default}.");
        }
        else if (window.Validate(Settings.Prometheus.ScrapeInterval) is { } reason)
        {
            (Window, WindowProblem) = (StatWindow.Default, $"{reason}; showing {StatWindow.Default}.");
        }
        else
        {
            Window = window;
        }
    }

    protected void SetWindow(StatWindow window) => Navigate(("window", window.ToString()));

    protected void SetFilter(string? filter) => Navigate(("filter", string.IsNullOrWhiteSpace(filter) ? null : filter));

    protected void SetSort(string column) =>
        Navigate(("sort", column), ("desc", column == (Sort ?? StatSort.Name) && !Descending ? "true" : null));

    private void Navigate(params (string Name, string? Value)[] changes) =>
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(changes.ToDictionary(c => c.Name, c => (object?)c.Value)), replace: true);
}
