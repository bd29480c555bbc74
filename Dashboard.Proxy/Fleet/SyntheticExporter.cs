using System.Globalization;
using System.Text;
using Dashboard.Contracts.Metrics;

namespace Dashboard.Proxy.Fleet;

/// <summary>
/// Metrics of a synthetic pod, computed from the time since the fleet started: each deployment has its own
/// request rate, success rate and log-normal latency (drawn once from its name), so counters and histogram
/// buckets advance as a real proxy's would, in the proxy's exposition format.
/// </summary>
public sealed class SyntheticExporter(DateTimeOffset started)
{
    public string Render(FleetPod pod, int replicas, DateTimeOffset now)
    {
        var profile = Profile.Of(pod.Namespace, pod.Deployment!.Name);
        var elapsed = Math.Max(0, (now - started).TotalSeconds);
        var total = Math.Floor(profile.Rps / Math.Max(1, replicas) * elapsed);
        var failures = Math.Floor(total * (1 - profile.SuccessRate));
        var target = $"direction=\"inbound\",authority=\"{pod.Deployment.Name}.{pod.Namespace}.svc.cluster.local\",target_addr=\"{pod.AppListen}\",tls=\"disabled\"";
        var text = new StringBuilder();
        string F(double v) => v.ToString(CultureInfo.InvariantCulture);
        text.Append("# TYPE request_total counter\n").Append($"request_total{{{target}}} {F(total)}\n");
        text.Append("# TYPE response_total counter\n")
            .Append($"response_total{{{target},status_code=\"200\",classification=\"success\"}} {F(total - failures)}\n")
            .Append($"response_total{{{target},status_code=\"500\",classification=\"failure\"}} {F(failures)}\n");
        text.Append("# TYPE response_latency_ms histogram\n");
        foreach (var le in MetricNames.LatencyBucketsMs)
        {
            text.Append($"response_latency_ms_bucket{{{target},status_code=\"200\",le=\"{F(le)}\"}} {F(Math.Round(total * profile.Cdf(le)))}\n");
        }

        var sum = total * profile.MeanMs;
        text.Append($"response_latency_ms_bucket{{{target},status_code=\"200\",le=\"+Inf\"}} {F(total)}\n")
            .Append($"response_latency_ms_sum{{{target},status_code=\"200\"}} {F(Math.Round(sum, 3))}\n")
            .Append($"response_latency_ms_count{{{target},status_code=\"200\"}} {F(total)}\n");
        text.Append("# TYPE process_start_time_seconds gauge\n").Append($"process_start_time_seconds {F(started.ToUnixTimeSeconds())}\n");
        return text.ToString();
    }

    /// <summary>A deployment's traffic, drawn from a generator seeded by its name (stable across restarts).</summary>
    private sealed record Profile(double Rps, double SuccessRate, double P50Ms, double Sigma)
    {
        public double MeanMs => P50Ms * Math.Exp(Sigma * Sigma / 2);

        public static Profile Of(string ns, string deployment)
        {
            var random = new Random(StableHash($"{ns}/{deployment}"));
            var rps = Math.Exp(Math.Log(0.2) + (random.NextDouble() * Math.Log(100)));
            var draw = random.NextDouble();
            var success = draw < 0.7 ? 1.0 : draw < 0.9 ? 0.95 + (random.NextDouble() * 0.05) : 0.8 + (random.NextDouble() * 0.15);
            var p50 = Math.Exp(Math.Log(2) + (random.NextDouble() * Math.Log(100)));
            var p99OverP50 = 2 + (random.NextDouble() * 8);
            return new Profile(rps, success, p50, Math.Log(p99OverP50) / 2.3263478740408408);
        }

        public double Cdf(double ms) => 0.5 * Erfc(-(Math.Log(ms / P50Ms) / Sigma) / Math.Sqrt(2));

        private static int StableHash(string text)
        {
            var hash = 17;
            foreach (var c in text)
            {
                hash = unchecked((hash * 31) + c);
            }

            return hash;
        }

        // Abramowitz and Stegun 7.1.26 (absolute error below 1.5e-7): .NET has no erf.
        private static double Erfc(double x)
        {
            var z = Math.Abs(x);
            var t = 1 / (1 + (0.3275911 * z));
            var poly = t * (0.254829592 + (t * (-0.284496736 + (t * (1.421413741 + (t * (-1.453152027 + (t * 1.061405429))))))));
            var erfcPositive = poly * Math.Exp(-z * z);
            return x >= 0 ? erfcPositive : 2 - erfcPositive;
        }
    }
}
