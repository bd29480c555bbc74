namespace Dashboard.Contracts.Proxy;

/// <summary>The proxy's environment-variable contract (also used by <c>inject</c> and the manifests).</summary>
public static class ProxyEnvironment
{
    public const string InboundListenAddr = "MESH_PROXY_INBOUND_LISTEN_ADDR";
    public const string AppAddr = "MESH_PROXY_APP_ADDR";
    public const string OutboundListenAddr = "MESH_PROXY_OUTBOUND_LISTEN_ADDR";
    public const string AdminListenAddr = "MESH_PROXY_ADMIN_LISTEN_ADDR";
    public const string TapListenAddr = "MESH_PROXY_TAP_LISTEN_ADDR";
    public const string TapToken = "MESH_PROXY_TAP_TOKEN";
    public const string PodName = "MESH_PROXY_POD_NAME";
    public const string PodNamespace = "MESH_PROXY_POD_NAMESPACE";
    public const string KubernetesApi = "MESH_PROXY_KUBERNETES_API";

    public const string DefaultInboundListenAddr = "0.0.0.0:4143";
    public const string DefaultAppAddr = "127.0.0.1:8080";
    public const string DefaultOutboundListenAddr = "127.0.0.1:4140";
    public const string DefaultAdminListenAddr = "0.0.0.0:4191";
    public const string DefaultTapListenAddr = "0.0.0.0:4190";
}
