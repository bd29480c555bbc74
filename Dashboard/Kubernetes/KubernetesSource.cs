using k8s;

namespace Dashboard.Kubernetes;

public enum KubernetesSourceKind
{
    Url,
    Kubeconfig,
    InCluster,
}

/// <summary>How to reach the Kubernetes API: a plain URL (the local fleet), a kubeconfig file, or the pod's own credentials.</summary>
public sealed record KubernetesSource
{
    /// <summary>The bundled fleet's API, where ./run.sh starts it (README.md).</summary>
    public const string DefaultUrl = "http://127.0.0.1:6443";

    private KubernetesSource(KubernetesSourceKind kind, string location)
    {
        Kind = kind;
        Location = location;
    }

    public KubernetesSourceKind Kind { get; }

    /// <summary>The URL, the kubeconfig path, or "in-cluster".</summary>
    public string Location { get; }

    public static KubernetesSource Default { get; } = FromUrl(new Uri(DefaultUrl));

    public static KubernetesSource InCluster { get; } = new(KubernetesSourceKind.InCluster, "in-cluster");

    public static KubernetesSource FromUrl(Uri url)
    {
        ArgumentNullException.ThrowIfNull(url);
        return new(KubernetesSourceKind.Url, url.AbsoluteUri.TrimEnd('/'));
    }

    public static KubernetesSource FromKubeconfig(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        return new(KubernetesSourceKind.Kubeconfig, path);
    }

    /// <summary>Builds the client configuration; reads the kubeconfig or the service account files, so it may throw.</summary>
    public KubernetesClientConfiguration CreateClientConfiguration() => Kind switch
    {
        KubernetesSourceKind.Url => new KubernetesClientConfiguration { Host = Location },
        KubernetesSourceKind.Kubeconfig => KubernetesClientConfiguration.BuildConfigFromConfigFile(Location),
        _ => KubernetesClientConfiguration.InClusterConfig(),
    };

    public override string ToString() => Kind == KubernetesSourceKind.Kubeconfig ? "kubeconfig " + Location : Location;
}
