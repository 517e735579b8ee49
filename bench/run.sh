#!/usr/bin/env bash
# Runs each worker-bench scenario 5 times in fresh processes and prints a Markdown table of
# medians with min-max. Usage: bench/run.sh [path/to/worker-bench] [runs]
set -euo pipefail
bench=${1:-build-normal/bench/worker-bench}
runs=${2:-5}
[ -x "$bench" ] || { echo "no $bench: build first (cmake --build build-normal)" >&2; exit 1; }

field() {  # json, key -> value
  sed -E "s/.*\"$2\":([0-9.]+).*/\1/" <<<"$1"
}

stats() {  # values... -> "median (min-max)"
  printf '%s\n' "$@" | sort -g | awk '{v[NR]=$1} END {
    m = (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2;
    printf "%.1f (%.1f-%.1f)", m, v[1], v[NR] }'
}

echo "| scenario | args | wall_ms | stop_ms | per_worker_bytes | rss_kb |"
echo "|---|---|---|---|---|---|"
while read -r scenario args; do
  wall=() stop=() pwb=() rss=()
  for _ in $(seq "$runs"); do
    # shellcheck disable=SC2086
    line=$("$bench" "$scenario" $args)
    wall+=("$(field "$line" wall_ms)")
    stop+=("$(field "$line" stop_ms)")
    pwb+=("$(field "$line" per_worker_bytes)")
    rss+=("$(field "$line" rss_kb)")
  done
  echo "| $scenario | ${args:--} | $(stats "${wall[@]}") | $(stats "${stop[@]}") | $(stats "${pwb[@]}") | $(stats "${rss[@]}") |"
done <<'SCENARIOS'
S1 10000
S2 100000
S3 10000
S4 100000 --log=off --metrics=off
S4 100000 --log=json --metrics=off
S4 100000 --log=off --metrics=on
SCENARIOS
