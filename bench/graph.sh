#!/usr/bin/env bash
# Benchmark of the service graph on the fleet's scale option (100 synthetic deployments calling each other, 1,000 pods),
# run by hand: Prometheus queries per refresh, time to the first drawn graph, refresh time and the browser's longest
# frame, for the workload graph (100+ nodes) and the pod graph (1,000+ nodes); the server's own build time beside them.
# Needs: dotnet, prometheus, chromium, node/npm (playwright-core is installed into a temp dir, no browser download).
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in dotnet prometheus node npm curl; do command -v $tool >/dev/null || { echo "error: $tool is missing" >&2; exit 1; }; done
[ -x /usr/bin/chromium ] || { echo "error: /usr/bin/chromium is missing (apt-get install chromium)" >&2; exit 1; }
DEPLOYMENTS=${DEPLOYMENTS:-100}
PODS=${PODS:-1000}

work=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null; rm -rf "$work"' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

echo "building (Release)..."
dotnet publish Dashboard.Proxy/Dashboard.Proxy.csproj -c Release -o "$work/proxy" -nologo -v q >/dev/null
dotnet publish Dashboard/Dashboard.csproj -c Release -o "$work/dashboard" -nologo -v q >/dev/null
(cd "$work" && npm install --silent playwright-core@1 >/dev/null 2>&1)
cp bench/graph-probe.mjs "$work/"

api=$(free_port); prom=$(free_port); web=$(free_port)
"$work/proxy/Dashboard.Proxy" fleet docker/fleet/demo.yaml --api-listen 127.0.0.1:$api --destination-listen 127.0.0.1:0 \
  --synthetic-deployments "$DEPLOYMENTS" --synthetic-pods "$PODS" >"$work/fleet.log" 2>&1 & pids+=($!)
until curl -fs "http://127.0.0.1:$api/healthz" >/dev/null 2>&1; do sleep 0.5; done
cat >"$work/prometheus.yml" <<YAML
global: {scrape_interval: 5s, evaluation_interval: 5s}
rule_files: [$PWD/docker/prometheus/rules.yml]
scrape_configs:
  - job_name: linkerd-proxy
    http_sd_configs: [{url: "http://127.0.0.1:$api/fleet/sd", refresh_interval: 5s}]
YAML
prometheus --config.file="$work/prometheus.yml" --storage.tsdb.path="$work/data" --web.listen-address=127.0.0.1:$prom --log.level=warn >"$work/prom.log" 2>&1 & pids+=($!)
# env: a variable name with dots cannot be set by the shell's own syntax.
env Dashboard__Prometheus__Url=http://127.0.0.1:$prom Dashboard__Prometheus__ScrapeInterval=5s Dashboard__RefreshInterval=2s \
Dashboard__Kubernetes__Url=http://127.0.0.1:$api Logging__LogLevel__Dashboard.Graph.GraphService=Debug \
"$work/dashboard/dashboard" serve --urls http://127.0.0.1:$web --contentRoot "$work/dashboard" >"$work/dashboard.log" 2>&1 & pids+=($!); dashboard_pid=$!
until curl -fs "http://127.0.0.1:$web/" >/dev/null 2>&1; do
  kill -0 "$dashboard_pid" 2>/dev/null || { echo "error: the dashboard exited:" >&2; tail -20 "$work/dashboard.log" >&2; exit 1; }
  sleep 0.5
done
echo "fleet: $(grep -m1 '^fleet:' "$work/fleet.log" || true)"
echo "waiting 75s for Prometheus to hold a full minute of every pod's scrapes..."
sleep 75
series=$(curl -fs "http://127.0.0.1:$prom/api/v1/query" --data-urlencode 'query=count({direction="outbound"})' | python3 -c 'import json,sys; print(json.load(sys.stdin)["data"]["result"][0]["value"][1])')
echo "outbound series in Prometheus: $series"
(cd "$work" && node graph-probe.mjs "http://127.0.0.1:$web" "http://127.0.0.1:$prom" "$work/dashboard.log")
echo "targets: 3 queries per refresh; workload graph (100 nodes) first draw <= 1 s, refresh p50/p95 <= 300 ms; pod graph (1,000 nodes) first draw <= 3 s"
