using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Dashboard.Proxy.Fleet;
using Dashboard.Tests.Fleet;
using k8s;
using k8s.Models;

namespace Dashboard.Tests.Packaging;

/// <summary>
/// The cluster's Prometheus relabelling (docker/kubernetes/20-prometheus.yaml), applied to pod metadata as Kubernetes
/// discovery presents it, yields exactly the labels of the metric contract (docs/ARCHITECTURE.md §2): the labels the
/// bundled fleet's /fleet/sd gives the same pods.
/// </summary>
public sealed class ClusterRelabelTests
{
    internal const string Job = "linkerd-proxy";
    internal static readonly IReadOnlyList<RelabelRule> Rules = ScrapeJob.RelabelRules(ScrapeJob.Named(Packaged.ClusterPrometheusConfig, Job));

    [Fact]
    public async Task The_fleets_pods_get_the_labels_of_the_fleets_own_discovery()
    {
        await using var fleet = await TestFleet.StartAsync(new FleetOptions
        {
            Manifest = FleetFixture.Manifest,
            ApiListen = new IPEndPoint(IPAddress.Loopback, TestPorts.Free()),
            IpSecondOctet = 41,
            GenerateTraffic = false,
        });
        using var client = new k8s.Kubernetes(new KubernetesClientConfiguration { Host = fleet.ApiUrl.ToString() });
        var pods = await client.CoreV1.ListPodForAllNamespacesAsync(cancellationToken: TestTimeouts.Token).Within();
        using var http = new HttpClient { Timeout = TestTimeouts.Default };
        var sd = await http.GetFromJsonAsync<JsonElement>(new Uri(fleet.ApiUrl, "/fleet/sd"), TestTimeouts.Token).Within();

        var relabelled = pods.Items.SelectMany(PodTargets.Of).Select(t => Relabeller.Target(t, Job, Rules)).OfType<Dictionary<string, string>>();
        var local = sd.EnumerateArray().Select(group =>
        {
            var labels = group.GetProperty("labels").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);
            labels["job"] = Job;
            labels["instance"] = group.GetProperty("targets")[0].GetString()!;
            return labels;
        });

        Assert.True(sd.GetArrayLength() >= 4, $"the fleet discovers its meshed pods: {sd}");
        Assert.Equal(Sorted(local), Sorted(relabelled));
    }

    [Fact]
    public void Each_workload_kind_gets_its_label_and_only_running_meshed_proxies_admin_ports_are_kept()
    {
        foreach (var (pod, labels) in Samples())
        {
            var targets = PodTargets.Of(pod).Select(t => Relabeller.Target(t, Job, Rules)).OfType<Dictionary<string, string>>().ToList();
            Assert.Equal(labels is null ? [] : [Line(labels)], targets.Select(Line));
        }
    }

    /// <summary>Pods of every workload kind and of every reason to be left out, with the labels each must get (null: none).</summary>
    internal static Dictionary<V1Pod, Dictionary<string, string>?> Samples() => new()
        {
            [SamplePods.Pod("shop", "db-0", "10.2.0.5", SamplePods.Meshed("shop", "statefulset", "db", ("controller-revision-hash", "db-7d9f")), true, owner: "StatefulSet/db")] =
                Contract("shop", "db-0", "10.2.0.5", ("statefulset", "db")),
            [SamplePods.Pod("kube-system", "agent-x2k4q", "10.2.0.6", SamplePods.Meshed("kube-system", "daemonset", "agent"), true, owner: "DaemonSet/agent")] =
                Contract("kube-system", "agent-x2k4q", "10.2.0.6", ("daemonset", "agent")),
            // Prometheus' own "job" label keeps the scrape job; the Job's name goes to k8s_job.
            [SamplePods.Pod("default", "migrate-q7z9d", "10.2.0.7", SamplePods.Meshed("default", "job", "migrate"), true, owner: "Job/migrate")] =
                Contract("default", "migrate-q7z9d", "10.2.0.7", ("k8s_job", "migrate")),
            [SamplePods.Pod("default", "web-5d8f9c7b6d-abcde", "10.2.0.8", SamplePods.Meshed("default", "deployment", "web", ("pod-template-hash", "5d8f9c7b6d")), true, owner: "ReplicaSet/web-5d8f9c7b6d")] =
                Contract("default", "web-5d8f9c7b6d-abcde", "10.2.0.8", ("deployment", "web"), ("pod_template_hash", "5d8f9c7b6d")),
            [SamplePods.Pod("default", "legacy-1", "10.2.0.9", new Dictionary<string, string> { ["app"] = "legacy" }, false)] = null,
            [SamplePods.Pod("default", "done-1", "10.2.0.10", SamplePods.Meshed("default", "job", "done"), true, phase: "Succeeded")] = null,
            // An empty label is not "set" (docs/ARCHITECTURE.md §2): such a pod is not meshed.
            [SamplePods.Pod("default", "odd-1", "10.2.0.11", new Dictionary<string, string> { ["linkerd.io/control-plane-ns"] = "" }, true)] = null,
        };

    internal static List<string> Sorted(IEnumerable<IReadOnlyDictionary<string, string>> targets) => [.. targets.Select(Line).Order(StringComparer.Ordinal)];

    internal static string Line(IReadOnlyDictionary<string, string> labels) =>
        string.Join(", ", labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => $"{l.Key}={l.Value}"));

    /// <summary>The contract's labels for a meshed pod (as /fleet/sd writes them), and what Prometheus adds.</summary>
    private static Dictionary<string, string> Contract(string ns, string pod, string ip, params (string Label, string Value)[] workload)
    {
        var labels = FleetPrometheusDiscovery.Labels(ns, pod, null);
        labels["job"] = Job;
        labels["instance"] = $"{ip}:4191";
        foreach (var (label, value) in workload)
        {
            labels[label] = value;
        }

        return labels;
    }
}
