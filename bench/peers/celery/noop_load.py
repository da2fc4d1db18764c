"""Celery's side of `planetary-bench peers` (bench/Planetary.Bench/Peers/CeleryPeer.cs starts both halves).

    python3 -m celery -A noop_load worker -Q $PEERS_RUN ...   the worker: runs the no-op task
    python3 noop_load.py JOBS                                   the load: publishes JOBS, prints the version and the seconds

Both read CELERY_BROKER_URL (amqp://user:password@host:port//), PEERS_REDIS_URL (redis://:password@host:port/0, for the
count only) and PEERS_RUN (the queue and the prefix of this run's Redis keys). Broker RabbitMQ; the queue is durable,
messages persistent (Celery's default delivery mode), no publisher confirms (py-amqp's default), task_acks_late on
(acknowledged after the task returns), no result backend: the task counts itself with one Redis INCR. The load waits
for the worker to be ready, publishes the jobs one by one through one producer, and times from the first publish until
the count reaches JOBS.
"""
import os
import sys
import time

import celery
import redis
from celery import Celery
from celery.signals import worker_ready

RUN = os.environ["PEERS_RUN"]
COUNTER = f"{RUN}:done"
READY = f"{RUN}:ready"

app = Celery("peers", broker=os.environ["CELERY_BROKER_URL"])
app.conf.update(
    task_default_queue=RUN,
    task_acks_late=True,
    task_ignore_result=True,
    result_backend=None,
    worker_hijack_root_logger=False,
)
counts = redis.Redis.from_url(os.environ["PEERS_REDIS_URL"])


@app.task(name="peers.noop")
def noop():
    counts.incr(COUNTER)


@worker_ready.connect
def announce_ready(**_):
    counts.set(READY, 1, ex=600)


def wait_until(limit_seconds, what, done):
    deadline = time.monotonic() + limit_seconds
    while not done():
        if time.monotonic() > deadline:
            sys.exit(f"celery load: {what} within {limit_seconds} s")
        time.sleep(0.01)


def main(jobs):
    try:
        wait_until(60, "the worker was not ready", lambda: counts.exists(READY))
        started = time.monotonic()
        with app.producer_or_acquire() as producer:
            for _ in range(jobs):
                noop.apply_async(producer=producer)
        published = time.monotonic() - started
        wait_until(600, "not every task was done", lambda: int(counts.get(COUNTER) or 0) >= jobs)
        elapsed = time.monotonic() - started
        print(f"version {celery.__version__}")
        print(f"pushed {published:.3f}")
        print(f"seconds {elapsed:.3f}")
    finally:
        counts.delete(COUNTER, READY)
        with app.connection_for_write() as connection:
            connection.default_channel.queue_delete(RUN)


if __name__ == "__main__":
    main(int(sys.argv[1]))
