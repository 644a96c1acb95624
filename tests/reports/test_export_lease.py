"""An export whose worker died is sent again, a limited number of times, then failed.

The worker writes a heartbeat; a job silent for EXPORT_LEASE_SECONDS lost its worker
(killed: with the filesystem broker, or Redis, its message is gone once taken). The
requeue (beat, a worker on start), its page or asking for it again queues it again,
until EXPORT_MAX_ATTEMPTS builds (ExportJob.attempts); then it fails with a message.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from reports.jobs import export_job_run, export_jobs_recover_dead
from reports.models import ExportJob
from reports.services import export_job_request
from reports.tasks import export_jobs_requeue
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


def killed(questionnaire, staff, *, attempts: int = 1) -> ExportJob:
    """A job whose worker was killed (SIGKILL) after its last heartbeat, 130 s ago."""
    return job(
        questionnaire,
        staff,
        status=Status.PROCESSING,
        started_at=ago(200),
        heartbeat_at=ago(130),
        attempts=attempts,
    )


def test_a_job_whose_heartbeat_is_older_than_the_lease_is_requeued_and_built(
    cycle_2024, staff
):
    dead = killed(cycle_2024["region"], staff)

    assert export_jobs_requeue() == [dead.pk]

    dead.refresh_from_db()
    assert dead.status == Status.COMPLETE
    assert dead.attempts == 2
    assert dead.message == ""
    assert dead.file.read().startswith(b"organisation_code,")


def test_a_job_sent_again_says_so_on_its_page_while_it_waits(
    cycle_2024, staff, client, monkeypatch
):
    dead = killed(cycle_2024["region"], staff)
    sent: list[int] = []
    monkeypatch.setattr("reports.tasks.export_job_send", sent.append)
    monkeypatch.setattr("reports.services.export_job_send", sent.append)
    client.force_login(staff)

    page = client.get(reverse("reports:document", args=[dead.pk])).content.decode()

    dead.refresh_from_db()
    assert dead.status == Status.CREATED
    assert sent == [dead.pk]
    assert "I kö" in page
    assert "slutade svara" in page and "försök 2 av 3" in page


def test_a_job_whose_worker_died_as_often_as_allowed_fails_with_a_clear_message(
    cycle_2024, staff, settings
):
    settings.EXPORT_MAX_ATTEMPTS = 3
    dead = killed(cycle_2024["region"], staff, attempts=3)

    assert export_jobs_requeue() == []

    dead.refresh_from_db()
    assert dead.status == Status.ERROR
    assert "slutade svara 3 gånger" in dead.message
    assert "Beställ exporten igen" in dead.message
    assert str(dead.pk) in dead.message
    # A message still on its way finds it failed and builds nothing.
    assert export_job_run(job=dead).status == Status.ERROR
    assert not dead.file


def test_a_job_killed_at_every_attempt_is_failed_after_the_last(cycle_2024, staff):
    region = cycle_2024["region"]
    dead = killed(region, staff)
    for attempt in (2, 3):
        # The requeue queues it again; a worker takes it and is killed again.
        ExportJob.objects.filter(pk=dead.pk).update(status=Status.CREATED)
        assert export_jobs_recover_dead(ExportJob.objects.filter(pk=dead.pk)) == []
        ExportJob.objects.filter(pk=dead.pk).update(
            status=Status.PROCESSING,
            attempts=attempt,
            started_at=ago(200),
            heartbeat_at=ago(130),
        )
    assert export_jobs_recover_dead(ExportJob.objects.filter(pk=dead.pk)) == []

    dead.refresh_from_db()
    assert dead.status == Status.ERROR
    assert "3 gånger" in dead.message


def test_asking_again_for_a_job_whose_worker_died_sends_that_job_again(
    cycle_2024, staff, django_capture_on_commit_callbacks
):
    region = cycle_2024["region"]
    dead = killed(region, staff)

    with django_capture_on_commit_callbacks(execute=True):
        again = ask(region, staff)

    assert again.pk == dead.pk
    dead.refresh_from_db()
    assert dead.status == Status.COMPLETE
    assert dead.attempts == 2


def test_asking_again_after_the_last_attempt_starts_a_new_job(
    cycle_2024, staff, settings
):
    settings.EXPORT_MAX_ATTEMPTS = 2
    region = cycle_2024["region"]
    dead = killed(region, staff, attempts=2)

    again = ask(region, staff)

    assert again.pk != dead.pk
    dead.refresh_from_db()
    assert dead.status == Status.ERROR
    assert "slutade svara 2 gånger" in dead.message
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
