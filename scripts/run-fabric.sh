#!/usr/bin/env bash
# Starts the whole fleet under the Aspire app host: RabbitMQ and Redis (containers when a Docker engine runs,
# local server processes otherwise), one router per shard, one agent per node, owner control, the checkpointer,
# and the dashboard on http://localhost:18888. Stop it with Ctrl+C.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/prerequisites.sh --docker-is-enough
exec dotnet run --project AppHost "$@"
