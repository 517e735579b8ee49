#!/usr/bin/env bash
# Requests per second the admin server holds on /readyz and /metrics: runs worker-demo on an
# ephemeral loopback port and wrk against it (bounded: 2 connections per thread, 10 s each).
# Usage: bench/admin_load.sh [path/to/worker-demo]
set -euo pipefail
demo=${1:-build-normal/apps/worker-demo}
command -v wrk >/dev/null || { echo "wrk is needed: apt-get install wrk" >&2; exit 1; }
log=$(mktemp)
"$demo" --port 0 >"$log" 2>&1 &
pid=$!
trap 'kill -TERM $pid 2>/dev/null; wait $pid 2>/dev/null; rm -f "$log"' EXIT
for _ in $(seq 100); do
  port=$(grep -o '"port":"[0-9]*"' "$log" | grep -o '[0-9]*' || true)
  [ -n "$port" ] && break
  sleep 0.1
done
[ -n "$port" ] || { echo "worker-demo did not start" >&2; cat "$log" >&2; exit 1; }
echo "| endpoint | requests/s | latency p50 | latency p99 |"
echo "|---|---|---|---|"
for path in /readyz /metrics; do
  out=$(wrk -t2 -c4 -d10s --latency "http://127.0.0.1:$port$path")
  rps=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  p50=$(awk '$1 == "50%" {print $2}' <<<"$out")
  p99=$(awk '$1 == "99%" {print $2}' <<<"$out")
  echo "| $path | $rps | $p50 | $p99 |"
done
