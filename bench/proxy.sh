#!/usr/bin/env bash
# Benchmark of the sidecar proxy (Dashboard.Proxy), run by hand: bench/proxy.sh
#
# One nginx serves a constant 6-byte response (the "app"). wrk measures, in alternating rounds:
#   direct  wrk -> app
#   nginx   wrk -> nginx reverse proxy (upstream keepalive) -> app      (the baseline)
#   proxy   wrk -> Dashboard.Proxy inbound -> app
# and prints throughput, latency at one connection, the proxy's memory and a pass/fail summary.
# Everything listens on 127.0.0.1 only. See bench/README.md.
set -euo pipefail

DURATION=${DURATION:-10}          # seconds per measured wrk run ("10" or "10s")
ROUNDS=${ROUNDS:-3}               # measured rounds per phase (each round runs every target once)
WARMUP=${WARMUP:-10}              # seconds of unmeasured warm-up per target before the throughput rounds
LAT_WARMUP=${LAT_WARMUP:-3}       # seconds of unmeasured warm-up per target before the latency rounds
CONNECTIONS=${CONNECTIONS:-32}    # throughput phase: wrk -c
THREADS=${THREADS:-2}             # throughput phase: wrk -t
IDLE_WAIT=${IDLE_WAIT:-5}         # seconds the proxy sits idle before its idle RSS is read
PROXY_ENV=${PROXY_ENV:-}          # extra NAME=VALUE pairs for the proxy's environment (experiments)
PROXY_REF=${PROXY_REF:-}          # a git commit/branch to build the proxy from instead of the working tree
KEEP=${KEEP:-0}                   # 1: keep the temp dir (configs, logs, wrk outputs)
MODE=${MODE:-proxy}               # proxy: the proxy against direct and nginx; mtls: plaintext vs mTLS between two proxies;
                                  # redirect: iptables-redirected against explicit, two proxies in network namespaces

DURATION=${DURATION%s}
WARMUP=${WARMUP%s}
LAT_WARMUP=${LAT_WARMUP%s}
for v in DURATION ROUNDS WARMUP LAT_WARMUP CONNECTIONS THREADS IDLE_WAIT; do
    [[ ${!v} =~ ^[1-9][0-9]*$ ]] || { echo "proxy.sh: $v must be a positive whole number, got '${!v}'" >&2; exit 2; }
done

# Targets of the summary (MiB = 1024*1024 bytes).
TARGET_RATIO=0.8        # proxy/nginx throughput >=
TARGET_ADDED_P50=150    # proxy p50 - direct p50 (µs) <=
TARGET_IDLE_MIB=60      # idle RSS <=
TARGET_PEAK_MIB=120     # peak RSS under load <=

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TARGETS=(direct nginx proxy)

die() { echo "proxy.sh: $*" >&2; exit 1; }
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

# ---------------------------------------------------------------------------------------------- tools
# ensure_tools [TOOL...]: nginx, wrk, curl and ss, and the mode's own tools.
ensure_tools() {
    local missing=() apt=() t
    for t in nginx wrk curl ss "$@"; do
        command -v "$t" >/dev/null 2>&1 || [[ -x /usr/sbin/$t ]] || missing+=("$t")
    done
    if ((${#missing[@]})); then
        for t in "${missing[@]}"; do
            case $t in nginx) apt+=(nginx) ;; wrk) apt+=(wrk) ;; curl) apt+=(curl) ;; ss | ip) apt+=(iproute2) ;; iptables) apt+=(iptables) ;; setpriv) apt+=(util-linux) ;; esac
        done
        if [[ $(id -u) == 0 ]] && command -v apt-get >/dev/null 2>&1; then
            log "missing ${missing[*]}: installing ${apt[*]} with apt-get"
            # Keep Debian's nginx service from starting on 0.0.0.0:80 during the install.
            local guard=0
            if [[ ! -e /usr/sbin/policy-rc.d ]]; then
                printf '#!/bin/sh\nexit 101\n' >/usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d && guard=1
            fi
            local ok=1
            if ! apt-get install -y --no-install-recommends "${apt[@]}" >&2; then
                apt-get update >&2 && apt-get install -y --no-install-recommends "${apt[@]}" >&2 || ok=0
            fi
            if ((guard)); then rm -f /usr/sbin/policy-rc.d; fi
            ((ok)) || die "apt-get could not install ${apt[*]}"
        else
            die "missing tools: ${missing[*]}; install them with: sudo apt-get install -y ${apt[*]}"
        fi
    fi
    command -v dotnet >/dev/null 2>&1 || die "dotnet (the .NET 10 SDK) is not on PATH; install it (see global.json for the version)"
    NGINX=$(command -v nginx || echo /usr/sbin/nginx)
}

