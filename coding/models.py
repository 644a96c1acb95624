"""Theme coding of free-text answers: codebooks, themes, coders' codes, quotes, audit.

A codebook belongs to one free-text question (and item). A coder's codes of one answer
are a CodedAnswer (the coder has coded it, with or without themes) and its ThemeCodings.
Each coder has their own rows, so two coders never overwrite each other; a Resolution
settles a theme two coders disagree on. Every change is a CodingChange.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from surveys.models import Question, Response


class Codebook(models.Model):
    """The themes of one free-text question (and item)."""

    question = models.ForeignKey(
        Question, on_delete=models.PROTECT, related_name="codebooks"
    )
    # '' for a question without items.
    item = models.CharField(_("item"), max_length=500, blank=True, default="")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        ordering = ["question__questionnaire", "question__position", "item"]
        verbose_name = _("codebook")
        verbose_name_plural = _("codebooks")
        constraints = [
            models.UniqueConstraint(
                fields=["question", "item"], name="codebook_one_per_question_item"
            )
        ]

    def __str__(self) -> str:
        code = self.question.code
        return f"{code}: {self.item}" if self.item else code


class Theme(models.Model):
    """A theme of a codebook; keywords suggest it (never apply it)."""

    codebook = models.ForeignKey(
        Codebook, on_delete=models.CASCADE, related_name="themes"
    )
    name = models.CharField(_("name"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    example = models.TextField(_("example"), blank=True)
    # Words that suggest the theme, separated by commas; compared by Swedish word stem.
    keywords = models.CharField(_("keywords"), max_length=500, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["codebook", "position", "id"]
        verbose_name = _("theme")
        verbose_name_plural = _("themes")
        constraints = [
            models.UniqueConstraint(
                fields=["codebook", "name"], name="theme_unique_name"
            )
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def keyword_list(self) -> list[str]:
        return [word.strip() for word in self.keywords.split(",") if word.strip()]


class CodedAnswer(models.Model):
    """One coder has coded one answer (its themes are the ThemeCodings)."""

    codebook = models.ForeignKey(
        Codebook, on_delete=models.CASCADE, related_name="coded_answers"
    )
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="+")
    coder = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    coded_at = models.DateTimeField(_("coded"), auto_now=True)

    class Meta:
        ordering = ["codebook", "response", "coder"]
        constraints = [
            models.UniqueConstraint(
                fields=["codebook", "response", "coder"],
                name="coded_answer_one_per_coder",
            )
        ]

    def __str__(self) -> str:
        return f"{self.codebook} {self.response_id} {self.coder_id}"


class ThemeCoding(models.Model):
    """A coder ticked a theme for an answer."""

    coded = models.ForeignKey(
        CodedAnswer, on_delete=models.CASCADE, related_name="codings"
    )
    # A theme with codes is not deleted (the services refuse it).
    theme = models.ForeignKey(Theme, on_delete=models.PROTECT, related_name="codings")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["coded", "theme"], name="theme_coding_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.coded} {self.theme}"


class Resolution(models.Model):
    """The decision on a theme the coders of an answer disagree on."""

    codebook = models.ForeignKey(
        Codebook, on_delete=models.CASCADE, related_name="resolutions"
    )
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="+")
    theme = models.ForeignKey(
        Theme, on_delete=models.PROTECT, related_name="resolutions"
    )
    applies = models.BooleanField(_("the theme applies"))
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    resolved_at = models.DateTimeField(_("resolved"), auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["codebook", "response", "theme"],
                name="resolution_one_per_answer_theme",
            )
        ]

    def __str__(self) -> str:
        return f"{self.theme}: {self.applies}"


class Quote(models.Model):
    """An answer marked as a quote for the report."""

    codebook = models.ForeignKey(
        Codebook, on_delete=models.CASCADE, related_name="quotes"
    )
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="+")
    show_organisation = models.BooleanField(_("organisation shown"), default=False)
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    marked_at = models.DateTimeField(_("marked"), auto_now=True)

    class Meta:
        ordering = ["codebook", "response"]
        verbose_name = _("quote")
        verbose_name_plural = _("quotes")
        constraints = [
            models.UniqueConstraint(
                fields=["codebook", "response"], name="quote_one_per_answer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.codebook} {self.response_id}"


class CodingChange(models.Model):
    """The audit log of coding: who changed what in a codebook, and when."""

    class Action(models.TextChoices):
        THEME_CREATED = "theme_created", _("Theme created")
        THEME_CHANGED = "theme_changed", _("Theme changed")
        THEME_DELETED = "theme_deleted", _("Theme deleted")
        THEMES_COPIED = "themes_copied", _("Themes copied from the previous cycle")
        CODE_ADDED = "code_added", _("Theme ticked")
        CODE_REMOVED = "code_removed", _("Theme unticked")
        CODED = "coded", _("Answer coded")
        UNCODED = "uncoded", _("Answer marked as not coded")
        QUOTE_MARKED = "quote_marked", _("Marked as a quote")
        QUOTE_REMOVED = "quote_removed", _("Quote removed")
        RESOLVED = "resolved", _("Disagreement resolved")

    codebook = models.ForeignKey(
        Codebook, on_delete=models.CASCADE, related_name="changes"
    )
    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # The theme's name at the time (the theme may be renamed or deleted later).
    theme = models.CharField(_("theme"), max_length=120, blank=True)
    action = models.CharField(_("action"), max_length=20, choices=Action.choices)
    detail = models.TextField(_("detail"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["codebook", "-at", "-id"]
        verbose_name = _("coding change")
        verbose_name_plural = _("coding changes")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.theme}"
