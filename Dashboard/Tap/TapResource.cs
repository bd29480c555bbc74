using System.Diagnostics.CodeAnalysis;
using Dashboard.Model;

namespace Dashboard.Tap;

/// <summary>
/// A resource a tap targets or filters on, written as the CLI writes it: <c>deploy/web</c>, <c>po/web-0</c>,
/// <c>ns/default</c> (Linkerd's short kinds; the long and plural spellings are accepted too).
/// </summary>
public readonly record struct TapResource(WorkloadKind Kind, string Name)
{
    public const string Expected = "kind/name such as deploy/web, sts/db, ds/agent, job/migrate, po/web-0 or ns/default";

    private static readonly (string Alias, WorkloadKind Kind)[] Aliases =
    [
        ("deploy", WorkloadKind.Deployment), ("deployment", WorkloadKind.Deployment), ("deployments", WorkloadKind.Deployment),
        ("sts", WorkloadKind.StatefulSet), ("statefulset", WorkloadKind.StatefulSet), ("statefulsets", WorkloadKind.StatefulSet),
        ("ds", WorkloadKind.DaemonSet), ("daemonset", WorkloadKind.DaemonSet), ("daemonsets", WorkloadKind.DaemonSet),
        ("job", WorkloadKind.Job), ("jobs", WorkloadKind.Job),
        ("po", WorkloadKind.Pod), ("pod", WorkloadKind.Pod), ("pods", WorkloadKind.Pod),
        ("ns", WorkloadKind.Namespace), ("namespace", WorkloadKind.Namespace), ("namespaces", WorkloadKind.Namespace),
    ];

    /// <summary>The short spelling of a kind, as Linkerd's CLI prints it.</summary>
    public static string ShortKind(WorkloadKind kind) => kind switch
    {
        WorkloadKind.Deployment => "deploy",
        WorkloadKind.StatefulSet => "sts",
        WorkloadKind.DaemonSet => "ds",
        WorkloadKind.Job => "job",
        WorkloadKind.Pod => "po",
        _ => "ns",
    };

    public static bool TryParse(string? text, [NotNullWhen(true)] out TapResource? resource)
    {
        resource = null;
        var parts = text?.Trim().Split('/');
        if (parts is not [var kindText, var name] || !IsName(name))
        {
            return false;
        }

        foreach (var (alias, kind) in Aliases)
        {
            if (string.Equals(alias, kindText, StringComparison.OrdinalIgnoreCase))
            {
                resource = new TapResource(kind, name);
                return true;
            }
        }

        return false;
    }

    /// <summary>A Kubernetes object name: lower-case letters, digits, '-' and '.', at most 253 characters.</summary>
    public static bool IsName(string? name) =>
        name is { Length: > 0 and <= 253 } && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '.');

    public override string ToString() => $"{ShortKind(Kind)}/{Name}";
}
