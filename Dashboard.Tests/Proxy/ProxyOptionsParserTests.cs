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
        Assert.Equal(TimeSpan.FromSeconds(10), options.DetectTimeout);
        Assert.Equal(TimeSpan.FromSeconds(5), options.DestinationIdleTimeout);
        Assert.Empty(options.InboundOpaquePorts);
    }

    [Fact]
    public void Detection_takes_its_timeout_and_opaque_ports_from_the_environment_and_refuses_bad_ones_naming_the_variable()
    {
        var good = new Dictionary<string, string> { [ProxyEnvironment.DetectTimeout] = "1s", [ProxyEnvironment.InboundOpaquePorts] = "3306, 4000-4100" };
        var bad = new Dictionary<string, string> { [ProxyEnvironment.DetectTimeout] = "soon", [ProxyEnvironment.InboundOpaquePorts] = "3306,mysql" };

        var (options, none) = ProxyOptionsParser.Parse(n => good.GetValueOrDefault(n));
        var (refused, errors) = ProxyOptionsParser.Parse(n => bad.GetValueOrDefault(n));

        Assert.Empty(none);
        Assert.Equal(TimeSpan.FromSeconds(1), options!.DetectTimeout);
        Assert.Equal([new PortRange(3306, 3306), new PortRange(4000, 4100)], options.InboundOpaquePorts);
        Assert.Null(refused);
        Assert.Contains(errors, e => e.StartsWith("MESH_PROXY_DETECT_TIMEOUT: 'soon' is not a duration", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.StartsWith("MESH_PROXY_INBOUND_OPAQUE_PORTS: 'mysql' is not a port", StringComparison.Ordinal));
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
    [InlineData("1m30s", 90_000)]
    [InlineData("1h", 3_600_000)]
    [InlineData("00:01:30", 90_000)]
    public void Durations_take_the_grammar_of_every_setting(string text, double milliseconds)
    {
        var (options, errors) = ProxyOptionsParser.Parse(n => n == ProxyOptionsParser.UpstreamTimeoutVariable ? text : null);

        Assert.Empty(errors);
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), options!.UpstreamTimeout);
    }

    [Theory]
    [InlineData("10", "MESH_PROXY_SHUTDOWN_GRACE_PERIOD: '10' is not a duration such as '500ms', '10s', '1m30s' or '00:00:10': a number needs its unit")]
    [InlineData("5 days", "MESH_PROXY_SHUTDOWN_GRACE_PERIOD: '5 days' is not a duration such as")]
    [InlineData("1.5m", "MESH_PROXY_SHUTDOWN_GRACE_PERIOD: '1.5m' is not a duration such as '500ms', '10s', '1m30s' or '00:00:10': whole numbers only")]
    [InlineData("30s1m", "MESH_PROXY_SHUTDOWN_GRACE_PERIOD: '30s1m' is not a duration such as '500ms', '10s', '1m30s' or '00:00:10': units go from the largest")]
    [InlineData("0s", "MESH_PROXY_SHUTDOWN_GRACE_PERIOD: '0s' is not a positive duration")]
    public void Durations_outside_the_grammar_are_refused_saying_why(string text, string error)
    {
        var (options, errors) = ProxyOptionsParser.Parse(n => n == ProxyOptionsParser.ShutdownGracePeriodVariable ? text : null);

        Assert.Null(options);
        Assert.StartsWith(error, Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public void The_kubernetes_api_is_watched_only_when_named_never_because_the_proxy_runs_in_a_pod()
    {
        var (explicitApi, _) = ProxyOptionsParser.Parse(n => n == ProxyEnvironment.KubernetesApi ? "http://127.0.0.1:6443" : null);
        var (inPod, _) = ProxyOptionsParser.Parse(n => n == "KUBERNETES_SERVICE_HOST" ? "10.0.0.1" : null);

        Assert.Equal(new Uri("http://127.0.0.1:6443"), explicitApi!.KubernetesApi);
        Assert.Null(inPod!.KubernetesApi);
    }

    [Fact]
    public void The_destination_service_name_defaults_with_identity_and_needs_it()
    {
        var mesh = new Identity.TestMesh();
        var env = mesh.Environment(Identity.TestMesh.Id("web"));
        var (withIdentity, _) = ProxyOptionsParser.Parse(n => env.GetValueOrDefault(n));
        env[ProxyEnvironment.DestinationServiceName] = "dst.other.serviceaccount.identity.cluster.local";
        var (named, _) = ProxyOptionsParser.Parse(n => env.GetValueOrDefault(n));
        var (without, _) = ProxyOptionsParser.Parse(_ => null);
        var (alone, aloneErrors) = ProxyOptionsParser.Parse(n => n == ProxyEnvironment.DestinationServiceName ? "dst.other.serviceaccount.identity.cluster.local" : null);
        env[ProxyEnvironment.DestinationServiceName] = "linkerd-destination";
        var (bad, badErrors) = ProxyOptionsParser.Parse(n => env.GetValueOrDefault(n));

        Assert.Equal("linkerd-destination.linkerd.serviceaccount.identity.cluster.local", withIdentity!.DestinationServiceName);
        Assert.Equal("dst.other.serviceaccount.identity.cluster.local", named!.DestinationServiceName);
        Assert.Null(without!.DestinationServiceName);
        Assert.Null(alone);
        Assert.Equal([$"{ProxyEnvironment.DestinationServiceName} is set but {ProxyEnvironment.IdentityTrustAnchors} is not: the destination service over mesh TLS needs the proxy's identity"], aloneErrors);
        Assert.Null(bad);
        Assert.Equal([$"{ProxyEnvironment.DestinationServiceName}: 'linkerd-destination' is not an identity; expected the destination service's, e.g. linkerd-destination.linkerd.serviceaccount.identity.cluster.local"], badErrors);
    }

    [Fact]
    public void The_destination_service_address_is_a_host_and_port_and_a_bad_one_is_named()
    {
        var (options, _) = ProxyOptionsParser.Parse(n => n == ProxyEnvironment.DestinationServiceAddr ? "linkerd-destination.linkerd.svc:8086" : null);
        var (bad, errors) = ProxyOptionsParser.Parse(n => n == ProxyEnvironment.DestinationServiceAddr ? "linkerd-destination" : null);

        Assert.Equal("linkerd-destination.linkerd.svc:8086", options!.DestinationService);
        Assert.Null(bad);
        Assert.StartsWith("MESH_PROXY_DESTINATION_SVC_ADDR: 'linkerd-destination' is not an address", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public void The_destination_idle_timeout_is_a_duration_and_a_bad_one_is_named()
    {
        var (options, _) = ProxyOptionsParser.Parse(n => n == ProxyEnvironment.DestinationIdleTimeout ? "90s" : null);
        var (bad, errors) = ProxyOptionsParser.Parse(n => n == ProxyEnvironment.DestinationIdleTimeout ? "-5s" : null);

        Assert.Equal(TimeSpan.FromSeconds(90), options!.DestinationIdleTimeout);
        Assert.Null(bad);
        Assert.StartsWith("MESH_PROXY_DESTINATION_IDLE_TIMEOUT: '-5s' ", Assert.Single(errors), StringComparison.Ordinal);
    }
}
