#!/usr/bin/env bash
# Builds and starts the local system: the bundled fleet (pods, proxies, traffic, a Kubernetes API),
# Prometheus scraping it, and the dashboard; prints the URLs. Ctrl-C stops all of it and exits 0.
#   ./run.sh [MANIFEST] [--scrape-interval 10s]
set -euo pipefail
cd "$(dirname "$0")"
source scripts/prerequisites.sh

manifest=docker/fleet/demo.yaml
scrape=10s
while [ $# -gt 0 ]; do
  case "$1" in
    --scrape-interval) scrape=${2:?--scrape-interval needs a value, e.g. 5s}; shift 2 ;;
    -h|--help) sed -n 2,4p "$0"; exit 0 ;;
    -*) echo "error: unknown option '$1'; usage: ./run.sh [MANIFEST] [--scrape-interval 10s]" >&2; exit 2 ;;
    *) manifest=$1; shift ;;
  esac
done
# Prometheus' duration grammar (Dashboard.Contracts/Durations/DurationText.cs), above zero: checked before anything starts.
[[ "$scrape" =~ ^([0-9]+y)?([0-9]+w)?([0-9]+d)?([0-9]+h)?([0-9]+m)?([0-9]+s)?([0-9]+ms)?$ && "$scrape" =~ [1-9] ]] ||
  { echo "error: --scrape-interval '$scrape' is not a positive duration such as 5s, 1m or 1m30s" >&2; exit 2; }
[ -f "$manifest" ] || { echo "error: manifest '$manifest' not found" >&2; exit 2; }

need_dotnet
need_package curl curl
need_package prometheus prometheus
need_package npm npm # once: the dashboard's chart library (wwwroot-assets)

FLEET=127.0.0.1:6443
DESTINATION=127.0.0.1:8086
PROMETHEUS=127.0.0.1:9090
DASHBOARD=127.0.0.1:8084
state=.run
mkdir -p "$state"

port_free() { # port_free ADDR WHAT
  local port=${1##*:}
  if ss -Htln "sport = :$port" 2>/dev/null | grep -q .; then
    echo "error: port $port ($2) is already in use; is another ./run.sh running? See: ss -ltnp 'sport = :$port'" >&2
    exit 1
  fi
}
port_free $FLEET "fleet Kubernetes API"; port_free $DESTINATION "fleet destination service"
port_free $PROMETHEUS "Prometheus"; port_free $DASHBOARD "dashboard"

build() { # build PROJECT OUTDIR
  if ! dotnet publish "$1" -c Release -o "$2" -nologo -v q >"$state/build.log" 2>&1; then
    grep -E "error" "$state/build.log" | sort -u >&2
    echo "error: building $1 failed; full log in $state/build.log" >&2
    exit 1
  fi
}
echo "building the proxy and the dashboard (Release)..."
build Dashboard.Proxy/Dashboard.Proxy.csproj "$state/proxy"
build Dashboard/Dashboard.csproj "$state/dashboard"

pids=()
stop() {
  trap - INT TERM EXIT
  echo; echo "stopping..."
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for pid in "${pids[@]}"; do wait "$pid" 2>/dev/null || true; done
  exit 0
}
trap stop INT TERM
trap 'for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done' EXIT

wait_for() { # wait_for URL WHAT LOG
  for _ in $(seq 1 150); do
    curl -fs "$1" >/dev/null 2>&1 && return 0
    for pid in "${pids[@]}"; do
      kill -0 "$pid" 2>/dev/null || { echo "error: $2 exited at start-up:" >&2; tail -20 "$3" >&2; exit 1; }
    done
    sleep 0.2
  done
  echo "error: $2 did not become ready at $1; see $3" >&2
  exit 1
}

token=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
echo "$token" >"$state/tap-token"

"$state/proxy/Dashboard.Proxy" fleet "$manifest" --api-listen $FLEET --destination-listen $DESTINATION --tap-token "$token" >"$state/fleet.log" 2>&1 & pids+=($!)
wait_for "http://$FLEET/healthz" "the fleet" "$state/fleet.log"

cat >"$state/prometheus.yml" <<YAML
global:
  scrape_interval: $scrape
  evaluation_interval: $scrape
rule_files: [$PWD/docker/prometheus/rules.yml]
scrape_configs:
  - job_name: linkerd-proxy
    http_sd_configs:
      - url: http://$FLEET/fleet/sd
        refresh_interval: $scrape
YAML
prometheus --config.file="$state/prometheus.yml" --storage.tsdb.path="$state/prometheus-data" \
  --storage.tsdb.retention.time=6h --web.listen-address=$PROMETHEUS --log.level=warn >"$state/prometheus.log" 2>&1 & pids+=($!)
wait_for "http://$PROMETHEUS/-/ready" "Prometheus" "$state/prometheus.log"

Dashboard__Prometheus__Url=http://$PROMETHEUS Dashboard__Prometheus__ScrapeInterval=$scrape \
Dashboard__Kubernetes__Url=http://$FLEET Dashboard__Tap__Token=$token \
  "$state/dashboard/dashboard" serve --urls "http://$DASHBOARD" --contentRoot "$PWD/$state/dashboard" >"$state/dashboard.log" 2>&1 & pids+=($!)
wait_for "http://$DASHBOARD/" "the dashboard" "$state/dashboard.log"

cat <<INFO

The local system is up (logs in $state/):
  dashboard              http://$DASHBOARD/
  Prometheus             http://$PROMETHEUS/           scraping every $scrape
  fleet Kubernetes API   http://$FLEET/                kubectl --server http://$FLEET get pods -A
  fleet ground truth     http://$FLEET/fleet/truth?window=60s
  destination service    $DESTINATION                        gRPC (h2c): the fleet's proxies resolve through it
  tap token              $token  (also in $state/tap-token)
  CLI                    $state/dashboard/dashboard stat deploy -n default
                         $state/dashboard/dashboard tap deploy/test-1 --dashboard-url http://$DASHBOARD
                         DASHBOARD_TAP_TOKEN=$token $state/dashboard/dashboard tap deploy/test-1 --direct

$(grep -m1 "^fleet:" "$state/fleet.log")
Press Ctrl-C to stop.
INFO
wait
