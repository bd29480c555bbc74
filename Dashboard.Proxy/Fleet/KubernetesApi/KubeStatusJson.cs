using System.Text.Json;
using k8s.Models;

namespace Dashboard.Proxy.Fleet.KubernetesApi;

/// <summary>
/// Serializes a <see cref="V1Status"/>. KubernetesJson cannot: the model's converter (which lets a
/// watch ERROR carry either a Status or an object) throws NotImplementedException on write.
/// </summary>
internal static class KubeStatusJson
{
    public static string Serialize(V1Status status)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, KubeApiResponses.WriterOptions))
        {
            json.WriteStartObject();
            json.WriteString("kind", status.Kind);
            json.WriteString("apiVersion", status.ApiVersion);
            json.WriteStartObject("metadata");
            json.WriteEndObject();
            json.WriteString("status", status.Status);
            json.WriteString("message", status.Message);
            json.WriteString("reason", status.Reason);
            if (status.Details is { } details)
            {
                json.WriteStartObject("details");
                WriteIfSet(json, "name", details.Name);
                WriteIfSet(json, "group", details.Group);
                WriteIfSet(json, "kind", details.Kind);
                json.WriteEndObject();
            }
            if (status.Code is { } code)
            {
                json.WriteNumber("code", code);
            }
            json.WriteEndObject();
        }
        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private static void WriteIfSet(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }
}
