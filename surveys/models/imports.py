"""An uploaded import file waiting for the staff's confirmation after its preview."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from surveys.models.questionnaire import Questionnaire


class ImportUpload(models.Model):
    """A file uploaded on the staff import page: previewed, then imported once.

    The unguessable id and the uploader bind the confirmation to the one staff user who
    saw the preview; the status makes a second confirm (double click) import nothing.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        IMPORTED = "imported", _("Imported")
        DISCARDED = "discarded", _("Discarded")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="+"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    file_name = models.CharField(_("file name"), max_length=255)
    # The decoded text of the file; emptied once imported or discarded.
    content = models.TextField(blank=True)
    draft = models.BooleanField(_("save as draft"), default=False)
    # ImportPlan.digest of the preview the staff saw.
    digest = models.CharField(max_length=64)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    imported_at = models.DateTimeField(_("imported"), null=True, blank=True)
    # ImportReport.lines() of the import, for the result page.
    report = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("import upload")
        verbose_name_plural = _("import uploads")

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"
