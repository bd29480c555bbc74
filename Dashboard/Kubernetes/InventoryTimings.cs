namespace Dashboard.Kubernetes;

/// <summary>The inventory's timings; tests shorten them.</summary>
/// <param name="InitialBackoff">The wait before the first retry after a failure; doubles up to <paramref name="MaxBackoff"/>.</param>
/// <param name="Coalesce">At most one snapshot rebuild and one notification per this interval, however fast the watches change.</param>
/// <param name="WatchTimeout">The timeoutSeconds a watch asks for; the server then ends it and the watch resumes.</param>
public sealed record InventoryTimings(TimeSpan InitialBackoff, TimeSpan MaxBackoff, TimeSpan Coalesce, TimeSpan WatchTimeout)
{
    // client-go's reflector watches 5-10 minutes and backs off up to 30s; 5 min and 10s suit one dashboard.
    public static InventoryTimings Default { get; } = new(
        TimeSpan.FromMilliseconds(250), TimeSpan.FromSeconds(10), TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(5));
}
