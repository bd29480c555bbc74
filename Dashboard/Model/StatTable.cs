namespace Dashboard.Model;

/// <summary>A loaded table: its rows, and why it is empty or incomplete when it is.</summary>
public sealed record StatTable(TableScope Scope, StatWindow Window, IReadOnlyList<StatTableRow> Rows, DateTimeOffset LoadedAt)
{
    /// <summary>Why the table shows no numbers, in words a user can act on; null when it has some.</summary>
    public string? EmptyReason { get; init; }

    /// <summary>The version of the Kubernetes inventory the rows came from.</summary>
    public long InventoryVersion { get; init; }
}
