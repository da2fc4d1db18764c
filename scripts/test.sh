#!/usr/bin/env bash
# Runs every test project (unit, simulation, and the live tier against real RabbitMQ and Redis) and ends with
# one line "N passed, N failed" summed over all projects from their TRX results. Exits non-zero on any failure.
#
# Where the servers come from: after `bash scripts/containers.sh` (Podman and locally built images; CI runs it),
# .tmp/containers.env is read, Podman's Docker API is started for Testcontainers, and the app host's `auto` mode
# picks containers; without it the tests use local server processes. Before the closing line the run prints which
# way each collection ran ("infrastructure: ...").
set -uo pipefail
cd "$(dirname "$0")/.."

bash scripts/prerequisites.sh || exit 1

results="${PLANETARY_TEST_RESULTS:-$PWD/.tmp/test-results}"
scratch="$(mktemp -d "${TMPDIR:-/tmp}/planetary-tests.XXXXXX")"
rm -rf "$results" && mkdir -p "$results"
podman_service=""
cleanup() {
  if [ -n "$podman_service" ]; then kill "$podman_service" 2>/dev/null; wait "$podman_service" 2>/dev/null; fi
  rm -rf "$scratch"
}
trap cleanup EXIT

export PLANETARY_TEST_INFRASTRUCTURE_LOG="$scratch/infrastructure.log"
if [ -f .tmp/containers.env ] && command -v podman >/dev/null 2>&1; then
  set -a; . ./.tmp/containers.env; set +a
  socket="${DOCKER_HOST#unix://}"
  if ! curl -fsS --unix-socket "$socket" http://d/_ping >/dev/null 2>&1; then
    mkdir -p "$(dirname "$socket")"
    podman system service --time=0 "$DOCKER_HOST" >"$scratch/podman-service.log" 2>&1 &
    podman_service=$!
    for _ in $(seq 50); do curl -fsS --unix-socket "$socket" http://d/_ping >/dev/null 2>&1 && break; sleep 0.2; done
  fi
  echo "test: containers from .tmp/containers.env (Podman's Docker API at $DOCKER_HOST)"
  only_local=()
else
  echo "test: no .tmp/containers.env (bash scripts/containers.sh writes it): the servers run as local processes," \
       "and the tests that need a container runtime (Category=Containers) are not run"
  only_local=(--filter "Category!=Containers")
fi

dotnet build Planetary.Aspire.sln -c Release -nologo -clp:ErrorsOnly || { echo "0 passed, 1 failed"; exit 1; }

# Test projects run one after another: the live tier starts whole fleets and this machine has two cores.
TMPDIR="$scratch" dotnet test Planetary.Aspire.sln -c Release --no-build -nologo -m:1 \
  --logger "trx;LogFilePrefix=planetary" --logger "console;verbosity=normal" --results-directory "$results" \
  "${only_local[@]}" "$@"
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

# The names of failed tests and the first lines of why, again at the end, where a CI log's tail shows them
# (perl-base is essential in Debian; the TRX is read by pattern, not by an XML library).
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  perl -0777 -ne '
    while (/<UnitTestResult ([^>]*outcome="Failed"[^>]*)>(.*?)<\/UnitTestResult>/gs) {
      my ($attributes, $body) = ($1, $2);
      my ($name) = $attributes =~ /testName="([^"]*)"/;
      print "failed: $name\n";
      next unless $body =~ /<Message>(.*?)<\/Message>/s;
      my $why = $1;
      $why =~ s/&#xD;//g; $why =~ s/&#xA;/\n/g; $why =~ s/&lt;/</g; $why =~ s/&gt;/>/g; $why =~ s/&quot;/"/g; $why =~ s/&apos;/\x27/g; $why =~ s/&amp;/&/g;
      my @lines = grep { /\S/ } split /\n/, $why;
      print "  | $_\n" for @lines[0 .. ($#lines < 5 ? $#lines : 5)];
    }' "$trx"
done

if [ -s "$PLANETARY_TEST_INFRASTRUCTURE_LOG" ]; then
  sort "$PLANETARY_TEST_INFRASTRUCTURE_LOG" | uniq -c | sed 's/^ *\([0-9]*\) /infrastructure: (x\1) /'
fi
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]
