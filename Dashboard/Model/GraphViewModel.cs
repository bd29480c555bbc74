using Dashboard.Configuration;
using Dashboard.Graph;
using Dashboard.Metrics;
using Dashboard.Services;

namespace Dashboard.Model;

/// <summary>
/// The graph page's graph: loaded from <see cref="IGraphService"/> for the URL's namespaces, window and toggles, and
/// refreshed at the dashboard's refresh interval; <see cref="View"/> is it with the find and hide expressions applied,
/// made anew when either the graph or the expressions change (a new <see cref="View"/> is what the page sends its script).
/// </summary>
public sealed class GraphViewModel(IGraphService graphs, DashboardSettings settings, TimeProvider time, PageVisibility visibility, ViewHost host)
    : LiveViewModel(settings, time, visibility, host)
{
    private GraphUrlState _url = GraphUrlState.Default;

    /// <summary>What the URL asks for; setting it makes <see cref="View"/> anew when find, hide or labels changed.</summary>
    public GraphUrlState Url
    {
        get => _url;
        set
        {
            ArgumentNullException.ThrowIfNull(value);
            var restyle = value.FindText != _url.FindText || value.HideText != _url.HideText || value.Labels != _url.Labels;
            _url = value;
            if (restyle && Graph is not null)
            {
                Show();
            }
        }
    }

    /// <summary>The graph loaded last; null before the first load.</summary>
    public ServiceGraph? Graph { get; private set; }

    /// <summary>What the page's script draws; <see cref="GraphView.Empty"/> before the first load.</summary>
    public GraphView View { get; private set; } = GraphView.Empty;

    /// <summary>The request of <see cref="Url"/>; all namespaces when it names none.</summary>
    public GraphRequest Request => new(_url.Namespaces.Count == 0 ? null : _url.Namespaces, _url.Window, _url.Pods, _url.Idle);

    // A string, not the request: its list of namespaces compares by reference.
    protected override object Key => (string.Join(',', _url.Namespaces), _url.Window, _url.Pods, _url.Idle);

    protected override async Task LoadAsync(object key, CancellationToken cancellationToken)
    {
        Graph = await graphs.GetAsync(Request, cancellationToken);
        Show();
    }

    protected override string Describe(PrometheusException failure) => $"{base.Describe(failure).TrimEnd('.')}. The graph shows the last numbers it had.";

    private void Show() => View = GraphView.Of(Graph!, _url.Find, _url.Hide, _url.Labels);
}
