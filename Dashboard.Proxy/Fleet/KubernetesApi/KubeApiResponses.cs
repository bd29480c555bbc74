using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using k8s.Models;
using Microsoft.AspNetCore.Http;

namespace Dashboard.Proxy.Fleet.KubernetesApi;

/// <summary>Writes JSON bodies and the API's errors, which are always a v1 Status object, never an exception.</summary>
internal static class KubeApiResponses
{
    public const string JsonContentType = "application/json";

    /// <summary>
    /// Writes "&lt;none&gt;" and quotes as the real server does rather than as \u003C escapes; the
    /// relaxed encoder is safe here because these bodies go to API clients, never into HTML.
    /// </summary>
    public static JsonWriterOptions WriterOptions { get; } = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static Task WriteJsonAsync(HttpContext context, string json, int statusCode = StatusCodes.Status200OK) =>
        WriteAsync(context, Encoding.UTF8.GetBytes(json), JsonContentType, statusCode);

    public static async Task WriteAsync(HttpContext context, ReadOnlyMemory<byte> body, string contentType, int statusCode = StatusCodes.Status200OK)
    {
        var response = context.Response;
        response.StatusCode = statusCode;
        response.ContentType = contentType;
        response.ContentLength = body.Length;
        await response.Body.WriteAsync(body, context.RequestAborted);
    }

    public static V1Status Status(int code, string reason, string message, V1StatusDetails? details = null) => new()
    {
        Kind = "Status",
        ApiVersion = "v1",
        Metadata = new V1ListMeta(),
        Status = "Failure",
        Message = message,
        Reason = reason,
        Details = details,
        Code = code,
    };

    public static Task WriteStatusAsync(HttpContext context, int code, string reason, string message, V1StatusDetails? details = null) =>
        WriteJsonAsync(context, KubeStatusJson.Serialize(Status(code, reason, message, details)), code);

    // The real server's words for a path it does not serve.
    public static Task WriteNotFoundAsync(HttpContext context) =>
        WriteStatusAsync(context, StatusCodes.Status404NotFound, "NotFound", "the server could not find the requested resource");

    public static Task WriteObjectNotFoundAsync(HttpContext context, KubeResource resource, string name) =>
        WriteStatusAsync(context, StatusCodes.Status404NotFound, "NotFound", $"{resource.GroupResource} \"{name}\" not found",
            new V1StatusDetails { Name = name, Group = resource.Group.Length > 0 ? resource.Group : null, Kind = resource.Plural });

    public static Task WriteBadRequestAsync(HttpContext context, string message) =>
        WriteStatusAsync(context, StatusCodes.Status400BadRequest, "BadRequest", message);
}
