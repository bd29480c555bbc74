using System.Net.Http.Json;
using System.Text.Json;

namespace Dashboard.Tests.Packaging;

/// <summary>
/// The relabelling the other packaging tests rely on is Prometheus' own: a real Prometheus runs the cluster's job
/// (its discovery swapped for a file holding the same pod metadata) and a job of awkward rules, and the labels
/// of its targets are the ones <see cref="Relabeller"/> computes.
/// </summary>
public sealed class RelabelAgainstPrometheusTests
{
    private const string Semantics = """
        - job_name: semantics
          relabel_configs:
            - {source_labels: [a, b], separator: /, regex: (x)-(y)/z, replacement: $2$1, target_label: joined}
            - {source_labels: [a], regex: x, replacement: anchored-both-ends, target_label: unanchored}
            - {source_labels: [a], replacement: $1x, target_label: go_group_name}
            - {source_labels: [a], replacement: "${1}x", target_label: braced}
            - {source_labels: [missing], regex: "", replacement: matched-empty, target_label: from_missing}
            - {source_labels: [b], target_label: "copy_$1"}
            - {source_labels: [a], regex: "(x)-.*", replacement: "$$1", target_label: dollar}
            - {source_labels: [upper], action: lowercase, target_label: lower}
            - {action: labelmap, regex: "(a|b)", replacement: "m_$1"}
            - {action: labeldrop, regex: "b|upper"}
            - {source_labels: [a], regex: "x-.*", action: keep}
            - {source_labels: [c], regex: "gone", action: drop}
            - {source_labels: [__meta_x], target_label: from_meta}
        """;

    [Fact]
    public async Task Prometheus_relabels_as_the_tests_do()
    {
        var directory = Directory.CreateTempSubdirectory("relabel-targets-");
        try
        {
            var podTargets = ClusterRelabelTests.Samples().Keys.SelectMany(PodTargets.Of).ToList();
            List<Dictionary<string, string>> semanticTargets =
            [
                new() { ["__address__"] = "127.0.0.1:9", ["a"] = "x-y", ["b"] = "z", ["upper"] = "MiXeD", ["__meta_x"] = "meta" },
                new() { ["__address__"] = "127.0.0.1:10", ["a"] = "y-x", ["b"] = "z" },
                new() { ["__address__"] = "127.0.0.1:11", ["a"] = "x-1", ["c"] = "gone" },
                new() { ["__address__"] = "127.0.0.1:12", ["a"] = "x-2", ["c"] = "stays" },
            ];
            var pods = Path.Combine(directory.FullName, "pods.json");
            var semantics = Path.Combine(directory.FullName, "semantics.json");
            await File.WriteAllTextAsync(pods, ScrapeJob.FileTargets(podTargets), TestTimeouts.Token);
            await File.WriteAllTextAsync(semantics, ScrapeJob.FileTargets(semanticTargets), TestTimeouts.Token);
            var semanticsJob = ScrapeJob.Named("scrape_configs:\n" + Semantics, "semantics");
            var scrapeConfigs = ScrapeJob.WithFileDiscovery(ScrapeJob.Named(Packaged.ClusterPrometheusConfig, ClusterRelabelTests.Job), pods) + "\n" +
                ScrapeJob.WithFileDiscovery(semanticsJob, semantics);
            await using var prometheus = await PrometheusServer.StartAsync(scrapeConfigs, "1m");

            var active = await ActiveTargetsAsync(prometheus, podTargets.Count + semanticTargets.Count);

            Assert.Equal(ClusterRelabelTests.Sorted(podTargets.Select(t => Relabeller.Target(t, ClusterRelabelTests.Job, ClusterRelabelTests.Rules)).OfType<Dictionary<string, string>>()),
                ClusterRelabelTests.Sorted(active[ClusterRelabelTests.Job]));
            var ours = semanticTargets.Select(t => Relabeller.Target(t, "semantics", ScrapeJob.RelabelRules(semanticsJob))).OfType<Dictionary<string, string>>().ToList();
            Assert.Equal(ClusterRelabelTests.Sorted(ours), ClusterRelabelTests.Sorted(active["semantics"]));
            Assert.Equal(2, ours.Count);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>The final labels of the active targets by scrape job, once every discovered target is either active or dropped.</summary>
    private static async Task<ILookup<string, Dictionary<string, string>>> ActiveTargetsAsync(PrometheusServer prometheus, int discovered)
    {
        using var http = new HttpClient { BaseAddress = prometheus.Url, Timeout = TestTimeouts.Default };
        JsonElement data = default;
        await TestTimeouts.Eventually(async () =>
        {
            data = (await http.GetFromJsonAsync<JsonElement>("/api/v1/targets?state=any", TestTimeouts.Token)).GetProperty("data");
            return data.GetProperty("activeTargets").GetArrayLength() + data.GetProperty("droppedTargets").GetArrayLength() == discovered;
        }, $"Prometheus to discover {discovered} targets from files");
        return data.GetProperty("activeTargets").EnumerateArray().ToLookup(
            t => t.GetProperty("scrapePool").GetString()!,
            t => t.GetProperty("labels").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!));
    }
}
