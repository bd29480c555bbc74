using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Dashboard.Proxy.Fleet.KubernetesApi;
using k8s;
using k8s.Models;

namespace Dashboard.Tests.Kubernetes;

/// <summary>The wire: errors as Status objects, discovery, tables, and watch details clients depend on.</summary>
public sealed class KubeApiHttpTests : IAsyncLifetime
{
    private KubeApiHost _host = null!;
    private HttpClient _http = null!;

    public async ValueTask InitializeAsync()
    {
        _host = await KubeApiHost.StartAsync(KubeSeed.Create(new KubeStore(historyCapacity: 4)));
        _http = _host.CreateHttpClient();
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        await _host.DisposeAsync();
    }

    [Theory]
    [InlineData("/api/v1/pods?labelSelector=app%20in%20(web", "labelSelector")]
    [InlineData("/api/v1/pods?labelSelector=-bad-=x", "labelSelector")]
    [InlineData("/api/v1/pods?fieldSelector=spec.color%3Dred", "fieldSelector")]
    [InlineData("/api/v1/pods?watch=true&resourceVersion=abc", "resourceVersion")]
    public async Task A_bad_query_is_a_400_Status_naming_the_parameter(string path, string parameter)
    {
        var (code, status) = await GetStatusAsync(HttpMethod.Get, path);

        Assert.Equal(HttpStatusCode.BadRequest, code);
        Assert.Equal(("Status", "v1", "Failure", "BadRequest", (int?)400), (status.Kind, status.ApiVersion, status.Status, status.Reason, status.Code));
        Assert.Contains(parameter, status.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("POST")]
    [InlineData("PUT")]
    [InlineData("PATCH")]
    [InlineData("DELETE")]
    public async Task Writes_are_a_405_Status_saying_the_API_is_read_only(string method)
    {
        var (code, status) = await GetStatusAsync(new HttpMethod(method), "/api/v1/namespaces/default/pods");

        Assert.Equal(HttpStatusCode.MethodNotAllowed, code);
        Assert.Equal(("MethodNotAllowed", (int?)405), (status.Reason, status.Code));
        Assert.Contains("read-only", status.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("/nope")]
    [InlineData("/api/v2")]
    [InlineData("/api/v1/widgets")]
    [InlineData("/apis/apps/v1/pods")]
    [InlineData("/api/v1/pods/web")]
    [InlineData("/api/v1/namespaces/default/pods/web-6d4cf56db6-abcde/log")]
    public async Task An_unknown_path_is_a_404_Status(string path)
    {
        var (code, status) = await GetStatusAsync(HttpMethod.Get, path);

        Assert.Equal(HttpStatusCode.NotFound, code);
        Assert.Equal(("Status", "Failure", "NotFound", (int?)404), (status.Kind, status.Status, status.Reason, status.Code));
    }

    [Theory]
    [InlineData("/healthz")]
    [InlineData("/readyz")]
    [InlineData("/livez")]
    public async Task Health_endpoints_say_ok(string path)
    {
        Assert.Equal("ok", await _http.GetStringAsync(path, TestTimeouts.Token).Within());
    }

    [Fact]
    public async Task Discovery_lists_resources_with_short_names_and_verbs()
    {
        var core = KubernetesJson.Deserialize<V1APIResourceList>(await GetStringAsync("/api/v1"));
        var groups = KubernetesJson.Deserialize<V1APIGroupList>(await GetStringAsync("/apis"));
        var apps = KubernetesJson.Deserialize<V1APIResourceList>(await GetStringAsync("/apis/apps/v1"));

        var pods = Assert.Single(core.Resources, r => r.Name == "pods");
        Assert.Equal(("Pod", "pod", true, "po"), (pods.Kind, pods.SingularName, pods.Namespaced, pods.ShortNames.Single()));
        Assert.Equal(["get", "list", "watch"], pods.Verbs);
        Assert.False(Assert.Single(core.Resources, r => r.Name == "namespaces").Namespaced);
        Assert.Equal(["apps/v1", "discovery.k8s.io/v1", "batch/v1", "rbac.authorization.k8s.io/v1", "authentication.k8s.io/v1", "authorization.k8s.io/v1"], groups.Groups.Select(g => g.PreferredVersion.GroupVersion));
        Assert.Equal(["deploy", "rs", "sts", "ds"], apps.Resources.Select(r => r.ShortNames.Single()));
    }

    [Fact]
    public async Task A_table_request_gets_kubectl_columns()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, "/api/v1/pods");
        request.Headers.Accept.ParseAdd("application/json;as=Table;v=v1;g=meta.k8s.io");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        using var response = await _http.SendAsync(request, TestTimeouts.Token).Within();
        using var table = JsonDocument.Parse(await response.Content.ReadAsStringAsync(TestTimeouts.Token).Within());

        var root = table.RootElement;
        Assert.Equal(("Table", "meta.k8s.io/v1"), (root.GetProperty("kind").GetString(), root.GetProperty("apiVersion").GetString()));
        Assert.Equal(["Name", "Ready", "Status", "Restarts", "Age"], root.GetProperty("columnDefinitions").EnumerateArray()
            .Where(c => c.GetProperty("priority").GetInt32() == 0).Select(c => c.GetProperty("name").GetString()));
        var row = root.GetProperty("rows")[0];
        Assert.Equal([KubeSeed.Pod1, "1/1", "Running", "0"], row.GetProperty("cells").EnumerateArray().Take(4).Select(c => c.GetString()));
        Assert.Equal(KubeSeed.Namespace, row.GetProperty("object").GetProperty("metadata").GetProperty("namespace").GetString());
    }

