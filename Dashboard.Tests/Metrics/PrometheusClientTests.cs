using Dashboard.Metrics;
using Microsoft.AspNetCore.Http;

namespace Dashboard.Tests.Metrics;

/// <summary><see cref="PrometheusClient"/> against a real HTTP server answering canned Prometheus JSON.</summary>
public sealed class PrometheusClientTests
{
    private const string Query = """sum(increase(response_total{direction="inbound"}[1m])) by (namespace, deployment)""";

    [Fact]
    public async Task Reads_an_instant_vector_with_NaN_and_infinities()
    {
        await using var prometheus = await FakePrometheus.StartAsync((context, _) => FakePrometheus.WriteAsync(context, FakePrometheus.Vector(
            (FakePrometheus.Labels("namespace", "default", "deployment", "web"), "12.5"),
            (FakePrometheus.Labels("deployment", "idle"), "NaN"),
            (FakePrometheus.Labels("deployment", "slow"), "+Inf"),
            (FakePrometheus.Labels("deployment", "odd"), "-Inf"),
            (FakePrometheus.Labels(), "1e3"))));
        using var http = new HttpClient();
        var client = new PrometheusClient(http, prometheus.Url);
        var at = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_250);

        var samples = await client.QueryAsync(Query, at, TestTimeouts.Token).Within();

