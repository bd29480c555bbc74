#!/usr/bin/env bash
# Benchmark of the destination service at scale, run by hand: bench/destination.sh
#
# A writable Kubernetes API on loopback (KubeStore + KubernetesApiServer, in the driver bench/DestinationBench) holds
# SERVICES Services with their EndpointSlices and meshed pods. Two modes, one after the other, each taking one endpoint
# change a second for DURATION s:
#   destination  `Dashboard.Proxy destination` as its own process; PROXIES DestinationServiceResolvers subscribe to
#                PER_PROXY Services each over their own HTTP/2 connection
#   baseline     BASELINE_PROXIES KubernetesDestinationDiscovery instances, each listing and watching the whole cluster
# and prints watches and lists the API served, the service's CPU and memory, fan-out latency, memory per proxy and a
# summary of the targets. Everything listens on 127.0.0.1 only. See bench/README.md.
set -euo pipefail

DURATION=${DURATION:-60}                # changes (one a second) per mode
PROXIES=${PROXIES:-1000}                # simulated proxies of the destination mode
SERVICES=${SERVICES:-200}               # Services in the cluster
PER_PROXY=${PER_PROXY:-5}               # Services each proxy subscribes to
PODS_PER_SERVICE=${PODS_PER_SERVICE:-3} # ready pods of each Service at the start
BASELINE_PROXIES=${BASELINE_PROXIES:-200} # proxies watching the API themselves in the baseline (1,000 in one process on
                                        # 2 cores cannot keep up with a change a second; totals are extrapolated to PROXIES)
DESTINATION_ENV=${DESTINATION_ENV:-}    # extra NAME=VALUE words for the destination service's environment (experiments)
KEEP=${KEEP:-0}                         # 1: keep the temp dir (build and destination logs)

DURATION=${DURATION%s}
for v in DURATION PROXIES SERVICES PER_PROXY PODS_PER_SERVICE BASELINE_PROXIES; do
    [[ ${!v} =~ ^[1-9][0-9]*$ ]] || { echo "destination.sh: $v must be a positive whole number, got '${!v}'" >&2; exit 2; }
done
for w in $DESTINATION_ENV; do
    [[ $w =~ ^[A-Za-z_][A-Za-z0-9_]*=.*$ ]] || { echo "destination.sh: DESTINATION_ENV must be NAME=VALUE words, got '$w'" >&2; exit 2; }
done
[[ $KEEP == 0 || $KEEP == 1 ]] || { echo "destination.sh: KEEP must be 0 or 1, got '$KEEP'" >&2; exit 2; }
((PER_PROXY <= SERVICES)) || { echo "destination.sh: PER_PROXY ($PER_PROXY) must not exceed SERVICES ($SERVICES)" >&2; exit 2; }

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
die() { echo "destination.sh: $*" >&2; exit 1; }
log() { printf '[%s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
command -v dotnet >/dev/null 2>&1 || die "dotnet (the .NET 10 SDK) is not on PATH; install it (see global.json for the version)"

# Each proxy's connection to the service and, in the baseline, three to the API per proxy, both ends in this machine.
want=$((BASELINE_PROXIES * 6 + PROXIES * 2 + 1024))
if (($(ulimit -n) < want)); then
    ulimit -n "$want" 2>/dev/null || ulimit -n "$(ulimit -Hn)" ||
        die "cannot raise the open-file limit to $want (hard limit $(ulimit -Hn)); lower PROXIES or BASELINE_PROXIES"
    (($(ulimit -n) >= want)) || log "open-file limit $(ulimit -n) is below the $want this run may need"
fi

PIDS=()
WORK=
cleanup() {
    local rc=$? p
    trap - EXIT INT TERM
    for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done
    for p in "${PIDS[@]}"; do wait "$p" 2>/dev/null || true; done
    # The driver stops the service it started; should it have died first, the service goes here.
    if [[ -n $WORK && -f $WORK/destination.pid ]]; then kill "$(cat "$WORK/destination.pid")" 2>/dev/null || true; fi
    if [[ -n $WORK && -d $WORK ]]; then
        if [[ $KEEP == 1 || $rc == 1 ]]; then echo "destination.sh: files kept in $WORK" >&2; else rm -rf "$WORK"; fi
    fi
    exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# The DOTNET_ variables of the service's manifest (its GC settings that only a variable sets): the bench runs it as the
# cluster does. DESTINATION_ENV comes after them, so an experiment can override one.
MANIFEST=$ROOT/docker/kubernetes/60-destination.yaml
[[ -f $MANIFEST ]] || die "the destination service's manifest $MANIFEST is missing"
MANIFEST_ENV=$(awk '$1 == "-" && $2 == "name:" && $3 ~ /^DOTNET_/ { name = $3; getline; if ($1 == "value:") { v = $2; gsub(/"/, "", v); printf "%s=%s ", name, v } }' "$MANIFEST")

WORK=$(mktemp -d /tmp/bench-destination.XXXXXX)
cd "$ROOT"
log "publishing Dashboard.Proxy and building the driver (Release)"
dotnet publish Dashboard.Proxy/Dashboard.Proxy.csproj -c Release -o "$WORK/proxy" -nologo -v quiet >"$WORK/build.log" 2>&1 ||
    { grep -E 'error' "$WORK/build.log" | sort -u >&2; die "dotnet publish of Dashboard.Proxy failed (log: $WORK/build.log)"; }
dotnet build bench/DestinationBench/DestinationBench.csproj -c Release -o "$WORK/bench" -nologo -v quiet >>"$WORK/build.log" 2>&1 ||
    { grep -E 'error' "$WORK/build.log" | sort -u >&2; die "building bench/DestinationBench failed (log: $WORK/build.log)"; }

log "uptime before: $(uptime)"
DURATION=$DURATION PROXIES=$PROXIES SERVICES=$SERVICES PER_PROXY=$PER_PROXY PODS_PER_SERVICE=$PODS_PER_SERVICE \
    BASELINE_PROXIES=$BASELINE_PROXIES PROXY_DLL="$WORK/proxy/Dashboard.Proxy.dll" WORK="$WORK" CLK_TCK=$(getconf CLK_TCK) DESTINATION_ENV="$MANIFEST_ENV$DESTINATION_ENV" \
    DOTNET_gcServer=0 DOTNET_TieredPGO=1 dotnet "$WORK/bench/DestinationBench.dll" &
PIDS+=($!)
rc=0
wait "${PIDS[0]}" || rc=$?
PIDS=()
log "uptime after: $(uptime)"
((rc == 0)) || die "the driver failed (exit $rc); the destination service's log is $WORK/destination.log"
