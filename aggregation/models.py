"""Aggregation runs (job rows) and the results they store."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from surveys.models import Questionnaire


class AggregationRun(models.Model):
    """One computation of a questionnaire's tables; its run() is safe to repeat.

    The results of the newest complete run are the ones shown (is_current); a new run's
    results are written, then the flag moves over, in one transaction.
    """

    class Status(models.TextChoices):
        CREATED = "created", _("Queued")
        PROCESSING = "processing", _("Running")
        COMPLETE = "complete", _("Complete")
        ERROR = "error", _("Failed")

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="aggregation_runs"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.CREATED
    )
    reason = models.CharField(_("reason"), max_length=50, blank=True)
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
    # Identifies the answers the results were computed from (see selectors.fingerprint).
    fingerprint = models.CharField(max_length=64, blank=True)
    responses = models.PositiveIntegerField(_("submitted responses"), default=0)
    is_current = models.BooleanField(_("current results"), default=False)
    messages = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("aggregation run")
        verbose_name_plural = _("aggregation runs")
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire"],
                condition=models.Q(is_current=True),
                name="aggregation_one_current_run",
            ),
        ]
        indexes = [
            # "Is a run queued or running for this questionnaire?" on every change.
            models.Index(fields=["questionnaire", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.questionnaire} – {self.get_status_display()} ({self.pk})"


class AppendixCell(models.Model):
    """One published cell of an appendix table: a region's (or Riket's) value."""

    run = models.ForeignKey(
        AggregationRun, on_delete=models.CASCADE, related_name="appendix_cells"
    )
    question_code = models.CharField(max_length=30)
    item = models.CharField(max_length=500, blank=True)
    # The name as printed ("Stockholm"), or "Riket" for the national row.
    organisation = models.CharField(max_length=200)
    organisation_code = models.CharField(max_length=20)
    value = models.TextField()
    # Order within the table: questions, items, then Riket and regions in county order.
    position = models.PositiveIntegerField()

    class Meta:
        ordering = ["run", "position"]

    def __str__(self) -> str:
        return f"{self.question_code} {self.item} {self.organisation}: {self.value}"


class ShareRow(models.Model):
    """Count, denominator and percent of one option at one level (riket, county, RSS)."""

    class Level(models.TextChoices):
        RIKET = "riket", _("Sweden")
        COUNTY = "county", _("County")
        RSS = "rss", _("RSS")

    run = models.ForeignKey(
        AggregationRun, on_delete=models.CASCADE, related_name="share_rows"
    )
    question_code = models.CharField(max_length=30)
    item = models.CharField(max_length=500, blank=True)
    option = models.CharField(max_length=500)
    level = models.CharField(max_length=10, choices=Level.choices)
    # "SE", a county code or an RSS code.
    unit = models.CharField(max_length=20)
    # What is counted: "municipalities" or "rss".
    counted = models.CharField(max_length=20)
    count = models.PositiveIntegerField()
    denominator = models.PositiveIntegerField()
    percent = models.PositiveSmallIntegerField(null=True)
    position = models.PositiveIntegerField()
    # Where the counts come from (aggregation.rules.shares): "answers" (the organisations'
    # own answers), "counts" (RSS counts per option), "mixed" (a county or Sweden whose
    # RSS areas use both) or "none" (an area without data).
    source = models.CharField(max_length=10, default="answers")
    # Shares of municipalities: how many municipalities the unit's source covers.
    municipalities = models.PositiveIntegerField(null=True)

    class Meta:
        ordering = ["run", "position"]

    def __str__(self) -> str:
        return (
            f"{self.question_code} {self.item} {self.option} {self.unit}: "
            f"{self.count}/{self.denominator}"
        )
