using System.Globalization;
using System.Text;
using Dashboard.Contracts.Metrics;

namespace Dashboard.Tests.Metrics;

/// <summary>
/// A proxy's /metrics in Linkerd's format, with counts the test sets. Like the real proxy it carries no
/// namespace/deployment/pod labels: Prometheus adds those from the scrape configuration.
/// </summary>
internal sealed class LinkerdExposition
{
    private volatile string _text = "";

    public string Text => _text;

    /// <summary>
    /// Inbound responses so far: successes over mTLS, failures without identity, and every response's
    /// latency observed at <paramref name="latencyMs"/>.
    /// </summary>
    public void Set(long successes, long failures, double latencyMs)
    {
        var text = new StringBuilder();
        text.Append("# TYPE ").Append(MetricNames.ResponseTotal).Append(" counter\n");
        Line(text, MetricNames.ResponseTotal, """direction="inbound",tls="true",status_code="200",classification="success" """, successes);
        Line(text, MetricNames.ResponseTotal, """direction="inbound",tls="no_identity",no_tls_reason="no_tls_from_remote",status_code="500",classification="failure" """, failures);

        var total = successes + failures;
        text.Append("# TYPE ").Append(MetricNames.ResponseLatencyMs).Append(" histogram\n");
        foreach (var bound in MetricNames.LatencyBucketsMs)
        {
            var le = bound.ToString(CultureInfo.InvariantCulture);
            Line(text, MetricNames.ResponseLatencyMs + "_bucket", $"""direction="inbound",tls="true",le="{le}" """, bound >= latencyMs ? total : 0);
        }

        Line(text, MetricNames.ResponseLatencyMs + "_bucket", """direction="inbound",tls="true",le="+Inf" """, total);
        Line(text, MetricNames.ResponseLatencyMs + "_count", """direction="inbound",tls="true" """, total);
        Line(text, MetricNames.ResponseLatencyMs + "_sum", """direction="inbound",tls="true" """, total * latencyMs);
        _text = text.ToString();
    }

    private static void Line(StringBuilder text, string name, string labels, double value) =>
        text.Append(name).Append('{').Append(labels.TrimEnd()).Append("} ")
            .Append(value.ToString(CultureInfo.InvariantCulture)).Append('\n');
}
