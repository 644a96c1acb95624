"""The filesystem broker (TASK_BROKER=filesystem:<folder>, bin/demo): a real Celery worker
process builds the documents the web asks for, and a worker that is stopped, paused or
missing never holds up a request: the document waits, queued, as with Redis.

The worker runs on the test's own database (tests/conftest.py, worker_database_url) and
takes the messages from a folder of the test's own. No Redis is needed: these run
wherever a process can be started.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from django.urls import reverse

from config.celery import START_UP_REQUEUES
from reports.models import ExportJob
from reports.services import export_job_request
from tests.faults.conftest import PROJECT, drop_broker_pools, wait_for

pytestmark = [
    pytest.mark.filesystem_worker,
    pytest.mark.django_db(transaction=True),
]

Status = ExportJob.Status
# How a worker's log says one of its start-up requeues ended.
_START_UP_NAMES = "|".join(re.escape(name) for name in START_UP_REQUEUES)
START_UP_DONE = re.compile(
    rf"Task (?:{_START_UP_NAMES})\[[^\]]+\] (?:succeeded|raised)"
)

WORKER = """
import django
django.setup()
from config import celery_app as app
app.worker_main(["worker", "--pool=solo", "--concurrency=1", "--loglevel=INFO",
                 "--without-gossip", "--without-mingle", "--without-heartbeat",
                 "-n", "fs-worker@%h"])
"""


# The same worker, whose exports stop in the middle of the build when the environment
# variable PAUSE_IN_BUILD names a file: it writes the job's id there and sleeps, to be
# killed there.
PAUSING_WORKER = """
import os, time
import django
django.setup()
from reports import jobs
build = jobs.document_build
def paused(**kwargs):
    with open(os.environ["PAUSE_IN_BUILD"], "w") as marker:
        marker.write("building")
    time.sleep(600)
    return build(**kwargs)
