#!/bin/sh
# Entry point of the locally built RabbitMQ image (scripts/containers.sh). The official image writes its config at
# start from the environment; this does the same for what the fabric and Aspire use: an AMQP listener on 5672 on
# every interface of the container, the default account from RABBITMQ_DEFAULT_USER / RABBITMQ_DEFAULT_PASS (Aspire
# and Testcontainers set them; guest/guest otherwise) allowed from outside the container, and the log on stdout.
set -eu
mkdir -p /etc/rabbitmq
cat > /etc/rabbitmq/rabbitmq.conf <<CONF
listeners.tcp.default = 5672
loopback_users = none
default_user = ${RABBITMQ_DEFAULT_USER:-guest}
default_pass = ${RABBITMQ_DEFAULT_PASS:-guest}
CONF
: > /etc/rabbitmq/rabbitmq-env.conf
echo '[].' > /etc/rabbitmq/enabled_plugins
export RABBITMQ_LOGS=-
# The broker runs as PID 1's child process tree root: exec, so a signal to the container reaches the Erlang VM.
export RABBITMQ_ALLOW_INPUT=true
export RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS="-noinput"
exec /usr/lib/rabbitmq/bin/rabbitmq-server "$@"
