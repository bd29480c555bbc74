using Dashboard.Metrics;
using Dashboard.Model;
using Microsoft.Extensions.Time.Testing;

namespace Dashboard.Tests.Metrics;

/// <summary>Chart series go through the shared cache, keyed by the expression and the range.</summary>
public sealed class MetricsServiceSeriesTests
{
    private const string Matrix = """
        {"status":"success","data":{"resultType":"matrix","result":[
          {"metric":{"namespace":"default","deployment":"web","classification":"success","tls":"true"},
           "values":[[1700000040,"6"],[1700000100,"9"]]}]}}
        """;

    [Fact]
    public async Task Viewers_of_the_same_chart_share_one_range_query()
    {
        await using var prometheus = await FakePrometheus.StartAsync((context, _) => FakePrometheus.WriteAsync(context, Matrix));
        using var http = new HttpClient();
        var client = new PrometheusClient(http, prometheus.Url);
        var service = new MetricsService(client, new QueryCache(new FakeTimeProvider()));
        var promql = PromQl.Counts(WorkloadKind.Deployment, PromSelector.Empty.With("namespace", "default"), StatWindow.Default);
        var now = DateTimeOffset.FromUnixTimeSeconds(1_700_000_130);

        var first = await service.GetSeriesAsync(promql, PromQl.ChartRange(StatWindow.Parse("1h"), now, TimeSpan.FromSeconds(1)), TestTimeouts.Token).Within();
        var second = await service.GetSeriesAsync(promql, PromQl.ChartRange(StatWindow.Parse("1h"), now.AddSeconds(20), TimeSpan.FromSeconds(1)), TestTimeouts.Token).Within();
        await service.GetSeriesAsync(promql, PromQl.ChartRange(StatWindow.Parse("1h"), now.AddSeconds(40), TimeSpan.FromSeconds(1)), TestTimeouts.Token).Within();

        Assert.Same(first, second); // 130 s and 150 s fall in the same one-minute step
        Assert.Equal([6.0, 9.0], Assert.Single(first).Points.Select(p => p.Value));
        Assert.Equal(2, client.QueriesSent); // 170 s is the next step
        Assert.EndsWith("&start=1699996500&end=1700000100&step=60", prometheus.Requests.First(), StringComparison.Ordinal);
    }
}
