"""Questionnaires as data: a cycle, its questionnaires, their sections and questions."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from regions.models import Organisation
from surveys.numbers import format_thousands

# source_file of a questionnaire made on the staff pages: "web:<slug>".
WEB_SOURCE_PREFIX = "web:"
# The key of the municipal questionnaire that the RSS distribute and compile.
MUNICIPAL_VIA_RSS_KEY = "municipality"


class Cycle(models.Model):
    """One yearly round of the follow-up (data year)."""

    year = models.PositiveIntegerField(_("year"), unique=True)
    name = models.CharField(_("name"), max_length=200)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))

    class Meta:
        ordering = ["-year"]
        verbose_name = _("cycle")
        verbose_name_plural = _("cycles")

    def __str__(self) -> str:
        return str(self.year)


class Questionnaire(models.Model):
    """One questionnaire of a cycle for one audience, in one version."""

    class Audience(models.TextChoices):
        REGION = "region", _("Regions")
        RSS = "rss", _("RSS")
        MUNICIPALITY = "municipality", _("Municipalities")
        EXTRA = "extra", _("Extra question (municipalities)")

    cycle = models.ForeignKey(
        Cycle, on_delete=models.PROTECT, related_name="questionnaires"
    )
    audience = models.CharField(_("audience"), max_length=20, choices=Audience.choices)
    # Which questionnaire of the cycle this is: the definition file's name ("region",
    # "municipality", "statsbidrag"); "extra" for an extra question made on the web.
    # One audience can have several questionnaires in a cycle; commands take this key.
    key = models.CharField(_("key"), max_length=40, db_index=True)
    version = models.PositiveIntegerField(_("version"), default=1)
    # Only the current version is answered; older versions keep their answers.
    is_current = models.BooleanField(_("current version"), default=True)
    title = models.CharField(_("title"), max_length=300)
    introduction = models.TextField(_("introduction"), blank=True)
    opens_on = models.DateField(_("opens on"))
    closes_on = models.DateField(_("closes on"))
    reconstructed = models.BooleanField(
        _("reconstructed texts"),
        default=False,
        help_text=_("The texts are reconstructed, not the agency's own wording."),
    )
    # Reminder e-mails go out on these dates to the organisations that have not submitted.
    reminder_dates = models.JSONField(_("reminder dates"), default=list, blank=True)
    # Locked for the final aggregation: nobody changes answers any more, staff included.
    locked_at = models.DateTimeField(_("locked"), null=True, blank=True)
    # "2024/region.yaml" for a definition file; "web:<slug>" for an extra question made
    # on the staff pages.
    source_file = models.CharField(_("definition file"), max_length=300, blank=True)
    # SHA-256 of the parsed definition: an unchanged file is a no-op on reload.
    checksum = models.CharField(max_length=64, blank=True)
    # The figures drawn of the questionnaire's answers, as the definition file gives
    # them (docs/definitions.md, "figures"): a presentation, not part of the questions,
    # so a reload updates them also under submitted responses.
    figures = models.JSONField(_("figures"), default=list, blank=True)
    # Sent to a chosen set: fixed when the questionnaire is created (an extra question
    # made on the staff pages) and never inferred from invitations, so that inviting
    # can never widen it. surveys.frames reads it; nothing else should.
    for_chosen_set = models.BooleanField(_("sent to a chosen set"), default=False)
    chosen_organisations = models.ManyToManyField(
        Organisation,
        verbose_name=_("chosen organisations"),
        blank=True,
        related_name="chosen_for",
    )
    loaded_at = models.DateTimeField(_("loaded at"), auto_now=True)
    # Reference figures per organisation shipped with the definition (the statsbidrag's
    # allocation key): [{"name": "allocation", "label": "...", "file": "....csv"}].
    # The figures are ReferenceFigure rows.
    references = models.JSONField(_("reference figures"), default=list, blank=True)

    class Meta:
        ordering = ["cycle", "audience", "version"]
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")
        constraints = [
            # Per definition: several extra questions made on the web ("web:<slug>")
            # can be current in a cycle beside the questionnaires from files.
            models.UniqueConstraint(
                fields=["cycle", "audience", "source_file", "version"],
                name="questionnaire_unique_version",
            ),
            models.UniqueConstraint(
                fields=["cycle", "audience", "source_file"],
                condition=models.Q(is_current=True),
                name="questionnaire_one_current_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.title} (v{self.version})"

    @property
    def via_rss(self) -> bool:
        """The municipal questionnaire the RSS distribute and compile (the hjälpenkät);
        other municipal questionnaires (statsbidrag) are answered directly."""
        return self.key == MUNICIPAL_VIA_RSS_KEY

    @property
    def is_made_on_web(self) -> bool:
        """An extra question made on the staff pages, not loaded from a file."""
        return self.source_file.startswith(WEB_SOURCE_PREFIX)

    @property
    def organisation_kind(self) -> str:
        """The kind of organisation that answers this questionnaire."""
        if self.audience in (self.Audience.MUNICIPALITY, self.Audience.EXTRA):
            return Organisation.Kind.MUNICIPALITY
        return self.audience


class Section(models.Model):
    """A page of a questionnaire."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="sections"
    )
    position = models.PositiveIntegerField()
    title = models.CharField(_("title"), max_length=300)
    introduction = models.TextField(_("introduction"), blank=True)

    class Meta:
        ordering = ["questionnaire", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "position"], name="section_unique_position"
            )
        ]

    def __str__(self) -> str:
        return self.title


