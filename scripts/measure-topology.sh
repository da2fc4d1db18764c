#!/usr/bin/env bash
# Measures one acceptance drill on a fleet of the given topology (a measurement, not a test; run it under the shared
# lock on a shared machine). Starts the built app host (Release) with its servers under a fresh temp folder, waits
# until every server and service is healthy, runs POST /api/drills {"jobsPerShard": N, "seed": S}, prints the drill's figures as one
# JSON line, and stops the app host.
#
#   bash scripts/measure-topology.sh single  [jobs-per-shard] [seed] [app host settings...]
#   bash scripts/measure-topology.sh cluster 1000 42 --Infrastructure:Cluster:QuorumQueues=false
#
# Figures (from the drill's own summary): submitted, completed, failed, lost, wall time, throughput, p95 latency.
set -euo pipefail
cd "$(dirname "$0")/.."

topology=${1:?single or cluster}
jobs=${2:-1000}
seed=${3:-42}
shift $(( $# < 3 ? $# : 3 ))

scratch=$(mktemp -d "${TMPDIR:-/tmp}/planetary-measure.XXXXXX")
token="measure-$RANDOM$RANDOM"
port=$((20000 + RANDOM % 5000))
log="$scratch/apphost.log"
apphost=""
cleanup() {
  if [ -n "$apphost" ] && kill -0 "$apphost" 2>/dev/null; then
    kill -TERM "$apphost"
    wait "$apphost" 2>/dev/null || true # the app host stops its servers before it exits
  fi
  rm -rf "$scratch" 2>/dev/null || { sleep 5; rm -rf "$scratch"; }
}
trap cleanup EXIT

ports=()
if [ "$topology" = "cluster" ]; then
  ports=(--Infrastructure:Topology=cluster --Infrastructure:Mode=local)
else
  ports=(--Infrastructure:Mode=local --Infrastructure:Local:RabbitMqPort=0 --Infrastructure:Local:RabbitMqDistributionPort=0
         --Infrastructure:Local:EpmdPort=0 --Infrastructure:Local:RedisPort=0)
fi

ASPIRE_ALLOW_UNSECURED_TRANSPORT=true ASPNETCORE_URLS=http://127.0.0.1:$((port + 3)) \
ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL=http://127.0.0.1:$((port + 1)) ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL=http://127.0.0.1:$((port + 2)) \
ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS=true \
  AppHost/bin/Release/net10.0/Planetary.AppHost "${ports[@]}" "--Infrastructure:Local:StateDirectory=$scratch/state" \
  "--OwnerControl:Port=$port" "--Parameters:owner-token=$token" --OwnerControl:TokenFile= "$@" >"$log" 2>&1 &
apphost=$!

SECONDS=0
until curl -fsS -m 2 -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/status" >/dev/null 2>&1; do
  kill -0 "$apphost" 2>/dev/null || { tail -n 40 "$log" >&2; exit 1; }
  [ "$SECONDS" -gt 240 ] && { echo "measure: owner control did not answer in 240 s" >&2; exit 1; }
  sleep 1
done
until grep -q "supervised resources (servers and services) are running and healthy" "$log"; do sleep 1; done
ready=$SECONDS

drill=$(curl -fsS -H "Authorization: Bearer $token" -H 'Content-Type: application/json' \
  -d "{\"jobsPerShard\": $jobs, \"seed\": $seed}" "http://127.0.0.1:$port/api/drills")
id=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])' <<<"$drill")
while :; do
  progress=$(curl -fsS -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/drills/$id")
  state=$(python3 -c 'import json,sys; print(json.load(sys.stdin)["state"])' <<<"$progress")
  [ "$state" = "completed" ] || [ "$state" = "failed" ] && break
  sleep 2
done

echo "$progress" > "$scratch/progress.json"
python3 - "$topology" "$jobs" "$seed" "$ready" "$*" "$scratch/progress.json" <<'PY'
import json, sys
p = json.load(open(sys.argv[6]))
s = p.get("summary") or {}
live = s.get("live") or {}
print(json.dumps({
    "topology": sys.argv[1], "settings": sys.argv[5], "jobsPerShard": int(sys.argv[2]), "seed": int(sys.argv[3]),
    "fleetHealthySeconds": round(float(sys.argv[4]), 1), "state": p["state"], "error": p.get("error"),
    "submitted": s.get("jobsSubmitted"), "completed": s.get("jobsCompleted"), "failed": s.get("jobsFailed"),
    "lost": s.get("jobsLost"), "wallTimeMs": live.get("wallTimeMs"),
    "throughputJobsPerSecond": live.get("throughputJobsPerSecond"),
    "latencyP95Ms": (live.get("submitToCompleteMs") or {}).get("p95"),
    "acceptanceFailures": p.get("acceptanceFailures")}))
PY
