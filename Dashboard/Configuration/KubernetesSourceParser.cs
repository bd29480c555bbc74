using Dashboard.Kubernetes;
using k8s;

namespace Dashboard.Configuration;

/// <summary>Which Kubernetes API the inventory reads: exactly one of a URL, a kubeconfig file or in-cluster credentials.</summary>
internal static class KubernetesSourceParser
{
    public static KubernetesSource? Parse(KubernetesOptions options, DashboardEnvironment environment, ConfigProblems problems)
    {
        var inCluster = problems.Boolean(ConfigKeys.KubernetesInCluster, options.InCluster, unset: false);
        var hasUrl = !string.IsNullOrWhiteSpace(options.Url);
        var hasKubeconfig = !string.IsNullOrWhiteSpace(options.Kubeconfig);
        var chosen = new List<string>();
        if (hasUrl)
        {
            chosen.Add($"{ConfigKeys.KubernetesUrl} '{options.Url}'");
        }

        if (hasKubeconfig)
        {
            chosen.Add($"{ConfigKeys.KubernetesKubeconfig} '{options.Kubeconfig}'");
        }

        if (inCluster == true)
        {
            chosen.Add($"{ConfigKeys.KubernetesInCluster} '{options.InCluster}'");
        }

        if (chosen.Count > 1)
        {
            problems.AddMessage($"{ConfigKeys.Kubernetes}: {string.Join(" and ", chosen)} are all set; expected exactly one of Url, Kubeconfig or InCluster=true");
            return null;
        }

        if (hasUrl)
        {
            return problems.HttpUrl(ConfigKeys.KubernetesUrl, options.Url) is { } url ? KubernetesSource.FromUrl(url) : null;
        }

        if (hasKubeconfig)
        {
            return ParseKubeconfig(ConfigKeys.KubernetesKubeconfig, options.Kubeconfig!, problems);
        }

        if (inCluster == true)
        {
            if (!environment.IsInCluster)
            {
                problems.Add(ConfigKeys.KubernetesInCluster, options.InCluster,
                    "but this process is not running in a Kubernetes pod (KUBERNETES_SERVICE_HOST or the service account token is missing)");
                return null;
            }

            return KubernetesSource.InCluster;
        }

        return inCluster is null ? null : KubernetesSource.Default;
    }

    /// <summary>A kubeconfig file that exists and loads; <paramref name="key"/> names the setting (or CLI option) in messages.</summary>
    // Loading the file now turns a wrong path or context into a start-up error instead of a banner.
    public static KubernetesSource? ParseKubeconfig(string key, string configured, ConfigProblems problems)
    {
        var path = ExpandHome(configured.Trim());
        if (!File.Exists(path))
        {
            problems.Add(key, configured, "does not exist (expected the path of a kubeconfig file)");
            return null;
        }

        try
        {
            KubernetesClientConfiguration.BuildConfigFromConfigFile(path);
            return KubernetesSource.FromKubeconfig(path);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            problems.Add(key, configured, $"is not a usable kubeconfig: {ex.Message}");
            return null;
        }
    }

    private static string ExpandHome(string path) =>
        path == "~" || path.StartsWith("~/", StringComparison.Ordinal)
            ? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), path.TrimStart('~').TrimStart('/'))
            : path;
}