class QuestionType(models.TextChoices):
    YES_NO = "yes_no", _("Yes/no")
    YES_PARTLY_NO = "yes_partly_no", _("Yes/partly/no")
    SINGLE_CHOICE = "single_choice", _("Single choice")
    MULTIPLE_CHOICE = "multiple_choice", _("Multiple choice")
    MATRIX = "matrix", _("Matrix")
    PERCENTAGE = "percentage", _("Percentage")
    COUNT = "count", _("Count")
    INTEGER = "integer", _("Integer")
    FREE_TEXT = "free_text", _("Free text")
    COUNT_PER_OPTION = "count_per_option", _("Count per option")
    MONEY = "money", _("Amount in kronor")


YES_NO_OPTIONS = ["Ja", "Nej"]
YES_PARTLY_NO_OPTIONS = ["Ja", "Delvis", "Nej"]
# The labels of the cannot-estimate option, as printed in the tables.
CANNOT_ESTIMATE_LABELS: dict[str, str] = {
    QuestionType.PERCENTAGE: "Andelen kan inte uppskattas",
    QuestionType.COUNT: "Antalet kan inte uppskattas",
}
# How a ticked alternative of a multiple choice is written (in tables, imports, conditions).
TICKED = "Ja"
# An unticked alternative on the respondent's own pages and receipt (the tables print ".").
UNTICKED_FOR_RESPONDENTS = "Nej"
# The extra cell of a compiled multiple choice: how many municipalities answered it at all
# (the denominator of its shares; the ticked counts do not give it).
ANSWERED_OPTION = "_answered"
ANSWERED_LABEL = "Antal kommuner som besvarat frågan"


class Rule(models.TextChoices):
    """How the national row of a question's appendix table is computed."""

    YES_COUNT = "yes_count", _("Number answering exactly “Ja”, of those answering")
    # A 1–5 rating grid: per item, the number answering 4 or 5 of those answering.
    TOP_TWO_BOXES = "top_two_boxes", _("Number answering 4 or 5, of those answering")
    # The grant report's amounts (aggregation/rules/statsbidrag.py: Tabell 1).
    GRANT_REQUISITIONED = "grant_requisitioned", _("Requisitioned grant (Tabell 1)")
    GRANT_UNUSED = "grant_unused", _("Unused grant, repaid from 1 000 kr (Tabell 1)")
    MEAN_PERCENT = "mean_percent", _("Unweighted mean of the percentages given")
    SUM_COUNT = "sum_count", _("Sum of the figures given")
    NONE = "none", _("No national figure")


def default_rule(question_type: str, options: list[str]) -> str:
    """The rule a question gets when its definition names none."""
    if question_type in (
        QuestionType.YES_NO,
        QuestionType.YES_PARTLY_NO,
        QuestionType.MATRIX,
        QuestionType.MULTIPLE_CHOICE,
    ):
        return Rule.YES_COUNT
    if question_type == QuestionType.SINGLE_CHOICE:
        return Rule.YES_COUNT if "Ja" in options else Rule.NONE
    if question_type == QuestionType.PERCENTAGE:
        return Rule.MEAN_PERCENT
    if question_type in (QuestionType.COUNT, QuestionType.INTEGER, QuestionType.MONEY):
        return Rule.SUM_COUNT
    return Rule.NONE


