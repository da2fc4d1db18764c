#!/usr/bin/env bash
# Benchmark (not a test): wall time and peak memory of the simulated 40,000-job acceptance drill, run from the built
# executables, report included: the ReadyToRun build (what ./planetary builds) and the native build
# (scripts/build-native-cli.sh; skipped when there is no clang), run alternately so both see the same machine.
# Usage: bench/simulate-drill.sh [runs] [jobs-per-shard]
set -euo pipefail
cd "$(dirname "$0")/.."
runs="${1:-5}"
jobs="${2:-10000}"
dotnet build tools/Planetary.Cli -c Release -nologo -clp:ErrorsOnly >/dev/null
builds=(readytorun)
declare -A exe=([readytorun]="$PWD/tools/Planetary.Cli/bin/Release/net10.0/planetary")
if native="$(scripts/build-native-cli.sh 2>/dev/null)"; then
  builds+=(native)
  exe[native]="$native"
else
  echo "native build skipped (scripts/build-native-cli.sh needs clang)"
fi
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

declare -A walls rss
for i in $(seq 1 "$runs"); do
  for build in "${builds[@]}"; do
    start=$(date +%s%N)
    /usr/bin/time -f "%M" -o "$out/rss" "${exe[$build]}" simulate --jobs-per-shard "$jobs" --seed 42 --out "$out/report-$build" >/dev/null
    end=$(date +%s%N)
    walls[$build]+="$(( (end - start) / 1000000 )) "
    rss[$build]+="$(cat "$out/rss") "
  done
done

for build in "${builds[@]}"; do
  sorted=($(printf '%s\n' ${walls[$build]} | sort -n))
  mem=($(printf '%s\n' ${rss[$build]} | sort -n))
  echo "$build: simulate --jobs-per-shard $jobs: $runs runs, wall ms min ${sorted[0]} median ${sorted[$((runs / 2))]} max ${sorted[-1]}; peak RSS median $(( ${mem[$((runs / 2))]} / 1024 )) MiB"
done
if [ -d "$out/report-native" ]; then
  diff -r -q "$out/report-readytorun" "$out/report-native" >/dev/null && echo "the two builds wrote byte-identical report bundles" || echo "WARNING: the two builds' report bundles differ"
fi
echo "machine: $(nproc) cores, $(grep MemTotal /proc/meminfo | awk '{print int($2/1024/1024)}') GiB, load $(cut -d' ' -f1-3 /proc/loadavg)"
