using Dashboard.Model;

namespace Dashboard.Cli.Stat;

/// <summary>Resource types as kubectl spells them: singular, plural and short names (<c>deploy</c>, <c>po</c>, <c>ns</c>, <c>sts</c>, <c>ds</c>), and <c>all</c>.</summary>
public static class ResourceTypes
{
    /// <summary>What <c>all</c> stands for: every kind with pods of its own, biggest first (namespaces are a scope, not a workload).</summary>
    public static IReadOnlyList<WorkloadKind> All { get; } = [.. WorkloadKindExtensions.InCliOrder.Where(k => k != WorkloadKind.Namespace)];

    /// <summary>The type that stands for <see cref="All"/>.</summary>
    public const string AllTypes = "all";

    public static string Expected { get; } =
        $"one of {string.Join(", ", WorkloadKindExtensions.InCliOrder.Select(k => k.ShortName()))} or {AllTypes} (or their kubectl names, such as deployment or pods)";

    /// <summary>The kinds <paramref name="type"/> names: one, or <see cref="All"/> for <c>all</c>.</summary>
    public static bool TryParse(string? type, out IReadOnlyList<WorkloadKind> kinds)
    {
        if (string.Equals(type, AllTypes, StringComparison.OrdinalIgnoreCase))
        {
            kinds = All;
            return true;
        }

        if (WorkloadKindExtensions.TryParseName(type, out var kind))
        {
            kinds = [kind];
            return true;
        }

        kinds = [];
        return false;
    }
}
