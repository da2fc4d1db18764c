#!/bin/sh
# Entry point of the locally built Redis image (scripts/containers.sh), behaving like the official image's:
# arguments that start with '-' are options of redis-server, and a redis-server started without a password or a
# protected-mode option accepts connections from outside the container (the official build has protected mode off).
set -eu
if [ $# -eq 0 ] || [ "${1#-}" != "$1" ]; then
  set -- redis-server "$@"
fi
if [ "$1" = "redis-server" ]; then
  case " $* " in
    *" --protected-mode "*|*" --requirepass "*) ;;
    *) set -- "$@" --protected-mode no ;;
  esac
fi
exec "$@"
