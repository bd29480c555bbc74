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

    /// <summary>The resource <paramref name="text"/> (<c>kind/name</c>) names, the kind in any spelling <see cref="WorkloadKindExtensions.TryParseName"/> takes.</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out TapResource? resource)
    {
        resource = null;
        var parts = text?.Trim().Split('/');
        if (parts is not [var kindText, var name] || !IsName(name))
        {
            return false;
        }

        if (!WorkloadKindExtensions.TryParseName(kindText, out var kind))
        {
            return false;
        }

        resource = new TapResource(kind, name);
        return true;
    }

    /// <summary>A Kubernetes object name: lower-case letters, digits, '-' and '.', at most 253 characters.</summary>
    public static bool IsName(string? name) =>
        name is { Length: > 0 and <= 253 } && name.All(c => c is (>= 'a' and <= 'z') or (>= '0' and <= '9') or '-' or '.');

    /// <summary>This resource of <paramref name="namespace"/> (a namespace resource is itself, whatever is given).</summary>
    public ResourceKey In(string @namespace) => Kind == WorkloadKind.Namespace ? ResourceKey.ForNamespace(Name) : new ResourceKey(Kind, @namespace, Name);

    public override string ToString() => $"{Kind.ShortName()}/{Name}";
}
