"""Uploads of published figures left waiting in their preview are discarded every night,
not only when the next file is uploaded."""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings as project_settings
from django.utils import timezone

from aggregation.models import PublishedUpload
from aggregation.services import published_uploads_discard_stale
from aggregation.tasks import housekeeping

pytestmark = pytest.mark.django_db

CONTENT = "question,item,year,value\r\n14,,2023,61\r\n"


@pytest.fixture
def uploads(cycle_2024, staff):
    def upload(status: str, days: float) -> PublishedUpload:
        row = PublishedUpload.objects.create(
            questionnaire=cycle_2024["region"],
            year=2023,
            uploaded_by=staff,
            file_name="2023.csv",
            content=CONTENT if status == PublishedUpload.Status.PENDING else "",
            status=status,
        )
        PublishedUpload.objects.filter(pk=row.pk).update(
            created_at=timezone.now() - datetime.timedelta(days=days)
        )
        return row

    return {
        "stale": upload(PublishedUpload.Status.PENDING, 3),
        "fresh": upload(PublishedUpload.Status.PENDING, 1),
        "imported": upload(PublishedUpload.Status.IMPORTED, 30),
    }


def test_a_stale_upload_is_discarded_and_its_content_emptied(uploads, settings):
    settings.IMPORT_UPLOAD_KEEP_DAYS = 2

    assert published_uploads_discard_stale() == 1

    stale = PublishedUpload.objects.get(pk=uploads["stale"].pk)
    assert stale.status == PublishedUpload.Status.DISCARDED
    assert stale.content == ""
    fresh = PublishedUpload.objects.get(pk=uploads["fresh"].pk)
    assert fresh.status == PublishedUpload.Status.PENDING
    assert fresh.content == CONTENT
    imported = PublishedUpload.objects.get(pk=uploads["imported"].pk)
    assert imported.status == PublishedUpload.Status.IMPORTED


def test_running_it_again_discards_nothing_more(uploads, settings):
    settings.IMPORT_UPLOAD_KEEP_DAYS = 2
    published_uploads_discard_stale()
    assert published_uploads_discard_stale() == 0


def test_the_nightly_task_discards_them_and_says_how_many(uploads, settings):
    settings.IMPORT_UPLOAD_KEEP_DAYS = 2
    assert housekeeping() == {"published_uploads_discarded": 1}
    later = timezone.now() + datetime.timedelta(days=2)
    assert published_uploads_discard_stale(now=later) == 1  # the fresh one, two days on


def test_beat_runs_it_every_night():
    entry = project_settings.CELERY_BEAT_SCHEDULE["aggregation-housekeeping"]
    assert entry["task"] == "aggregation.tasks.housekeeping"
    assert entry["schedule"].hour == {3}