class Question(models.Model):
    """One question; its answer shape is given by type, options and items."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="questions"
    )
    section = models.ForeignKey(
        Section, on_delete=models.CASCADE, related_name="questions"
    )
    position = models.PositiveIntegerField()
    code = models.CharField(_("code"), max_length=30)
    text = models.TextField(_("text"))
    help_text = models.TextField(_("help text"), blank=True)
    type = models.CharField(_("type"), max_length=30, choices=QuestionType.choices)
    options = models.JSONField(_("options"), default=list, blank=True)
    items = models.JSONField(_("items"), default=list, blank=True)
    # count_per_option: [{"label": ..., "item": ..., "option": ...}] derived from `source`.
    cells = models.JSONField(default=list, blank=True)
    required = models.BooleanField(_("required"), default=True)
    # {"question": "29", "equals": "Ja"} or {"question": "18", "item": "...", "equals": "Ja"}
    show_if = models.JSONField(_("shown only when"), null=True, blank=True)
    validation = models.JSONField(_("validation limits"), default=dict, blank=True)
    previous_code = models.CharField(
        _("code in the previous cycle"), max_length=30, blank=True, null=True
    )
    previous = models.ForeignKey(
        "self",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="successors",
        verbose_name=_("same question in the previous cycle"),
    )
    # count_per_option: the municipal question this one compiles.
    source = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="compilations",
    )
    reconstructed = models.BooleanField(_("reconstructed text"), default=False)
    in_appendix = models.BooleanField(_("printed in the appendix"), default=False)
    footnote = models.TextField(_("footnote"), blank=True)
    personal_data = models.BooleanField(_("personal data"), default=False)
    rule = models.CharField(
        _("national rule"), max_length=20, choices=Rule.choices, default=Rule.NONE
    )
    # Plausibility checks (warnings, never blocks): [{"check": "all_nines"}, ...]
    checks = models.JSONField(_("plausibility checks"), default=list, blank=True)

    class Meta:
        ordering = ["questionnaire", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "code"], name="question_unique_code"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code}. {self.text[:60]}"

    @property
    def number(self) -> str:
        """The question's number as respondents see it ("12", "29b", "K04"); "" for a
        code that is an internal name, not a number ("kontakt")."""
        return self.code if any(c.isdigit() for c in self.code) else ""

    @property
    def choice_options(self) -> list[str]:
        """The options a single answer chooses among (yes/no types included)."""
        if self.type == QuestionType.YES_NO:
            return YES_NO_OPTIONS
        if self.type == QuestionType.YES_PARTLY_NO:
            return YES_PARTLY_NO_OPTIONS
        return list(self.options)

    @property
    def answer_items(self) -> list[str]:
        """The item keys answers are stored under ('' for a question without items)."""
        if self.type == QuestionType.COUNT_PER_OPTION:
            return [cell["label"] for cell in self.cells]
        if (
            self.type
            in (
                QuestionType.MATRIX,
                QuestionType.MULTIPLE_CHOICE,
                QuestionType.FREE_TEXT,
            )
            and self.items
        ):
            return list(self.items)
        return [""]

    @property
    def cannot_estimate_label(self) -> str | None:
        return CANNOT_ESTIMATE_LABELS.get(self.type)

    def answer_display(
        self,
        *,
        text: str,
        number: int | None,
        cannot_estimate: bool,
        respondent: bool = False,
    ) -> str:
        """A stored answer value of this question as a person reads it.

        "1 600 000", "72 %", the option, "." for an unticked alternative (as the
        published tables print it), or the cannot-estimate label: the one way answers
        are shown (pages, receipts, the audit log, warnings). For the respondent's own
        pages and receipt (respondent=True) an unticked alternative reads "Nej".
        """
        if cannot_estimate:
            return CANNOT_ESTIMATE_LABELS.get(self.type, "")
        if self.type == QuestionType.MULTIPLE_CHOICE:
            return text or (UNTICKED_FOR_RESPONDENTS if respondent else ".")
        if number is not None:
            formatted = format_thousands(number)
            if self.type == QuestionType.PERCENTAGE:
                return f"{formatted} %"
            if self.type == QuestionType.MONEY:
                return f"{formatted} kr"
            return formatted
        return text

    @property
    def is_numeric(self) -> bool:
        return self.type in (
            QuestionType.PERCENTAGE,
            QuestionType.COUNT,
            QuestionType.INTEGER,
            QuestionType.COUNT_PER_OPTION,
            QuestionType.MONEY,
        )


class ReferenceFigure(models.Model):
    """A figure the agency knows per organisation before it answers, shipped as data
    with a questionnaire: the statsbidrag's allocation (fördelningsnyckel) in kronor."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="reference_figures"
    )
    # The organisation's code ("0114"): the figures load with the definition, also
    # before the national frame.
    organisation_code = models.CharField(_("organisation code"), max_length=20)
    # The reference's name in the definition ("allocation").
    name = models.CharField(_("name"), max_length=40)
    value = models.BigIntegerField(_("value"))

    class Meta:
        ordering = ["questionnaire", "name", "organisation_code"]
        verbose_name = _("reference figure")
        verbose_name_plural = _("reference figures")
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "organisation_code", "name"],
                name="reference_figure_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} {self.organisation_code}: {self.value}"
