using k8s;

namespace Dashboard.Configuration;

/// <summary>
/// What the validator needs to know about the machine it runs on, passed in so that tests can
/// describe any machine.
/// </summary>
/// <param name="PodNamespace">The namespace this pod runs in, for the default allowed hosts; null outside a cluster.</param>
/// <param name="IsInCluster">Whether in-cluster Kubernetes credentials are present.</param>
public sealed record DashboardEnvironment(string? PodNamespace, bool IsInCluster)
{
    // Mounted into every pod with a service account: https://kubernetes.io/docs/tasks/run-application/access-api-from-pod/
    private const string ServiceAccountNamespaceFile = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";

    /// <summary>Outside any cluster: what tests usually want.</summary>
    public static DashboardEnvironment Local { get; } = new(null, false);

    public static DashboardEnvironment Detect() => new(DetectNamespace(), KubernetesClientConfiguration.IsInCluster());

    // POD_NAMESPACE is the usual downward-API variable; the service account file needs no manifest change.
    private static string? DetectNamespace()
    {
        if (Environment.GetEnvironmentVariable("POD_NAMESPACE") is { Length: > 0 } fromEnvironment)
        {
            return fromEnvironment.Trim();
        }

        try
        {
            return File.Exists(ServiceAccountNamespaceFile) ? File.ReadAllText(ServiceAccountNamespaceFile).Trim() : null;
        }
        catch (IOException)
        {
            return null;
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }
}
