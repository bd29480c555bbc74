#!/usr/bin/env bash
# Builds and starts the local system, prints its URLs, and on Ctrl-C stops all of it and exits 0.
# For now: the demo app behind a sidecar proxy (the fleet, Prometheus and the dashboard follow).
set -euo pipefail
cd "$(dirname "$0")"
source scripts/prerequisites.sh

need_dotnet
need_package curl curl

APP=127.0.0.1:8080
INBOUND=127.0.0.1:4143
OUTBOUND=127.0.0.1:4140
ADMIN=127.0.0.1:4191
TAP=127.0.0.1:4190
state=.run
mkdir -p "$state"

port_free() { # port_free ADDR WHAT
  local port=${1##*:}
  if ss -Htln "sport = :$port" 2>/dev/null | grep -q .; then
    echo "error: port $port ($2) is already in use; is another ./run.sh running? See: ss -ltnp 'sport = :$port'" >&2
    exit 1
  fi
}
port_free $APP "demo app"; port_free $INBOUND "proxy inbound"; port_free $OUTBOUND "proxy outbound"
port_free $ADMIN "proxy admin"; port_free $TAP "proxy tap"

echo "building the proxy (Release)..."
if ! dotnet publish Dashboard.Proxy/Dashboard.Proxy.csproj -c Release -o "$state/proxy" -nologo -v q >"$state/build.log" 2>&1; then
  grep -E "error" "$state/build.log" | sort -u >&2
  echo "error: build failed; full log in $state/build.log" >&2
  exit 1
fi

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

token=$(od -An -N16 -tx1 /dev/urandom | tr -d ' \n')
"$state/proxy/Dashboard.Proxy" demo-app --listen $APP >"$state/demo-app.log" 2>&1 & pids+=($!)
MESH_PROXY_INBOUND_LISTEN_ADDR=$INBOUND MESH_PROXY_APP_ADDR=$APP MESH_PROXY_OUTBOUND_LISTEN_ADDR=$OUTBOUND \
MESH_PROXY_ADMIN_LISTEN_ADDR=$ADMIN MESH_PROXY_TAP_LISTEN_ADDR=$TAP MESH_PROXY_TAP_TOKEN=$token \
MESH_PROXY_POD_NAME=demo-app-0 MESH_PROXY_POD_NAMESPACE=default \
  "$state/proxy/Dashboard.Proxy" >"$state/proxy.log" 2>&1 & pids+=($!)

for _ in $(seq 1 100); do
  curl -fs "http://$ADMIN/ready" >/dev/null 2>&1 && break
  for pid in "${pids[@]}"; do
    kill -0 "$pid" 2>/dev/null || { echo "error: a process exited at start-up; logs:" >&2; tail -5 "$state"/*.log >&2; exit 1; }
  done
  sleep 0.2
done
curl -fs "http://$ADMIN/ready" >/dev/null || { echo "error: the proxy did not become ready; see $state/proxy.log" >&2; exit 1; }

cat <<INFO

Dashboard local system is up (logs in $state/):
  demo app (direct)      http://$APP/
  through the proxy      http://$INBOUND/            e.g. curl http://$INBOUND/status/503
  proxy outbound         http://$OUTBOUND/           send with a Host header naming the destination
  proxy metrics          http://$ADMIN/metrics
  proxy tap (SignalR)    http://$TAP/tap             bearer token: $token

Press Ctrl-C to stop.
INFO
wait
