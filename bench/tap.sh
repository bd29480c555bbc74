#!/usr/bin/env bash
# Benchmark of tap end to end, run by hand: bench/tap.sh
#
# The fleet (bench/tap-fleet.yaml: 8 meshed pods with traffic through every proxy) streams tap events into the
# dashboard, and one /tap page in headless Chromium taps the whole namespace with a budget no pod reaches. Over the
# measured window it prints events/s into the dashboard and to the page, proxy-to-screen latency, the dashboard's live
# heap (bench/heap-probe) and RSS, and the CPU of every process, against the targets. Stops by itself (at most
# WARMUP + DURATION + about 6 minutes of building and start-up) and kills what it started. Loopback only.
set -euo pipefail

WARMUP=${WARMUP:-30}            # seconds of tapping before the window (JIT, the page's history fills)
DURATION=${DURATION:-60}        # seconds of the measured window
FLEET_OCTET=${FLEET_OCTET:-92}  # pods get 127.N.x.y; not 10 (./run.sh), 90 (proxy.sh mtls) nor the tests' octets
KEEP=${KEEP:-0}                 # 1: keep the temp dir (logs)
for v in WARMUP DURATION; do
    [[ ${!v} =~ ^[1-9][0-9]*$ ]] || { echo "tap.sh: $v must be a positive whole number, got '${!v}'" >&2; exit 2; }
done
[[ $FLEET_OCTET =~ ^[0-9]+$ ]] && ((FLEET_OCTET >= 1 && FLEET_OCTET <= 254)) || { echo "tap.sh: FLEET_OCTET must be 1-254, got '$FLEET_OCTET'" >&2; exit 2; }

cd "$(dirname "$0")/.."
die() { echo "tap.sh: $*" >&2; exit 1; }
for tool in dotnet node npm curl python3; do command -v $tool >/dev/null || die "$tool is missing"; done
[[ -x /usr/bin/chromium ]] || die "/usr/bin/chromium is missing (apt-get install chromium)"

work=$(mktemp -d /tmp/bench-tap.XXXXXX)
pids=()
cleanup() {
    # The probe leads a process group of its own (setsid); on the signal it closes its Chromium, else it is killed.
    if [[ -n ${probe_pid:-} ]]; then
        kill -- -"$probe_pid" 2>/dev/null || true
        for _ in {1..30}; do kill -0 "$probe_pid" 2>/dev/null || break; sleep 0.5; done
        kill -KILL -- -"$probe_pid" 2>/dev/null || true
    fi
    for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
    wait 2>/dev/null || true
    if [[ $KEEP == 1 ]]; then echo "kept $work"; else rm -rf "$work"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
# wait_http URL SECONDS PID: until URL answers, failing when PID exits or the time is up.
wait_http() {
    local deadline=$((SECONDS + $2))
    until curl -fs --max-time 2 "$1" >/dev/null 2>&1; do
        kill -0 "$3" 2>/dev/null || return 1
        ((SECONDS < deadline)) || return 1
        sleep 0.5
    done
}

echo "load before: $(uptime)"
echo "building (Release)..."
dotnet publish Dashboard.Proxy/Dashboard.Proxy.csproj -c Release -o "$work/proxy" -nologo -v q >"$work/build.log" 2>&1 || { tail -20 "$work/build.log" >&2; die "building the proxy failed"; }
dotnet publish Dashboard/Dashboard.csproj -c Release -o "$work/dashboard" -nologo -v q >>"$work/build.log" 2>&1 || { tail -20 "$work/build.log" >&2; die "building the dashboard failed"; }
# A startup hook in the dashboard measures its live heap on request (bench/heap-probe).
dotnet build bench/heap-probe/HeapProbe.csproj -c Release -o "$work/heap-probe" -nologo -v q >>"$work/build.log" 2>&1 || die "building the heap probe failed"
cp bench/tap-probe.mjs "$work/" && cp bench/heap-probe/heap-probe.mjs "$work/heap-probe/"
(cd "$work" && timeout 300 npm install --silent playwright-core@1 >/dev/null 2>&1) || die "npm install playwright-core failed"

api=$(free_port); web=$(free_port); prom=$(free_port)
token=bench-$RANDOM$RANDOM
# No identity: the fleet's CPU goes to traffic and tap, not to TLS, and the page is what is measured.
"$work/proxy/Dashboard.Proxy" fleet bench/tap-fleet.yaml --api-listen 127.0.0.1:$api --destination-listen 127.0.0.1:0 --ip-octet "$FLEET_OCTET" --no-identity \
    --tap-token "$token" >"$work/fleet.log" 2>&1 & pids+=($!); fleet_pid=$!
wait_http "http://127.0.0.1:$api/healthz" 60 "$fleet_pid" || { tail -20 "$work/fleet.log" >&2; die "the fleet did not start"; }
# Nothing listens at the Prometheus port: tap needs none, and the dashboard's probes of it fail fast.
env Dashboard__Prometheus__Url=http://127.0.0.1:$prom Dashboard__Kubernetes__Url=http://127.0.0.1:$api Dashboard__Tap__Token="$token" \
    Logging__LogLevel__Default=Warning DOTNET_STARTUP_HOOKS="$work/heap-probe/HeapProbe.dll" HEAP_PROBE_FILE="$work/heap" \
    "$work/dashboard/dashboard" serve --urls http://127.0.0.1:$web --contentRoot "$work/dashboard" >"$work/dashboard.log" 2>&1 & pids+=($!); dashboard_pid=$!
wait_http "http://127.0.0.1:$web/" 90 "$dashboard_pid" || { tail -20 "$work/dashboard.log" >&2; die "the dashboard did not start"; }
echo "$(grep -m1 '^fleet:' "$work/fleet.log")"

# The probe in a process group of its own, bounded in time (Playwright closes its Chromium when it is stopped).
CLK_TCK=$(getconf CLK_TCK) setsid timeout -k 15 $((WARMUP + DURATION + 180)) node "$work/tap-probe.mjs" "http://127.0.0.1:$web" "http://127.0.0.1:$api" \
    tapbench "$dashboard_pid" "$fleet_pid" "$work/heap" "$WARMUP" "$DURATION" & probe_pid=$!
status=0
wait "$probe_pid" || status=$?
probe_pid=
echo "load after: $(uptime)"
((status == 0)) || { tail -5 "$work/dashboard.log" >&2; die "the probe failed (exit $status)"; }
echo "targets: >= 10000 events/s into the dashboard with flat memory; >= 2000 events/s to one page; p99 proxy-to-screen <= 250 ms"
