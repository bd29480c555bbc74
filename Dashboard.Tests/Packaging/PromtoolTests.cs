namespace Dashboard.Tests.Packaging;

/// <summary>Every Prometheus configuration of docker/ passes the real <c>promtool check config</c>.</summary>
public sealed class PromtoolTests
{
    private const string Promtool = "/usr/bin/promtool";

    public static TheoryData<string> LocalConfigs() => [.. Configs()];

    private static IEnumerable<string> Configs() =>
        Directory.GetFiles(Packaged.Docker, "*.yml", SearchOption.AllDirectories).Where(f => File.ReadAllText(f).Contains("scrape_configs:", StringComparison.Ordinal))
            .Select(f => Path.GetRelativePath(RepoPaths.Root, f));

    [Theory]
    [MemberData(nameof(LocalConfigs))]
    public async Task A_local_config_passes_promtool(string config)
    {
        var result = await Tool.RunAsync(Promtool, ["check", "config", config], TestTimeouts.Slow);

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("SUCCESS", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public void The_compose_config_is_among_them()
    {
        Assert.Contains(Path.GetRelativePath(RepoPaths.Root, Packaged.LocalPrometheusConfig), Configs());
    }

    /// <summary>
    /// Debian's promtool has no Kubernetes discovery; with a file discovery in its place, it checks all the rest of
    /// the cluster's configuration: intervals, relabel actions, and regular expressions compiled by Go.
    /// </summary>
    [Fact]
    public async Task The_cluster_config_passes_promtool_with_file_discovery_in_place_of_Kubernetes_discovery()
    {
        var directory = Directory.CreateTempSubdirectory("cluster-prometheus-");
        try
        {
            var targets = Path.Combine(directory.FullName, "targets.json");
            await File.WriteAllTextAsync(targets, "[]", TestTimeouts.Token);
            var config = Path.Combine(directory.FullName, "prometheus.yml");
            await File.WriteAllTextAsync(config, ScrapeJob.ConfigWithFileDiscovery(Packaged.ClusterPrometheusConfig, targets), TestTimeouts.Token);
            await File.WriteAllTextAsync(Path.Combine(directory.FullName, "rules.yml"), Packaged.ClusterRecordingRules, TestTimeouts.Token);

            var result = await Tool.RunAsync(Promtool, ["check", "config", config], TestTimeouts.Slow);

            Assert.True(result.ExitCode == 0, result.Output);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Fact]
    public void Local_and_cluster_configs_have_the_same_shape()
    {
        var local = Packaged.Yaml(File.ReadAllText(Packaged.LocalPrometheusConfig));
        var cluster = Packaged.Yaml(Packaged.ClusterPrometheusConfig);

        Assert.Equal(cluster.At("global").ToString(), local.At("global").ToString());
        Assert.Equal(cluster.Text("scrape_configs", 0, "job_name"), local.Text("scrape_configs", 0, "job_name"));
        Assert.Equal("pod", cluster.Text("scrape_configs", 0, "kubernetes_sd_configs", 0, "role"));
        Assert.Equal("rules.yml", local.Text("rule_files", 0));
        Assert.Equal("rules.yml", cluster.Text("rule_files", 0));
    }

    [Fact]
    public async Task The_recording_rules_pass_promtool_and_record_what_the_dashboard_reads()
    {
        var result = await Tool.RunAsync(Promtool, ["check", "rules", Packaged.RecordingRules], TestTimeouts.Slow);
        var rules = Packaged.Yaml(File.ReadAllText(Packaged.RecordingRules));

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains($"SUCCESS: {Dashboard.Metrics.PromQl.RecordingRules.Count} rules found", result.Output, StringComparison.Ordinal);
        var recorded = ((YamlDotNet.RepresentationModel.YamlSequenceNode)rules.At("groups", 0, "rules")).Children
            .Select(r => new Dashboard.Metrics.RecordingRuleSpec(r.Text("record"), r.Text("expr"),
                ((YamlDotNet.RepresentationModel.YamlMappingNode)r).Children.ContainsKey("labels") ? r.Text("labels", "quantile") : null));
        Assert.Equal(Dashboard.Metrics.PromQl.RecordingRules, recorded);
    }

    [Fact]
    public void The_clusters_recording_rules_are_a_copy_of_the_local_ones()
    {
        Assert.Equal(File.ReadAllText(Packaged.RecordingRules), Packaged.ClusterRecordingRules);
    }
}
