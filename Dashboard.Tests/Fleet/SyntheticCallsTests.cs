using System.Globalization;
using Dashboard.Contracts.Metrics;
using Dashboard.Proxy.Fleet;
using Dashboard.Proxy.Fleet.Manifest;
using Dashboard.Tests.Packaging;
using L = Dashboard.Contracts.Metrics.LabelNames;

namespace Dashboard.Tests.Fleet;

/// <summary>The scale option's deployments call each other: a planted graph, and the metrics both sides of each call export.</summary>
public sealed class SyntheticCallsTests
{
    private static readonly DateTimeOffset Started = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static int Index(string deployment) => int.Parse(deployment["svc-".Length..], CultureInfo.InvariantCulture);

    private static (FleetTopology Topology, SyntheticExporter Exporter) Fleet(int deployments, int pods, bool identity = true)
    {
        var topology = new FleetTopology(new FleetManifest([], []), 28, new SyntheticWorkloads(deployments, pods));
        return (topology, new SyntheticExporter(topology, identity, Started));
    }

    private static MetricSet Scrape(SyntheticExporter exporter, FleetPod pod, double seconds) => new(exporter.Render(pod, Started.AddSeconds(seconds)));

    [Fact]
    public void Each_deployment_calls_one_to_three_later_ones_the_same_each_time()
    {
        var workloads = new SyntheticWorkloads(100, 1000);
        var calls = workloads.Calls();

        Assert.Equal(calls, new SyntheticWorkloads(100, 1000).Calls());
        Assert.All(calls, c => Assert.True(Index(c.Callee) > Index(c.Caller), $"{c.Caller} calls {c.Callee}: only later deployments, so no cycles and no self calls"));
        Assert.All(calls, c => Assert.True(SyntheticWorkloads.IsSynthetic(c.CallerNamespace) && SyntheticWorkloads.IsSynthetic(c.CalleeNamespace)));
        Assert.Equal(calls.Count, calls.Select(c => (c.Caller, c.Callee)).Distinct().Count());
        var byCaller = calls.ToLookup(c => c.Caller);
        Assert.All(Enumerable.Range(0, 99), d => Assert.InRange(byCaller[$"svc-{d:000}"].Count(), 1, SyntheticWorkloads.MaxCallees));
        Assert.Empty(byCaller["svc-099"]);
        Assert.Contains(calls, c => c.CallerNamespace == c.CalleeNamespace);
        Assert.Contains(calls, c => c.CallerNamespace != c.CalleeNamespace);

        // Every deployment reaches the last one: the graph is connected.
        var reaches = new HashSet<string> { "svc-099" };
        foreach (var call in calls.OrderByDescending(c => Index(c.Caller)).Where(c => reaches.Contains(c.Callee)))
        {
            reaches.Add(call.Caller);
        }

        Assert.Equal(100, reaches.Count);
    }

    [Fact]
    public void Callers_share_at_most_the_callees_requests_and_entry_points_leave_some_to_clients_outside()
    {
        var calls = new SyntheticWorkloads(100, 1000).Calls();

        foreach (var callee in calls.GroupBy(c => (c.CalleeNamespace, c.Callee)))
        {
            var rps = SyntheticProfile.Of(callee.Key.CalleeNamespace, callee.Key.Callee).Rps;
            var meshed = callee.Sum(c => c.Rps);
            Assert.True(Index(callee.Key.Callee) % SyntheticWorkloads.DeploymentsPerNamespace == 0 ? meshed < rps * 0.9 : Math.Abs(meshed - rps) < 1e-9,
                $"{callee.Key.Callee}: callers send {meshed} of its {rps} requests per second");
        }
    }

    [Fact]
    public async Task The_metrics_parse_as_prometheus_text()
    {
        var (topology, exporter) = Fleet(10, 30);
        var text = topology.Pods.Select(p => exporter.Render(p, Started.AddSeconds(60)))
            .First(t => t.Contains(L.ClientId, StringComparison.Ordinal) && t.Contains(L.DstPod, StringComparison.Ordinal) && t.Contains(L.Values.NoTlsFromRemote, StringComparison.Ordinal));
        var file = Path.Combine(Directory.CreateTempSubdirectory("dashboard-synthetic-").FullName, "metrics.prom");
        await File.WriteAllTextAsync(file, text, TestTimeouts.Token);

        // promtool's lint also asks for HELP texts, which the exporter leaves out (exit code 3); a text that does not parse exits 1.
        var result = await Tool.RunAsync("/bin/sh", ["-c", $"/usr/bin/promtool check metrics < '{file}'"], TestTimeouts.Default);

        Assert.True(result.ExitCode is 0 or 3 && !result.Output.Contains("error", StringComparison.Ordinal), result.Output);
        Directory.Delete(Path.GetDirectoryName(file)!, recursive: true);
    }

