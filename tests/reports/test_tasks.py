"""The reports tasks, run eagerly (no REDIS_URL): thin, repeatable, scheduled."""

from __future__ import annotations

import datetime
import io

import pytest
from django.conf import settings
from django.utils import timezone

from config.celery import app
from reports.jobs import EXPORT_SOFT_TIME_LIMIT, EXPORT_TIME_LIMIT
from reports.models import ExportJob
from reports.tasks import export as export_task
from reports.tasks import exports_prune as exports_prune_task

pytestmark = pytest.mark.django_db

Status = ExportJob.Status


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_the_export_task_builds_the_job_it_is_given(cycle_2024):
    job = ExportJob.objects.create(
        document="questionnaire", format="pdf", questionnaire=cycle_2024["rss"]
    )

    export_task.delay(job.pk)

    job.refresh_from_db()
    assert job.status == Status.COMPLETE
    assert job.filename == "blankett-rss-2024.pdf"
    assert job.file.read().startswith(b"%PDF")


def test_the_export_task_ignores_a_job_that_no_longer_exists(db, caplog):
    export_task.delay(4242)

    assert "Export job 4242 does not exist" in caplog.text


def test_the_export_task_is_acknowledged_late_and_time_limited():
    assert export_task.acks_late is True
    assert export_task.time_limit == EXPORT_TIME_LIMIT
    assert export_task.soft_time_limit == EXPORT_SOFT_TIME_LIMIT < EXPORT_TIME_LIMIT


def test_the_prune_task_keeps_the_files_of_export_keep_days(
    cycle_2024, settings, media
):
    settings.EXPORT_KEEP_DAYS = 7
    kept = ExportJob.objects.create(
        document="questionnaire",
        format="pdf",
        questionnaire=cycle_2024["region"],
        status=Status.COMPLETE,
    )
    kept.file.save("kept.pdf", io.BytesIO(b"%PDF"), save=True)
    old = ExportJob.objects.create(
        document="questionnaire",
        format="pdf",
        questionnaire=cycle_2024["region"],
        status=Status.COMPLETE,
    )
    old.file.save("old.pdf", io.BytesIO(b"%PDF"), save=True)
    ExportJob.objects.filter(pk=old.pk).update(
        requested_at=timezone.now() - datetime.timedelta(days=8)
    )

    assert exports_prune_task.delay().get() == 1

    assert list(ExportJob.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not (media / old.file.name).exists()
    assert (media / kept.file.name).exists()


def test_the_prune_task_runs_every_night_from_the_beat_schedule():
    entry = settings.CELERY_BEAT_SCHEDULE["reports-exports-prune"]

    assert entry["task"] == "reports.tasks.exports_prune"
    assert entry["task"] in app.tasks
    assert settings.EXPORT_KEEP_DAYS == 30
