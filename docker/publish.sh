#!/bin/sh
# Publishes the proxy or the dashboard exactly as its image runs it: Release, framework-dependent and portable
# (no native launcher, so one output runs on glibc, the proxy's Debian image, and on musl, the dashboard's Alpine).
# The Dockerfiles and the tests both run this script, so what the tests start is what the images contain.
#   docker/publish.sh proxy|dashboard OUTDIR
set -eu
usage="usage: docker/publish.sh proxy|dashboard OUTDIR"
case "${1:-}" in
  proxy) project=Dashboard.Proxy/Dashboard.Proxy.csproj ;;
  dashboard) project=Dashboard/Dashboard.csproj ;;
  *) echo "error: unknown part '${1:-}'; $usage" >&2; exit 2 ;;
esac
[ -n "${2:-}" ] || { echo "error: no output folder; $usage" >&2; exit 2; }
mkdir -p "$2"
out=$(cd "$2" && pwd)
cd "$(dirname "$0")/.."
exec dotnet publish "$project" -c Release -o "$out" -p:UseAppHost=false -nologo -v q
