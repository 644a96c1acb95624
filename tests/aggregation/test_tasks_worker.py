"""The aggregation task through a real broker and a real Celery worker process.

Runs where REDIS_URL names a Redis server (CI sets it); skipped otherwise. The worker is
a subprocess on the test's own database: PostgreSQL's test database by name, or, on
SQLite, a copy of the in-memory test database in a file that both processes open. Each
test sends its tasks to a queue of its own, so parallel test processes (xdist) and other
users of the same Redis database never take each other's tasks.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from aggregation.models import AggregationRun, AppendixCell
from regions.models import Organisation
from surveys.answers import Value
from surveys.models import Questionnaire
from surveys.services import response_get_or_create, response_submit
from tests.surveys.helpers import fill_response

REDIS_URL = os.environ.get("REDIS_URL", "")
IN_CI = os.environ.get("CI") == "true"

pytestmark = [
    pytest.mark.celery_worker,
    # The worker process reaches the test database through this URL.
    pytest.mark.usefixtures("worker_database_url"),
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not REDIS_URL and not IN_CI,
        reason="needs a real Redis: set REDIS_URL (CI sets redis://127.0.0.1:6379/15)",
    ),
]

PROJECT = Path(django_settings.BASE_DIR)
# A worker that takes only this test's queue, and sends its own follow-up tasks there.
WORKER = """
import sys
from config import celery_app as app
app.conf.task_default_queue = sys.argv[1]
app.worker_main(["worker", "--pool=solo", "--concurrency=1", "-Q", sys.argv[1],
                 "--loglevel=INFO", "--without-gossip", "--without-mingle",
                 "--without-heartbeat", "-n", "test-" + sys.argv[1] + "@%h"])
"""
WAIT_SECONDS = 60


@pytest.fixture
def queue(settings) -> Iterator[str]:
    """A queue of this test's own; tasks are sent to the broker, not run eagerly."""
    if not REDIS_URL:
        pytest.fail("CI=true: the real-worker test needs REDIS_URL")
    name = f"gnv-test-{uuid.uuid4().hex[:12]}"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_TASK_EAGER_PROPAGATES = False
    settings.CELERY_TASK_DEFAULT_QUEUE = name
    yield name
    import redis

    client = redis.Redis.from_url(REDIS_URL)
    # The queue and kombu's bookkeeping of it (bindings), whatever their names.
    for key in client.scan_iter(match=f"*{name}*"):
        client.delete(key)
    client.close()


@pytest.fixture
def worker(worker_database_url, queue, tmp_path) -> Iterator[subprocess.Popen]:
    """A real Celery worker process on the test database and the test's queue."""
    log = tmp_path / "worker.log"
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
    with log.open("w") as output:
        process = subprocess.Popen(  # noqa: S603 (our own interpreter and script)
            [sys.executable, "-c", WORKER, queue],
            cwd=PROJECT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    process.log = log  # type: ignore[attr-defined]
    try:
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=5)


def submit(questionnaire: Questionnaire, code: str, by, answer: str) -> None:
    response = response_get_or_create(
        questionnaire=questionnaire, organisation=Organisation.objects.get(code=code)
    )
    response = fill_response(response, by=by, overrides={("2", ""): Value(text=answer)})
    response_submit(response=response, by=by, version=response.version)


def wait_for_current_run(
    questionnaire: Questionnaire, responses: int, worker: subprocess.Popen
) -> AggregationRun:
    deadline = time.monotonic() + WAIT_SECONDS
    while time.monotonic() < deadline:
        run = AggregationRun.objects.filter(
            questionnaire=questionnaire, is_current=True, responses=responses
        ).first()
        if run is not None:
            return run
        failed = AggregationRun.objects.filter(status=AggregationRun.Status.ERROR)
        assert not failed.exists(), list(failed.values_list("messages", flat=True))
        assert worker.poll() is None, worker.log.read_text()
        time.sleep(0.2)
    runs = list(AggregationRun.objects.values_list("pk", "status", "responses"))
    pytest.fail(
        f"No run with {responses} responses after {WAIT_SECONDS} s; runs {runs}\n"
        f"{worker.log.read_text()}"
    )


def test_a_worker_aggregates_what_a_submit_sends_through_the_broker(
    cycle_2024, staff, worker, queue
):
    region = cycle_2024["region"]

    submit(region, "01", staff, "Ja")
    submit(region, "03", staff, "Nej")
    run = wait_for_current_run(region, 2, worker)

    assert run.status == AggregationRun.Status.COMPLETE
    table = dict(
        AppendixCell.objects.filter(run=run, question_code="2").values_list(
            "organisation", "value"
        )
    )
    assert table["Riket"] == "1/2"
    assert table["Stockholm"] == "Ja"
    assert table["Uppsala"] == "Nej"
    assert table["Norrbotten"] == ""
    assert "Task aggregation.tasks.aggregate[" in worker.log.read_text()
