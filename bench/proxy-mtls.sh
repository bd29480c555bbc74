# MODE=mtls of bench/proxy.sh (sourced by it, after its helpers): plaintext against mTLS between two proxies.
#
# The bundled fleet (Dashboard.Proxy fleet) runs three pods of a small manifest, each with its own loopback address:
#   client        meshed: wrk talks to its outbound proxy, as the pod's app would
#   server        meshed, with identity: its proxy is reached over mTLS (TLS 1.3, ECDSA P-256)
#   server-plain  meshed, identity disabled: the same hop in plaintext
# Both servers run the fleet's app answering GET / at once. wrk measures, in alternating rounds:
#   app     wrk -> server's app                                   (what the app alone costs)
#   plain   wrk -> client outbound -> server-plain inbound -> app (two proxies, plaintext)
#   mtls    wrk -> client outbound -> server inbound -> app       (two proxies, mTLS)
# Connections between the proxies are pooled, so mTLS costs its handshakes once and encryption on every byte.
# cpu/req is the fleet process's CPU per request (both proxies and the app: they share the process).

FLEET_OCTET=${FLEET_OCTET:-90}   # pods get 127.N.x.y; not 10 (./run.sh) nor the tests' octets
[[ $FLEET_OCTET =~ ^[0-9]+$ ]] && ((FLEET_OCTET >= 1 && FLEET_OCTET <= 254)) || die "FLEET_OCTET must be 1-254, got '$FLEET_OCTET'"
TARGETS=(app plain mtls)

ensure_tools
WORK=$(mktemp -d /tmp/bench-mtls.XXXXXX)
CLK_TCK=$(getconf CLK_TCK)
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
pick_port API_PORT
CLIENT=127.$FLEET_OCTET.0.2   # pod addresses follow the manifest's order (FleetTopology)
SERVER=127.$FLEET_OCTET.0.3
PLAIN=127.$FLEET_OCTET.0.4

publish_proxy

cat >"$WORK/fleet.yaml" <<'YAML'
namespaces:
  - name: bench
    deployments:
      - name: client
      - name: server
        routes: [{method: GET, path: /, latencyMs: {p50: 0.001, p99: 0.001}}]
      - name: server-plain
        identity: false
        routes: [{method: GET, path: /, latencyMs: {p50: 0.001, p99: 0.001}}]
YAML

log "starting the fleet: pods on 127.$FLEET_OCTET.0.x, API on 127.0.0.1:$API_PORT"
env -u MESH_PROXY_TAP_TOKEN ASPNETCORE_ENVIRONMENT=Production DOTNET_NOLOGO=1 DOTNET_TieredPGO=1 DOTNET_gcServer=0 DOTNET_gcConcurrent=0 ${PROXY_ENV:-} \
    "$WORK/publish/Dashboard.Proxy" fleet "$WORK/fleet.yaml" --api-listen "127.0.0.1:$API_PORT" --destination-listen 127.0.0.1:0 --no-traffic --ip-octet "$FLEET_OCTET" >"$WORK/fleet.log" 2>&1 &
FLEET_PID=$!
PIDS+=("$FLEET_PID")
for ready in "$CLIENT" "$SERVER" "$PLAIN"; do
    wait_http "http://$ready:4191/ready" 60 "$FLEET_PID" || { cat "$WORK/fleet.log" >&2; die "the fleet's proxy on $ready did not become ready"; }
done
for host in server.bench server-plain.bench; do
    [[ $(curl -s --max-time 2 -H "Host: $host" "http://$CLIENT:4140/") == *'"pod":"'* ]] || die "the client's outbound proxy does not reach $host"
done
metrics=$(curl -s "http://$CLIENT:4191/metrics")
grep -q 'direction="outbound".*tls="true".*server_id="server.bench.serviceaccount.identity.cluster.local".*dst_service="server"' <<<"$metrics" ||
    die "requests to server.bench were not mTLS (no tls=\"true\" series on the client)"
