using System.Collections.Concurrent;
using System.Text.Json;
using Microsoft.AspNetCore.Http;

namespace Dashboard.Tests.Metrics;

/// <summary>A real Kestrel server on 127.0.0.1:0 answering as Prometheus' query API would, with canned JSON.</summary>
internal sealed class FakePrometheus : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _requests = new();
    private readonly ConcurrentQueue<string> _queries = new();
    private Upstream? _server;

    private FakePrometheus()
    {
    }

    public Uri Url => new($"http://{_server!.Address}");

    /// <summary>Path and query string of every request, in arrival order.</summary>
    public IReadOnlyCollection<string> Requests => _requests;

    /// <summary>The <c>query</c> parameter of every request, in arrival order.</summary>
    public IReadOnlyCollection<string> Queries => _queries;

    public static async Task<FakePrometheus> StartAsync(Func<HttpContext, string, Task> answer)
    {
        var fake = new FakePrometheus();
        fake._server = await Upstream.StartAsync(async context =>
        {
            var query = context.Request.Query["query"].ToString();
            fake._requests.Enqueue(context.Request.Path + context.Request.QueryString);
            fake._queries.Enqueue(query);
            await answer(context, query);
        });
        return fake;
    }

    public static Task WriteAsync(HttpContext context, string json, int status = StatusCodes.Status200OK)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        return context.Response.WriteAsync(json, context.RequestAborted);
    }

    /// <summary>An instant-vector answer; each sample is its labels and its value as Prometheus writes it.</summary>
    public static string Vector(params (Dictionary<string, string> Metric, string Value)[] samples) =>
        JsonSerializer.Serialize(new
        {
            status = "success",
            data = new
            {
                resultType = "vector",
                result = samples.Select(s => new { metric = s.Metric, value = new object[] { 1_700_000_000.5, s.Value } }),
            },
        });

    public static string Error(string errorType, string error) =>
        JsonSerializer.Serialize(new { status = "error", errorType, error });

    public static Dictionary<string, string> Labels(params string[] pairs)
    {
        var labels = new Dictionary<string, string>();
        for (var i = 0; i < pairs.Length; i += 2)
        {
            labels[pairs[i]] = pairs[i + 1];
        }

        return labels;
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