# ---------------------------------------------------------------------------------------------- ports
USED_PORTS=" "
# pick_port VAR: a free TCP port below the ephemeral range, distinct from the ones picked before.
pick_port() {
    local p i
    for ((i = 0; i < 500; i++)); do
        p=$((20000 + (RANDOM * 32768 + RANDOM) % 12000))
        [[ $USED_PORTS == *" $p "* ]] && continue
        if [[ -z $(ss -Htln "sport = :$p") ]]; then
            USED_PORTS+="$p "
            printf -v "$1" %s "$p"
            return 0
        fi
    done
    die "no free port found in 20000-31999"
}

# ---------------------------------------------------------------------------------------------- processes
PIDS=()
WORK=
cleanup() {
    local rc=$? p
    trap - EXIT INT TERM
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
    if declare -F mode_cleanup >/dev/null; then mode_cleanup; fi # what a mode built besides processes (MODE=redirect: namespaces)
    if [[ -n $WORK && -d $WORK ]]; then
        if [[ $KEEP == 1 || $rc == 1 ]]; then echo "proxy.sh: files kept in $WORK" >&2; else rm -rf "$WORK"; fi
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# wait_http URL SECONDS [PID] [NETNS]: until URL answers 200 (fails early if PID has exited), asked from NETNS if given.
wait_http() {
    local url=$1 deadline=$((SECONDS + $2)) pid=${3:-} in=()
    [[ -n ${4:-} ]] && in=(ip netns exec "$4")
    while ((SECONDS < deadline)); do
        [[ $("${in[@]}" curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$url" || true) == 200 ]] && return 0
        [[ -n $pid ]] && ! kill -0 "$pid" 2>/dev/null && return 1
        sleep 0.1
    done
    return 1
}

# ---------------------------------------------------------------------------------------------- /proc
# rss_kb PID...: summed VmRSS in KiB (into the global RSS_KB, no fork).
rss_kb() {
    local p k v u
    RSS_KB=0
    for p; do
        [[ -r /proc/$p/status ]] || continue
        while read -r k v u; do
            [[ $k == VmRSS: ]] && { RSS_KB=$((RSS_KB + v)); break; }
        done <"/proc/$p/status" || true
    done
}
hwm_kb() { awk '/^VmHWM:/ {print $2}' "/proc/$1/status"; }
# cpu_ticks PID...: summed utime+stime in clock ticks.
cpu_ticks() {
    local p sum=0 rest
    for p; do
        rest=$(<"/proc/$p/stat") || continue
        rest=${rest##*) }
        read -r -a f <<<"$rest"
        sum=$((sum + f[11] + f[12]))
    done
    echo "$sum"
}
# sys_jiffies: "busy total" jiffies of all CPUs from /proc/stat (steal counts as busy: another guest had the CPU).
sys_jiffies() {
    local cpu u n s i w irq sirq st rest
    read -r cpu u n s i w irq sirq st rest </proc/stat
    echo "$((u + n + s + irq + sirq + st)) $((u + n + s + i + w + irq + sirq + st))"
}
# child_ticks: CPU of this shell's reaped children (wrk), in clock ticks, into CHILD_TICKS. Call it
# directly, not in $(...): `times` must run in this shell to see its children.
child_ticks() {
    times >"$WORK/times"
    CHILD_TICKS=$(awk -v hz="$CLK_TCK" 'NR == 2 { t = 0; for (i = 1; i <= 2; i++) { split($i, a, /[ms]/); t += a[1] * 60 + a[2] } printf "%d", t * hz }' "$WORK/times")
}
mib() { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

# sampler OUT_PREFIX INTERVAL: every INTERVAL s, keep the max RSS of the proxy and of the nginx proxy.
sampler() {
    local max_p=0 max_n=0
    while :; do
        rss_kb "$PROXY_PID"
        ((RSS_KB > max_p)) && { max_p=$RSS_KB; echo "$max_p" >"$1.proxy"; }
        rss_kb "${NGINX_RP_PIDS[@]}"
        ((RSS_KB > max_n)) && { max_n=$RSS_KB; echo "$max_n" >"$1.nginx"; }
        sleep "$2"
    done
}

# ---------------------------------------------------------------------------------------------- stats
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR] = $1} END { if (NR == 0) print "nan"; else if (NR % 2) print a[(NR + 1) / 2]; else print (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
minmax() { tr ' ' '\n' | grep -v '^$' | sort -g | awk 'NR == 1 {lo = $1} {hi = $1} END {printf "%.0f-%.0f", lo, hi}'; }
spread_pct() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR] = $1} END { m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2; printf "%.0f", (m > 0 ? 100 * (a[NR] - a[1]) / m : 0) }'; }
max() { tr ' ' '\n' | grep -v '^$' | sort -g | tail -1; }
calc() { awk "BEGIN { printf \"$1\", $2 }"; }

# wrk output -> numbers
wrk_rps() { awk '/^Requests\/sec:/ {print $2}' "$1"; }
wrk_requests() { awk '/ requests in / {print $1}' "$1"; }
wrk_errors() { awk '/Socket errors:/ {gsub(/,/, ""); n += $4 + $6 + $8 + $10} /Non-2xx or 3xx responses:/ {n += $NF} END {print n + 0}' "$1"; }
# wrk_pct FILE PCT: a percentile of wrk's --latency distribution, in µs.
wrk_pct() {
    awk -v pct="$2%" '
        function us(v) {
            if (v ~ /us$/) return v + 0
            if (v ~ /ms$/) return v * 1000
            if (v ~ /s$/)  return v * 1000000
            if (v ~ /m$/)  return v * 60000000
            if (v ~ /h$/)  return v * 3600000000
            return v + 0
        }
        /Latency Distribution/ {in_dist = 1; next}
        in_dist && $1 == pct {printf "%.1f", us($2); exit}' "$1"
}

# rounds PHASE RUNNER WARMUP WRK_ARGS...: per target an unrecorded warm-up of WARMUP s, then ROUNDS rounds of
# DURATION s alternating the targets; RUNNER PHASE TARGET ROUND WRK_ARGS... runs and records one wrk run.
rounds() {
    local phase=$1 runner=$2 warm=$3 t r out
    shift 3
    for t in "${TARGETS[@]}"; do "$runner" "$phase" "$t" w "$@" -d"${warm}s"; done
    for ((r = 1; r <= ROUNDS; r++)); do
        for t in "${TARGETS[@]}"; do
            "$runner" "$phase" "$t" "$r" "$@" -d"${DURATION}s"
            out=$WORK/wrk-$phase-$t-$r.txt
            if [[ $phase == tput ]]; then log "  round $r $t: $(wrk_rps "$out") req/s"; else log "  round $r $t: p50 $(wrk_pct "$out" 50) µs"; fi
        done
    done
}

# ---------------------------------------------------------------------------------------------- two-proxy modes
# pair_wrk PHASE TARGET ROUND ARGS...: the runner of MODE=mtls and MODE=redirect. One wrk run against URL[TARGET] with
# the Host HOST[TARGET], in the network namespace WRK_NETNS if set; it records req/s (PHASE tput) or p50 and p99,
# wrk's errors, the CPU per request of HOP_PIDS[TARGET] and the share of the CPUs that processes other than OUR_PIDS
# and wrk used. ROUND "w" is an unrecorded warm-up.
WRK_NETNS=
pair_wrk() {
    local phase=$1 target=$2 round=$3 out c0 c1 o0 o1 s0 s1 w0 w1 n in=()
    shift 3
    [[ -n $WRK_NETNS ]] && in=(ip netns exec "$WRK_NETNS")
    out=$WORK/wrk-$phase-$target-$round.txt
    # shellcheck disable=SC2086  # lists of PIDs
    c0=$(cpu_ticks ${HOP_PIDS[$target]}); o0=$(cpu_ticks $OUR_PIDS); s0=$(sys_jiffies); child_ticks; w0=$CHILD_TICKS
    "${in[@]}" wrk "$@" -H "Host: ${HOST[$target]}" "${URL[$target]}" >"$out" 2>&1 || { cat "$out" >&2; die "wrk failed against $target"; }
    # shellcheck disable=SC2086
    c1=$(cpu_ticks ${HOP_PIDS[$target]}); o1=$(cpu_ticks $OUR_PIDS); s1=$(sys_jiffies); child_ticks; w1=$CHILD_TICKS
    [[ $round == w ]] && return 0
    FOREIGN+=" $(awk -v b0="${s0% *}" -v t0="${s0#* }" -v b1="${s1% *}" -v t1="${s1#* }" -v o="$((o1 - o0 + w1 - w0))" \
        'BEGIN { f = (b1 - b0 - o) / (t1 - t0) * 100; printf "%.0f", (f < 0 ? 0 : f) }')"
    n=$(wrk_requests "$out")
    ERR[$phase.$target]=$((${ERR[$phase.$target]:-0} + $(wrk_errors "$out")))
    CPU[$phase.$target]+=" $(calc %.1f "($c1 - $c0) * 1000000 / $CLK_TCK / $n")"
    if [[ $phase == tput ]]; then
        RPS[$target]+=" $(wrk_rps "$out")"
    else
        P50[$target]+=" $(wrk_pct "$out" 50)"
        P99[$target]+=" $(wrk_pct "$out" 99)"
    fi
}

# pair_tput_table WHERE, pair_lat_table WHERE: the tables of pair_wrk's runs (each mode prints its ratios after them).
line() { printf '%*s\n' 100 '' | tr ' ' '-'; }
pair_tput_table() {
    local t
    echo "Throughput: wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s$1 (median of $ROUNDS)"
    line
    printf '%-9s %10s %18s %7s %11s %7s   %s\n' target "req/s" "min-max" spread "cpu/req µs" errors "per round"
    for t in "${TARGETS[@]}"; do
        printf '%-9s %10.0f %18s %6s%% %11s %7s   %s\n' "$t" "$(median <<<"${RPS[$t]}")" "$(minmax <<<"${RPS[$t]}")" "$(spread_pct <<<"${RPS[$t]}")" \
            "$(median <<<"${CPU[tput.$t]}")" "${ERR[tput.$t]:-0}" "${RPS[$t]# }"
    done
}
pair_lat_table() {
    local t
    echo "Latency at one connection: wrk -t1 -c1 -d${DURATION}s --latency$1 (median of $ROUNDS; µs)"
    line
    printf '%-9s %10s %10s %16s %12s %7s   %s\n' target p50 p99 "p50 min-max" "cpu/req µs" errors "p50 per round"
    for t in "${TARGETS[@]}"; do
        printf '%-9s %10.1f %10.1f %16s %12s %7s   %s\n' "$t" "$(median <<<"${P50[$t]}")" "$(median <<<"${P99[$t]}")" "$(minmax <<<"${P50[$t]}")" \
            "$(median <<<"${CPU[lat.$t]}")" "${ERR[lat.$t]:-0}" "${P50[$t]# }"
    done
}

# publish_proxy: Dashboard.Proxy (Release) into $WORK/publish, from PROXY_REF or the working tree; sets SOURCE_DESC.
publish_proxy() {
    local src=$ROOT
    if [[ -n $PROXY_REF ]]; then
        git -C "$ROOT" rev-parse -q --verify "$PROXY_REF^{commit}" >/dev/null || die "PROXY_REF '$PROXY_REF' is not a commit of $ROOT"
        src=$WORK/src
        mkdir -p "$src"
        git -C "$ROOT" archive "$PROXY_REF" | tar -x -C "$src"
        SOURCE_DESC="commit $(git -C "$ROOT" rev-parse --short "$PROXY_REF^{commit}") (PROXY_REF=$PROXY_REF)"
    else
        SOURCE_DESC="working tree at $(git -C "$ROOT" rev-parse --short HEAD 2>/dev/null || echo '?')"
        [[ -n $(git -C "$ROOT" status --porcelain -- Dashboard.Proxy Dashboard.Contracts 2>/dev/null) ]] && SOURCE_DESC+=" + uncommitted changes"
    fi
    log "building Dashboard.Proxy (Release) from the $SOURCE_DESC"
    dotnet publish "$src/Dashboard.Proxy/Dashboard.Proxy.csproj" -c Release -o "$WORK/publish" -nologo -v quiet >"$WORK/publish.log" 2>&1 ||
        { grep -E 'error|Error' "$WORK/publish.log" | sort -u >&2; die "dotnet publish of $src/Dashboard.Proxy failed (log: $WORK/publish.log)"; }
}

# Both nginx instances: 1 worker, no access log, keep-alive connections that are not recycled
# every 1000 requests (nginx's default), so no target pays for reconnects the others do not.
nginx_conf() { # DIR SERVER_BLOCKS
    mkdir -p "$1"
    cat >"$1/nginx.conf" <<EOF
daemon off;
master_process on;
worker_processes 1;
pid $1/nginx.pid;
error_log $1/error.log warn;
events { worker_connections 4096; multi_accept on; }
http {
    access_log off;
    keepalive_requests 1000000;
    keepalive_timeout 75s;
    client_body_temp_path $1/body;
    proxy_temp_path $1/proxy;
    fastcgi_temp_path $1/fastcgi;
    uwsgi_temp_path $1/uwsgi;
    scgi_temp_path $1/scgi;
$2
}
EOF
}

# ---------------------------------------------------------------------------------------------- setup
case $MODE in
    proxy) ;;
    mtls) source "$ROOT/bench/proxy-mtls.sh" ;;         # runs to its own exit
    redirect) source "$ROOT/bench/proxy-redirect.sh" ;; # runs to its own exit
    *) die "MODE must be proxy, mtls or redirect, got '$MODE'" ;;
