using Dashboard.Contracts.Identity;

namespace Dashboard.Contracts.Proxy;

/// <summary>The proxy's environment-variable contract (also used by <c>inject</c> and the manifests).</summary>
public static class ProxyEnvironment
{
    public const string InboundListenAddr = "MESH_PROXY_INBOUND_LISTEN_ADDR";
    /// <summary>
    /// Where inbound traffic goes in the explicit mode, without the init container's redirect. <c>inject</c> does not set
    /// it: a redirected connection goes to <c>127.0.0.1</c> and the port it was sent to.
    /// </summary>
    public const string AppAddr = "MESH_PROXY_APP_ADDR";
    public const string OutboundListenAddr = "MESH_PROXY_OUTBOUND_LISTEN_ADDR";
    public const string AdminListenAddr = "MESH_PROXY_ADMIN_LISTEN_ADDR";
    public const string TapListenAddr = "MESH_PROXY_TAP_LISTEN_ADDR";
    /// <summary>The bearer token of plaintext tap (the fleet's); unset, plaintext tap is off.</summary>
    public const string TapToken = "MESH_PROXY_TAP_TOKEN";
    /// <summary>
    /// The identity a tap subscriber must prove with its client certificate over mesh TLS on the tap port, when the proxy
    /// has an identity (Linkerd's <c>LINKERD2_PROXY_TAP_SVC_NAME</c>); by default <see cref="DefaultTapServiceName"/>.
    /// </summary>
    public const string TapServiceName = "MESH_PROXY_TAP_SVC_NAME";
    public const string PodName = "MESH_PROXY_POD_NAME";
    public const string PodNamespace = "MESH_PROXY_POD_NAMESPACE";
    public const string KubernetesApi = "MESH_PROXY_KUBERNETES_API";
    /// <summary>
    /// <c>host:port</c> of the destination service (<c>Dashboard.Proxy destination</c>, port 8086): when set, the proxy asks it
    /// for the destinations it sends to instead of watching the Kubernetes API itself.
    /// </summary>
    public const string DestinationServiceAddr = "MESH_PROXY_DESTINATION_SVC_ADDR";
    /// <summary>
    /// The identity the destination service must present when the proxy has an identity (it then dials it over mesh TLS with its
    /// own certificate; Linkerd's <c>LINKERD2_PROXY_DESTINATION_SVC_NAME</c>); by default <see cref="DefaultDestinationServiceName"/>.
    /// </summary>
    public const string DestinationServiceName = "MESH_PROXY_DESTINATION_SVC_NAME";

    /// <summary>
    /// How long a destination the proxy stops sending to keeps its destination-service stream and endpoints (a duration,
    /// default <see cref="DefaultDestinationIdleTimeout"/>); the next request to it subscribes again.
    /// </summary>
    public const string DestinationIdleTimeout = "MESH_PROXY_DESTINATION_IDLE_TIMEOUT";

    /// <summary>
    /// Inbound ports (a <see cref="PortRange"/> list, <c>3306,9000-9100</c>) whose connections skip protocol detection and
    /// are forwarded as opaque TCP; <c>inject</c> sets it from <see cref="ProxyAnnotations.OpaquePorts"/>.
    /// </summary>
    public const string InboundOpaquePorts = "MESH_PROXY_INBOUND_OPAQUE_PORTS";

    /// <summary>
    /// How long the proxy waits for a connection's first bytes to tell HTTP (or the mesh's TLS) from anything else before
    /// it forwards the connection as opaque TCP (a duration, default <see cref="DefaultDetectTimeout"/>): a protocol whose
    /// server speaks first (SMTP, MySQL) waits this long unless its port is opaque.
    /// </summary>
    public const string DetectTimeout = "MESH_PROXY_DETECT_TIMEOUT";

    /// <summary>PEM of the trust anchors; setting it turns identity (and mTLS) on.</summary>
    public const string IdentityTrustAnchors = "MESH_PROXY_IDENTITY_TRUST_ANCHORS";
    /// <summary>This proxy's identity, <c>&lt;serviceaccount&gt;.&lt;namespace&gt;.serviceaccount.identity.&lt;trust-domain&gt;</c>.</summary>
    public const string IdentityLocalName = "MESH_PROXY_IDENTITY_LOCAL_NAME";
    /// <summary><c>host:port</c> of the identity endpoint that signs this proxy's certificates.</summary>
    public const string IdentityServiceAddr = "MESH_PROXY_IDENTITY_SVC_ADDR";
    /// <summary>The identity the identity endpoint must present.</summary>
    public const string IdentityServiceName = "MESH_PROXY_IDENTITY_SVC_NAME";
    /// <summary>The ServiceAccount token the proxy proves itself with.</summary>
    public const string IdentityTokenFile = "MESH_PROXY_IDENTITY_TOKEN_FILE";

    public const string DefaultInboundListenAddr = "0.0.0.0:4143";
    public const string DefaultAppAddr = "127.0.0.1:8080";
    public const string DefaultOutboundListenAddr = "127.0.0.1:4140";
    public const string DefaultAdminListenAddr = "0.0.0.0:4191";
    public const string DefaultTapListenAddr = "0.0.0.0:4190";
    /// <summary>Linkerd's proxy waits as long (the default of its <c>LINKERD2_PROXY_INBOUND_DETECT_TIMEOUT</c>).</summary>
    public static readonly TimeSpan DefaultDetectTimeout = TimeSpan.FromSeconds(10);
    /// <summary>Linkerd's outbound discovery idle timeout: a proxy holds only what it sends to now, at the cost of resubscribing after a pause.</summary>
    public static readonly TimeSpan DefaultDestinationIdleTimeout = TimeSpan.FromSeconds(5);
    public const string DefaultIdentityTokenFile = "/var/run/secrets/kubernetes.io/serviceaccount/token";

    /// <summary>The default destination service in <paramref name="trustDomain"/>: its ServiceAccount's identity in the control-plane namespace.</summary>
    public static string DefaultDestinationServiceName(string trustDomain) => Destination.DestinationEnvironment.DefaultLocalName(trustDomain);

    /// <summary>The dashboard's ServiceAccount (docker/kubernetes/40-dashboard.yaml), whose identity taps the proxies.</summary>
    public const string DefaultTapServiceAccount = "dashboard";

    /// <summary>The default tap client in <paramref name="trustDomain"/>: the dashboard's identity in the control-plane namespace.</summary>
    public static string DefaultTapServiceName(string trustDomain) =>
        IdentityNames.Format(DefaultTapServiceAccount, IdentityResources.ControlPlaneNamespace, trustDomain);
}
