using Dashboard.Contracts.Proxy;
using Dashboard.Proxy.Configuration;

namespace Dashboard.Tests.Proxy;

public sealed class ProxyOptionsParserTests
{
    [Fact]
    public void Defaults_match_the_documented_contract()
    {
        var (options, errors) = ProxyOptionsParser.Parse(_ => null);

        Assert.Empty(errors);
        Assert.NotNull(options);
        Assert.Equal("0.0.0.0:4143", options.InboundListen.ToString());
        Assert.Equal("127.0.0.1:8080", options.AppAddress);
        Assert.Equal("127.0.0.1:4140", options.OutboundListen.ToString());
        Assert.Equal("0.0.0.0:4191", options.AdminListen.ToString());
        Assert.Equal("0.0.0.0:4190", options.TapListen.ToString());
        Assert.Null(options.TapToken);
        Assert.Null(options.KubernetesApi);
        Assert.False(options.InCluster);
    }

    [Fact]
    public void Every_bad_value_is_reported_with_its_variable_and_what_was_expected()
    {
        var env = new Dictionary<string, string>
        {
            [ProxyEnvironment.InboundListenAddr] = "not-an-address",
            [ProxyEnvironment.AppAddr] = "127.0.0.1:99999",
            [ProxyEnvironment.AdminListenAddr] = "0.0.0.0",
            [ProxyEnvironment.KubernetesApi] = "ftp:/x",
            [ProxyOptionsParser.UpstreamTimeoutVariable] = "soon",
            [ProxyOptionsParser.TapBufferVariable] = "-5",
        };

        var (options, errors) = ProxyOptionsParser.Parse(n => env.GetValueOrDefault(n));

        Assert.Null(options);
        Assert.Equal(6, errors.Count);
        Assert.Contains(errors, e => e.StartsWith("MESH_PROXY_INBOUND_LISTEN_ADDR: 'not-an-address'", StringComparison.Ordinal) && e.Contains("IP:PORT", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("MESH_PROXY_APP_ADDR: '127.0.0.1:99999'", StringComparison.Ordinal) && e.Contains("1 to 65535", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("MESH_PROXY_ADMIN_LISTEN_ADDR: '0.0.0.0'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("MESH_PROXY_KUBERNETES_API: 'ftp:/x'", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("MESH_PROXY_UPSTREAM_TIMEOUT: 'soon'", StringComparison.Ordinal) && e.Contains("10s", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("MESH_PROXY_TAP_BUFFER: '-5'", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("10s", 10_000)]
    [InlineData("1.5m", 90_000)]
    [InlineData("1h", 3_600_000)]
    public void Durations_take_go_style_units(string text, double milliseconds)
    {
        Assert.True(DurationParser.TryParse(text, out var duration));
        Assert.Equal(milliseconds, duration.TotalMilliseconds);
    }

    [Theory]
    [InlineData("10")]
    [InlineData("s")]
    [InlineData("5 days")]
    public void Durations_without_a_known_unit_are_refused(string text) =>
        Assert.False(DurationParser.TryParse(text, out _));

    [Fact]
    public void Kubernetes_api_url_and_in_cluster_detection()
    {
        var (explicitApi, _) = ProxyOptionsParser.Parse(n => n == ProxyEnvironment.KubernetesApi ? "http://127.0.0.1:6443" : null);
        var (inCluster, _) = ProxyOptionsParser.Parse(n => n == "KUBERNETES_SERVICE_HOST" ? "10.0.0.1" : null);

        Assert.Equal(new Uri("http://127.0.0.1:6443"), explicitApi!.KubernetesApi);
        Assert.False(explicitApi.InCluster);
        Assert.True(inCluster!.InCluster);
    }
}
