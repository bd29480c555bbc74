using k8s;
using k8s.Models;

namespace Dashboard.Proxy.Fleet.KubernetesApi;

/// <summary>
/// A parsed fieldSelector query: comma-joined <c>field=value</c>, <c>field==value</c> or
/// <c>field!=value</c>. Every resource supports metadata.name and metadata.namespace; pods also
/// the fields kubectl and controllers select on (node, phase, IP).
/// </summary>
internal sealed class FieldSelector
{
    private readonly IReadOnlyList<(string Field, bool Equal, string Value)> _requirements;

    private FieldSelector(IReadOnlyList<(string Field, bool Equal, string Value)> requirements) => _requirements = requirements;

    public static FieldSelector Everything { get; } = new([]);

    public static bool TryParse(string? text, Type modelType, out FieldSelector selector, out string error)
    {
        selector = Everything;
        error = "";
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }
        var requirements = new List<(string, bool, string)>();
        foreach (var part in text.Split(','))
        {
            var at = part.IndexOf('=', StringComparison.Ordinal);
            if (at < 0)
            {
                error = $"invalid selector: '{part}'; can't understand '{part}'";
                return false;
            }
            var notEqual = at > 0 && part[at - 1] == '!';
            var valueStart = at + (!notEqual && part.AsSpan(at + 1).StartsWith("=") ? 2 : 1);
            at -= notEqual ? 1 : 0;
            var field = part[..at].Trim();
            if (!IsSupported(field, modelType))
            {
                error = $"field label not supported: {field}";
                return false;
            }
            requirements.Add((field, !notEqual, part[valueStart..].Trim()));
        }
        selector = new FieldSelector(requirements);
        return true;
    }

    public bool Matches(IKubernetesObject<V1ObjectMeta> obj) =>
        _requirements.All(r => string.Equals(Value(obj, r.Field) ?? "", r.Value, StringComparison.Ordinal) == r.Equal);

    private static bool IsSupported(string field, Type modelType) =>
        field is "metadata.name" or "metadata.namespace"
        || (modelType == typeof(V1Pod) && field is "spec.nodeName" or "spec.serviceAccountName" or "status.phase" or "status.podIP" or "status.nominatedNodeName");

    private static string? Value(IKubernetesObject<V1ObjectMeta> obj, string field) => (field, obj) switch
    {
        ("metadata.name", _) => obj.Metadata.Name,
        ("metadata.namespace", _) => obj.Metadata.NamespaceProperty,
        ("spec.nodeName", V1Pod pod) => pod.Spec?.NodeName,
        ("spec.serviceAccountName", V1Pod pod) => pod.Spec?.ServiceAccountName,
        ("status.phase", V1Pod pod) => pod.Status?.Phase,
        ("status.podIP", V1Pod pod) => pod.Status?.PodIP,
        ("status.nominatedNodeName", V1Pod pod) => pod.Status?.NominatedNodeName,
        _ => null,
    };
}
