using Dashboard.Configuration;
using Dashboard.Model;
using Microsoft.AspNetCore.Components;

namespace Dashboard.Components.Pages;

/// <summary>
/// What table pages share: the window, sort and filter live in the query string, so a link reproduces the view
/// (<see cref="TableUrlState"/> reads it). Parameters arrive as text: a value of the wrong type is explained, not a failure.
/// </summary>
public abstract class TablePageBase : ViewComponentBase
{
    [Inject] protected NavigationManager Navigation { get; set; } = null!;
    [Inject] protected DashboardSettings Settings { get; set; } = null!;

    [SupplyParameterFromQuery(Name = "window")] public string? WindowText { get; set; }
    [SupplyParameterFromQuery(Name = "sort")] public string? SortText { get; set; }
    [SupplyParameterFromQuery(Name = "desc")] public string? DescendingText { get; set; }
    [SupplyParameterFromQuery(Name = "filter")] public string? FilterText { get; set; }
    [SupplyParameterFromQuery(Name = "compare")] public string? CompareText { get; set; }

    protected TableUrlState Url { get; private set; } = TableUrlState.Default;

    protected StatWindow Window => Url.Window;
    protected string? Sort => Url.Sort;
    protected bool Descending => Url.Descending;
    protected string? Filter => Url.Filter;
    /// <summary>The window the numbers are compared with; null when not comparing.</summary>
    protected CompareWindow? Compare => Url.Compare;

    /// <summary>Why some of the URL was not used, if it was not.</summary>
    protected string? UrlProblem => Url.Problem;

    protected override void OnParametersSet() =>
        Url = TableUrlState.Parse(WindowText, SortText, DescendingText, FilterText, Settings.Prometheus.ScrapeInterval, CompareText);

    protected void SetWindow(StatWindow window) => Navigate(("window", window.ToString()));

    protected void SetCompare(CompareWindow? compare) => Navigate(("compare", compare?.ToString()));

    protected void SetFilter(string? filter) => Navigate(("filter", string.IsNullOrWhiteSpace(filter) ? null : filter));

    protected void SetSort(string column) =>
        Navigate(("sort", column), ("desc", column == (Sort ?? StatSort.Name) && !Descending ? "true" : null));

    private void Navigate(params (string Name, string? Value)[] changes) =>
        Navigation.NavigateTo(Navigation.GetUriWithQueryParameters(changes.ToDictionary(c => c.Name, c => (object?)c.Value)), replace: true);
}
