using Dashboard.Contracts.Destination;
using Dashboard.Proxy.Destination;
using Dashboard.Proxy.Discovery;
using Dashboard.Proxy.Metrics;

namespace Dashboard.Tests.Destination;

/// <summary>The updates one subscriber is sent as a destination's endpoint set changes.</summary>
public sealed class EndpointSetTrackerTests
{
    private static readonly EndpointInfo A = new("10.0.0.1:80", new DestinationLabels("default", "web", "web", "web-a"));
    private static readonly EndpointInfo B = new("10.0.0.2:80", new DestinationLabels("default", "web", "web", "web-b"));

    [Fact]
    public void An_unchanged_set_sends_nothing_and_a_changed_identity_replaces_its_endpoint()
    {
        var tracker = new EndpointSetTracker();
        Assert.Equal(2, Assert.Single(tracker.Next(Service(A, B))).Add.Endpoints.Count);

        Assert.Empty(tracker.Next(Service(A, B)));

        var meshed = A with { Identity = "web.default.serviceaccount.identity.cluster.local", Meshed = true };
        var replaced = Assert.Single(Assert.Single(tracker.Next(Service(meshed, B))).Add.Endpoints);
        Assert.Equal((A.Address, meshed.Identity, true), (replaced.Address, replaced.Identity, replaced.Meshed));
    }

    [Fact]
    public void Emptying_the_set_sends_one_no_endpoints_and_refilling_it_adds_everything_again()
    {
        var tracker = new EndpointSetTracker();
        tracker.Next(Service(A, B));

        var none = Assert.Single(tracker.Next(Service()));
        Assert.True(none.NoEndpoints.Exists);
        Assert.Empty(tracker.Next(Service()));
        Assert.False(Assert.Single(tracker.Next(null)).NoEndpoints.Exists);

        Assert.Equal(2, Assert.Single(tracker.Next(Service(A, B))).Add.Endpoints.Count);
    }

    [Fact]
    public void A_port_turning_opaque_re_adds_its_endpoints_as_opaque()
    {
        var tracker = new EndpointSetTracker();
        tracker.Next(Service(A));

        var update = Assert.Single(tracker.Next(new ResolvedService("default", "web", [A], opaque: true)));

        Assert.True(Assert.Single(update.Add.Endpoints).Opaque);
        Assert.Equal(Update.KindOneofCase.Add, update.KindCase);
    }

    [Fact]
    public void Subscribers_of_one_set_are_sent_the_same_endpoint_messages()
    {
        var service = Service(A, B);

        var first = Assert.Single(new EndpointSetTracker().Next(service)).Add.Endpoints;
        var second = Assert.Single(new EndpointSetTracker().Next(service)).Add.Endpoints;

        Assert.All(first.Zip(second), pair => Assert.Same(pair.First, pair.Second));
    }

    private static ResolvedService Service(params EndpointInfo[] endpoints) => new("default", "web", endpoints);
}