    [Fact]
    public void Outbound_series_name_the_callee_pod_and_its_identity_as_a_proxy_does()
    {
        var (topology, exporter) = Fleet(10, 30);

        foreach (var call in topology.Synthetic.Calls())
        {
            var callees = topology.ServicePods(call.CalleeNamespace, call.Callee);
            foreach (var pod in topology.ServicePods(call.CallerNamespace, call.Caller))
            {
                var series = Scrape(exporter, pod, 600).Series(MetricNames.RequestTotal, (L.Direction, L.Values.Outbound), (L.DstDeployment, call.Callee)).ToList();
                Assert.NotEmpty(series);
                Assert.All(series, s =>
                {
                    var callee = callees.Single(p => p.Name == s.Labels[L.DstPod]);
                    Assert.Equal(L.Values.TlsTrue, s.Labels[L.Tls]);
                    Assert.Equal(FleetIdentity.Of(callee), s.Labels[L.ServerId]);
                    Assert.Equal(call.CalleeNamespace, s.Labels[L.DstNamespace]);
                    Assert.Equal(call.Callee, s.Labels[L.DstService]);
                    Assert.Equal(callee.PodEndPoint.ToString(), s.Labels[L.TargetAddr]);
                    Assert.Equal($"{call.Callee}.{call.CalleeNamespace}.svc.cluster.local", s.Labels[L.Authority]);
                    Assert.False(s.Labels.ContainsKey(L.ClientId));
                    Assert.True(s.Value > 0);
                });
                foreach (var family in new[] { MetricNames.TcpOpenTotal, MetricNames.TcpReadBytesTotal, MetricNames.TcpWriteBytesTotal })
                {
                    Assert.Equal(series.Select(s => s.Labels[L.DstPod]).Order(), Scrape(exporter, pod, 600)
                        .Series(family, (L.Direction, L.Values.Outbound), (L.Peer, L.Values.PeerDestination), (L.DstDeployment, call.Callee), (L.Tls, L.Values.TlsTrue))
                        .Select(s => s.Labels[L.DstPod]).Order());
                }
            }
        }
    }

    [Fact]
    public void Each_pod_counts_inbound_from_each_caller_what_the_callers_pods_count_outbound_to_it()
    {
        var (topology, exporter) = Fleet(10, 30);
        var pods = topology.Pods.ToDictionary(p => p, p => Scrape(exporter, p, 3600));

        foreach (var callee in topology.Pods)
        {
            foreach (var call in topology.Synthetic.Calls().Where(c => c.Callee == callee.Deployment!.Name))
            {
                var callerPods = topology.ServicePods(call.CallerNamespace, call.Caller);
                var clientId = FleetIdentity.Of(callerPods[0]);
                foreach (var (name, match) in new (string, (string, string)[])[]
                {
                    (MetricNames.RequestTotal, []),
                    (MetricNames.ResponseTotal, [(L.Classification, L.Values.Success)]),
                    (MetricNames.ResponseTotal, [(L.Classification, L.Values.Failure)]),
                    (MetricNames.ResponseLatencyMs + "_count", []),
                    (MetricNames.ResponseLatencyMs + "_bucket", [("le", "100")]),
                })
                {
                    var inbound = pods[callee].Sum(name, [(L.Direction, L.Values.Inbound), (L.Tls, L.Values.TlsTrue), (L.ClientId, clientId), .. match]);
                    var outbound = callerPods.Sum(p => pods[p].Sum(name, [(L.Direction, L.Values.Outbound), (L.DstPod, callee.Name), .. match]));
                    if (name.EndsWith("_bucket", StringComparison.Ordinal))
                    {
                        // The caller measures the callee's latency and the hop: as many requests or fewer within a bound.
                        Assert.InRange(outbound, 0.9 * inbound, inbound);
                    }
                    else
                    {
                        Assert.Equal(inbound, outbound);
                    }
                }
            }
        }

        Assert.Contains(topology.Pods, p => pods[p].Sum(MetricNames.RequestTotal, (L.Direction, L.Values.Inbound), (L.Tls, L.Values.TlsTrue)) > 0);
    }