        Assert.Equal([12.5, null, double.PositiveInfinity, double.NegativeInfinity, 1000], samples.Select(s => s.Value));
        Assert.Equal("web", samples[0].Label("deployment"));
        Assert.Equal("default", samples[0].Labels["namespace"]);
        Assert.Null(samples[1].Label("namespace"));
        Assert.Empty(samples[4].Labels);
        var request = Assert.Single(prometheus.Requests);
        Assert.StartsWith("/api/v1/query?", request, StringComparison.Ordinal);
        Assert.Contains("&time=1700000000.25", request, StringComparison.Ordinal);
        Assert.Contains("&timeout=10", request, StringComparison.Ordinal);
        Assert.Equal(Query, Assert.Single(prometheus.Queries));
        Assert.Equal(1, client.QueriesSent);
    }

    [Fact]
    public async Task Label_values_with_escapes_are_read_as_written_and_repeated_ones_are_one_string()
    {
        // Escaped in the JSON as Prometheus writes them: a quote, a backslash, a non-ASCII letter, a long value.
        const string path = """/caf\u00e9/\"quoted\"/back\\slash""";
        var long_ = new string('x', 300);
        await using var prometheus = await FakePrometheus.StartAsync((context, _) => FakePrometheus.WriteAsync(context, $$$"""
            {"status":"success","data":{"resultType":"vector","result":[
              {"metric":{"pod":"web-1","path":"{{{path}}}","le":"+Inf"},"value":[1700000000.5,"1"]},
              {"metric":{"pod":"web-1","path":"{{{long_}}}","le":"+Inf"},"value":[1700000000.5,"2"]},
              {"metric":{"pod":"web-1","p\u0061th":"café","le":"+Inf"},"value":[1700000000.5,"3"]}]}}
            """));
        using var http = new HttpClient();

        var samples = await new PrometheusClient(http, prometheus.Url).QueryAsync(Query, null, TestTimeouts.Token).Within();

        Assert.Equal(["/café/\"quoted\"/back\\slash", long_, "café"], samples.Select(s => s.Label("path")));
        Assert.Same(samples[0].Label("pod"), samples[2].Label("pod"));
        Assert.Same(samples[0].Label("le"), samples[1].Label("le"));
        Assert.Equal(["pod", "path", "le"], samples[2].Labels.Keys);
    }

    [Fact]
    public async Task A_label_that_is_not_a_string_is_not_prometheus_format()
    {
        await using var prometheus = await FakePrometheus.StartAsync((context, _) => FakePrometheus.WriteAsync(context, """
            {"status":"success","data":{"resultType":"vector","result":[{"metric":{"pod":7},"value":[1700000000.5,"1"]}]}}
            """));
        using var http = new HttpClient();

        var thrown = await Assert.ThrowsAsync<PrometheusUnavailableException>(
            () => new PrometheusClient(http, prometheus.Url).QueryAsync(Query, null, TestTimeouts.Token)).Within();

        Assert.Contains("its answer is not in Prometheus' format (label 'pod' is not a string)", thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reads_a_range_matrix_and_keeps_a_path_prefix()
    {
        const string matrix = """
            {"status":"success","data":{"resultType":"matrix","result":[
              {"metric":{"deployment":"web"},"values":[[1700000000,"1.5"],[1700000060,"NaN"],[1700000120,"3"]]}]}}
            """;
        await using var prometheus = await FakePrometheus.StartAsync((context, _) => FakePrometheus.WriteAsync(context, matrix));
        using var http = new HttpClient();
        var client = new PrometheusClient(http, new Uri(prometheus.Url, "/prom"));
        var start = DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

        var series = await client.QueryRangeAsync(Query, start, start.AddMinutes(2), TimeSpan.FromMinutes(1), TestTimeouts.Token).Within();

        var web = Assert.Single(series);
        Assert.Equal("web", web.Labels["deployment"]);
        Assert.Equal([start, start.AddMinutes(1), start.AddMinutes(2)], web.Points.Select(p => p.Time));
        Assert.Equal([1.5, null, 3], web.Points.Select(p => p.Value));
        var request = Assert.Single(prometheus.Requests);
        Assert.StartsWith("/prom/api/v1/query_range?", request, StringComparison.Ordinal);
        Assert.EndsWith("&start=1700000000&end=1700000120&step=60", request, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(400, "bad_data", "1:52: parse error: unexpected \"}\"")]
    [InlineData(422, "execution", "many-to-many matching not allowed")]
    [InlineData(503, "timeout", "query timed out in expression evaluation")]
    public async Task An_error_answer_is_a_query_exception_naming_the_error_and_the_query(int status, string errorType, string error)
    {
        await using var prometheus = await FakePrometheus.StartAsync((context, _) =>
            FakePrometheus.WriteAsync(context, FakePrometheus.Error(errorType, error), status));
        using var http = new HttpClient();
        var client = new PrometheusClient(http, prometheus.Url);

        var thrown = await Assert.ThrowsAsync<PrometheusQueryException>(() => client.QueryAsync(Query, null, TestTimeouts.Token)).Within();

        Assert.Contains(error, thrown.Message, StringComparison.Ordinal);
        Assert.Contains(Query, thrown.Message, StringComparison.Ordinal);
        Assert.Equal(errorType, thrown.ErrorType);
        Assert.Equal(status, thrown.StatusCode);
        Assert.Equal(Query, thrown.Query);
    }

    [Fact]
    public async Task A_slow_answer_hits_the_query_timeout()
    {
        var release = new TaskCompletionSource();
        await using var prometheus = await FakePrometheus.StartAsync((context, _) => release.Task.WaitAsync(context.RequestAborted));
        using var http = new HttpClient();
        var client = new PrometheusClient(http, prometheus.Url, TimeSpan.FromMilliseconds(200));

        var thrown = await Assert.ThrowsAsync<PrometheusUnavailableException>(() => client.QueryAsync(Query, null, TestTimeouts.Token)).Within();

        Assert.Equal($"Prometheus at {prometheus.Url.AbsoluteUri.TrimEnd('/')} is unreachable: no answer within 0.2s", thrown.Message);
        release.SetResult();
    }

    [Fact]
    public async Task The_callers_cancellation_stays_a_cancellation()
    {
        var arrived = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var release = new TaskCompletionSource();
        await using var prometheus = await FakePrometheus.StartAsync((context, _) =>
        {
            arrived.TrySetResult();
            return release.Task.WaitAsync(context.RequestAborted);
        });
        using var http = new HttpClient();
        var client = new PrometheusClient(http, prometheus.Url);
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(TestTimeouts.Token);

        var query = client.QueryAsync(Query, null, cancel.Token);
        await arrived.Task.Within();
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => query).Within();
        release.SetResult();
    }

    [Fact]
    public async Task A_closed_port_is_unavailable_and_the_message_names_the_url()
    {
        var port = TestPorts.Free();
        using var http = new HttpClient();
        var client = new PrometheusClient(http, new Uri($"http://127.0.0.1:{port}"));

        var thrown = await Assert.ThrowsAsync<PrometheusUnavailableException>(() => client.QueryAsync(Query, null, TestTimeouts.Token)).Within();

        Assert.Equal($"Prometheus at http://127.0.0.1:{port} is unreachable: Connection refused", thrown.Message);
        Assert.Equal(new Uri($"http://127.0.0.1:{port}/"), thrown.Url);
    }

    [Theory]
    [InlineData(502, "<html>bad gateway</html>", "HTTP 502")]
    [InlineData(404, "404 page not found", "HTTP 404")]
    [InlineData(200, "<html>login</html>", "not JSON")]
    [InlineData(200, """{"status":"success","data":{"resultType":"matrix","result":[]}}""", "expected a vector")]
    public async Task An_answer_that_is_not_Prometheus_is_unavailable(int status, string body, string reason)
    {
        await using var prometheus = await FakePrometheus.StartAsync(async (context, _) =>
        {
            context.Response.StatusCode = status;
            await context.Response.WriteAsync(body, context.RequestAborted);
        });
        using var http = new HttpClient();
        var client = new PrometheusClient(http, prometheus.Url);

        var thrown = await Assert.ThrowsAsync<PrometheusUnavailableException>(() => client.QueryAsync(Query, null, TestTimeouts.Token)).Within();

        Assert.Contains(reason, thrown.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_base_address_must_be_absolute()
    {
        using var http = new HttpClient();
        Assert.Throws<ArgumentException>(() => new PrometheusClient(http, new Uri("/prometheus", UriKind.Relative)));
    }
}
