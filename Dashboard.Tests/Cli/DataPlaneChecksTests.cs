using Dashboard.Cli.Check;

namespace Dashboard.Tests.Cli;

/// <summary>The destination-service check of <c>check --proxy</c>, from the proxies Prometheus reports unreachable.</summary>
public sealed class DataPlaneChecksTests
{
    private const string Address = "linkerd-dst-headless.linkerd.svc.cluster.local:8086";

    [Fact]
    public void No_proxy_reporting_its_destination_service_unreachable_passes()
    {
        Assert.Equal(CheckResult.Ok, DataPlaneChecks.DestinationService([], null, "linkerd"));
    }

    [Fact]
    public void Proxies_reporting_it_unreachable_warn_naming_their_pods_the_address_and_where_to_look()
    {
        var result = DataPlaneChecks.DestinationService(
            [new UnreachableDestinationService("shop", "web-0", Address), new UnreachableDestinationService("default", "ml-0", Address)], null, "mesh");

        Assert.Equal(CheckStatus.Warn, result.Status);
        Assert.Equal($"the destination service ({Address}) is unreachable from shop/web-0, default/ml-0, which route by the endpoints they last had: " +
            "is linkerd-destination running? kubectl -n mesh get deploy linkerd-destination", result.Hint);
    }

    [Fact]
    public void With_a_namespace_only_its_pods_count()
    {
        var unreachable = new[] { new UnreachableDestinationService("shop", "web-0", Address) };

        Assert.Equal(CheckResult.Ok, DataPlaneChecks.DestinationService(unreachable, "default", "linkerd"));
        Assert.Equal(CheckStatus.Warn, DataPlaneChecks.DestinationService(unreachable, "shop", "linkerd").Status);
    }
}
