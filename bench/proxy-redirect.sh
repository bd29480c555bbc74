# MODE=redirect of bench/proxy.sh (sourced by it, after its helpers): what the iptables redirect path costs against
# the explicit path, between two meshed pods in network namespaces. Needs root.
#
# A node namespace holds a bridge; two pod namespaces hang off it by veth pairs, with /32 addresses routed through the
# node (the layout of Dashboard.Tests/Netns/NetnsCluster.cs), in 198.18.0.0/15, the benchmarking range:
#   client  198.18.100.2   wrk, and its proxy (as UID 2102)
#   server  198.18.100.3   nginx (the app: :80, and :DIRECT_PORT for the floor), and its proxy (as UID 2102)
# Both pods ran the real `Dashboard.Proxy init` first (DIRECT_PORT ignored both ways), then all three paths work at
# once and wrk measures them in alternating rounds:
#   direct    wrk -> server:DIRECT_PORT                                               (the floor: no proxy)
#   explicit  wrk -> 127.0.0.1:4140, Host server:4143 -> server inbound -> app (MESH_PROXY_APP_ADDR=127.0.0.1:80)
#   redirect  wrk -> server:80, REDIRECTed to the client's outbound, which forwards to SO_ORIGINAL_DST (unknown to
#             discovery: unchanged) -> server:80, REDIRECTed to the server's inbound -> 127.0.0.1:80
# The proxies run without Kubernetes discovery, identity or tap: both proxied paths are plaintext, and what differs
# between them is the NAT rules, the original-destination lookup and the redirect detection.
# cpu/req is the CPU of both proxies per request (the app's nginx for direct).

DIRECT_PORT=${DIRECT_PORT:-8081}   # the app's second port, ignored by both pods' rules
[[ $(id -u) == 0 ]] || die "MODE=redirect builds network namespaces and iptables rules: run it as root"
[[ $DIRECT_PORT =~ ^[0-9]+$ ]] && ((DIRECT_PORT >= 1 && DIRECT_PORT <= 65535)) && ((DIRECT_PORT != 80 && DIRECT_PORT != 4140 && DIRECT_PORT != 4143 && DIRECT_PORT != 4190 && DIRECT_PORT != 4191)) ||
    die "DIRECT_PORT must be a port other than 80 and the proxy's (4140, 4143, 4190, 4191), got '$DIRECT_PORT'"
TARGETS=(direct explicit redirect)
NS_PREFIX=bench-redirect-      # then this shell's PID: a run killed with SIGKILL is swept by the next
NS=$NS_PREFIX$$
NODE=$NS-node
CLIENT_NS=$NS-client
SERVER_NS=$NS-server
GATEWAY=198.18.100.1
CLIENT=198.18.100.2
SERVER=198.18.100.3
BUILT_NS=()

# Called by proxy.sh's cleanup after the PIDS are stopped: whatever still runs in our namespaces, then the namespaces.
mode_cleanup() {
    local ns p
    for ns in "${BUILT_NS[@]}"; do
        for p in $(ip netns pids "$ns" 2>/dev/null); do kill "$p" 2>/dev/null || true; done
    done
    for ns in "${BUILT_NS[@]}"; do ip netns delete "$ns" 2>/dev/null || true; done
}

# Namespaces of runs whose shell is gone (killed before their cleanup).
sweep_leftovers() {
    local ns pid p
    for ns in $(ip netns list | awk '{print $1}'); do
        [[ $ns == "$NS_PREFIX"* ]] || continue
        pid=${ns#"$NS_PREFIX"}
        pid=${pid%%-*}
        [[ -d /proc/$pid ]] && continue
        log "deleting $ns, left by run $pid"
        for p in $(ip netns pids "$ns" 2>/dev/null); do kill "$p" 2>/dev/null || true; done
        ip netns delete "$ns" 2>/dev/null || true
    done
}

in_ns() { ip netns exec "$@"; }

add_netns() {
    ip netns add "$1" || die "ip netns add $1 failed"
    BUILT_NS+=("$1")
    ip -n "$1" link set lo up
}

# add_pod NETNS ADDRESS INDEX: eth0 a veth into the node's bridge, a /32 routed through the node.
add_pod() {
    add_netns "$1"
    ip -n "$NODE" link add "veth$3" type veth peer name eth0 netns "$1"
    ip -n "$NODE" link set "veth$3" master br0 up
    ip -n "$1" addr add "$2/32" dev eth0
    ip -n "$1" link set eth0 up
    ip -n "$1" route add "$GATEWAY" dev eth0
    ip -n "$1" route add default via "$GATEWAY" dev eth0
}

ensure_tools ip iptables setpriv
WORK=$(mktemp -d /tmp/bench-redirect.XXXXXX)
chmod 755 "$WORK" # the proxies run as UID 2102 and read their files from here
CLK_TCK=$(getconf CLK_TCK)
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)
sweep_leftovers
publish_proxy
DOTNET=$(readlink -f "$(command -v dotnet)")

