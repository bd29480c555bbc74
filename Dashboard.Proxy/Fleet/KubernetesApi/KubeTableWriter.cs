using System.Buffers;
using System.Globalization;
using System.Text.Json;
using k8s;

namespace Dashboard.Proxy.Fleet.KubernetesApi;

/// <summary>
/// Writes a meta.k8s.io Table, the server-side printing kubectl asks for with
/// <c>Accept: application/json;as=Table;v=v1;g=meta.k8s.io</c>. Each row carries the object's
/// metadata (includeObject=Metadata, the default) because kubectl reads the namespace column of
/// <c>-A</c> and <c>--show-labels</c> from it.
/// </summary>
internal static class KubeTableWriter
{
    /// <summary>The Table version the client asks for ("v1" or "v1beta1"), or null for plain objects.</summary>
    public static string? RequestedVersion(string? accept)
    {
        foreach (var mediaRange in (accept ?? "").Split(',', StringSplitOptions.TrimEntries))
        {
            var parts = mediaRange.Split(';', StringSplitOptions.TrimEntries);
            if (parts[0] is not "application/json" || !parts.Contains("as=Table") || !parts.Contains("g=meta.k8s.io"))
            {
                continue;
            }
            if (parts.Contains("v=v1"))
            {
                return "v1";
            }
            if (parts.Contains("v=v1beta1"))
            {
                return "v1beta1";
            }
        }
        return null;
    }

    public static void Write(
        IBufferWriter<byte> output,
        string version,
        KubeResource resource,
        IEnumerable<KubeObjectEntry> items,
        long resourceVersion,
        string includeObject,
        DateTimeOffset now,
        bool includeColumns = true)
    {
        var apiVersion = $"meta.k8s.io/{version}";
        using var json = new Utf8JsonWriter(output, KubeApiResponses.WriterOptions);
        json.WriteStartObject();
        json.WriteString("kind", "Table");
        json.WriteString("apiVersion", apiVersion);
        json.WriteStartObject("metadata");
        json.WriteString("resourceVersion", resourceVersion.ToString(CultureInfo.InvariantCulture));
        json.WriteEndObject();
        json.WriteStartArray("columnDefinitions");
        foreach (var column in includeColumns ? resource.Printer.Columns : [])
        {
            json.WriteStartObject();
            json.WriteString("name", column.Name);
            json.WriteString("type", column.Type);
            json.WriteString("format", column.Format);
            json.WriteString("description", column.Description);
            json.WriteNumber("priority", column.Priority);
            json.WriteEndObject();
        }
        json.WriteEndArray();
        json.WriteStartArray("rows");
        foreach (var item in items)
        {
            WriteRow(json, resource, item, apiVersion, includeObject, now);
        }
        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>
    /// Renders watch events as one-row Tables, as the real server does for kubectl get -w. Only the
    /// first carries the columns: kubectl reuses the last columns it saw for a Table without them.
    /// </summary>
    public static Func<KubeObjectEntry, string> WatchRenderer(string version, KubeResource resource, string includeObject, TimeProvider timeProvider)
    {
        var first = true;
        return entry =>
        {
            var body = new ArrayBufferWriter<byte>();
            Write(body, version, resource, [entry], entry.ResourceVersion, includeObject, timeProvider.GetUtcNow(), includeColumns: first);
            first = false;
            return System.Text.Encoding.UTF8.GetString(body.WrittenSpan);
        };
    }

    private static void WriteRow(Utf8JsonWriter json, KubeResource resource, KubeObjectEntry item, string apiVersion, string includeObject, DateTimeOffset now)
    {
        json.WriteStartObject();
        json.WriteStartArray("cells");
        foreach (var cell in resource.Printer.Cells(item.Object, now))
        {
            if (cell is int number)
            {
                json.WriteNumberValue(number);
            }
            else
            {
                json.WriteStringValue(Convert.ToString(cell, CultureInfo.InvariantCulture));
            }
        }
        json.WriteEndArray();
        if (includeObject == "Object")
        {
            json.WritePropertyName("object");
            json.WriteRawValue(item.Json, skipInputValidation: true);
        }
        else if (includeObject == "Metadata")
        {
            json.WriteStartObject("object");
            json.WriteString("kind", "PartialObjectMetadata");
            json.WriteString("apiVersion", apiVersion);
            json.WritePropertyName("metadata");
            json.WriteRawValue(KubernetesJson.Serialize(item.Object.Metadata), skipInputValidation: true);
            json.WriteEndObject();
        }
        json.WriteEndObject();
    }
}