grep -q 'tls="no_identity",no_tls_reason="not_provided_by_service_discovery".*dst_service="server-plain"' <<<"$metrics" ||
    die "requests to server-plain.bench were not plaintext"

declare -A URL=([app]="http://$SERVER:8081/" [plain]="http://$CLIENT:4140/" [mtls]="http://$CLIENT:4140/")
declare -A HOST=([app]="server.bench" [plain]="server-plain.bench" [mtls]="server.bench")
declare -A RPS=() P50=() P99=() CPU=() ERR=()
# The fleet process holds the apps and every proxy: its CPU is each target's hop, and all of ours.
declare -A HOP_PIDS=([app]="$FLEET_PID" [plain]="$FLEET_PID" [mtls]="$FLEET_PID")
OUR_PIDS=$FLEET_PID
FOREIGN=

log "throughput: wrk -t$THREADS -c$CONNECTIONS, warm-up ${WARMUP}s per target, then $ROUNDS rounds of ${DURATION}s per target"
rounds tput pair_wrk "$WARMUP" -t"$THREADS" -c"$CONNECTIONS"
log "latency: wrk -t1 -c1 --latency, warm-up ${LAT_WARMUP}s per target, then $ROUNDS rounds of ${DURATION}s per target"
rounds lat pair_wrk "$LAT_WARMUP" -t1 -c1 --latency
kill -0 "$FLEET_PID" 2>/dev/null || die "the fleet exited during the benchmark"
TLS_CONNECTIONS=$(curl -s "http://$CLIENT:4191/metrics" | awk '/^tcp_open_total\{direction="outbound",peer="dst",tls="true"/ {n += $NF} END {print n + 0}')

echo
echo "Dashboard.Proxy mTLS benchmark (MODE=mtls) — $(date -u +%Y-%m-%dT%H:%M:%SZ)"
line
echo "machine   : $(nproc) CPUs ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), $(uname -r)"
echo "load avg  : $LOAD_START at start, $(cut -d' ' -f1-3 /proc/loadavg) at end (1/5/15 min)"
echo "other load: CPU used by other processes during the measured runs: median $(median <<<"$FOREIGN")%, max $(max <<<"$FOREIGN")% of all CPUs"
echo "fleet     : pods client, server (identity), server-plain (identity disabled) on 127.$FLEET_OCTET.0.x; app answers GET / at once"
echo "mTLS      : TLS 1.3, ECDSA P-256 workload certificates from the fleet's issuer; $TLS_CONNECTIONS client->server TLS connections opened in all"
echo "proxies   : Dashboard.Proxy from the $SOURCE_DESC (Release)"
echo "cpu/req   : CPU of the fleet process (app + both proxies) per request, µs"
echo
pair_tput_table ""
RPS_PLAIN=$(median <<<"${RPS[plain]}"); RPS_MTLS=$(median <<<"${RPS[mtls]}")
echo "ratio mtls/plain = $(calc %.2f "$RPS_MTLS / $RPS_PLAIN");  cpu/req added by mTLS = $(calc %.1f "$(median <<<"${CPU[tput.mtls]}") - $(median <<<"${CPU[tput.plain]}")") µs"
echo
pair_lat_table ""
echo "added p50: two plaintext proxies vs app $(calc %.1f "$(median <<<"${P50[plain]}") - $(median <<<"${P50[app]}")") µs;" \
    "mTLS vs plaintext $(calc %.1f "$(median <<<"${P50[mtls]}") - $(median <<<"${P50[plain]}")") µs" \
    "(p99 $(calc %.1f "$(median <<<"${P99[mtls]}") - $(median <<<"${P99[plain]}")") µs)"
awk -v v="$(median <<<"$FOREIGN")" 'BEGIN { exit !(v > 10) }' &&
    echo "note: other processes used $(median <<<"$FOREIGN")% of the CPUs (median): the numbers are noisy; rerun on a quiet machine."
exit 0
