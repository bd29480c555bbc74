using Dashboard.Contracts.Proxy;
using Dashboard.Proxy.Configuration;

namespace Dashboard.Tests.Identity;

/// <summary>The proxy's identity variables: on with the trust anchors, and every problem named by its variable.</summary>
public sealed class ProxyIdentityOptionsTests
{
    private static (ProxyOptions? Options, IReadOnlyList<string> Errors) Parse(Dictionary<string, string> env) => ProxyOptionsParser.Parse(env.GetValueOrDefault);

    [Fact]
    public void Identity_is_off_without_trust_anchors_and_on_with_them()
    {
        var mesh = new TestMesh();
        Assert.Null(Parse([]).Options!.Identity);

        var identity = Parse(new Dictionary<string, string>(mesh.Environment(TestMesh.Id("web", "shop")))
        {
            [ProxyEnvironment.IdentityServiceAddr] = "linkerd-identity.linkerd.svc.cluster.local:8080",
        }).Options!.Identity!;

        Assert.Equal("web.shop.serviceaccount.identity.cluster.local", identity.LocalName);
        Assert.Equal("cluster.local", identity.TrustDomain);
        Assert.Equal(mesh.Anchor.Thumbprint, Assert.Single(identity.TrustAnchors).Thumbprint);
        Assert.Equal("linkerd-identity.linkerd.svc.cluster.local:8080", identity.ServiceAddress);
        Assert.Equal("/var/run/secrets/kubernetes.io/serviceaccount/token", identity.TokenFile);
    }

    [Fact]
    public void Every_identity_problem_names_its_variable()
    {
        var (options, errors) = Parse(new Dictionary<string, string>
        {
            [ProxyEnvironment.IdentityTrustAnchors] = "not a certificate",
            [ProxyEnvironment.IdentityLocalName] = "web.shop",
            [ProxyEnvironment.IdentityServiceAddr] = "identity",
            [ProxyEnvironment.IdentityServiceName] = "identity.linkerd",
        });

        Assert.Null(options);
        Assert.Equal(
        [
            "MESH_PROXY_IDENTITY_TRUST_ANCHORS holds no PEM certificate (-----BEGIN CERTIFICATE-----); expected the PEM of the mesh's trust anchor(s)",
            "MESH_PROXY_IDENTITY_LOCAL_NAME: 'web.shop' is not an identity; expected <serviceaccount>.<namespace>.serviceaccount.identity.<trust-domain>, e.g. web.shop.serviceaccount.identity.cluster.local",
            "MESH_PROXY_IDENTITY_SVC_ADDR: 'identity' is not an address; expected HOST:PORT of the identity endpoint, e.g. linkerd-identity.linkerd.svc.cluster.local:8080",
            "MESH_PROXY_IDENTITY_SVC_NAME: 'identity.linkerd' is not an identity; expected the identity endpoint's, e.g. linkerd-identity.linkerd.serviceaccount.identity.cluster.local",
        ], errors);
    }

    [Fact]
    public void Identity_settings_without_trust_anchors_are_an_error_not_silently_plaintext()
    {
        var (options, errors) = Parse(new Dictionary<string, string> { [ProxyEnvironment.IdentityLocalName] = TestMesh.Id("web", "shop") });

        Assert.Null(options);
        Assert.Equal(["MESH_PROXY_IDENTITY_LOCAL_NAME is set but MESH_PROXY_IDENTITY_TRUST_ANCHORS is not: identity needs the trust anchors (PEM) too"], errors);
    }

    [Fact]
    public void The_tap_client_is_the_dashboard_of_the_control_plane_unless_named_and_needs_an_identity()
    {
        var mesh = new TestMesh();
        var env = new Dictionary<string, string>(mesh.Environment(TestMesh.Id("web", "shop")));
        Assert.Null(Parse([]).Options!.TapServiceName);
        Assert.Equal("dashboard.linkerd.serviceaccount.identity.cluster.local", Parse(env).Options!.TapServiceName);

        env[ProxyEnvironment.TapServiceName] = TestMesh.Id("viz", "ops");
        Assert.Equal("viz.ops.serviceaccount.identity.cluster.local", Parse(env).Options!.TapServiceName);

        var (options, errors) = Parse(new Dictionary<string, string> { [ProxyEnvironment.TapServiceName] = TestMesh.Id("viz", "ops") });
        Assert.Null(options);
        Assert.Equal(["MESH_PROXY_TAP_SVC_NAME is set but MESH_PROXY_IDENTITY_TRUST_ANCHORS is not: tap over mesh TLS needs the proxy's identity"], errors);
    }
}
