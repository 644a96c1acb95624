"""Nightly housekeeping of the surveys' short-lived rows; safe to run again at any time.

- Uploads left waiting in the import preview are discarded after IMPORT_UPLOAD_KEEP_DAYS:
  their file content (answers, possibly personal data) is emptied, the row stays as the
  record of the upload.
- Confirmation keys and one-time form tokens only matter for minutes: they are deleted
  after a day (a key that old is refused anyway).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from surveys.models import Confirmation, FormSubmission, ImportUpload

# One-time keys and tokens older than this are deleted.
ONE_TIME_KEYS_KEEP = datetime.timedelta(days=1)


@dataclass(frozen=True)
class HousekeepingReport:
    uploads_discarded: int
    confirmations_deleted: int
    form_tokens_deleted: int

    def counts(self) -> dict[str, int]:
        return {
            "uploads_discarded": self.uploads_discarded,
            "confirmations_deleted": self.confirmations_deleted,
            "form_tokens_deleted": self.form_tokens_deleted,
        }


@transaction.atomic
def surveys_housekeeping(*, now: datetime.datetime | None = None) -> HousekeepingReport:
    """Discard stale import uploads and delete old one-time keys; returns the counts."""
    now = now or timezone.now()
    upload_cutoff = now - datetime.timedelta(days=settings.IMPORT_UPLOAD_KEEP_DAYS)
    uploads = ImportUpload.objects.filter(
        status=ImportUpload.Status.PENDING, created_at__lt=upload_cutoff
    ).update(status=ImportUpload.Status.DISCARDED, content="")
    key_cutoff = now - ONE_TIME_KEYS_KEEP
    confirmations, _ = Confirmation.objects.filter(created_at__lt=key_cutoff).delete()
    tokens, _ = FormSubmission.objects.filter(created_at__lt=key_cutoff).delete()
    return HousekeepingReport(
        uploads_discarded=uploads,
        confirmations_deleted=confirmations,
        form_tokens_deleted=tokens,
    )