log "building the cluster: node $NODE, pods $CLIENT_NS ($CLIENT) and $SERVER_NS ($SERVER)"
add_netns "$NODE"
# A bridge with an address of its own: one without takes its lowest port's MAC, which changes as pods join.
ip -n "$NODE" link add br0 address 02:00:c6:12:64:01 type bridge
ip -n "$NODE" addr add "$GATEWAY/24" dev br0
ip -n "$NODE" link set br0 up
in_ns "$NODE" sysctl -q -w net.ipv4.ip_forward=1 net.ipv4.conf.all.send_redirects=0 net.ipv4.conf.br0.send_redirects=0
add_pod "$CLIENT_NS" "$CLIENT" 0
add_pod "$SERVER_NS" "$SERVER" 1

# The pods' init containers: the real init, as root, before anything else runs in the pod.
for ns in "$CLIENT_NS" "$SERVER_NS"; do
    in_ns "$ns" "$DOTNET" "$WORK/publish/Dashboard.Proxy.dll" init --inbound-ports-to-ignore "4190,4191,$DIRECT_PORT" \
        --outbound-ports-to-ignore "$DIRECT_PORT" >"$WORK/init-${ns##*-}.log" 2>&1 ||
        { cat "$WORK/init-${ns##*-}.log" >&2; die "Dashboard.Proxy init failed in $ns"; }
done
FIREWALL=$(sed -n 's/^init: using \([^ ]*\).*/\1/p' "$WORK/init-server.log")

