"""Nightly housekeeping: stale import uploads discarded, old one-time keys deleted."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from surveys.models import Confirmation, FormSubmission, ImportUpload
from surveys.services.housekeeping import surveys_housekeeping
from surveys.tasks import housekeeping

pytestmark = pytest.mark.django_db

CONTENT = "organisation,question,item,answer\r\n01,9,,Ja\r\n"


def _aged(model, row, days: float):
    model.objects.filter(pk=row.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=days)
    )
    return row


@pytest.fixture
def uploads(cycle_2024, staff):
    def upload(status: str, days: float) -> ImportUpload:
        row = ImportUpload.objects.create(
            questionnaire=cycle_2024["region"],
            uploaded_by=staff,
            file_name="svar.csv",
            content=CONTENT if status == ImportUpload.Status.PENDING else "",
            digest="x" * 64,
            status=status,
        )
        return _aged(ImportUpload, row, days)

    return {
        "stale": upload(ImportUpload.Status.PENDING, 3),
        "fresh": upload(ImportUpload.Status.PENDING, 1),
        "imported": upload(ImportUpload.Status.IMPORTED, 30),
    }


def test_a_stale_upload_is_discarded_and_its_content_emptied(uploads, settings):
    settings.IMPORT_UPLOAD_KEEP_DAYS = 2
    report = surveys_housekeeping()
    assert report.uploads_discarded == 1
    stale = ImportUpload.objects.get(pk=uploads["stale"].pk)
    assert stale.status == ImportUpload.Status.DISCARDED
    assert stale.content == ""


def test_a_fresh_upload_waits_for_its_confirmation(uploads, settings):
    settings.IMPORT_UPLOAD_KEEP_DAYS = 2
    surveys_housekeeping()
    fresh = ImportUpload.objects.get(pk=uploads["fresh"].pk)
    assert fresh.status == ImportUpload.Status.PENDING
    assert fresh.content == CONTENT
    imported = ImportUpload.objects.get(pk=uploads["imported"].pk)
    assert imported.status == ImportUpload.Status.IMPORTED


def test_old_confirmation_keys_and_form_tokens_are_deleted(staff):
    old_key = _aged(
        Confirmation,
        Confirmation.objects.create(key="old", user=staff, action="a", digest="d"),
        2,
    )
    new_key = Confirmation.objects.create(key="new", user=staff, action="a", digest="d")
    old_token = _aged(FormSubmission, FormSubmission.objects.create(token="old"), 2)
    new_token = FormSubmission.objects.create(token="new")
    report = surveys_housekeeping()
    assert (report.confirmations_deleted, report.form_tokens_deleted) == (1, 1)
    assert list(Confirmation.objects.values_list("pk", flat=True)) == [new_key.pk]
    assert list(FormSubmission.objects.values_list("pk", flat=True)) == [new_token.pk]
    assert not Confirmation.objects.filter(pk=old_key.pk).exists()
    assert not FormSubmission.objects.filter(pk=old_token.pk).exists()


def test_the_nightly_task_is_safe_to_run_again(uploads, settings):
    settings.IMPORT_UPLOAD_KEEP_DAYS = 2
    first = housekeeping.delay().get()
    second = housekeeping.delay().get()
    assert first["uploads_discarded"] == 1
    assert second == {
        "uploads_discarded": 0,
        "confirmations_deleted": 0,
        "form_tokens_deleted": 0,
    }


def test_the_beat_schedule_runs_the_housekeeping_every_night(settings):
    entry = settings.CELERY_BEAT_SCHEDULE["surveys-housekeeping"]
    assert entry["task"] == "surveys.tasks.housekeeping"
    assert entry["schedule"].hour == {3}
