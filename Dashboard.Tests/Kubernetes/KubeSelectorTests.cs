using Dashboard.Proxy.Fleet.KubernetesApi;
using k8s.Models;

namespace Dashboard.Tests.Kubernetes;

public sealed class KubeSelectorTests
{
    private static readonly Dictionary<string, string> Labels = new() { ["app"] = "web", ["linkerd.io/control-plane-ns"] = "linkerd" };

    [Theory]
    [InlineData("", true)]
    [InlineData("app=web", true)]
    [InlineData("app == web", true)]
    [InlineData("app!=web", false)]
    [InlineData("app!=api", true)]
    [InlineData("app in (api, web)", true)]
    [InlineData("app notin (api,web)", false)]
    [InlineData("tier notin (db)", true)]
    [InlineData("linkerd.io/control-plane-ns", true)]
    [InlineData("!linkerd.io/control-plane-ns", false)]
    [InlineData("!tier,app=web,app in (web)", true)]
    [InlineData("app=web,tier", false)]
    [InlineData("app=", false)]
    public void Label_selectors_match_as_the_API_server_does(string selector, bool matches)
    {
        Assert.True(FleetLabelSelector.TryParse(selector, out var parsed, out var error), error);
        Assert.Equal(matches, parsed.Matches(Labels));
    }

    [Theory]
    [InlineData("app in (web")]
    [InlineData("app in web")]
    [InlineData("=web")]
    [InlineData("app=a b")]
    [InlineData("-app=web")]
    [InlineData("app=web,")]
    [InlineData("app=-web")]
    public void Malformed_label_selectors_are_refused(string selector)
    {
        Assert.False(FleetLabelSelector.TryParse(selector, out _, out var error));
        Assert.NotEmpty(error);
    }

    [Theory]
    [InlineData("metadata.name=a", true)]
    [InlineData("metadata.name==a,metadata.namespace=default", true)]
    [InlineData("metadata.name!=a", false)]
    [InlineData("status.phase=Running,spec.nodeName=fleet-node", true)]
    public void Field_selectors_match_names_namespaces_and_pod_fields(string selector, bool matches)
    {
        Assert.True(FieldSelector.TryParse(selector, typeof(V1Pod), out var parsed, out var error), error);
        Assert.Equal(matches, parsed.Matches(KubeSeed.Pod("a", "10.0.0.1")));
    }

    [Theory]
    [InlineData("metadata.name", typeof(V1Pod))]
    [InlineData("status.phase=Running", typeof(V1Service))]
    [InlineData("spec.color=red", typeof(V1Pod))]
    public void Unsupported_field_selectors_are_refused(string selector, Type modelType)
    {
        Assert.False(FieldSelector.TryParse(selector, modelType, out _, out var error));
        Assert.NotEmpty(error);
    }

    [Theory]
    [InlineData(0, "0s")]
    [InlineData(119, "119s")]
    [InlineData(125, "2m5s")]
    [InlineData(600, "10m")]
    [InlineData(3 * 3600 + 60, "3h1m")]
    [InlineData(30 * 3600, "30h")]
    [InlineData(3 * 86400 + 3600, "3d1h")]
    [InlineData(400 * 86400, "400d")]
    [InlineData(1094 * 86400, "2y364d")]
    [InlineData(3650 * 86400, "10y")]
    public void Ages_read_like_kubectl(int seconds, string expected)
    {
        Assert.Equal(expected, KubeTableFormat.HumanDuration(TimeSpan.FromSeconds(seconds)));
    }
}
