namespace Dashboard.Kubernetes;

/// <summary>Labels the inventory reads.</summary>
public static class KubeLabels
{
    /// <summary>Set by Linkerd's proxy injector on every meshed pod: a pod is meshed when it is set.</summary>
    public const string ControlPlaneNamespace = "linkerd.io/control-plane-ns";

    /// <summary>Set by the Deployment controller on its ReplicaSets and their pods; a ReplicaSet is named deployment-hash.</summary>
    public const string PodTemplateHash = "pod-template-hash";
}
