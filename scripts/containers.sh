#!/usr/bin/env bash
# Podman and the fabric's two server images, for a machine without Docker and without an image registry.
#
#   bash scripts/containers.sh            install Podman if missing, build the images if missing, write the settings
#   bash scripts/containers.sh --rebuild  build the images again (after a Debian point release, say)
#
# 1. Installs podman, runc and debootstrap (Debian packages; needs root) when podman is missing, with the settings
#    these machines need: runc as the OCI runtime and no default ulimits (crun and setrlimit are refused here), in
#    /etc/containers/containers.conf.d/50-planetary.conf.
# 2. Builds a minimal Debian base image with debootstrap from the mirror apt already uses (about 30 s, once per
#    machine: skipped while localhost/planetary-debian:bookworm exists), then the RabbitMQ and Redis images from
#    Debian's packages (scripts/containers/*.Containerfile). They are tagged with the packaged version, e.g.
#    localhost/planetary-rabbitmq:3.10.8-debian12: a local build never pretends to be an official image.
# 3. Writes the settings that make the app host and the tests use them:
#    .tmp/containers.json  read by the app host when present (ASPIRE_CONTAINER_RUNTIME=podman and
#                          Infrastructure:Containers:RabbitMqImage / RedisImage); the command line and the
#                          environment still win over it.
#    .tmp/containers.env   read by scripts/test.sh: DOCKER_HOST (Podman's Docker API socket, which test.sh starts),
#                          TESTCONTAINERS_RYUK_DISABLED, and the images for Testcontainers.
# 4. When no container is running, renumbers Podman's locks (podman system renumber): on a machine whose /dev/shm was
#    reset while Podman's database was kept (a restored or moved machine), every start of a container on an existing
#    volume fails otherwise with "deadlock due to lock mismatch".
# On a machine with Docker (or Podman) and a registry, none of this is needed: the official images are the default.
set -euo pipefail
cd "$(dirname "$0")/.."

rebuild=false
for argument in "$@"; do
  case "$argument" in
    --rebuild) rebuild=true ;;
    -h|--help) sed -n '2,24p' "$0"; exit 0 ;;
    *) echo "containers: unknown argument $argument (see --help)" >&2; exit 2 ;;
  esac
done

base_image=localhost/planetary-debian:bookworm
settings_dir="$PWD/.tmp"
socket="${PLANETARY_PODMAN_SOCKET:-/run/planetary-podman/podman.sock}"
log() { echo "containers: $*"; }

install_podman() {
  if ! command -v podman >/dev/null 2>&1 || ! command -v debootstrap >/dev/null 2>&1; then
    if [ "$(id -u)" -ne 0 ]; then
      echo "containers: podman is not installed. Run as root, or: sudo apt-get install -y podman runc debootstrap" >&2
      exit 1
    fi
    log "installing podman, runc and debootstrap (Debian packages)..."
    export DEBIAN_FRONTEND=noninteractive
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d # start no system services
    trap 'rm -f /usr/sbin/policy-rc.d' EXIT
    apt-get -o DPkg::Lock::Timeout=600 update -qq
    apt-get -o DPkg::Lock::Timeout=600 install -y -qq podman runc debootstrap >/dev/null
    rm -f /usr/sbin/policy-rc.d
    log "installed $(podman --version)."
  fi
  local dropin=/etc/containers/containers.conf.d/50-planetary.conf
  if [ "$(id -u)" -eq 0 ] && [ ! -e "$dropin" ]; then
    mkdir -p "$(dirname "$dropin")"
    cat > "$dropin" <<'CONF'
# Written by the Planetary fabric's scripts/containers.sh: crun ("cgroups in hybrid mode not supported") and
# setrlimit (default ulimits) are refused on these machines; runc without default ulimits works.
[containers]
default_ulimits = []

[engine]
runtime = "runc"
CONF
    log "wrote $dropin (runc, no default ulimits)."
  fi
}

# The Debian mirror apt already uses (deb822 sources or a classic sources.list).
debian_mirror() {
  local uri
  uri=$(grep -hs '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}' | grep -v security | head -n 1 || true)
  [ -n "$uri" ] || uri=$(grep -hs '^deb ' /etc/apt/sources.list | awk '{print $2}' | grep -v security | head -n 1 || true)
  echo "${uri:-http://deb.debian.org/debian}"
}

