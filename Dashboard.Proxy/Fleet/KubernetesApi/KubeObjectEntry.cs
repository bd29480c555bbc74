using k8s;
using k8s.Models;

namespace Dashboard.Proxy.Fleet.KubernetesApi;

/// <summary>
/// One stored object: the store's private copy and its JSON, serialized once so that lists and
/// watches copy text instead of re-serializing the object for every reader.
/// </summary>
internal sealed record KubeObjectEntry(Type ModelType, IKubernetesObject<V1ObjectMeta> Object, string Json, long ResourceVersion)
{
    public string? Namespace => Object.Metadata.NamespaceProperty;

    public string Name => Object.Metadata.Name;

    public IDictionary<string, string>? Labels => Object.Metadata.Labels;
}
