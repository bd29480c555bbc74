namespace Dashboard.Contracts.Metrics;

/// <summary>Label names of the metric contract (docs/ARCHITECTURE.md §2).</summary>
public static class LabelNames
{
    public const string Direction = "direction";
    public const string Authority = "authority";
    public const string TargetAddr = "target_addr";
    public const string Tls = "tls";
    public const string NoTlsReason = "no_tls_reason";
    public const string ClientId = "client_id";
    public const string ServerId = "server_id";
    public const string StatusCode = "status_code";
    public const string Classification = "classification";
    public const string GrpcStatus = "grpc_status";
    public const string Error = "error";
    public const string Peer = "peer";
    public const string Errno = "errno";
    public const string DstNamespace = "dst_namespace";
    public const string DstService = "dst_service";
    public const string DstDeployment = "dst_deployment";
    public const string DstPod = "dst_pod";
    /// <summary>The control-plane address of the <c>control_*</c> families.</summary>
    public const string Addr = "addr";

    /// <summary>The proxy's version on <c>proxy_build_info</c>.</summary>
    public const string Version = "version";

    /// <summary>Added by Prometheus from service discovery, never by the proxy.</summary>
    public const string Namespace = "namespace";
    public const string Deployment = "deployment";
    public const string Pod = "pod";

    public static class Values
    {
        public const string Inbound = "inbound";
        public const string Outbound = "outbound";
        public const string Success = "success";
        public const string Failure = "failure";
        public const string TlsTrue = "true";
        public const string TlsDisabled = "disabled";
        public const string TlsNoIdentity = "no_identity";

        /// <summary><c>no_tls_reason</c> inbound: the client did not start TLS (linkerd2-proxy's NoServerTls).</summary>
        public const string NoTlsFromRemote = "no_tls_from_remote";
        /// <summary><c>no_tls_reason</c> outbound: discovery gave the destination no identity (linkerd2-proxy's NoClientTls).</summary>
        public const string NotProvidedByServiceDiscovery = "not_provided_by_service_discovery";
        /// <summary><c>no_tls_reason</c> of the hop between the proxy and its own app, over loopback.</summary>
        public const string Loopback = "loopback";
        public const string PeerSource = "src";
        public const string PeerDestination = "dst";
    }
}
