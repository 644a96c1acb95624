"""Export jobs left behind (broker down, worker died) are sent again and finish."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from reports.jobs import EXPORT_TIME_LIMIT
from reports.models import ExportJob
from reports.tasks import export_jobs_requeue

pytestmark = pytest.mark.django_db

Status = ExportJob.Status


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def job(questionnaire, staff, **fields) -> ExportJob:
    created = ExportJob.objects.create(
        document="answers",
        format="csv",
        questionnaire=questionnaire,
        requested_by=staff,
        **{k: v for k, v in fields.items() if k != "requested_at"},
    )
    if "requested_at" in fields:
        # auto_now_add: set the request time afterwards.
        ExportJob.objects.filter(pk=created.pk).update(
            requested_at=fields["requested_at"]
        )
    return created


def test_a_job_queued_while_the_broker_was_down_is_sent_again_and_completes(
    region_results, staff
):
    left = job(
        region_results.questionnaire,
        staff,
        requested_at=timezone.now() - datetime.timedelta(minutes=10),
    )

    sent = export_jobs_requeue()

    assert sent == [left.pk]
    left.refresh_from_db()
    assert left.status == Status.COMPLETE
    assert left.file.read().startswith(b"organisation_code,")


def test_a_job_whose_worker_died_is_taken_over(region_results, staff):
    dead = job(
        region_results.questionnaire,
        staff,
        status=Status.PROCESSING,
        started_at=timezone.now() - datetime.timedelta(seconds=EXPORT_TIME_LIMIT + 60),
    )

    assert export_jobs_requeue() == [dead.pk]
    dead.refresh_from_db()
    assert dead.status == Status.COMPLETE


def test_fresh_running_and_finished_jobs_are_left_alone(region_results, staff):
    questionnaire = region_results.questionnaire
    job(questionnaire, staff)  # just queued: its message is on the way
    job(questionnaire, staff, status=Status.PROCESSING, started_at=timezone.now())
    job(
        questionnaire,
        staff,
        status=Status.COMPLETE,
        requested_at=timezone.now() - datetime.timedelta(hours=1),
    )

    assert export_jobs_requeue() == []
