using Dashboard.Configuration;
using Dashboard.Kubernetes;

namespace Dashboard.Tests.DashboardApp;

/// <summary>The Kubernetes source: exactly one of Url, Kubeconfig and InCluster, the default URL otherwise.</summary>
public sealed class KubernetesSourceParserTests
{
    [Fact]
    public void Two_kubernetes_sources_are_refused_naming_both()
    {
        var options = new DashboardOptions { Kubernetes = new() { Url = "http://127.0.0.1:6443", InCluster = "true" } };

        var (_, errors) = DashboardOptionsParser.Parse(options, new DashboardEnvironment(null, IsInCluster: true));

        Assert.Equal(
            "Dashboard:Kubernetes: Dashboard:Kubernetes:Url 'http://127.0.0.1:6443' and Dashboard:Kubernetes:InCluster 'true' are all set; expected exactly one of Url, Kubeconfig or InCluster=true",
            Assert.Single(errors));
    }

    [Fact]
    public void InCluster_false_is_no_source_and_leaves_the_default()
    {
        var (settings, errors) = DashboardOptionsParser.Parse(new DashboardOptions { Kubernetes = new() { InCluster = "false" } }, DashboardEnvironment.Local);

        Assert.Empty(errors);
        Assert.Equal(KubernetesSource.Default, settings!.Kubernetes);
    }

    [Fact]
    public void A_kubeconfig_file_is_loaded_at_validation()
    {
        var directory = Directory.CreateTempSubdirectory("dashboard-kubeconfig-");
        try
        {
            var good = Path.Combine(directory.FullName, "good");
            File.WriteAllText(good, """
                apiVersion: v1
                kind: Config
                clusters: [{ name: fleet, cluster: { server: "http://127.0.0.1:6443" } }]
                users: [{ name: me, user: { token: not-a-secret } }]
                contexts: [{ name: fleet, context: { cluster: fleet, user: me } }]
                current-context: fleet
                """);
            var bad = Path.Combine(directory.FullName, "bad");
            File.WriteAllText(bad, "apiVersion: v1\nkind: Config\ncurrent-context: nowhere\n");

            var (settings, errors) = DashboardOptionsParser.Parse(new DashboardOptions { Kubernetes = new() { Kubeconfig = good } }, DashboardEnvironment.Local);
            Assert.True(errors.Count == 0, string.Join("\n", errors));
            Assert.Equal(KubernetesSource.FromKubeconfig(good), settings!.Kubernetes);
            Assert.Equal("http://127.0.0.1:6443", settings.Kubernetes.CreateClientConfiguration().Host.TrimEnd('/'));

            (_, errors) = DashboardOptionsParser.Parse(new DashboardOptions { Kubernetes = new() { Kubeconfig = bad } }, DashboardEnvironment.Local);
            Assert.StartsWith($"Dashboard:Kubernetes:Kubeconfig: '{bad}' is not a usable kubeconfig: ", Assert.Single(errors), StringComparison.Ordinal);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }
}
