using System.Text.Json.Nodes;
using YamlDotNet.RepresentationModel;

namespace Dashboard.Tests.Packaging;

/// <summary>
/// A scrape job of a Prometheus configuration, to run under Debian's Prometheus, which lacks Kubernetes discovery:
/// the same job with its discovery swapped for a file of targets, rendered as one JSON line (JSON is YAML).
/// </summary>
internal static class ScrapeJob
{
    public static YamlMappingNode Named(string config, string job) => (YamlMappingNode)((YamlSequenceNode)Packaged.Yaml(config).At("scrape_configs"))
        .Children.Single(j => j.Text("job_name") == job);

    public static IReadOnlyList<RelabelRule> RelabelRules(YamlMappingNode job) => RelabelRule.ParseList((YamlSequenceNode)job.At("relabel_configs"));

    /// <summary>The job with its <c>kubernetes_sd_configs</c>, if any, replaced by <c>file_sd_configs</c> reading <paramref name="targetsFile"/>.</summary>
    public static string WithFileDiscovery(YamlMappingNode job, string targetsFile)
    {
        var json = (JsonObject)ToJson(job);
        json.Remove("kubernetes_sd_configs");
        json["file_sd_configs"] = FileDiscovery(targetsFile);
        return "  - " + json.ToJsonString();
    }

    /// <summary>A whole configuration with every job's Kubernetes discovery swapped for <paramref name="targetsFile"/>, as JSON.</summary>
    public static string ConfigWithFileDiscovery(string config, string targetsFile)
    {
        var json = (JsonObject)ToJson(Packaged.Yaml(config));
        foreach (var job in json["scrape_configs"]!.AsArray().Cast<JsonObject>())
        {
            Assert.True(job.Remove("kubernetes_sd_configs"), $"job {job["job_name"]} discovers pods with kubernetes_sd_configs");
            job["file_sd_configs"] = FileDiscovery(targetsFile);
        }

        return json.ToJsonString();
    }

    private static JsonArray FileDiscovery(string targetsFile) =>
        new(new JsonObject { ["files"] = new JsonArray(targetsFile), ["refresh_interval"] = "1s" });

    /// <summary>File service discovery's format: one group per target, the address apart from the labels.</summary>
    public static string FileTargets(IEnumerable<IReadOnlyDictionary<string, string>> targets) => new JsonArray([.. targets.Select(t => new JsonObject
    {
        ["targets"] = new JsonArray(t["__address__"]),
        ["labels"] = new JsonObject(t.Where(l => l.Key != "__address__").Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value))),
    })]).ToJsonString();

    private static JsonNode ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, (JsonNode?)ToJson(c.Value)))),
        YamlSequenceNode list => new JsonArray([.. list.Children.Select(ToJson)]),
        _ => JsonValue.Create(((YamlScalarNode)node).Value!),
    };
}