nginx_conf "$WORK/app" "
    server {
        listen 0.0.0.0:80;
        listen 0.0.0.0:$DIRECT_PORT;
        location / { default_type text/plain; return 200 \"hello\n\"; }
    }"
# `ip netns exec` execs its command, so $! is nginx (a shell function in the background would be a subshell).
ip netns exec "$SERVER_NS" "$NGINX" -p "$WORK/app" -c "$WORK/app/nginx.conf" -e "$WORK/app/error.log" >"$WORK/app/stdout.log" 2>&1 &
APP_PID=$!
PIDS+=("$APP_PID")
wait_http "http://127.0.0.1:80/" 10 "$APP_PID" "$SERVER_NS" || { cat "$WORK/app/error.log" >&2; die "nginx did not start in $SERVER_NS"; }
APP_PIDS=("$APP_PID" $(pgrep -P "$APP_PID"))

# A proxy as a container runs it: UID 2102, a clean environment (no discovery, identity or tap), the contract's ports.
PROXY_ENV_USED="DOTNET_TieredPGO=1 DOTNET_gcServer=0 DOTNET_gcConcurrent=0${PROXY_ENV:+ $PROXY_ENV}"
start_proxy() { # NETNS NAME -> sets ${NAME}_PROXY_PID
    local pid
    # shellcheck disable=SC2086  # PROXY_ENV_USED is a list of NAME=VALUE words
    ip netns exec "$1" setpriv --reuid=2102 --regid=2102 --clear-groups env -i PATH=/usr/bin:/bin HOME=/tmp \
        ASPNETCORE_ENVIRONMENT=Production DOTNET_NOLOGO=1 $PROXY_ENV_USED MESH_PROXY_APP_ADDR=127.0.0.1:80 \
        "$DOTNET" "$WORK/publish/Dashboard.Proxy.dll" >"$WORK/proxy-$2.log" 2>&1 &
    pid=$!
    PIDS+=("$pid")
    wait_http "http://127.0.0.1:4191/ready" 30 "$pid" "$1" || { cat "$WORK/proxy-$2.log" >&2; die "the $2 proxy did not become ready"; }
    printf -v "${2^^}_PROXY_PID" %s "$pid"
}
log "starting the proxies as UID 2102 ($PROXY_ENV_USED)"
start_proxy "$CLIENT_NS" client
start_proxy "$SERVER_NS" server

declare -A URL=([direct]="http://$SERVER:$DIRECT_PORT/" [explicit]="http://127.0.0.1:4140/" [redirect]="http://$SERVER/")
declare -A HOST=([direct]="$SERVER:$DIRECT_PORT" [explicit]="$SERVER:4143" [redirect]="$SERVER")
PROXY_PIDS="$CLIENT_PROXY_PID $SERVER_PROXY_PID"
declare -A HOP_PIDS=([direct]="${APP_PIDS[*]}" [explicit]="$PROXY_PIDS" [redirect]="$PROXY_PIDS")

# requests_of NETNS DIRECTION: the requests its proxy counted in that direction.
requests_of() {
    in_ns "$1" curl -s --max-time 2 http://127.0.0.1:4191/metrics |
        awk -v d="direction=\"$2\"" '/^request_total\{/ && index($0, d) {n += $NF} END {print n + 0}'
}
# Each path answers, and passes the proxies it should: 10 requests each, counted at both proxies.
for t in "${TARGETS[@]}"; do
    c0=$(requests_of "$CLIENT_NS" outbound); s0=$(requests_of "$SERVER_NS" inbound)
    for i in {1..10}; do
        body=$(in_ns "$CLIENT_NS" curl -s --max-time 2 -H "Host: ${HOST[$t]}" "${URL[$t]}") || true
        [[ $body == hello ]] || die "$t: ${URL[$t]} (Host ${HOST[$t]}) from $CLIENT_NS answered '$body', not the app's hello (logs in $WORK)"
    done
    c=$(($(requests_of "$CLIENT_NS" outbound) - c0)); s=$(($(requests_of "$SERVER_NS" inbound) - s0))
    want=$([[ $t == direct ]] && echo 0 || echo 10)
    ((c == want && s == want)) || die "$t: the client's outbound counted $c of 10 requests and the server's inbound $s; expected $want at each"
done
# What makes the redirect path what it is: the client's outbound forwarded to the original destination, unchanged.
metrics=$(in_ns "$CLIENT_NS" curl -s --max-time 2 http://127.0.0.1:4191/metrics) # not piped into grep -q: pipefail and SIGPIPE
grep -q "^request_total{direction=\"outbound\".*target_addr=\"$SERVER:80\"" <<<"$metrics" ||
    die "the client's outbound has no request_total with target_addr=\"$SERVER:80\": the redirected requests did not go to their original destination"

declare -A RPS=() P50=() P99=() CPU=() ERR=()
FOREIGN=
OUR_PIDS="${APP_PIDS[*]} $PROXY_PIDS"
WRK_NETNS=$CLIENT_NS

log "throughput: wrk -t$THREADS -c$CONNECTIONS, warm-up ${WARMUP}s per target, then $ROUNDS rounds of ${DURATION}s per target"
rounds tput pair_wrk "$WARMUP" -t"$THREADS" -c"$CONNECTIONS"
log "latency: wrk -t1 -c1 --latency, warm-up ${LAT_WARMUP}s per target, then $ROUNDS rounds of ${DURATION}s per target"
rounds lat pair_wrk "$LAT_WARMUP" -t1 -c1 --latency
for p in $PROXY_PIDS; do kill -0 "$p" 2>/dev/null || die "a proxy exited during the benchmark (logs in $WORK)"; done

m() { median <<<"$1"; }
echo
echo "Dashboard.Proxy redirect-path benchmark (MODE=redirect) — $(date -u +%Y-%m-%dT%H:%M:%SZ)"
line
echo "machine   : $(nproc) CPUs ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), $(uname -r)"
echo "load avg  : $LOAD_START at start, $(cut -d' ' -f1-3 /proc/loadavg) at end (1/5/15 min)"
echo "other load: CPU used by other processes during the measured runs: median $(m "$FOREIGN")%, max $(max <<<"$FOREIGN")% of all CPUs"
echo "            (includes the kernel's softirq work for the veths, the bridge and the node's routing and NAT)"
echo "cluster   : node namespace with a bridge; client $CLIENT and server $SERVER (/32 routed through the node)"
echo "init      : Dashboard.Proxy init in both pods ($FIREWALL), ports 4190,4191,$DIRECT_PORT ignored inbound, $DIRECT_PORT outbound"
echo "proxies   : Dashboard.Proxy from the $SOURCE_DESC (Release), as UID 2102, no discovery, identity or tap"
echo "            env: $PROXY_ENV_USED"
echo "app       : $("$NGINX" -v 2>&1 | sed 's/nginx version: //'), worker_processes 1, 'return 200 \"hello\\n\"' on :80 and :$DIRECT_PORT"
echo "cpu/req   : CPU of both proxies per request (the app's nginx for direct), µs"
echo
pair_tput_table " in the client pod"
RPS_D=$(m "${RPS[direct]}"); RPS_E=$(m "${RPS[explicit]}"); RPS_R=$(m "${RPS[redirect]}")
echo "ratio redirect/explicit = $(calc %.2f "$RPS_R / $RPS_E");  explicit/direct = $(calc %.2f "$RPS_E / $RPS_D");  redirect/direct = $(calc %.2f "$RPS_R / $RPS_D")"
echo "cpu/req of the proxies added by the redirect path = $(calc %.1f "$(m "${CPU[tput.redirect]}") - $(m "${CPU[tput.explicit]}")") µs"
echo
pair_lat_table " in the client pod"
echo "added p50: two proxies (explicit) vs direct $(calc %.1f "$(m "${P50[explicit]}") - $(m "${P50[direct]}")") µs;" \
    "redirect vs explicit $(calc %.1f "$(m "${P50[redirect]}") - $(m "${P50[explicit]}")") µs" \
    "(p99 $(calc %.1f "$(m "${P99[redirect]}") - $(m "${P99[explicit]}")") µs); ratio p50 redirect/explicit = $(calc %.2f "$(m "${P50[redirect]}") / $(m "${P50[explicit]}")")"
errors=0
for k in "${!ERR[@]}"; do errors=$((errors + ${ERR[$k]})); done
((errors == 0)) || echo "WARNING: wrk reported $errors socket errors or non-2xx responses (see the errors column)"
awk -v v="$(m "$FOREIGN")" 'BEGIN { exit !(v > 10) }' &&
    echo "note: other processes used $(m "$FOREIGN")% of the CPUs (median): the numbers are noisy; rerun on a quiet machine."
exit 0
