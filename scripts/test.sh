#!/usr/bin/env bash
# Runs every test project (unit, simulation, and the live tier against real RabbitMQ and Redis) and ends with
# one line "N passed, N failed" summed over all projects from their TRX results. Exits non-zero on any failure.
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/prerequisites.sh || exit 1

results="${PLANETARY_TEST_RESULTS:-$PWD/.tmp/test-results}"
scratch="$(mktemp -d "${TMPDIR:-/tmp}/planetary-tests.XXXXXX")"
rm -rf "$results" && mkdir -p "$results"
trap 'rm -rf "$scratch"' EXIT

dotnet build Planetary.Aspire.sln -c Release -nologo -clp:ErrorsOnly || { echo "0 passed, 1 failed"; exit 1; }

# Test projects run one after another: the live tier starts whole fleets and this machine has two cores.
TMPDIR="$scratch" dotnet test Planetary.Aspire.sln -c Release --no-build -nologo -m:1 \
  --logger "trx;LogFilePrefix=planetary" --logger "console;verbosity=normal" --results-directory "$results" "$@"
status=$?

passed=0; failed=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -n 1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters")
  f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done

if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1 # dotnet test failed without a failed test (a crash, a build or discovery error): still a failure
fi

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
