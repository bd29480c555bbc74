#!/usr/bin/env bash
# Runs every test: installs what the tests need, restores, builds, runs, and ends with "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")"
source scripts/prerequisites.sh

need_dotnet
need_package prometheus prometheus
need_package npm npm # once: the dashboard's chart library (wwwroot-assets)
need_package kubectl kubernetes-client
need_package chromium chromium fonts-dejavu-core
need_package docker-compose docker-compose
need_package node nodejs
need_package zsh zsh
need_package iptables iptables # the init container's rules, tested in network namespaces (Dashboard.Tests/Netns)
need_package ip iproute2

log=$(mktemp)
trap 'rm -f "$log"' EXIT

echo "restoring and building..."
if ! dotnet build Dashboard.sln -c Debug -nologo -v q >"$log" 2>&1; then
  grep -E "error|Error" "$log" | sort -u | head -50
  echo "0 passed, 1 failed"
  exit 1
fi

# One test run; xunit runs test classes in parallel, sized for this machine's cores.
dotnet test --solution Dashboard.sln -c Debug --no-build 2>&1 | tee "$log"
status=${PIPESTATUS[0]}

total=$(grep -E '^\s*total:' "$log" | tail -1 | grep -oE '[0-9]+' || echo 0)
failed=$(grep -E '^\s*failed:' "$log" | tail -1 | grep -oE '[0-9]+' || echo 0)
passed=$(grep -E '^\s*succeeded:' "$log" | tail -1 | grep -oE '[0-9]+' || echo 0)
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1 # the run failed without a test failing (a crash or a build problem)
fi
if [ "$failed" -gt 0 ]; then
  # Repeat each failure's name and message last: CI shows only the end of the output.
  echo "failures:"
  grep -E -A 6 '^\s*failed (\(canceled\) )?[A-Za-z_]' "$log" | grep -vE '^\s+at ' | head -60
fi
echo "$passed passed, $failed failed"
[ "$status" -eq 0 ] && [ "$failed" -eq 0 ] && [ "$total" -gt 0 ]
