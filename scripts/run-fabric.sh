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
# Other arguments: -c/--configuration CONFIG (Debug when not given) and build options (-p:…) go to `dotnet build`;
# arguments after -- go to the app host (its settings, e.g. -- --Infrastructure:Mode=local).
#
# The app host is built, then started as its built program: no `dotnet run` stays resident beside the fleet (it is a
# ~185 MB process), nor any build server. The environment below is what `dotnet run` takes from AppHost/Properties/launchSettings.json.
set -euo pipefail
cd "$(dirname "$0")/.."

configuration=Debug
build=()
app=()
while [ $# -gt 0 ]; do
  case "$1" in
    --wipe)
      echo "run-fabric: --wipe: the servers' data (queued jobs, the books, the journals, the owner log and the parameters) is deleted before they start."
      export Infrastructure__Wipe=true ;;
    -c|--configuration)
      configuration="$2"; shift ;;
    --)
      shift; app=("$@"); break ;;
    *)
      build+=("$1") ;;
  esac
  shift
done

bash scripts/prerequisites.sh --docker-is-enough
# No build node or compiler server stays behind the build: measured without these two options, an MSBuild worker node
# (132 MB PSS) and the compiler server (310 MB) stayed resident beside the fleet. With them the worker nodes end with
# the build and the compiler runs in the build's own process.
dotnet build AppHost -c "$configuration" -nologo -clp:ErrorsOnly -nodeReuse:false -p:UseSharedCompilation=false \
  ${build[@]+"${build[@]}"}

export ASPNETCORE_URLS="${ASPNETCORE_URLS:-http://localhost:18888}"
export ASPNETCORE_ENVIRONMENT="${ASPNETCORE_ENVIRONMENT:-Development}"
export DOTNET_ENVIRONMENT="${DOTNET_ENVIRONMENT:-Development}"
export ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL="${ASPIRE_DASHBOARD_OTLP_HTTP_ENDPOINT_URL:-http://localhost:18889}"
export ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL="${ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL:-http://localhost:18887}"
export ASPIRE_ALLOW_UNSECURED_TRANSPORT="${ASPIRE_ALLOW_UNSECURED_TRANSPORT:-true}"
export ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS="${ASPIRE_DASHBOARD_UNSECURED_ALLOW_ANONYMOUS:-true}"
exec "AppHost/bin/$configuration/net10.0/Planetary.AppHost" ${app[@]+"${app[@]}"}
