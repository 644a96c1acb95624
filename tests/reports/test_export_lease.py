"""An export whose worker died is failed and can be asked for again at once.

Today's fault: the job stayed "processing" for the whole time limit (30 minutes) and
asking for the same export again returned the dead job. The worker now writes a
heartbeat; a job silent for EXPORT_LEASE_SECONDS lost its worker.
"""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from reports.jobs import export_job_run
from reports.models import ExportJob
from reports.services import export_job_request
from tests.reports.test_services_export_requeue import job

pytestmark = pytest.mark.django_db

Status = ExportJob.Status


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.EXPORT_LEASE_SECONDS = 120


def ago(seconds: int) -> datetime.datetime:
    return timezone.now() - datetime.timedelta(seconds=seconds)


def ask(questionnaire, staff) -> ExportJob:
    return export_job_request(
        document="answers", fmt="csv", questionnaire=questionnaire, by=staff
    )


def test_a_job_whose_worker_stopped_beating_is_failed_and_asked_again_at_once(
    cycle_2024, staff
):
    region = cycle_2024["region"]
    # Its worker was killed (SIGKILL) after its last heartbeat, 130 s ago.
    dead = job(
        region,
        staff,
        status=Status.PROCESSING,
        started_at=ago(200),
        heartbeat_at=ago(130),
    )

    again = ask(region, staff)

    assert again.pk != dead.pk
    dead.refresh_from_db()
    assert dead.status == Status.ERROR
    assert "slutade svara" in dead.message and "Beställ exporten igen" in dead.message
    assert export_job_run(job=again).status == Status.COMPLETE


def test_a_job_whose_worker_beats_is_the_one_returned(cycle_2024, staff):
    region = cycle_2024["region"]
    alive = job(
        region,
        staff,
        status=Status.PROCESSING,
        started_at=ago(600),
        heartbeat_at=ago(10),
    )

    assert ask(region, staff).pk == alive.pk
    alive.refresh_from_db()
    assert alive.status == Status.PROCESSING


def test_a_run_writes_the_heartbeat_while_it_builds(cycle_2024, staff, settings):
    settings.EXPORT_HEARTBEAT_SECONDS = 0.01
    queued = job(cycle_2024["region"], staff)

    done = export_job_run(job=queued)

    assert done.status == Status.COMPLETE
    assert done.heartbeat_at is not None and done.heartbeat_at >= done.started_at
