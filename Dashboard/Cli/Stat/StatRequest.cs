using Dashboard.Model;

namespace Dashboard.Cli.Stat;

/// <summary>One <c>stat</c> command line, parsed.</summary>
/// <param name="Namespace">The namespace of namespaced kinds; null with <c>-A</c>.</param>
/// <param name="At">The end of the window; null for now.</param>
/// <param name="Edge">With <c>--to</c>/<c>--from</c>: rows are the resource's callers (Inbound) or destinations (Outbound).</param>
/// <param name="Selector">A Kubernetes label selector (<c>-l</c>), applied by the API server.</param>
/// <param name="Unmeshed">Whether resources without a meshed pod are listed too.</param>
/// <param name="Compare">With <c>--compare</c>: the other window each number is printed beside.</param>
public sealed record StatRequest(
    IReadOnlyList<StatTarget> Targets,
    string? Namespace,
    StatWindow Window,
    DateTimeOffset? At,
    StatEdge? Edge,
    string? Selector,
    bool Unmeshed,
    CompareWindow? Compare = null);

/// <summary><c>--to deploy/web</c> (the callers of web: <see cref="EdgeDirection.Inbound"/>) or <c>--from deploy/web</c> (its destinations).</summary>
public sealed record StatEdge(ResourceKey Resource, EdgeDirection Direction)
{
    public override string ToString() =>
        $"{(Direction == EdgeDirection.Inbound ? "to" : "from")} {Resource.KindName}";
}

/// <summary>The rows of one kind, ordered; names asked for that do not exist; and why there are no numbers, if there are none.</summary>
public sealed record StatResult(WorkloadKind Kind, IReadOnlyList<StatTableRow> Rows, IReadOnlyList<string> Missing, string? Note);
