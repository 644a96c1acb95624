"""Fixtures of the fault tests: pointing Celery at a broker, and real worker processes.

The worker processes run on the test's own database (PostgreSQL's test database by
name; on SQLite a file copy of the in-memory test database that both processes open)
and take only the test's own queue, as in tests/aggregation/test_tasks_worker.py.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from config import celery_app

REDIS_URL = os.environ.get("REDIS_URL", "")
IN_CI = os.environ.get("CI") == "true"
PROJECT = Path(django_settings.BASE_DIR)
WAIT_SECONDS = 60

# Tests that need a real Redis (CI sets REDIS_URL); where CI=true they must not skip.
needs_redis = pytest.mark.skipif(
    not REDIS_URL and not IN_CI,
    reason="needs a real Redis: set REDIS_URL (CI sets redis://127.0.0.1:6379/15)",
)

# A worker on the queue argv[1]. With the environment variable PAUSE_IN_PUBLISH set to a
# file name, every aggregation run stops in the middle of publishing its results: after
# its appendix cells are written, inside the transaction that makes them current. It
# writes how many cells it has written to that file and sleeps, to be killed there.
WORKER = """
import os, sys, time
import django
django.setup()
from config import celery_app as app
app.conf.task_default_queue = sys.argv[1]
pause = os.environ.get("PAUSE_IN_PUBLISH")
if pause:
    from aggregation import services
    from aggregation.models import AppendixCell
    share_rows = services._share_rows
    def paused(run, frame):
        written = AppendixCell.objects.filter(run=run).count()
        with open(pause, "w") as marker:
            marker.write(str(written))
        time.sleep(600)
        return share_rows(run, frame)
    services._share_rows = paused
app.worker_main(["worker", "--pool=solo", "--concurrency=1", "-Q", sys.argv[1],
                 "--loglevel=INFO", "--without-gossip", "--without-mingle",
                 "--without-heartbeat", "-n", "faults-" + sys.argv[1] + "@%h"])
"""


def point_celery_at(settings, broker_url: str, *, queue: str = "") -> None:
    """Send tasks to this broker (not eagerly) from now on; queue: this queue."""
    settings.CELERY_BROKER_URL = broker_url
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_TASK_EAGER_PROPAGATES = False
    if queue:
        settings.CELERY_TASK_DEFAULT_QUEUE = queue
    drop_broker_pools()


def drop_broker_pools() -> None:
    """Forget Celery's broker connection pools: they keep the broker they were made for.

    What Celery does in a forked process (Celery._after_fork); app.close() would drop
    the connection pool but not the producer pool.
    """
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


def run_eagerly(settings) -> None:
    """Run tasks in the calling process again (the tests' default)."""
    settings.CELERY_BROKER_URL = "memory://"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.CELERY_TASK_EAGER_PROPAGATES = True
    drop_broker_pools()


@pytest.fixture(autouse=True)
def _fresh_celery_pools(settings) -> Iterator[None]:
    """Drop Celery's connection pools after the test, before the settings come back."""
    yield
    drop_broker_pools()


@pytest.fixture
def queue() -> Iterator[str]:
    """A Redis queue of this test's own, deleted afterwards."""
    if not REDIS_URL:
        pytest.fail("CI=true: the real-worker tests need REDIS_URL")
    name = f"gnv-faults-{uuid.uuid4().hex[:12]}"
    yield name
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    # The queue and kombu's bookkeeping of it (bindings), whatever the names.
    for key in client.scan_iter(match=f"*{name}*"):
        client.delete(key)
    # The message a killed worker had taken and not acknowledged: kombu would put it
    # back on the (deleted) queue after its visibility timeout.
    for tag, message in client.hscan_iter("unacked"):
        if name.encode() in message:
            client.hdel("unacked", tag)
            client.zrem("unacked_index", tag)
    client.close()


@pytest.fixture
def start_worker(
    worker_database_url, queue, tmp_path
) -> Iterator[Callable[..., subprocess.Popen]]:
    """Start a real Celery worker process on the test database and queue."""
    started: list[subprocess.Popen] = []

    def start(*, pause_in_publish: Path | None = None) -> subprocess.Popen:
        log = tmp_path / f"worker-{len(started)}.log"
        env = {
            **os.environ,
            "DATABASE_URL": worker_database_url,
            "REDIS_URL": REDIS_URL,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "PYTHONUNBUFFERED": "1",
            # The worker refuses the development key with DEBUG off (config/celery.py); it
            # signs with the same key as this process.
            "DEBUG": "true",
        }
        env.pop("PAUSE_IN_PUBLISH", None)
        if pause_in_publish is not None:
            env["PAUSE_IN_PUBLISH"] = str(pause_in_publish)
        with log.open("w") as output:
            process = subprocess.Popen(  # noqa: S603 (our own interpreter and script)
                [sys.executable, "-c", WORKER, queue],
                cwd=PROJECT,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
        process.log = log  # type: ignore[attr-defined]
        started.append(process)
        return process

    yield start
    for process in started:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)


def wait_for(condition: Callable[[], object], what: str, *workers) -> object:
    """Poll until condition() is true (returning it); fail with the workers' logs."""
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        for worker in workers:
            assert worker.poll() is None, worker.log.read_text()
        time.sleep(0.2)
    logs = "\n".join(worker.log.read_text() for worker in workers)
    pytest.fail(f"{what}: not within {WAIT_SECONDS} s\n{logs}")


@pytest.fixture(scope="module")
def own_redis(tmp_path_factory) -> Iterator:
    """A redis-server of this test module's own (see tests/faults/redis_server.py)."""
    from tests.faults.redis_server import RedisServer

    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(params=["refused", "paused"])
def broken_redis(request, own_redis, settings) -> Iterator:
    """Celery points at our Redis, which is stopped (refused) or paused (SIGSTOP).

    Afterwards the server runs again, answering.
    """
    if not own_redis.running():
        own_redis.start()
    point_celery_at(settings, own_redis.url)
    if request.param == "refused":
        own_redis.stop()
    else:
        own_redis.pause()
    own_redis.fault = request.param
    yield own_redis
    own_redis.resume()
    if not own_redis.running():
        own_redis.start()