    [Fact]
    public void A_deployments_inbound_requests_are_its_callers_outbound_and_the_rest_from_outside_the_mesh()
    {
        var (topology, exporter) = Fleet(10, 30);
        const double Seconds = 3600;
        var calls = topology.Synthetic.Calls();

        foreach (var deployment in topology.Synthetic.Namespaces().SelectMany(ns => ns.Deployments.Select(d => (ns.Name, d.Name))))
        {
            var pods = topology.ServicePods(deployment.Item1, deployment.Item2).Select(p => Scrape(exporter, p, Seconds)).ToList();
            var meshed = pods.Sum(p => p.Sum(MetricNames.RequestTotal, (L.Direction, L.Values.Inbound), (L.Tls, L.Values.TlsTrue))) / Seconds;
            var outside = pods.Sum(p => p.Sum(MetricNames.RequestTotal, (L.Direction, L.Values.Inbound), (L.Tls, L.Values.TlsNoIdentity), (L.NoTlsReason, L.Values.NoTlsFromRemote))) / Seconds;
            var planted = calls.Where(c => c.Callee == deployment.Item2).Sum(c => c.Rps);

            Assert.Equal(planted, meshed, 0.01);
            Assert.Equal(SyntheticProfile.Of(deployment.Item1, deployment.Item2).Rps, meshed + outside, 0.01);
        }
    }

    [Fact]
    public void Without_identities_every_series_is_plaintext_as_on_a_proxy_without_one()
    {
        var (topology, exporter) = Fleet(10, 30, identity: false);

        foreach (var pod in topology.Pods)
        {
            var metrics = Scrape(exporter, pod, 600);
            Assert.All(metrics.Series(MetricNames.RequestTotal), s => Assert.Equal(L.Values.TlsDisabled, s.Labels[L.Tls]));
            Assert.Single(metrics.Series(MetricNames.RequestTotal, (L.Direction, L.Values.Inbound)));
        }
    }

    [Fact]
    public void Counters_and_buckets_only_grow()
    {
        var (topology, exporter) = Fleet(10, 30);
        foreach (var pod in topology.Pods.Where((_, i) => i % 4 == 0))
        {
            var before = new Dictionary<string, double>();
            for (var seconds = 0.0; seconds < 300; seconds += 7.3)
            {
                foreach (var line in exporter.Render(pod, Started.AddSeconds(seconds)).Split('\n').Where(l => l.Length > 0 && l[0] != '#'))
                {
                    var space = line.LastIndexOf(' ');
                    var value = double.Parse(line[(space + 1)..], CultureInfo.InvariantCulture);
                    Assert.True(value >= before.GetValueOrDefault(line[..space]), $"{line[..space]} fell from {before.GetValueOrDefault(line[..space])} to {value} at {seconds} s");
                    before[line[..space]] = value;
                }
            }

            var last = Scrape(exporter, pod, 300);
            foreach (var target in last.Series(MetricNames.ResponseLatencyMs + "_count"))
            {
                var buckets = MetricNames.LatencyBucketsMs.Select(le => last.Series(MetricNames.ResponseLatencyMs + "_bucket",
                    [.. target.Labels.Select(l => (l.Key, l.Value)), ("le", le.ToString(CultureInfo.InvariantCulture))]).Single().Value).ToList();
                Assert.Equal(buckets.Order(), buckets);
                Assert.InRange(buckets[^1], 0, target.Value);
            }
        }
    }

    [Fact]
    public void The_truth_lists_the_planted_calls()
    {
        var (topology, _) = Fleet(10, 30);

        var report = TruthReport.Build(new GroundTruth(TimeProvider.System), TimeSpan.FromMinutes(1), topology);

        Assert.Equal(topology.Synthetic.Calls(), report.SyntheticCalls);
        Assert.NotEmpty(report.SyntheticCalls);
    }

    [Fact]
    public void At_a_thousand_pods_each_exports_a_few_hundred_series_at_most()
    {
        var (topology, exporter) = Fleet(100, 1000);

        var series = topology.Pods.Select(p => exporter.Render(p, Started.AddSeconds(60)).Split('\n').Count(l => l.Length > 0 && l[0] != '#')).ToList();

        Assert.InRange(series.Max(), 1, 300);
        Assert.InRange(series.Sum(), 1, 150_000);
    }
}
