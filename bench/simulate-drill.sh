#!/usr/bin/env bash
# Benchmark (not a test): wall time and peak memory of the simulated 40,000-job acceptance drill, run from the
# built executable, report included. Usage: bench/simulate-drill.sh [runs] [jobs-per-shard]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
jobs="${2:-10000}"
dotnet build tools/Planetary.Cli -c Release -nologo -clp:ErrorsOnly >/dev/null
exe="$PWD/tools/Planetary.Cli/bin/Release/net10.0/planetary"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

walls=(); rss=()
for i in $(seq 1 "$runs"); do
  start=$(date +%s%N)
  /usr/bin/time -f "%M" -o "$out/rss" "$exe" simulate --jobs-per-shard "$jobs" --seed 42 --out "$out/report" >/dev/null
  end=$(date +%s%N)
  walls+=($(( (end - start) / 1000000 )))
  rss+=($(cat "$out/rss"))
done

sorted=($(printf '%s\n' "${walls[@]}" | sort -n))
mem=($(printf '%s\n' "${rss[@]}" | sort -n))
echo "simulate --jobs-per-shard $jobs: $runs runs, wall ms min ${sorted[0]} median ${sorted[$((runs / 2))]} max ${sorted[-1]}; peak RSS median $(( ${mem[$((runs / 2))]} / 1024 )) MiB"
echo "machine: $(nproc) cores, $(grep MemTotal /proc/meminfo | awk '{print int($2/1024/1024)}') GiB, load $(cut -d' ' -f1-3 /proc/loadavg)"
