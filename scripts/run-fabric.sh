#!/usr/bin/env bash
# Starts the whole fleet under the Aspire app host: RabbitMQ and Redis (containers when a container runtime answers —
# Docker, or Podman after `bash scripts/containers.sh` — local server processes otherwise), one router per shard, one
# agent per node, owner control, the checkpointer, and the dashboard on http://localhost:18888. Stop it with Ctrl+C.
#
# The fleet's data is kept across runs: queued jobs, the books, the journals, the owner log and the parameters live in
# the servers' data (local servers: .tmp/infrastructure/; containers: the volumes planetary-eventbus-data and
# planetary-state-data). To start from nothing:
#
#   bash scripts/run-fabric.sh --wipe     deletes that data first (the app host logs each folder or volume it deletes)
#
# Other arguments go to `dotnet run` (e.g. -c Release; app host settings after --).
set -euo pipefail
cd "$(dirname "$0")/.."

arguments=()
for argument in "$@"; do
  if [ "$argument" = "--wipe" ]; then
    echo "run-fabric: --wipe: the servers' data (queued jobs, the books, the journals, the owner log and the parameters) is deleted before they start."
    export Infrastructure__Wipe=true
  else
    arguments+=("$argument")
  fi
done

bash scripts/prerequisites.sh --docker-is-enough
exec dotnet run --project AppHost "${arguments[@]}"
