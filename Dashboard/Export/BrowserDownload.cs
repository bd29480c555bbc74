using Microsoft.JSInterop;

namespace Dashboard.Export;

/// <summary>Saves an <see cref="ExportFile"/> in the browser, streamed over the circuit (no size limit of a JS call's arguments).</summary>
public static class BrowserDownload
{
    public static async Task SaveAsync(IJSRuntime js, ExportFile file, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(js);
        ArgumentNullException.ThrowIfNull(file);
        using var content = new MemoryStream(file.Bytes);
        using var stream = new DotNetStreamReference(content);
        await js.InvokeVoidAsync("dashboard.download", cancellationToken, file.FileName, file.ContentType, stream);
    }

    /// <summary>A file name with the moment it was taken, e.g. <c>top-deploy-web-20240101-120000</c>.</summary>
    public static string Stamped(string name, DateTimeOffset at) =>
        $"{string.Concat(name.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '-'))}-{at.UtcDateTime:yyyyMMdd-HHmmss}";
}
