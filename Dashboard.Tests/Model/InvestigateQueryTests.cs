using Dashboard.Model;

namespace Dashboard.Tests.Model;

/// <summary>What <c>/investigate</c> makes of its URL: a whole query, or what is wrong with it in words.</summary>
public sealed class InvestigateQueryTests
{
    private static readonly StatWindow Lookback = StatWindow.FromSeconds(900);

    [Fact]
    public void A_whole_query_names_the_resource_the_lookback_and_its_end()
    {
        var query = InvestigateQuery.Parse("default", "deploy/test-2", "1h", "2026-12-03T06:00:00Z", Lookback);

        Assert.Equal(new ResourceKey(WorkloadKind.Deployment, "default", "test-2"), query.Resource);
        Assert.Equal(StatWindow.FromSeconds(3600), query.Lookback);
        Assert.Equal(DateTimeOffset.Parse("2026-12-03T06:00:00Z", System.Globalization.CultureInfo.InvariantCulture), query.At);
        Assert.Null(query.Problem);
        Assert.Equal((StatWindow.FromSeconds(900), (DateTimeOffset?)null), (InvestigateQuery.Parse("default", "pod/web-1", null, "", Lookback).Lookback, InvestigateQuery.Parse("default", "pod/web-1", null, "", Lookback).At));
    }

    [Fact]
    public void What_is_wrong_is_said_and_the_rest_is_used()
    {
        Assert.Equal("Choose a namespace and a resource (deployment/NAME) to investigate.", InvestigateQuery.Parse(null, null, null, null, Lookback).Problem);
        Assert.Equal("Resource 'test-2' is not TYPE/NAME, such as deployment/test-2 (types: deployment, statefulset, daemonset, job, pod, namespace).",
            InvestigateQuery.Parse("default", "test-2", null, null, Lookback).Problem);
        Assert.Null(InvestigateQuery.Parse("default", "default/deployment/test-2", null, null, Lookback).Resource);
        Assert.Null(InvestigateQuery.Parse("default", "widget/test-2", null, null, Lookback).Resource);

        var badLookback = InvestigateQuery.Parse("default", "deployment/test-2", "fifteen", "yesterday", Lookback);
        Assert.Equal("Lookback 'fifteen' is not a duration in whole seconds up to 30d, such as 15s, 1m or 1h; looking back 15m; " +
            "at 'yesterday' is not an RFC 3339 time such as 2026-12-02T21:00:00Z, or Unix seconds; ending now.", badLookback.Problem);
        Assert.Equal(new ResourceKey(WorkloadKind.Deployment, "default", "test-2"), badLookback.Resource);
        Assert.Equal(StatWindow.FromSeconds(900), badLookback.Lookback);
        Assert.Null(badLookback.At);
    }
}
