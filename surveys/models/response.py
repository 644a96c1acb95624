"""An organisation's response to a questionnaire, its answers and their history."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from regions.models import Organisation
from surveys.models.questionnaire import Question, Questionnaire


class Response(models.Model):
    """The one response of an organisation to a questionnaire version."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")

    class Source(models.TextChoices):
        WEB = "web", _("Web form")
        PAPER = "paper", _("Entered from paper by the RSS")
        IMPORT = "import", _("Imported")

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="responses"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="responses"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    source = models.CharField(
        _("source"), max_length=20, choices=Source.choices, default=Source.WEB
    )
    # Raised by every save; a save based on an older version is refused.
    version = models.PositiveIntegerField(_("version"), default=1)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last saved"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["questionnaire", "organisation__code"]
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "organisation"],
                name="response_one_per_organisation",
            )
        ]
        indexes = [
            # Status lists per questionnaire (start page, staff overviews, aggregation input).
            models.Index(fields=["questionnaire", "status"]),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.questionnaire}"

    @property
    def is_submitted(self) -> bool:
        return self.status == self.Status.SUBMITTED


class Answer(models.Model):
    """One answer cell: a question, or one item of a question with items."""

    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="answers"
    )
    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="answers"
    )
    # '' for questions without items; the item (or cell) label otherwise.
    item = models.CharField(_("item"), max_length=500, blank=True, default="")
    # A chosen option, "Ja"/"" for a ticked/unticked alternative, or free text.
    text = models.TextField(_("text"), blank=True, default="")
    number = models.BigIntegerField(_("number"), null=True, blank=True)
    cannot_estimate = models.BooleanField(_("cannot be estimated"), default=False)
    # The respondent confirmed this value despite a plausibility warning; reset on change.
    warning_confirmed = models.BooleanField(_("warning confirmed"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["response", "question__position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["response", "question", "item"], name="answer_unique_cell"
            )
        ]

    def __str__(self) -> str:
        return f"{self.question.code} {self.item}: {self.display()}"

    def display(self) -> str:
        """The value as a person reads it (and as the audit log records it)."""
        return self.question.answer_display(
            text=self.text, number=self.number, cannot_estimate=self.cannot_estimate
        )


class AnswerChange(models.Model):
    """An entry of the audit log: who changed which answer when, from what to what."""

    class Source(models.TextChoices):
        WEB = "web", _("Web form")
        PAPER = "paper", _("Entered by the RSS")
        IMPORT = "import", _("Import")
        SYSTEM = "system", _("System")

    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="changes"
    )
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="+")
    item = models.CharField(max_length=500, blank=True, default="")
    old_value = models.TextField(_("old value"), blank=True, null=True)
    new_value = models.TextField(_("new value"), blank=True, null=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("changed at"), auto_now_add=True)
    source = models.CharField(max_length=20, choices=Source.choices, default=Source.WEB)

    class Meta:
        ordering = ["response", "-changed_at", "-id"]
        verbose_name = _("answer change")
        verbose_name_plural = _("answer changes")

    def __str__(self) -> str:
        return f"{self.question.code} {self.item}: {self.old_value} → {self.new_value}"