jobs.document_build = paused
""" + WORKER.split("django.setup()", 1)[1]


def point_celery_at_folder(settings, folder: Path) -> None:
    """Send tasks to the filesystem broker in this folder, as TASK_BROKER sets it."""
    settings.TASK_BROKER_FOLDER = str(folder)
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": f"{folder}/queue",
        "data_folder_out": f"{folder}/queue",
        "control_folder": f"{folder}/control",
    }
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_TASK_EAGER_PROPAGATES = False
    drop_broker_pools()


@pytest.fixture
def folder(tmp_path, settings) -> Path:
    folder = tmp_path / "tasks"
    settings.MEDIA_ROOT = str(tmp_path / "media")
    point_celery_at_folder(settings, folder)
    return folder


@pytest.fixture
def start_worker(
    worker_database_url, folder, settings, tmp_path
) -> Iterator[Callable[..., subprocess.Popen]]:
    """Start a real Celery worker process on the test database and the folder."""
    started: list[subprocess.Popen] = []

    def start(script: str = WORKER, **extra_env: str) -> subprocess.Popen:
        log = tmp_path / f"worker-{len(started)}.log"
        env = {
            **os.environ,
            **extra_env,
            "DATABASE_URL": worker_database_url,
            "TASK_BROKER": f"filesystem:{folder}",
            "MEDIA_ROOT": settings.MEDIA_ROOT,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "PYTHONUNBUFFERED": "1",
            "DEBUG": "true",
        }
        env.pop("REDIS_URL", None)
        with log.open("w") as output:
            process = subprocess.Popen(  # noqa: S603 (our own interpreter and script)
                [sys.executable, "-c", script],
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
            process.send_signal(signal.SIGCONT)
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)


def job_status(pk: int) -> str:
    return ExportJob.objects.get(pk=pk).status


def test_a_worker_on_the_filesystem_broker_builds_an_export(
    cycle_2024, staff, folder, start_worker
):
    worker = start_worker()
    job = export_job_request(
        document="questionnaire",
        fmt="pdf",
        questionnaire=cycle_2024["extra"],
        by=staff,
    )

    wait_for(lambda: job_status(job.pk) == Status.COMPLETE, "the export built", worker)

    job.refresh_from_db()
    assert job.progress == 100
    assert job.file.read().startswith(b"%PDF")
    # The messages are taken (the export's, and those the worker sent itself on start,
    # the requeues): the queue folder empties.
    wait_for(
        lambda: not list((folder / "queue").iterdir()), "the queue emptied", worker
    )


@pytest.mark.parametrize("fault", ["paused", "missing"])
def test_a_paused_or_missing_worker_never_holds_up_a_request(
    client, cycle_2024, municipality_respondent, folder, start_worker, fault
):
    """SIGSTOP (or no worker at all): the blank form's address answers at once with the
    page of the document waiting; once a worker runs again, it is built."""
    worker = start_worker() if fault == "paused" else None
    if worker is not None:
        # Wait for the worker to be up and done with its start-up requeues, then pause
        # it: paused inside one of them, it would hold SQLite's write lock.
        wait_for(lambda: "ready" in worker.log.read_text(), "the worker ready", worker)
        wait_for(
            lambda: (
                len(START_UP_DONE.findall(worker.log.read_text()))
                >= len(START_UP_REQUEUES)
            ),
            "the start-up requeues done",
            worker,
        )
        worker.send_signal(signal.SIGSTOP)
    client.force_login(municipality_respondent)
    url = reverse("reports:questionnaire-pdf", args=[cycle_2024["municipality"].pk])

    started = time.monotonic()
    response = client.get(url)
    took = time.monotonic() - started

    assert took < 2, f"the request took {took:.1f} s"
    assert response.status_code == 302
    job = ExportJob.objects.get(document="questionnaire")
    assert response.url == reverse("reports:document", args=[job.pk])
    assert job.status == Status.CREATED
    page = client.get(response.url)
    assert page.status_code == 200
    assert "I kö" in page.content.decode()
    # The export's message waits in the folder (a paused worker may have sent itself
    # a requeue on start, beside it).
    queued = list((folder / "queue").iterdir())
    assert len(queued) == 1 if worker is None else len(queued) >= 1

    if worker is not None:
        worker.send_signal(signal.SIGCONT)
    else:
        worker = start_worker()
    wait_for(lambda: job_status(job.pk) == Status.COMPLETE, "the form built", worker)
    # Asked for again, the address serves the kept file.
    again = client.get(url)
    assert again.status_code == 200
    assert again["Content-Type"] == "application/pdf"
    assert ExportJob.objects.filter(document="questionnaire").count() == 1


def test_a_folder_that_cannot_be_written_leaves_the_document_queued(
    client, cycle_2024, municipality_respondent, tmp_path, settings, caplog
):
    """As with Redis refused: the request answers, the job stays queued and logged; the
    requeue (a worker on start, beat) sends it once the folder can be written."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("")
    point_celery_at_folder(settings, blocker / "tasks")
    client.force_login(municipality_respondent)

    started = time.monotonic()
    response = client.get(
        reverse("reports:questionnaire-pdf", args=[cycle_2024["municipality"].pk])
    )

    assert time.monotonic() - started < 2
    assert response.status_code == 302
    job = ExportJob.objects.get(document="questionnaire")
    assert job.status == Status.CREATED
    assert f"Export job {job.pk} stays queued" in caplog.text


def test_a_worker_killed_in_the_middle_of_a_build_leaves_the_job_built_by_the_next(
    cycle_2024, staff, folder, start_worker, settings, tmp_path
):
    """SIGKILL while it builds: the message is gone (taken from the folder), the job
    stays "running" with a heartbeat that stops. Past the lease the requeue (here: a
    worker's on start) sends it again and the next worker builds it, as its 2nd attempt."""
    settings.EXPORT_LEASE_SECONDS = 2
    lease = {"EXPORT_LEASE_SECONDS": "2", "EXPORT_HEARTBEAT_SECONDS": "60"}
    pause = tmp_path / "building"
    killed = start_worker(PAUSING_WORKER, PAUSE_IN_BUILD=str(pause), **lease)
    job = export_job_request(
        document="questionnaire",
        fmt="pdf",
        questionnaire=cycle_2024["extra"],
        by=staff,
    )
    wait_for(pause.exists, "the worker building the export", killed)
    killed.send_signal(signal.SIGKILL)
    killed.wait(timeout=10)

    job.refresh_from_db()
    assert (job.status, job.attempts) == (Status.PROCESSING, 1)
    time.sleep(2.5)  # past the lease

    fresh = start_worker(**lease)
    wait_for(lambda: job_status(job.pk) == Status.COMPLETE, "the export built", fresh)
    job.refresh_from_db()
    assert job.attempts == 2
    assert job.file.read().startswith(b"%PDF")
