"""Export jobs: a document built in the background, kept as a file to download."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from regions.models import Organisation
from surveys.models import Questionnaire, Response


class ExportJob(models.Model):
    """One export asked for by a staff member; its run() is safe to repeat.

    The worker builds the document (see reports.documents), reports progress on the row
    and stores the file; the staff page polls the row and shows the download link.
    """

    class Status(models.TextChoices):
        CREATED = "created", _("Queued")
        PROCESSING = "processing", _("Running")
        COMPLETE = "complete", _("Ready")
        ERROR = "error", _("Failed")

    document = models.CharField(_("document"), max_length=30)
    format = models.CharField(_("format"), max_length=20)
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="export_jobs"
    )
    # The region of a region profile; empty for the other documents.
    organisation = models.ForeignKey(
        Organisation,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="export_jobs",
    )
    # The response of a receipt; empty for the other documents.
    response = models.ForeignKey(
        Response,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="export_jobs",
    )
    # What the file was built from, for a document kept and served again while it is
    # the same (a receipt: the submission; a blank form: the questionnaire's version and
    # deadline; a region profile: the results). Empty for the staff's exports.
    version = models.CharField(_("built from"), max_length=64, blank=True)
    # The choices of a document made from a page's filters (an area's free-text answers).
    params = models.JSONField(_("choices"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.CREATED
    )
    # How many times a worker started building it: a job whose worker died is queued
    # again until EXPORT_MAX_ATTEMPTS, then failed (reports.jobs).
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    # 0–100, written by the worker as it goes.
    progress = models.PositiveSmallIntegerField(_("progress"), default=0)
    message = models.TextField(_("message"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    # Written by the worker every EXPORT_HEARTBEAT_SECONDS while it builds: a job whose
    # heartbeat is older than EXPORT_LEASE_SECONDS lost its worker.
    heartbeat_at = models.DateTimeField(_("last sign of life"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to="exports/%Y/%m/", blank=True)
    # The name the browser saves the file under.
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    size = models.PositiveIntegerField(_("size in bytes"), default=0)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("export")
        verbose_name_plural = _("exports")
        indexes = [
            models.Index(fields=["status", "requested_at"]),
            models.Index(fields=["document", "questionnaire", "version"]),
        ]

    def __str__(self) -> str:
        return (
            f"{self.document}.{self.format} – {self.get_status_display()} ({self.pk})"
        )

    @property
    def in_flight(self) -> bool:
        return self.status in (self.Status.CREATED, self.Status.PROCESSING)
