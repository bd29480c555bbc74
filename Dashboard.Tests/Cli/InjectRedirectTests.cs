using System.Net;
using Dashboard.Cli;
using Dashboard.Contracts.Proxy;
using Dashboard.Proxy.ProxyInit;
using k8s;
using k8s.Models;

namespace Dashboard.Tests.Cli;

/// <summary>inject's init container, run in-process: its flags as <c>Dashboard.Proxy init</c> reads them, <c>--manual-redirect</c>, bad annotations.</summary>
public sealed class InjectRedirectTests
{
    [Fact]
    public async Task The_init_flags_inject_writes_are_what_init_reads_and_match_the_proxys_listeners_and_user()
    {
        var pod = await InjectAsync(TwoPortApp.Text);

        var init = pod.Spec.InitContainers.Single(c => c.Name == "linkerd-init");
        var (options, errors) = InitOptionsParser.Parse([.. init.Args.Skip(1)]);
        Assert.Empty(errors);
        Assert.Equal([new PortRange(4190, 4190), new PortRange(4191, 4191), new PortRange(25, 25), new PortRange(9000, 9100)], options!.InboundPortsToIgnore);
        Assert.Equal([new PortRange(5432, 5432)], options.OutboundPortsToIgnore);
        Assert.Equal([IPNetwork.Parse("10.96.0.0/12")], options.SubnetsToIgnore);
        var proxy = pod.Spec.Containers.Single(c => c.Name == "linkerd-proxy");
        var env = proxy.Env.Where(e => e.Value is not null).ToDictionary(e => e.Name, e => e.Value);
        Assert.Equal(IPEndPoint.Parse(env[ProxyEnvironment.InboundListenAddr]).Port, options.IncomingProxyPort);
        Assert.Equal(IPEndPoint.Parse(env[ProxyEnvironment.OutboundListenAddr]).Port, options.OutgoingProxyPort);
        Assert.Equal(proxy.SecurityContext.RunAsUser, options.ProxyUid);
        // The tap and admin ports the init keeps from the redirect are the ones the proxy serves.
        Assert.Equal(
            [IPEndPoint.Parse(env[ProxyEnvironment.TapListenAddr]).Port, IPEndPoint.Parse(env[ProxyEnvironment.AdminListenAddr]).Port],
            options.InboundPortsToIgnore.Take(2).Select(r => r.First));
    }

    [Fact]
    public async Task With_manual_redirect_there_is_no_init_container_and_the_proxy_still_runs_as_its_own_user()
    {
        var pod = await InjectAsync(TwoPortApp.Text, "--manual-redirect");

        Assert.Equal(["migrate"], pod.Spec.InitContainers.Select(c => c.Name));
        Assert.DoesNotContain(pod.Spec.Volumes, v => v.Name == "linkerd-proxy-init-xtables-lock");
        var proxy = pod.Spec.Containers.Single(c => c.Name == "linkerd-proxy");
        Assert.Equal((2102L, true), (proxy.SecurityContext.RunAsUser, proxy.SecurityContext.RunAsNonRoot));
        // A CNI plugin reads the skip annotations from the pod itself; opaque ports are still the proxy's.
        Assert.Equal("25, 9000-9100", pod.Metadata.Annotations[ProxyAnnotations.SkipInboundPorts]);
        Assert.Equal("3306", proxy.Env.Single(e => e.Name == ProxyEnvironment.InboundOpaquePorts).Value);
    }

    [Theory]
    [InlineData("config.linkerd.io/skip-inbound-ports: http",
        "'http' is not a port or a range of ports; expected a port from 1 to 65535 or LOW-HIGH, e.g. 3306 or 9000-9100")]
    [InlineData("config.linkerd.io/skip-outbound-ports: \"5432,70000\"", "'70000' is not a port or a range of ports")]
    [InlineData("config.linkerd.io/opaque-ports: \"9100-9000\"", "'9100-9000' is an empty range; expected LOW-HIGH with LOW <= HIGH")]
    [InlineData("config.linkerd.io/skip-subnets: fd00::/8", "'fd00::/8' is not an IPv4 network; expected ADDRESS/PREFIX, e.g. 10.96.0.0/12")]
    [InlineData("config.linkerd.io/opaque-ports: [3306]", "not a string; expected a comma-separated list")]
    public async Task A_bad_annotation_fails_naming_the_document_the_annotation_and_what_was_expected(string annotation, string problem)
    {
        var manifest = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\n---\n" +
            $"apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: api\nspec:\n  template:\n    metadata:\n      annotations:\n        {annotation}\n" +
            "    spec:\n      containers:\n      - name: api\n        image: api:1\n";

        var run = await CliRun.RunAsync(["inject", "-", "--disable-identity"], manifest);

        Assert.Equal((ExitCodes.Failure, ""), (run.ExitCode, run.Out));
        var name = annotation[..annotation.IndexOf(':', StringComparison.Ordinal)];
        Assert.StartsWith($"error: stdin, document 2: deployment \"api\": spec.template.metadata.annotations[\"{name}\"]: {problem}", run.Error, StringComparison.Ordinal);
    }

    private static async Task<V1PodTemplateSpec> InjectAsync(string manifest, params string[] args)
    {
        var run = await CliRun.RunAsync(["inject", "-", "--disable-identity", .. args], manifest);
        Assert.True(run.ExitCode == ExitCodes.Success, run.ToString());
        return Assert.IsType<V1Deployment>(KubernetesYaml.LoadAllFromString(run.Out)[0]).Spec.Template;
    }
}
