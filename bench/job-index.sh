#!/usr/bin/env bash
# Benchmark (not a test): the job list (GET /api/jobs's query) with a million retained jobs. Starts a Redis of its own
# on a free loopback port (no persistence: this times reads), fills it through the routers' commit script, times pages,
# and stops it. Usage: bench/job-index.sh [jobs]
set -euo pipefail
cd "$(dirname "$0")/.."
jobs="${1:-1000000}"
command -v redis-server >/dev/null || bash scripts/prerequisites.sh
dotnet build bench/Planetary.Bench -c Release -nologo -clp:ErrorsOnly >/dev/null
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
dir="$(mktemp -d)"
redis-server --port "$port" --bind 127.0.0.1 --save "" --appendonly no --dir "$dir" --daemonize yes --pidfile "$dir/redis.pid" >/dev/null
trap 'kill "$(cat "$dir/redis.pid")" 2>/dev/null; rm -rf "$dir"' EXIT
for _ in $(seq 1 50); do redis-cli -p "$port" ping >/dev/null 2>&1 && break; sleep 0.1; done
bench/Planetary.Bench/bin/Release/net10.0/planetary-bench job-index "127.0.0.1:$port" "$jobs"
echo "machine: $(nproc) cores, $(grep MemTotal /proc/meminfo | awk '{print int($2/1024/1024)}') GiB, load $(cut -d' ' -f1-3 /proc/loadavg); redis $(redis-server --version | awk '{print $3}')"
