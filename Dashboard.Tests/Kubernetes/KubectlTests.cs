namespace Dashboard.Tests.Kubernetes;

/// <summary>
/// The real kubectl against the in-memory API server. Successful commands must leave stderr empty:
/// kubectl reports discovery it cannot parse there, so silence proves it accepted the documents.
/// </summary>
public sealed class KubectlTests : IAsyncLifetime
{
    private readonly Kubectl _kubectl = new();
    private KubeApiHost _host = null!;

    public async ValueTask InitializeAsync() => _host = await KubeApiHost.StartAsync(KubeSeed.Create());

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        _kubectl.Dispose();
    }

    [Fact]
    public async Task Get_pods_in_all_namespaces_wide_shows_the_server_side_columns()
    {
        var output = await SucceedAsync("get", "pods", "-A", "-o", "wide");

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["NAMESPACE", "NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(8));
        Assert.Equal(4, lines.Length);
        Assert.Equal(["default", KubeSeed.Pod1, "1/1", "Running", "0"], Words(lines[1]).Take(5));
        Assert.Equal(["10.42.0.11", "fleet-node", "<none>", "<none>"], Words(lines[1]).Skip(6));
        Assert.Equal(["other", KubeSeed.OtherPod, "1/1", "Running"], Words(lines[3]).Take(4));
    }

    [Fact]
    public async Task Get_deployments_shows_readiness()
    {
        var output = await SucceedAsync("get", "deploy", "-n", "default");

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["NAME", "READY", "UP-TO-DATE", "AVAILABLE", "AGE"], Words(lines[0]));
        Assert.Equal(["web", "2/2", "2", "2"], Words(lines[1]).Take(4));
    }

    [Fact]
    public async Task Get_pod_as_yaml_shows_the_whole_object()
    {
        var output = await SucceedAsync("get", "pod", KubeSeed.Pod1, "-n", "default", "-o", "yaml");

        Assert.Contains("kind: Pod", output, StringComparison.Ordinal);
        Assert.Contains($"name: {KubeSeed.Pod1}", output, StringComparison.Ordinal);
        Assert.Contains("ownerReferences:", output, StringComparison.Ordinal);
        Assert.Contains($"name: {KubeSeed.ReplicaSetName}", output, StringComparison.Ordinal);
        Assert.Contains("podIP: 10.42.0.11", output, StringComparison.Ordinal);
        Assert.Contains("resourceVersion:", output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Get_services_and_endpoint_slices_together()
    {
        var output = await SucceedAsync("get", "svc,endpointslices", "-n", "default");

        Assert.Contains("CLUSTER-IP", output, StringComparison.Ordinal);
        Assert.Contains("PORT(S)", output, StringComparison.Ordinal);
        Assert.Contains("ADDRESSTYPE", output, StringComparison.Ordinal);
        var service = Words(Line(output, "service/web"));
        Assert.Equal(["service/web", "ClusterIP", "10.96.0.10", "<none>", "80/TCP"], service.Take(5));
        var slice = Words(Line(output, $"endpointslice.discovery.k8s.io/{KubeSeed.SliceName}"));
        Assert.Equal(["IPv4", "8080", "10.42.0.11,10.42.0.12"], slice.Skip(1).Take(3));
    }

    [Fact]
    public async Task Get_namespaces()
    {
        var output = await SucceedAsync("get", "ns");

        var lines = output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(["NAME", "STATUS", "AGE"], Words(lines[0]));
        Assert.Equal(["default", "Active"], Words(lines[1]).Take(2));
        Assert.Equal(["other", "Active"], Words(lines[2]).Take(2));
    }

    [Fact]
    public async Task Get_a_missing_pod_fails_with_not_found()
    {
        var result = await _kubectl.RunAsync(_host.Url, "get", "pod", "nope").Within(TimeSpan.FromSeconds(40));

        Assert.NotEqual(0, result.ExitCode);
        Assert.Contains("pods \"nope\" not found", result.StandardError, StringComparison.Ordinal);
    }

    private async Task<string> SucceedAsync(params string[] args)
    {
        var result = await _kubectl.RunAsync(_host.Url, args).Within(TimeSpan.FromSeconds(40));
        Assert.True(result.ExitCode == 0, $"kubectl {string.Join(' ', args)} exited {result.ExitCode}: {result.StandardError}");
        Assert.True(result.StandardError.Length == 0, $"kubectl {string.Join(' ', args)} complained: {result.StandardError}");
        return result.StandardOutput;
    }

    private static string[] Words(string line) => line.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    private static string Line(string output, string start)
    {
        var line = output.Split('\n').FirstOrDefault(l => l.StartsWith(start, StringComparison.Ordinal));
        Assert.True(line is not null, $"no line starting with {start} in:\n{output}");
        return line;
    }
}
