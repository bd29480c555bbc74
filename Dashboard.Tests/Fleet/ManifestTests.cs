using Dashboard.Proxy.Fleet.Manifest;

namespace Dashboard.Tests.Fleet;

/// <summary>The fleet manifest: the demo loads, and every kind of bad input is named by file, line, column and field.</summary>
public sealed class ManifestTests
{
    private static List<string> Problems(string yaml) =>
        Assert.Throws<FleetManifestException>(() => FleetManifestLoader.Parse(yaml, "bad.yaml")).Problems.Select(p => p.ToString()).ToList();

    private const string Valid = """
        namespaces:
          - name: default
            deployments:
              - name: ml
                replicas: 2
                routes:
                  - {method: post, path: /v1/test-1, latencyMs: {p50: 4, p99: 20}, errorRate: 0.01}
              - name: test-1
                routes:
                  - method: POST
                    path: /v1/test-2
                    calls: [{service: ml, method: POST, path: /v1/test-1}]
            pods:
              - {name: grafana-1, phase: Running}
        traffic:
          - {name: internal, from: default/test-1, to: ml.default, method: POST, path: /v1/test-1, rps: 3}
          - {name: external, from: external, to: test-1, rps: 3, spikes: {everySeconds: 60, durationSeconds: 5, extraLatencyMs: 250}}
        """;

    [Fact]
    public void The_demo_manifest_loads_with_the_seed_services()
    {
        var manifest = FleetManifestLoader.Load(Path.Combine(RepoPaths.Root, "docker/fleet/demo.yaml"));

        var defaults = manifest.Namespaces.Single(n => n.Name == "default");
        Assert.Equal(["ml", "test-1", "test-2", "legacy"], defaults.Deployments.Select(d => d.Name));
        Assert.Equal(2, defaults.Deployments[0].Replicas);
        Assert.False(defaults.Deployments.Single(d => d.Name == "legacy").Meshed);
        Assert.Contains(manifest.Traffic, t => t is { Name: "external", From: "external", Spikes.ExtraLatencyMs: 250 });
        Assert.InRange(manifest.Traffic.Sum(t => t.Rps), 1, 40);
    }

    [Fact]
    public void Defaults_fill_what_the_manifest_leaves_out()
    {
        var manifest = FleetManifestLoader.Parse(Valid, "ok.yaml");

        var ml = manifest.Namespaces[0].Deployments[0];
        Assert.Equal(("POST", 2, true), (ml.Routes[0].Method, ml.Replicas, ml.Meshed));
        var test1 = manifest.Namespaces[0].Deployments[1];
        Assert.Equal((1, LatencySpec.Default, 0.0), (test1.Replicas, test1.Routes[0].Latency, test1.Routes[0].ErrorRate));
        Assert.Equal(new BarePodSpec("grafana-1", false, "Running"), manifest.Namespaces[0].Pods[0]);
        Assert.Equal(("GET", "/"), (manifest.Traffic[1].Method, manifest.Traffic[1].Path));
    }

    [Fact]
    public void Yaml_syntax_errors_name_where_the_parser_stopped() =>
        Assert.StartsWith("bad.yaml:4:1: invalid YAML: While parsing a flow sequence", Assert.Single(Problems("namespaces:\n  - name: a\n    deployments: [x\n")), StringComparison.Ordinal);

    [Fact]
    public void Empty_and_missing_files_are_reported()
    {
        Assert.Equal(["bad.yaml:1:1: the manifest is empty; expected namespaces: and traffic:"], Problems(""));
        var missing = Assert.Throws<FleetManifestException>(() => FleetManifestLoader.Load("/nonexistent/fleet.yaml"));
        Assert.Equal("/nonexistent/fleet.yaml:1:1: file not found", missing.Message);
    }

    [Fact]
    public void Unknown_keys_are_errors_not_ignored() => Assert.Equal(
        ["bad.yaml:4:19: namespaces[0].deployments[0]: unknown key 'replica'; expected one of: name, replicas, meshed, identity, routes, faults"],
        Problems("namespaces:\n  - name: a\n    deployments:\n      - {name: x, replica: 2}\n"));

    [Fact]
    public void Wrong_types_and_ranges_are_named()
    {
        var problems = Problems(Valid.Replace("replicas: 2", "replicas: -1", StringComparison.Ordinal)
            .Replace("rps: 3, spikes", "rps: -3, spikes", StringComparison.Ordinal)
            .Replace("errorRate: 0.01", "errorRate: lots", StringComparison.Ordinal));

        Assert.Equal(
        [
            "bad.yaml:5:19: namespaces[0].deployments[0].replicas: expected a whole number >= 0, got '-1'",
            "bad.yaml:7:87: namespaces[0].deployments[0].routes[0].errorRate: expected a share from 0 to 1, got 'lots'",
            "bad.yaml:17:55: traffic[1].rps: expected a rate > 0 and <= 10000, got '-3'",
        ], problems);
    }

    [Fact]
    public void Duplicate_names_are_errors() => Assert.Equal(
        ["bad.yaml:6:9: namespaces[0].deployments[2].name: duplicate deployment 'x' in namespace 'a'"],
        Problems("namespaces:\n  - name: a\n    deployments:\n      - name: x\n      - name: y\n      - name: x\n"));

    [Fact]
    public void Unknown_services_and_clients_are_named_with_where_they_were_looked_for()
    {
        var problems = Problems(Valid.Replace("service: ml,", "service: nope,", StringComparison.Ordinal)
            .Replace("to: ml.default", "to: ml.other", StringComparison.Ordinal)
            .Replace("from: default/test-1", "from: default/test-9", StringComparison.Ordinal));

        Assert.Equal(
        [
            "bad.yaml:12:31: namespaces[0].deployments[1].routes[0].calls[0].service: unknown service 'nope' in namespace 'default'; every deployment has a service of its name",
            "bad.yaml:16:28: traffic[0].from: unknown deployment 'default/test-9'; expected 'external' or namespace/deployment",
            "bad.yaml:16:48: traffic[0].to: unknown service 'ml' in namespace 'other'",
        ], problems);
    }

    [Fact]
    public void Call_cycles_are_refused_with_the_cycle_spelled_out()
    {
        var problem = Assert.Single(Problems("""
            namespaces:
              - name: d
                deployments:
                  - name: a
                    routes: [{path: /x, calls: [{service: b, path: /y}]}]
                  - name: b
                    routes: [{path: /y, calls: [{service: a, path: /x}]}]
            """));

        Assert.Equal("bad.yaml:7:47: namespaces[0].deployments[1].routes[0].calls[0]: call cycle: d/a GET /x -> d/b GET /y -> d/a GET /x", problem);
    }

    [Fact]
    public void Several_problems_are_reported_together()
    {
        var problems = Problems("namespaces:\n  - name: Bad_Name\n    deployments:\n      - {name: x, meshed: maybe}\ntraffic:\n  - {name: t, from: external, to: x.Bad_Name}\n");

        Assert.Equal(3, problems.Count);
        Assert.Contains(problems, p => p.Contains("namespaces[0].name: 'Bad_Name' is not a valid name", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("meshed: expected true or false, got 'maybe'", StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains("traffic[0]: 'rps' is required", StringComparison.Ordinal));
    }
}