esac
ensure_tools
WORK=$(mktemp -d /tmp/bench-proxy.XXXXXX)
CLK_TCK=$(getconf CLK_TCK)
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)

pick_port APP_PORT
pick_port NGINX_PORT
pick_port PROXY_IN
pick_port PROXY_OUT
pick_port PROXY_ADMIN
pick_port PROXY_TAP

publish_proxy

nginx_conf "$WORK/app" "
    server {
        listen 127.0.0.1:$APP_PORT;
        location / { default_type text/plain; return 200 \"hello\n\"; }
    }"
nginx_conf "$WORK/nginx" "
    upstream app {
        server 127.0.0.1:$APP_PORT;
        keepalive 64;
        keepalive_requests 1000000;
    }
    server {
        listen 127.0.0.1:$NGINX_PORT;
        location / {
            proxy_pass http://app;
            proxy_http_version 1.1;
            proxy_set_header Connection \"\";
        }
    }"

start_nginx() { # NAME PORT -> sets ${NAME}_PID
    local dir=$WORK/$1 pid
    "$NGINX" -p "$dir" -c "$dir/nginx.conf" -e "$dir/error.log" >"$dir/stdout.log" 2>&1 &
    pid=$!
    PIDS+=("$pid")
    wait_http "http://127.0.0.1:$2/" 10 "$pid" || { cat "$dir/error.log" "$dir/stdout.log" >&2; die "nginx ($1) did not start on 127.0.0.1:$2"; }
    printf -v "${1^^}_PID" %s "$pid"
}

log "starting app nginx on 127.0.0.1:$APP_PORT and reverse-proxy nginx on 127.0.0.1:$NGINX_PORT"
start_nginx app "$APP_PORT"
start_nginx nginx "$NGINX_PORT"
APP_PIDS=("$APP_PID" $(pgrep -P "$APP_PID"))
NGINX_RP_PIDS=("$NGINX_PID" $(pgrep -P "$NGINX_PID"))

# The proxy, with a clean environment of its own: no Kubernetes discovery, no tap token.
PROXY_ENV_USED="DOTNET_TieredPGO=1 DOTNET_gcServer=0 DOTNET_gcConcurrent=0${PROXY_ENV:+ $PROXY_ENV}"
log "starting Dashboard.Proxy: inbound 127.0.0.1:$PROXY_IN -> app 127.0.0.1:$APP_PORT ($PROXY_ENV_USED)"
# shellcheck disable=SC2086  # PROXY_ENV_USED is a list of NAME=VALUE words
env -u KUBERNETES_SERVICE_HOST -u MESH_PROXY_KUBERNETES_API -u MESH_PROXY_TAP_TOKEN \
    -u MESH_PROXY_POD_NAME -u MESH_PROXY_POD_NAMESPACE \
    ASPNETCORE_ENVIRONMENT=Production DOTNET_NOLOGO=1 $PROXY_ENV_USED \
    MESH_PROXY_INBOUND_LISTEN_ADDR="127.0.0.1:$PROXY_IN" \
    MESH_PROXY_APP_ADDR="127.0.0.1:$APP_PORT" \
    MESH_PROXY_OUTBOUND_LISTEN_ADDR="127.0.0.1:$PROXY_OUT" \
    MESH_PROXY_ADMIN_LISTEN_ADDR="127.0.0.1:$PROXY_ADMIN" \
    MESH_PROXY_TAP_LISTEN_ADDR="127.0.0.1:$PROXY_TAP" \
    "$WORK/publish/Dashboard.Proxy" >"$WORK/proxy.log" 2>&1 &
PROXY_PID=$!
PIDS+=("$PROXY_PID")
PROXY_T0=$SECONDS
wait_http "http://127.0.0.1:$PROXY_ADMIN/ready" 30 "$PROXY_PID" || { cat "$WORK/proxy.log" >&2; die "the proxy did not become ready"; }
PROXY_READY_S=$((SECONDS - PROXY_T0))
grep -q 'inbound' "$WORK/proxy.log" || { cat "$WORK/proxy.log" >&2; die "the proxy did not print its listening line"; }
[[ $(curl -s --max-time 2 "http://127.0.0.1:$PROXY_IN/") == hello ]] || die "the proxy does not forward to the app"
[[ $(curl -s --max-time 2 "http://127.0.0.1:$NGINX_PORT/") == hello ]] || die "the nginx reverse proxy does not forward to the app"

declare -A URL=(
    [direct]="http://127.0.0.1:$APP_PORT/"
    [nginx]="http://127.0.0.1:$NGINX_PORT/"
    [proxy]="http://127.0.0.1:$PROXY_IN/"
)
# The process whose CPU is the target's own hop: the app for direct, the middle hop otherwise.
declare -A HOP_PIDS=(
    [direct]="${APP_PIDS[*]}"
    [nginx]="${NGINX_RP_PIDS[*]}"
    [proxy]="$PROXY_PID"
)

# ---------------------------------------------------------------------------------------------- idle memory
log "idle memory: 100 requests through each proxy, then ${IDLE_WAIT}s idle"
curl -s -o /dev/null "http://127.0.0.1:$PROXY_IN/?[1-100]"
curl -s -o /dev/null "http://127.0.0.1:$NGINX_PORT/?[1-100]"
sleep "$IDLE_WAIT"
rss_kb "$PROXY_PID"; IDLE_PROXY_KB=$RSS_KB
rss_kb "${NGINX_RP_PIDS[@]}"; IDLE_NGINX_KB=$RSS_KB

# ---------------------------------------------------------------------------------------------- runs
declare -A RPS=() P50=() P99=() CPU=() ERR=() WARM_RPS=() WARM_CPU=()
FOREIGN=
OUR_PIDS="${APP_PIDS[*]} ${NGINX_RP_PIDS[*]} $PROXY_PID"
ERRORS_TOTAL=0
# run_wrk PHASE TARGET ROUND ARGS...: one wrk run; ROUND "w" is the warm-up (not recorded).
run_wrk() {
    local phase=$1 target=$2 round=$3 out c0 c1 n
    shift 3
    out=$WORK/wrk-$phase-$target-$round.txt
    # shellcheck disable=SC2086
    c0=$(cpu_ticks ${HOP_PIDS[$target]})
    # shellcheck disable=SC2086
    local ours0 sys0 w0 ours1 sys1 w1
    ours0=$(cpu_ticks $OUR_PIDS); sys0=$(sys_jiffies); child_ticks; w0=$CHILD_TICKS
    wrk "$@" "${URL[$target]}" >"$out" 2>&1 || { cat "$out" >&2; die "wrk failed against $target"; }
    # shellcheck disable=SC2086
    ours1=$(cpu_ticks $OUR_PIDS); sys1=$(sys_jiffies); child_ticks; w1=$CHILD_TICKS
    # shellcheck disable=SC2086
    c1=$(cpu_ticks ${HOP_PIDS[$target]})
    if [[ $round == w ]]; then
        [[ $phase == tput ]] && WARM_RPS[$target]=$(wrk_rps "$out") &&
            WARM_CPU[$target]=$(calc %.1f "($c1 - $c0) * 1000000 / $CLK_TCK / $(wrk_requests "$out")")
        return 0
    fi
    # CPU used by anything but this benchmark (other work on the machine, or steal), in % of all CPUs.
    FOREIGN+=" $(awk -v b0="${sys0% *}" -v t0="${sys0#* }" -v b1="${sys1% *}" -v t1="${sys1#* }" -v o="$((ours1 - ours0 + w1 - w0))" \
        'BEGIN { f = (b1 - b0 - o) / (t1 - t0) * 100; printf "%.0f", (f < 0 ? 0 : f) }')"
    n=$(wrk_requests "$out")
    local err
    err=$(wrk_errors "$out")
    ERR[$phase.$target]=$((${ERR[$phase.$target]:-0} + err))
    ERRORS_TOTAL=$((ERRORS_TOTAL + err))
    # CPU of the target's own hop per request, in µs.
    CPU[$phase.$target]+=" $(calc %.1f "($c1 - $c0) * 1000000 / $CLK_TCK / $n")"
    if [[ $phase == tput ]]; then
        RPS[$target]+=" $(wrk_rps "$out")"
    else
        P50[$target]+=" $(wrk_pct "$out" 50)"
        P99[$target]+=" $(wrk_pct "$out" 99)"
        RPS[lat.$target]+=" $(wrk_rps "$out")"
    fi
}

log "throughput: wrk -t$THREADS -c$CONNECTIONS, warm-up ${WARMUP}s per target, then $ROUNDS rounds of ${DURATION}s per target"
sampler "$WORK/peak" 0.2 &
SAMPLER_PID=$!
PIDS+=("$SAMPLER_PID")
rounds tput run_wrk "$WARMUP" -t"$THREADS" -c"$CONNECTIONS"
kill "$SAMPLER_PID" 2>/dev/null || true
wait "$SAMPLER_PID" 2>/dev/null || true
PEAK_PROXY_KB=$(cat "$WORK/peak.proxy" 2>/dev/null || echo 0)
PEAK_NGINX_KB=$(cat "$WORK/peak.nginx" 2>/dev/null || echo 0)

log "latency: wrk -t1 -c1 --latency, warm-up ${LAT_WARMUP}s per target, then $ROUNDS rounds of ${DURATION}s per target"
rounds lat run_wrk "$LAT_WARMUP" -t1 -c1 --latency

log "memory after load: ${IDLE_WAIT}s idle"
sleep "$IDLE_WAIT"
rss_kb "$PROXY_PID"; AFTER_PROXY_KB=$RSS_KB
HWM_PROXY_KB=$(hwm_kb "$PROXY_PID")
LOAD_END=$(cut -d' ' -f1-3 /proc/loadavg)
PROXIED=$(cat "$WORK"/wrk-*-proxy-*.txt | awk '/ requests in / {n += $1} END {print n + 101}')
LOG_LINES=$(wc -l <"$WORK/proxy.log")
LOG_BYTES=$(wc -c <"$WORK/proxy.log")
kill -0 "$PROXY_PID" 2>/dev/null || die "the proxy exited during the benchmark"

# ---------------------------------------------------------------------------------------------- report
echo
echo "Dashboard.Proxy benchmark — $(date -u +%Y-%m-%dT%H:%M:%SZ)"
line
echo "machine   : $(nproc) CPUs ($(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)), $(uname -r)"
echo "load avg  : $LOAD_START at start, $LOAD_END at end (1/5/15 min; wrk and all servers share these CPUs)"
echo "other load: CPU used by other processes during the measured runs: median $(median <<<"$FOREIGN")%, max $(max <<<"$FOREIGN")% of all CPUs"
echo "tools     : $("$NGINX" -v 2>&1 | sed 's/nginx version: //'), wrk $(wrk -v 2>&1 | awk 'NR == 1 {print $2}'), .NET SDK $(dotnet --version), runtime $(ls "$(dirname "$(readlink -f "$(command -v dotnet)")")/shared/Microsoft.NETCore.App" 2>/dev/null | tail -1)"
echo "app       : nginx, worker_processes 1, 'return 200 \"hello\\n\"' on 127.0.0.1:$APP_PORT"
echo "nginx     : nginx reverse proxy, worker_processes 1, upstream keepalive 64, proxy_http_version 1.1,"
echo "            proxy_set_header Connection \"\"; both nginx: access_log off, keepalive_requests 1000000"
echo "proxy     : Dashboard.Proxy from the $SOURCE_DESC (Release publish, framework-dependent), ready ${PROXY_READY_S}s after start;"
echo "            env: $PROXY_ENV_USED (workstation non-concurrent GC also set in the csproj)"
echo "runs      : per phase a warm-up per target (${WARMUP}s throughput, ${LAT_WARMUP}s latency), then $ROUNDS rounds of ${DURATION}s"
echo "            alternating direct, nginx, proxy; the proxy starts cold (JIT), so its warm-up is its start-up under load"
echo "cpu/req   : CPU time of the target's own hop per request (app nginx for direct, the proxy otherwise), µs"
echo

echo "Throughput: wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s (median of $ROUNDS)"
line
printf '%-8s %10s %24s %7s %11s %7s   %-22s %s\n' target "req/s" "min-max" spread "cpu/req µs" errors "warm-up req/s (cpu/req)" "per round"
for t in "${TARGETS[@]}"; do
    printf '%-8s %10.0f %24s %6s%% %11s %7s   %-22s %s\n' "$t" "$(median <<<"${RPS[$t]}")" "$(minmax <<<"${RPS[$t]}")" \
        "$(spread_pct <<<"${RPS[$t]}")" "$(median <<<"${CPU[tput.$t]}")" "${ERR[tput.$t]:-0}" \
        "$(printf '%.0f (%s µs)' "${WARM_RPS[$t]}" "${WARM_CPU[$t]}")" "${RPS[$t]# }"
done
RPS_D=$(median <<<"${RPS[direct]}"); RPS_N=$(median <<<"${RPS[nginx]}"); RPS_P=$(median <<<"${RPS[proxy]}")
RATIO_PN=$(calc %.2f "$RPS_P / $RPS_N")
RATIO_PD=$(calc %.2f "$RPS_P / $RPS_D")
RATIO_ND=$(calc %.2f "$RPS_N / $RPS_D")
echo "ratio proxy/nginx  = $RATIO_PN   (target >= $TARGET_RATIO)"
echo "ratio proxy/direct = $RATIO_PD   (nginx/direct = $RATIO_ND)"
echo

echo "Latency at one connection: wrk -t1 -c1 -d${DURATION}s --latency (median of $ROUNDS; µs)"
line
printf '%-8s %10s %10s %16s %10s %12s %12s   %s\n' target p50 p99 "p50 min-max" "req/s" "cpu/req µs" "added p50" "p50 per round"
P50_D=$(median <<<"${P50[direct]}")
for t in "${TARGETS[@]}"; do
    p50=$(median <<<"${P50[$t]}")
    added=$([[ $t == direct ]] && echo "-" || calc %.1f "$p50 - $P50_D")
    printf '%-8s %10.1f %10.1f %16s %10.0f %12s %12s   %s\n' "$t" "$p50" "$(median <<<"${P99[$t]}")" "$(minmax <<<"${P50[$t]}")" \
        "$(median <<<"${RPS[lat.$t]}")" "$(median <<<"${CPU[lat.$t]}")" "$added" "${P50[$t]# }"
done
ADDED_N=$(calc %.1f "$(median <<<"${P50[nginx]}") - $P50_D")
ADDED_P=$(calc %.1f "$(median <<<"${P50[proxy]}") - $P50_D")
echo "added p50 vs direct: nginx $ADDED_N µs, proxy $ADDED_P µs   (target for the proxy <= $TARGET_ADDED_P50 µs)"
echo

echo "Memory (RSS from /proc/PID/status; MiB)"
line
printf '%-8s %12s %14s %18s %14s\n' process "idle" "peak (load)" "idle after load" "VmHWM"
printf '%-8s %12s %14s %18s %14s\n' proxy "$(mib "$IDLE_PROXY_KB")" "$(mib "$PEAK_PROXY_KB")" "$(mib "$AFTER_PROXY_KB")" "$(mib "$HWM_PROXY_KB")"
printf '%-8s %12s %14s %18s %14s\n' nginx "$(mib "$IDLE_NGINX_KB")" "$(mib "$PEAK_NGINX_KB")" "-" "-"
echo "idle: after start-up, 100 requests, ${IDLE_WAIT}s idle; peak: max of 200 ms samples during the throughput runs;"
echo "nginx = master + worker of the reverse proxy"
echo
echo "Proxy stdout: $LOG_LINES lines, $(mib $((LOG_BYTES / 1024))) MiB for ~$PROXIED proxied requests ($(calc %.2f "$LOG_LINES / $PROXIED") lines per request)"
echo

if ((ERRORS_TOTAL > 0)); then
    echo "WARNING: wrk reported $ERRORS_TOTAL socket errors or non-2xx responses (see the errors columns)"
    echo
fi

verdict() { awk "BEGIN { exit !($1) }" && echo met || echo "NOT MET"; }
IDLE_MIB=$(mib "$IDLE_PROXY_KB"); PEAK_MIB=$(mib "$PEAK_PROXY_KB")
echo "Summary"
line
printf '%-42s %14s %14s   %s\n' measure value target result
printf '%-42s %14s %14s   %s\n' "throughput proxy/nginx (-c$CONNECTIONS)" "$RATIO_PN" ">= $TARGET_RATIO" "$(verdict "$RATIO_PN >= $TARGET_RATIO")"
printf '%-42s %14s %14s   %s\n' "throughput proxy/direct (-c$CONNECTIONS)" "$RATIO_PD" "(info)" "-"
printf '%-42s %14s %14s   %s\n' "added p50 latency, proxy vs direct (-c1)" "$ADDED_P µs" "<= $TARGET_ADDED_P50 µs" "$(verdict "$ADDED_P <= $TARGET_ADDED_P50")"
printf '%-42s %14s %14s   %s\n' "added p50 latency, nginx vs direct (-c1)" "$ADDED_N µs" "(info)" "-"
printf '%-42s %14s %14s   %s\n' "proxy idle RSS" "$IDLE_MIB MiB" "<= $TARGET_IDLE_MIB MiB" "$(verdict "$IDLE_MIB <= $TARGET_IDLE_MIB")"
printf '%-42s %14s %14s   %s\n' "proxy peak RSS under load" "$PEAK_MIB MiB" "<= $TARGET_PEAK_MIB MiB" "$(verdict "$PEAK_MIB <= $TARGET_PEAK_MIB")"
NOISY=0
# Medians and spreads may be fractional: compare with awk, not bash arithmetic.
above10() { awk -v v="$1" 'BEGIN { exit !(v > 10) }'; }
above10 "$(median <<<"$FOREIGN")" && NOISY=1
for t in "${TARGETS[@]}"; do above10 "$(spread_pct <<<"${RPS[$t]}")" && NOISY=1; done
if ((NOISY)); then
    echo "note: other processes used $(median <<<"$FOREIGN")% of the CPUs (median) or rounds spread by more than 10%:"
    echo "      the numbers are noisy; rerun on a quiet machine. cpu/req columns are the least affected."
fi
exit 0
