using Dashboard.Metrics;
using Dashboard.Model;

namespace Dashboard.Tests.Metrics;

/// <summary>
/// A resource's TLS edges assembled from the three views of its traffic: destinations with the identity they proved,
/// meshed callers with the identity they presented, and plaintext from outside the mesh.
/// </summary>
public sealed class TlsEdgesTests
{
    private static readonly ResourceKey Test1 = new(WorkloadKind.Deployment, "default", "test-1");
    private static readonly ResourceKey Test2 = new(WorkloadKind.Deployment, "default", "test-2");
    private static readonly ResourceKey Ml = new(WorkloadKind.Deployment, "default", "ml");
    private const string Test1Id = "test-1.default.serviceaccount.identity.cluster.local";
    private const string Test2Id = "test-2.default.serviceaccount.identity.cluster.local";
    private const string MlId = "ml.default.serviceaccount.identity.cluster.local";

    private static PromSample Sample(double value, params (string Name, string Value)[] labels) =>
        new(labels.ToDictionary(l => l.Name, l => l.Value), value);

    private static IReadOnlyCollection<string> AccountsByName(ResourceKey resource) => [resource.Name];

    [Fact]
    public void Callers_and_destinations_carry_the_identities_each_side_proved()
    {
        var outgoing = new[] { Sample(180, ("dst_namespace", "default"), ("dst_deployment", "ml"), ("tls", "true"), ("server_id", MlId)) };
        var incoming = new[] { Sample(179.5, ("namespace", "default"), ("deployment", "test-2"), ("tls", "true"), ("server_id", Test1Id)) };
        var seen = new[] { Sample(179.5, ("tls", "true"), ("client_id", Test2Id)) };

        var edges = TlsEdges.Assemble(Test1, outgoing, incoming, seen, AccountsByName);

        Assert.Equal(
            [
                new TlsEdge(Test2, Test1, Test2Id, Test1Id, "true", null, 179.5),
                new TlsEdge(Test1, Ml, Test1Id, MlId, "true", null, 180),
            ],
            edges);
        Assert.All(edges, e => Assert.True(e.Secured));
        Assert.All(edges, e => Assert.Null(e.Reason));
    }

    [Fact]
    public void Plaintext_no_meshed_caller_sent_is_shown_as_unmeshed_clients_with_the_reason()
    {
        var seen = new[]
        {
            Sample(180, ("tls", "no_identity"), ("no_tls_reason", "no_tls_from_remote")),
            Sample(0, ("tls", "true"), ("client_id", Test1Id)), // no requests in the window: no edge
        };

        var edge = Assert.Single(TlsEdges.Assemble(Test2, [], [], seen, AccountsByName));

        Assert.Equal(new TlsEdge(null, Test2, null, null, "no_identity", "no_tls_from_remote", 180), edge);
        Assert.Equal("no_tls_from_remote", edge.Reason);
    }

    [Fact]
    public void Plaintext_a_meshed_caller_sent_is_its_own_edge_and_not_counted_again_as_unmeshed()
    {
        // test-1's proxy has no identity (tls="disabled"): ml's inbound proxies see its requests as plaintext.
        var incoming = new[] { Sample(90, ("namespace", "default"), ("deployment", "test-1"), ("tls", "disabled")) };
        var seen = new[] { Sample(90, ("tls", "no_identity"), ("no_tls_reason", "no_tls_from_remote")) };

        var edge = Assert.Single(TlsEdges.Assemble(Ml, [], incoming, seen, AccountsByName));

        Assert.Equal((Test1, (ResourceKey?)Ml, (string?)null, "identity_disabled"), (edge.Source!.Value, edge.Destination, edge.ClientId, edge.Reason));
    }

    [Fact]
    public void A_destination_outside_the_mesh_is_plaintext_for_the_reason_discovery_gave()
    {
        var outgoing = new[] { Sample(60, ("tls", "no_identity"), ("no_tls_reason", "not_provided_by_service_discovery")) };

        var edge = Assert.Single(TlsEdges.Assemble(Test1, outgoing, [], [], AccountsByName));

        Assert.Equal(new TlsEdge(Test1, null, null, null, "no_identity", "not_provided_by_service_discovery", 60), edge);
    }

    [Fact]
    public void A_caller_whose_pods_the_inventory_does_not_know_shows_no_client_identity_rather_than_a_guess()
    {
        var incoming = new[] { Sample(10, ("namespace", "default"), ("deployment", "test-2"), ("tls", "true"), ("server_id", Test1Id)) };
        var seen = new[] { Sample(10, ("tls", "true"), ("client_id", Test2Id)) };

        var edge = Assert.Single(TlsEdges.Assemble(Test1, [], incoming, seen, _ => []));

        Assert.Null(edge.ClientId);
        Assert.Equal(Test1Id, edge.ServerId);
    }
}