build_base() {
  if ! $rebuild && podman image exists "$base_image"; then
    log "base image $base_image exists (built $(podman image inspect -f '{{.Created}}' "$base_image"))."
    return
  fi
  local root mirror previous
  previous=$(podman image inspect -f '{{.Id}}' "$base_image" 2>/dev/null || true)
  root=$(mktemp -d "${TMPDIR:-/tmp}/planetary-debootstrap.XXXXXX")
  mirror=$(debian_mirror)
  log "debootstrap --variant=minbase bookworm from $mirror ..."
  debootstrap --variant=minbase bookworm "$root" "$mirror" >"$root.log" 2>&1 || { tail -n 20 "$root.log" >&2; exit 1; }
  # The image's apt uses the same mirror as the host (the build installs the servers from it).
  echo "deb $mirror bookworm main" > "$root/etc/apt/sources.list"
  tar -C "$root" -c . | podman import --quiet - "$base_image" >/dev/null
  rm -rf "$root" "$root.log"
  [ -n "$previous" ] && podman rmi "$previous" >/dev/null 2>&1 || true
  log "base image $base_image imported."
}

# build NAME PACKAGE: builds the image, then tags it with the version of PACKAGE inside it.
build_server() {
  local name=$1 package=$2 existing version
  existing=$(podman images --filter "reference=localhost/planetary-$name" --format '{{.Repository}}:{{.Tag}}' | grep -v ':building$' | head -n 1 || true)
  if ! $rebuild && [ -n "$existing" ]; then
    log "image $existing exists."
    echo "$existing"
    return
  fi
  log "building the $name image from Debian's $package ..." >&2
  podman build --quiet --network host --build-arg "BASE=$base_image" \
    -f "scripts/containers/$name.Containerfile" -t "localhost/planetary-$name:building" scripts/containers >/dev/null
  version=$(podman run --rm --entrypoint dpkg-query "localhost/planetary-$name:building" -W -f '${Version}' "$package")
  version=${version#*:}    # epoch
  version=${version%%-*}   # Debian revision
  local previous
  previous=$(podman image inspect -f '{{.Id}}' "localhost/planetary-$name:$version-debian12" 2>/dev/null || true)
  podman tag "localhost/planetary-$name:building" "localhost/planetary-$name:$version-debian12"
  podman rmi --force "localhost/planetary-$name:building" >/dev/null
  # The image this one replaces (--rebuild), unless a container still uses it.
  [ -n "$previous" ] && podman rmi "$previous" >/dev/null 2>&1 || true
  echo "localhost/planetary-$name:$version-debian12"
}

install_podman
if [ -z "$(podman ps -q 2>/dev/null)" ]; then
  podman system renumber || log "podman system renumber failed; containers on existing volumes may not start"
fi
build_base
rabbitmq_image=$(build_server rabbitmq rabbitmq-server | tail -n 1)
redis_image=$(build_server redis redis-server | tail -n 1)

mkdir -p "$settings_dir"
cat > "$settings_dir/containers.json" <<JSON
{
  "ASPIRE_CONTAINER_RUNTIME": "podman",
  "Infrastructure": {
    "Containers": {
      "RabbitMqImage": "$rabbitmq_image",
      "RedisImage": "$redis_image"
    }
  }
}
JSON
cat > "$settings_dir/containers.env" <<ENV
# Written by scripts/containers.sh; read by scripts/test.sh.
ASPIRE_CONTAINER_RUNTIME=podman
DOCKER_HOST=unix://$socket
TESTCONTAINERS_RYUK_DISABLED=true
PLANETARY_TEST_RABBITMQ_IMAGE=$rabbitmq_image
PLANETARY_TEST_REDIS_IMAGE=$redis_image
ENV
log "RabbitMQ image $rabbitmq_image, Redis image $redis_image (settings in .tmp/containers.json and .tmp/containers.env)."
log "run the fleet in containers: dotnet run --project AppHost -- --Infrastructure:Mode=containers"
