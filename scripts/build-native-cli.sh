#!/usr/bin/env bash
# Publishes the operator CLI as a native executable (Native AOT): no JIT at start-up or during a run, so short commands
# such as `planetary simulate` finish sooner (docs/benchmarks.md). Needs a C toolchain: clang and zlib headers
# (Debian: apt-get install clang zlib1g-dev). Output: tools/Planetary.Cli/bin/native/planetary, which ./planetary
# prefers while it is newer than every source file. Usage: scripts/build-native-cli.sh
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
compiler="$(command -v clang || ls /usr/bin/clang-[0-9]* 2>/dev/null | sort -V | tail -1 || true)"
if [ -z "$compiler" ]; then
  echo "error: no clang found; install it (Debian: apt-get install clang zlib1g-dev) and run this again" >&2
  exit 2
fi
out="$root/tools/Planetary.Cli/bin/native"
dotnet publish "$root/tools/Planetary.Cli" -c Release -r linux-x64 -nologo -clp:ErrorsOnly \
  -p:PublishAot=true -p:ReadyToRunOnBuild=false -p:CppCompilerAndLinker="$compiler" \
  -p:IntermediateOutputPath="$root/tools/Planetary.Cli/obj/native/" -o "$out" >&2
echo "$out/planetary"