    [Fact]
    public async Task A_table_watch_sends_one_row_tables_with_columns_only_first()
    {
        var events = await ReadWatchAsync("/api/v1/namespaces/default/pods?watch=true&timeoutSeconds=1", "application/json;as=Table;v=v1;g=meta.k8s.io");

        Assert.Equal(2, events.Count);
        var tables = events.Select(e => e.GetProperty("object")).ToList();
        Assert.All(tables, t => Assert.Equal("Table", t.GetProperty("kind").GetString()));
        Assert.Equal([9, 0], tables.Select(t => t.GetProperty("columnDefinitions").GetArrayLength()));
        Assert.Equal([KubeSeed.Pod1, KubeSeed.Pod2], tables.Select(t => t.GetProperty("rows").EnumerateArray().Single().GetProperty("cells")[0].GetString()));
        Assert.Equal("<none>", tables[0].GetProperty("rows")[0].GetProperty("cells")[7].GetString());
    }

    [Fact]
    public async Task A_watch_resumes_after_a_resource_version_and_reports_410_when_it_is_too_old()
    {
        var before = _host.Store.ResourceVersion;
        _host.Store.Upsert(KubeSeed.Pod("web-6d4cf56db6-new01", "10.42.0.13"));

        var resumed = await ReadWatchAsync($"/api/v1/namespaces/default/pods?watch=1&resourceVersion={before}&timeoutSeconds=1");
        var expired = await ReadWatchAsync("/api/v1/namespaces/default/pods?watch=true&resourceVersion=1");

        var added = Assert.Single(resumed);
        Assert.Equal("ADDED", added.GetProperty("type").GetString());
        Assert.Equal("web-6d4cf56db6-new01", added.GetProperty("object").GetProperty("metadata").GetProperty("name").GetString());
        var error = Assert.Single(expired);
        Assert.Equal("ERROR", error.GetProperty("type").GetString());
        Assert.Equal(("Expired", 410), (error.GetProperty("object").GetProperty("reason").GetString(), error.GetProperty("object").GetProperty("code").GetInt32()));
    }

    // Reads every line until the server ends the stream (timeoutSeconds, or after an ERROR).
    private async Task<IReadOnlyList<JsonElement>> ReadWatchAsync(string path, string accept = "application/json")
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.ParseAdd(accept);
        using var response = await _http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, TestTimeouts.Token).Within();
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadAsStringAsync(TestTimeouts.Token).Within();
        return [.. body.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(line => JsonDocument.Parse(line).RootElement.Clone())];
    }

    private Task<string> GetStringAsync(string path) => _http.GetStringAsync(path, TestTimeouts.Token).Within();

    private async Task<(HttpStatusCode, V1Status)> GetStatusAsync(HttpMethod method, string path)
    {
        using var request = new HttpRequestMessage(method, path);
        using var response = await _http.SendAsync(request, TestTimeouts.Token).Within();
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync(TestTimeouts.Token).Within();
        return (response.StatusCode, KubernetesJson.Deserialize<V1Status>(body));
    }
}
