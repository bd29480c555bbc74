using Dashboard.Contracts.Destination;
using Dashboard.Proxy;
using Dashboard.Proxy.Destination;
using Dashboard.Proxy.Hosting;

namespace Dashboard.Tests.Destination;

public sealed class DestinationOptionsParserTests
{
    [Fact]
    public void Flags_win_over_their_variables_and_unset_ones_keep_the_defaults()
    {
        var env = new Dictionary<string, string>
        {
            [DestinationEnvironment.ListenAddr] = "127.0.0.1:9000",
            [DestinationEnvironment.KubernetesApi] = "http://127.0.0.1:6443",
        };

        var (options, errors) = DestinationOptionsParser.Parse(["--listen-addr=127.0.0.1:8086"], env.GetValueOrDefault);

        Assert.Empty(errors);
        Assert.Equal("127.0.0.1:8086", options!.Listen.ToString());
        Assert.Equal(new Uri("http://127.0.0.1:6443"), options.KubernetesApi);
        Assert.Equal("cluster.local", options.ClusterDomain);
        Assert.Equal(DestinationEnvironment.DefaultPort, DestinationOptionsParser.Parse([], _ => null).Options!.Listen.Port);
    }

    [Theory]
    [InlineData("--listen-addr", "8086", "--listen-addr: '8086' is not an address")]
    [InlineData("--kubernetes-api", "localhost:6443", "--kubernetes-api: 'localhost:6443' is not a URL")]
    [InlineData("--cluster-domain", "a b", "--cluster-domain: 'a b' is not a DNS name")]
    [InlineData("--listen", "0.0.0.0:8086", "unknown argument '--listen'")]
    public void A_bad_flag_is_named_in_the_error(string flag, string value, string message)
    {
        var (options, errors) = DestinationOptionsParser.Parse([flag, value], _ => null);

        Assert.Null(options);
        Assert.StartsWith(message, Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public void A_bad_variable_is_named_in_the_error()
    {
        var (_, errors) = DestinationOptionsParser.Parse([], name => name == DestinationEnvironment.ListenAddr ? "nowhere" : null);

        Assert.StartsWith($"{DestinationEnvironment.ListenAddr}: 'nowhere'", Assert.Single(errors), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_verb_exits_2_on_a_bad_flag()
    {
        Assert.Equal(ProxyExitCodes.BadConfiguration, await ProxyProgram.RunAsync([DestinationEnvironment.Verb, "--kubernetes-api"]).Within());
    }

    [Fact]
    public void Identity_is_off_without_trust_anchors_and_with_them_names_the_service_by_its_service_account()
    {
        var mesh = new Identity.TestMesh();
        var env = new Dictionary<string, string>
        {
            [DestinationEnvironment.IdentityTrustAnchors] = mesh.Anchor.ExportCertificatePem(),
            [DestinationEnvironment.IdentityServiceAddr] = "linkerd-identity.linkerd.svc.cluster.local:8080",
        };

        var (off, _) = DestinationOptionsParser.Parse([], _ => null);
        var (on, errors) = DestinationOptionsParser.Parse([DestinationEnvironment.IdentityTokenFileFlag, "/var/run/token"], env.GetValueOrDefault);

        Assert.Null(off!.Identity);
        Assert.Empty(errors);
        Assert.Equal("linkerd-destination.linkerd.serviceaccount.identity.cluster.local", on!.Identity!.LocalName);
        Assert.Equal(mesh.Anchor.Thumbprint, Assert.Single(on.Identity.TrustAnchors).Thumbprint);
        Assert.Equal("linkerd-identity.linkerd.svc.cluster.local:8080", on.Identity.ServiceAddress);
        Assert.Equal("/var/run/token", on.Identity.TokenFile);
    }

    [Fact]
    public void A_bad_identity_setting_is_named_as_given_flag_or_variable()
    {
        var anchors = new Identity.TestMesh().Anchor.ExportCertificatePem();
        var env = new Dictionary<string, string> { [DestinationEnvironment.IdentityTrustAnchors] = anchors, [DestinationEnvironment.IdentityServiceAddr] = "identity:8080" };

        var (_, badFlag) = DestinationOptionsParser.Parse([DestinationEnvironment.IdentityLocalNameFlag, "linkerd-destination"], env.GetValueOrDefault);
        var (defaulted, _) = DestinationOptionsParser.Parse([DestinationEnvironment.TrustDomainFlag, "example.org"], env.GetValueOrDefault);
        env[DestinationEnvironment.IdentityLocalName] = "linkerd-destination.linkerd.serviceaccount.identity.cluster.local";
        var (_, otherDomain) = DestinationOptionsParser.Parse([DestinationEnvironment.TrustDomainFlag, "example.org"], env.GetValueOrDefault);
        var (_, alone) = DestinationOptionsParser.Parse([], n => n == DestinationEnvironment.IdentityLocalName ? "linkerd-destination.linkerd.serviceaccount.identity.cluster.local" : null);

        Assert.StartsWith("--identity-local-name: 'linkerd-destination' is not an identity", Assert.Single(badFlag), StringComparison.Ordinal);
        Assert.Equal("linkerd-destination.linkerd.serviceaccount.identity.example.org", defaulted!.Identity!.LocalName);
        Assert.Equal(["MESH_DESTINATION_IDENTITY_LOCAL_NAME: 'linkerd-destination.linkerd.serviceaccount.identity.cluster.local' is not in the trust domain example.org (--identity-trust-domain)"],
            otherDomain);
        Assert.Equal(["MESH_DESTINATION_IDENTITY_LOCAL_NAME is set but MESH_DESTINATION_IDENTITY_TRUST_ANCHORS is not: identity needs the trust anchors (PEM) too"], alone);
    }
}
