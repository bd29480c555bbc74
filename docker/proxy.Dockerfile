# The sidecar proxy (and, with the argument `fleet`, the bundled local mesh). Build from the repository root:
#   docker build -f docker/proxy.Dockerfile -t dashboard/proxy:dev .
#
# Environment contract (Dashboard.Contracts/Proxy/ProxyEnvironment.cs; a bad value stops the proxy with a
# message naming the variable):
#   MESH_PROXY_INBOUND_LISTEN_ADDR    0.0.0.0:4143    inbound listener (HTTP/1.1, prior-knowledge HTTP/2, mTLS; anything else opaque TCP)
#   MESH_PROXY_APP_ADDR               127.0.0.1:8080  where inbound traffic goes: the application in the pod
#   MESH_PROXY_OUTBOUND_LISTEN_ADDR   127.0.0.1:4140  outbound listener; the app sends here, destination in Host
#   MESH_PROXY_ADMIN_LISTEN_ADDR      0.0.0.0:4191    /metrics, /ready, /live (the port named linkerd-admin)
#   MESH_PROXY_TAP_LISTEN_ADDR        0.0.0.0:4190    tap hub (SignalR) at /tap; with an identity also over mesh TLS
#   MESH_PROXY_TAP_TOKEN              unset           bearer token of plaintext tap clients; unset: plaintext tap refused
#   MESH_PROXY_TAP_SVC_NAME           dashboard.linkerd.serviceaccount.identity.<trust-domain>  with an identity: the only client certificate identity tap over mesh TLS accepts
#   MESH_PROXY_POD_NAME               unset           this pod's name (downward API: metadata.name)
#   MESH_PROXY_POD_NAMESPACE          unset           this pod's namespace (downward API: metadata.namespace)
#   MESH_PROXY_KUBERNETES_API         unset           Kubernetes API the proxy lists and watches by itself (the fallback without a destination service); never guessed in a pod
#   MESH_PROXY_DESTINATION_SVC_ADDR   unset           host:port of the destination service (Dashboard.Proxy destination): outbound discovery from it, not from the Kubernetes API
#   MESH_PROXY_DESTINATION_SVC_NAME   linkerd-destination.linkerd.serviceaccount.identity.<trust-domain>  with an identity: the service is dialled over mesh TLS and must present this
#   MESH_PROXY_DESTINATION_IDLE_TIMEOUT 5s            a destination not sent to this long is unsubscribed; the next request subscribes again
#   MESH_PROXY_UPSTREAM_TIMEOUT       100s            an upstream silent this long gets the client a 504
#   MESH_PROXY_SHUTDOWN_GRACE_PERIOD  30s             on SIGTERM, how long in-flight requests may take
#   MESH_PROXY_TAP_BUFFER             10000           tap events buffered per subscriber before the oldest are dropped
#   MESH_PROXY_IDENTITY_TRUST_ANCHORS unset           PEM of the mesh's trust anchor(s); setting it turns identity and mTLS on
#   MESH_PROXY_IDENTITY_LOCAL_NAME    unset           this proxy's identity (<sa>.<ns>.serviceaccount.identity.<trust-domain>); required with anchors
#   MESH_PROXY_IDENTITY_SVC_ADDR      unset           host:port of the identity endpoint; required with anchors
#   MESH_PROXY_IDENTITY_SVC_NAME      linkerd-identity.linkerd.serviceaccount.identity.<trust-domain>  the identity the endpoint must present
#   MESH_PROXY_IDENTITY_TOKEN_FILE    /var/run/secrets/kubernetes.io/serviceaccount/token  the ServiceAccount token the proxy proves itself with
#   MESH_PROXY_INBOUND_OPAQUE_PORTS   unset           inbound ports (config.linkerd.io/opaque-ports, set by inject) to forward as opaque TCP, without protocol detection
#   MESH_PROXY_DETECT_TIMEOUT         10s             how long detection waits for a first byte before a connection is opaque TCP
#
# Runs as a non-root user and writes nothing outside /tmp: run it with a read-only root filesystem and a
# writable /tmp (emptyDir, tmpfs).
#
# The same image is a meshed pod's init container: `Dashboard.Proxy init --incoming-proxy-port 4143 ...` (flags in
# Dashboard.Contracts/Proxy/ProxyInitFlags.cs) installs the NAT rules that send the pod's TCP traffic through the proxy.
# It runs as root with the capabilities NET_ADMIN and NET_RAW only, with Debian's iptables, whose package carries both
# iptables-nft (the default) and iptables-legacy; init picks the one the node's kernel uses, as Linkerd's proxy-init does.
#
# The proxy runs as UID 2102, the user the init container's rules exempt (its own connections are not redirected back
# to it) and the one `dashboard inject` sets (runAsUser 2102). The runtime stage is Debian, not Alpine, for Debian's
# iptables: the same backends a Debian or Ubuntu node runs.

FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY . .
RUN sh docker/publish.sh proxy /out

FROM mcr.microsoft.com/dotnet/aspnet:10.0
WORKDIR /app
COPY --from=build /out .
RUN apt-get update \
 && apt-get install -y --no-install-recommends iptables \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 2102 mesh-proxy \
 && useradd --system --no-log-init --uid 2102 --gid 2102 --home-dir /nonexistent --shell /usr/sbin/nologin mesh-proxy
# The base image's ASPNETCORE_HTTP_PORTS=8080 would collide with the application's port: the proxy's
# listeners come from MESH_PROXY_* alone.
ENV ASPNETCORE_HTTP_PORTS= \
    MESH_PROXY_INBOUND_LISTEN_ADDR=0.0.0.0:4143 \
    MESH_PROXY_APP_ADDR=127.0.0.1:8080 \
    MESH_PROXY_OUTBOUND_LISTEN_ADDR=127.0.0.1:4140 \
    MESH_PROXY_ADMIN_LISTEN_ADDR=0.0.0.0:4191 \
    MESH_PROXY_TAP_LISTEN_ADDR=0.0.0.0:4190
LABEL org.opencontainers.image.title="dashboard proxy" \
      org.opencontainers.image.description="Sidecar proxy with Linkerd-compatible metrics and a live tap; configured by the MESH_PROXY_* variables documented in its Dockerfile"
EXPOSE 4143 4191 4190
USER 2102:2102
# The Debian image has neither wget nor curl: bash asks the admin port itself. Kubernetes ignores HEALTHCHECK (the
# injected sidecar has its own probes); docker run and compose use it. /bin/sh is dash there, without /dev/tcp: exec form.
HEALTHCHECK --interval=10s --timeout=3s --start-period=10s --retries=3 \
  CMD ["bash", "-c", "exec 3<>\"/dev/tcp/127.0.0.1/${MESH_PROXY_ADMIN_LISTEN_ADDR##*:}\" && printf 'GET /ready HTTP/1.0\\r\\n\\r\\n' >&3 && read -r _ status _ <&3 && [ \"$status\" = 200 ]"]
ENTRYPOINT ["dotnet", "Dashboard.Proxy.dll"]
