#!/usr/bin/env bash
# Makes sure RabbitMQ and Redis can be run: a working container runtime (Docker, or Podman set up by
# scripts/containers.sh), or the two Debian packages.
# Installs the packages with apt-get when they are missing (needs root); never starts them as system services.
# For the tests (any call without --docker-is-enough) it also installs Debian's chromium, which the owner console's
# browser tests drive (Playwright never downloads a browser of its own).
set -euo pipefail

if [ "${1:-}" != "--docker-is-enough" ] && [ "${PLANETARY_SKIP_PREREQUISITES:-}" != "1" ] && [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "prerequisites: chromium is not installed (the console's browser tests need it). Run as root, or: sudo apt-get install -y chromium" >&2
    exit 1
  fi
  echo "prerequisites: installing chromium (Debian package, for the owner console's browser tests)..."
  DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 update -qq && DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq chromium >/dev/null
fi

have_docker() {
  if [ -f .tmp/containers.json ] && command -v podman >/dev/null 2>&1; then timeout 5 podman info >/dev/null 2>&1; return; fi
  command -v docker >/dev/null 2>&1 && timeout 5 docker info >/dev/null 2>&1
}
have_packages() { [ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] && command -v redis-server >/dev/null 2>&1 && command -v epmd >/dev/null 2>&1; }

if [ "${PLANETARY_SKIP_PREREQUISITES:-}" = "1" ] || have_packages; then
  exit 0
fi

if have_docker && [ "${1:-}" = "--docker-is-enough" ]; then
  echo "prerequisites: a container runtime answers; RabbitMQ and Redis will run as containers."
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "prerequisites: RabbitMQ and Redis are not installed. Run as root, or: sudo apt-get install -y rabbitmq-server redis-server" >&2
  exit 1
fi

echo "prerequisites: installing rabbitmq-server and redis-server (Debian packages; not started as services)..."
export DEBIAN_FRONTEND=noninteractive
# Keep the packages from starting system services during installation.
printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
trap 'rm -f /usr/sbin/policy-rc.d' EXIT
apt-get -o DPkg::Lock::Timeout=600 update -qq
apt-get -o DPkg::Lock::Timeout=600 install -y -qq rabbitmq-server redis-server >/dev/null
echo "prerequisites: installed."
