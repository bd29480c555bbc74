using System.Buffers;
using System.Globalization;
using System.Text.Json;

namespace Dashboard.Proxy.Fleet.KubernetesApi;

/// <summary>
/// Writes a list (PodList, DeploymentList, ...) around the items' stored JSON, which
/// KubernetesJson produced once when the object was stored, so no list model is needed per kind.
/// </summary>
internal static class KubeListWriter
{
    public static void Write(IBufferWriter<byte> output, KubeResource resource, IEnumerable<KubeObjectEntry> items, long resourceVersion)
    {
        using var json = new Utf8JsonWriter(output, KubeApiResponses.WriterOptions);
        json.WriteStartObject();
        json.WriteString("kind", resource.ListKind);
        json.WriteString("apiVersion", resource.GroupVersion);
        json.WriteStartObject("metadata");
        json.WriteString("resourceVersion", resourceVersion.ToString(CultureInfo.InvariantCulture));
        json.WriteEndObject();
        json.WriteStartArray("items");
        foreach (var item in items)
        {
            json.WriteRawValue(item.Json, skipInputValidation: true);
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }
}
