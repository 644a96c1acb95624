"""Aggregation runs (job rows) and the results they store."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from surveys.models import Question, Questionnaire


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


class StoredAppendixTable(models.Model):
    """How a run's appendix is stored: one row per table (question code), its cells
    packed in `cells`.

    `cells` is a JSON array with one array per cell, in the order of APPENDIX_CELL_FIELDS:
    [item, organisation, organisation_code, value, position]. A table of thousands of
    organisations is one row to write instead of thousands (aggregation.services); the
    cells are read through AppendixCell, a database view that unpacks them.
    """

    run = models.ForeignKey(
        AggregationRun, on_delete=models.CASCADE, related_name="appendix_tables"
    )
    question_code = models.CharField(max_length=30)
    cells = models.TextField()

    class Meta:
        ordering = ["run", "id"]

    def __str__(self) -> str:
        return f"{self.run_id} {self.question_code}"


# The order of a cell's values in StoredAppendixTable.cells (and in the view's SQL,
# migration 0004).
APPENDIX_CELL_FIELDS = (
    "item",
    "organisation",
    "organisation_code",
    "value",
    "position",
)


class AppendixCell(models.Model):
    """One published cell of an appendix table: a region's (or Riket's) value.

    Read-only: a database view over StoredAppendixTable (migration 0004), one row per
    packed cell; its id is the table row's id * 2**32 + the cell's index.
    """

    run = models.ForeignKey(
        AggregationRun,
        on_delete=models.DO_NOTHING,
        db_constraint=False,
        related_name="appendix_cells",
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
        managed = False
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
    # The same figure of an earlier year (the latest there is): computed from the
    # linked previous cycle where it ran in the system, else a published value.
    previous_year = models.PositiveSmallIntegerField(null=True)
    previous_percent = models.PositiveSmallIntegerField(null=True)
    previous_count = models.PositiveIntegerField(null=True)
    previous_denominator = models.PositiveIntegerField(null=True)
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


class PublishedValue(models.Model):
    """A figure of an earlier year as it was published, stored against this cycle's
    question: the share (and count) of one option at one level.

    For years that were not run in the system (2023): imported from a CSV file
    (aggregation.published). Percentage questions have no option and carry the
    national mean in `percent`; count questions carry the national sum in `count`.
    """

    question = models.ForeignKey(
        Question, on_delete=models.CASCADE, related_name="published_values"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    item = models.CharField(_("item"), max_length=500, blank=True)
    option = models.CharField(_("option"), max_length=500, blank=True)
    level = models.CharField(_("level"), max_length=10, choices=ShareRow.Level.choices)
    # "SE", a county code or an RSS code (as export_shares writes them).
    unit = models.CharField(_("unit"), max_length=20)
    percent = models.PositiveSmallIntegerField(_("percent"), null=True, blank=True)
    count = models.PositiveBigIntegerField(_("count"), null=True, blank=True)
    denominator = models.PositiveIntegerField(_("denominator"), null=True, blank=True)
    # Where it came from: the file's name and row, who imported it and when.
    source = models.CharField(_("source file"), max_length=255, blank=True)
    row = models.PositiveIntegerField(_("row"))
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    imported_at = models.DateTimeField(_("imported"), auto_now_add=True)

    class Meta:
        ordering = ["question__questionnaire", "year", "row"]
        verbose_name = _("published value")
        verbose_name_plural = _("published values")
        constraints = [
            models.UniqueConstraint(
                fields=["question", "year", "item", "option", "level", "unit"],
                name="published_value_unique_figure",
            ),
        ]

    def __str__(self) -> str:
        return (
            f"{self.year} {self.question.code} {self.item} {self.option} "
            f"{self.level}/{self.unit}: {self.percent}"
        )


class PublishedUpload(models.Model):
    """A file of published figures uploaded on the staff page: previewed, then imported
    once (as surveys.ImportUpload is for answers).

    The unguessable id and the uploader bind the confirmation to the one staff user who
    saw the preview; `stored` (the state of that year's stored figures the preview was
    counted from) makes a confirm after another import of the same year apply nothing,
    and the status makes a second confirm (double click) import nothing.
    """

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for confirmation")
        IMPORTED = "imported", _("Imported")
        DISCARDED = "discarded", _("Discarded")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="+"
    )
    year = models.PositiveSmallIntegerField(_("year"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    file_name = models.CharField(_("file name"), max_length=255)
    # The decoded text of the file; emptied once imported or discarded.
    content = models.TextField(blank=True)
    # aggregation.selectors.published_state of the year when the preview was shown.
    stored = models.CharField(max_length=64, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    created_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    imported_at = models.DateTimeField(_("imported"), null=True, blank=True)
    # What the import changed (PublishedChanges.counts()), for the result page.
    report = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("upload of published figures")
        verbose_name_plural = _("uploads of published figures")

    def __str__(self) -> str:
        return f"{self.file_name} {self.year} ({self.get_status_display()})"
