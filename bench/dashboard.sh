#!/usr/bin/env bash
# Benchmark of the dashboard on the fleet's scale option (100 deployments, 1,000 pods), run by hand:
# Prometheus queries per refresh (one viewer and 21), time to numbers when a table loads, refresh time, memory per circuit.
# Needs: dotnet, prometheus, chromium, node/npm (playwright-core is installed into a temp dir, no browser download).
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in dotnet prometheus node npm curl; do command -v $tool >/dev/null || { echo "error: $tool is missing" >&2; exit 1; }; done
[ -x /usr/bin/chromium ] || { echo "error: /usr/bin/chromium is missing (apt-get install chromium)" >&2; exit 1; }

work=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null; rm -rf "$work"' EXIT
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

echo "building (Release)..."
dotnet publish Dashboard.Proxy/Dashboard.Proxy.csproj -c Release -o "$work/proxy" -nologo -v q >/dev/null
dotnet publish Dashboard/Dashboard.csproj -c Release -o "$work/dashboard" -nologo -v q >/dev/null
(cd "$work" && npm install --silent playwright-core@1 >/dev/null 2>&1)
# A startup hook in the dashboard measures its live heap on request (bench/heap-probe).
dotnet build bench/heap-probe/HeapProbe.csproj -c Release -o "$work/heap-probe" -nologo -v q >/dev/null
cp bench/dashboard-probe.mjs "$work/"

api=$(free_port); prom=$(free_port); web=$(free_port)
"$work/proxy/Dashboard.Proxy" fleet docker/fleet/demo.yaml --api-listen 127.0.0.1:$api --destination-listen 127.0.0.1:0 \
  --synthetic-deployments 100 --synthetic-pods 1000 >"$work/fleet.log" 2>&1 & pids+=($!)
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
Dashboard__Kubernetes__Url=http://127.0.0.1:$api Logging__LogLevel__Dashboard.Services.StatTableService=Debug \
DOTNET_STARTUP_HOOKS="$work/heap-probe/HeapProbe.dll" HEAP_PROBE_FILE="$work/heap" "$work/dashboard/dashboard" serve --urls http://127.0.0.1:$web \
  --contentRoot "$work/dashboard" >"$work/dashboard.log" 2>&1 & pids+=($!); dashboard_pid=$!
until curl -fs "http://127.0.0.1:$web/" >/dev/null 2>&1; do
  kill -0 "$dashboard_pid" 2>/dev/null || { echo "error: the dashboard exited:" >&2; tail -20 "$work/dashboard.log" >&2; exit 1; }
  sleep 0.5
done
echo "fleet: $(grep -m1 '^fleet:' "$work/fleet.log")"
echo "waiting 30s for Prometheus to scrape every pod a few times..."
sleep 30
(cd "$work" && node dashboard-probe.mjs "http://127.0.0.1:$web" "http://127.0.0.1:$prom" "$dashboard_pid" "$work/heap" "$work/dashboard.log")
echo "targets: queries per refresh <= 5 and constant in rows; refresh p50/p95 <= 500 ms (deployments), <= 1 s (pods); <= 2 MB per circuit"
