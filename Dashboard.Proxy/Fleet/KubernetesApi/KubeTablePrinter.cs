namespace Dashboard.Proxy.Fleet.KubernetesApi;

/// <summary>
/// Server-side printing for one resource. kubectl asks for a meta.k8s.io Table and, given a plain
/// list instead, prints only NAME and AGE: the columns users expect (READY, STATUS, ...) come from here.
/// </summary>
internal sealed class KubeTablePrinter
{
    private readonly Func<object, DateTimeOffset, object[]> _cells;

    private KubeTablePrinter(IReadOnlyList<KubeTableColumn> columns, Func<object, DateTimeOffset, object[]> cells)
    {
        Columns = columns;
        _cells = cells;
    }

    public IReadOnlyList<KubeTableColumn> Columns { get; }

    /// <summary>One cell per column: strings or integers, as the real printers emit them.</summary>
    public object[] Cells(object obj, DateTimeOffset now) => _cells(obj, now);

    public static KubeTablePrinter Create<T>(IReadOnlyList<KubeTableColumn> columns, Func<T, DateTimeOffset, object[]> cells) =>
        new(columns, (obj, now) => cells((T)obj, now));
}
