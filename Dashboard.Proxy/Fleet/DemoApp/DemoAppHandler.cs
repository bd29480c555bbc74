using System.Globalization;

namespace Dashboard.Proxy.Fleet.DemoApp;

/// <summary>
/// A tiny application to put behind the proxy: <c>/</c> greets, <c>/status/{code}</c> answers that status,
/// <c>/delay/{ms}</c> answers after a pause, any other path echoes method and path.
/// </summary>
public static class DemoAppHandler
{
    public static async Task HandleAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        if (path.StartsWith("/status/", StringComparison.Ordinal) &&
            int.TryParse(path.AsSpan("/status/".Length), NumberStyles.None, CultureInfo.InvariantCulture, out var status) && status is >= 200 and <= 599)
        {
            context.Response.StatusCode = status;
            await context.Response.WriteAsync($"status {status}\n");
            return;
        }

        if (path.StartsWith("/delay/", StringComparison.Ordinal) &&
            int.TryParse(path.AsSpan("/delay/".Length), NumberStyles.None, CultureInfo.InvariantCulture, out var ms) && ms <= 60_000)
        {
            await Task.Delay(ms, context.RequestAborted);
            await context.Response.WriteAsync($"waited {ms}ms\n");
            return;
        }

        await context.Response.WriteAsync(path == "/" ? "hello from the demo app\n" : $"{context.Request.Method} {path}\n");
    }
}
