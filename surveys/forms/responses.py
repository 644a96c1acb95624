"""Forms built from questionnaire data: one form per section of a questionnaire."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from surveys.answers import (
    AnswerError,
    Value,
    check_value,
    exclusive_items,
    number_message,
    parse_written,
    text_format,
    ticks_problem,
)
from surveys.models import Question, QuestionType
from surveys.models.questionnaire import TICKED
from surveys.numbers import format_thousands

CHOICE_TYPES = {
    QuestionType.YES_NO,
    QuestionType.YES_PARTLY_NO,
    QuestionType.SINGLE_CHOICE,
}


ESTIMABLE_TYPES = {QuestionType.PERCENTAGE, QuestionType.COUNT}


NUMBER_TYPES = {
    QuestionType.PERCENTAGE,
    QuestionType.COUNT,
    QuestionType.INTEGER,
    QuestionType.MONEY,
}
# Characters a number field takes: "1 000 000 000 000,00 %" with room for odd spaces.
NUMBER_MAX_LENGTH = 40


@dataclass
class Cell:
    """One input of a question: its form field name and the answer item it stores."""

    name: str
    item: str
    label: str = ""
    # Questions with plausibility checks: the "I confirm the value" checkbox.
    confirm: str | None = None
    # Free text: the format the answer must have ("email", "phone"), if any.
    format: str | None = None


@dataclass
class GridRow:
    """One row of a grid of inputs: its header (the item) and a cell per column."""

    header: str
    cells: list[Cell]


@dataclass
class Grid:
    """Inputs laid out as items × options, so each input is named by its row and column."""

    columns: list[str]
    rows: list[GridRow]


@dataclass
class QuestionFields:
    """How a question maps onto form fields."""

    question: Question
    cells: list[Cell] = field(default_factory=list)
    # percentage/count: the "cannot be estimated" checkbox.
    cannot_estimate: str | None = None
    # count per option compiling a matrix: the cells as items × options.
    grid: Grid | None = None
    # multiple choice: the alternatives that exclude the others ("Inget av …").
    exclusive: list[str] = field(default_factory=list)


def count_grid(definitions: list[dict], cells: list[Cell]) -> Grid | None:
    """The cells of a count-per-option question as a grid, when they are items × options.

    A question compiling a matrix has one cell per (item, option); any other (options
    of one question, items of a multiple choice) is a single list: None.
    """
    keys = [(d.get("item", ""), d.get("option", "")) for d in definitions]
    items = list(dict.fromkeys(item for item, _option in keys))
    options = list(dict.fromkeys(option for _item, option in keys))
    by_key = dict(zip(keys, cells, strict=True))
    if "" in items or len(items) < 2 or len(options) < 2:
        return None
    if len(by_key) != len(keys) or len(keys) != len(items) * len(options):
        return None
    return Grid(
        columns=options,
        rows=[GridRow(item, [by_key[(item, o)] for o in options]) for item in items],
    )


def field_name(question: Question, index: int | None = None) -> str:
    base = f"q_{question.code}"
    return base if index is None else f"{base}_{index}"


class SectionForm(forms.Form):
    """The questions of one section; parses input into answer Values.

    Required answers are not checked here (a draft may be incomplete); the submit checks
    them. Shape and limits are checked: a value that does not fit is an error at its
    question. A question with plausibility checks gets a confirmation checkbox per
    cell, ticked where the stored answer is confirmed (keys in `confirmed`).
    """

    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(
        self,
        *args,
        questions: list[Question],
        answers: dict[tuple[str, str], Value],
        confirmed: Collection[tuple[str, str]] = (),
        **kwargs,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.questions = questions
        self.layout: dict[str, QuestionFields] = {}
        for question in questions:
            spec = self._add_fields(question, answers)
            if question.checks:
                self._add_confirmations(spec, confirmed)
            self.layout[question.code] = spec

    def _add_confirmations(
        self, spec: QuestionFields, confirmed: Collection[tuple[str, str]]
    ) -> None:
        for cell in spec.cells:
            cell.confirm = f"{cell.name}_ok"
            self.fields[cell.confirm] = forms.BooleanField(
                required=False, label=_("I confirm that the value is correct")
            )
            self.initial[cell.confirm] = (spec.question.code, cell.item) in confirmed

    def _add_fields(
        self, question: Question, answers: dict[tuple[str, str], Value]
    ) -> QuestionFields:
        qtype = question.type
        spec = QuestionFields(question)
        limits = question.validation or {}

        def stored(item: str) -> Value | None:
            return answers.get((question.code, item))

        if qtype in CHOICE_TYPES:
            name = field_name(question)
            self.fields[name] = forms.ChoiceField(
                choices=[(o, o) for o in question.choice_options],
                widget=forms.RadioSelect,
                required=False,
                label=question.text,
            )
            value = stored("")
            self.initial[name] = value.text if value else None
            spec.cells.append(Cell(name, ""))
        elif qtype == QuestionType.MATRIX:
            for index, item in enumerate(question.items):
                name = field_name(question, index)
                self.fields[name] = forms.ChoiceField(
                    choices=[(o, o) for o in question.choice_options],
                    widget=forms.RadioSelect,
                    required=False,
                    label=item,
                )
                value = stored(item)
                self.initial[name] = value.text if value else None
                spec.cells.append(Cell(name, item, item))
        elif qtype == QuestionType.MULTIPLE_CHOICE:
            name = field_name(question)
            self.fields[name] = forms.MultipleChoiceField(
                choices=[(item, item) for item in question.items],
                widget=forms.CheckboxSelectMultiple,
                required=False,
                label=question.text,
            )
            self.initial[name] = [
                item
                for item in question.items
                if (v := stored(item)) is not None and v.text == TICKED
            ]
            spec.cells.append(Cell(name, ""))
            spec.exclusive = exclusive_items(question)
        elif qtype in NUMBER_TYPES:
            name = field_name(question)
            self.fields[name] = forms.CharField(
                required=False,
                label=_("Percent")
                if qtype == QuestionType.PERCENTAGE
                else _("Amount (kr)")
                if qtype == QuestionType.MONEY
                else _("Number"),
                max_length=NUMBER_MAX_LENGTH,
                error_messages={"max_length": number_message(question)},
                widget=forms.TextInput(
                    attrs={"inputmode": "numeric", "autocomplete": "off", "size": 12}
                ),
            )
            value = stored("")
            if value is None or value.number is None:
                self.initial[name] = ""
            elif qtype == QuestionType.MONEY:
                # Kronor read more easily in groups: "15 460 474".
                self.initial[name] = format_thousands(value.number)
            else:
                self.initial[name] = str(value.number)
            spec.cells.append(Cell(name, ""))
            if qtype in ESTIMABLE_TYPES:
                ce_name = f"{name}_ce"
                self.fields[ce_name] = forms.BooleanField(
                    required=False, label=question.cannot_estimate_label
                )
                self.initial[ce_name] = bool(value and value.cannot_estimate)
                spec.cannot_estimate = ce_name
        elif qtype == QuestionType.COUNT_PER_OPTION:
            for index, cell in enumerate(question.cells):
                name = field_name(question, index)
                self.fields[name] = forms.CharField(
                    required=False,
                    label=cell["label"],
                    max_length=NUMBER_MAX_LENGTH,
                    error_messages={"max_length": number_message(question)},
                    widget=forms.TextInput(
                        attrs={"inputmode": "numeric", "autocomplete": "off", "size": 6}
                    ),
                )
                value = stored(cell["label"])
                self.initial[name] = (
                    str(value.number) if value and value.number is not None else ""
                )
                spec.cells.append(Cell(name, cell["label"], cell["label"]))
            spec.grid = count_grid(question.cells, spec.cells)
        else:  # free text, one box per item if any
            items = question.items or [""]
            for index, item in enumerate(items):
                name = field_name(question, index if question.items else None)
                max_length = limits.get("max_length")
                self.fields[name] = forms.CharField(
                    required=False,
                    label=item or _("Your answer"),
                    widget=forms.Textarea(attrs={"rows": 2 if max_length else 4})
                    if not max_length or max_length > 300
                    else forms.TextInput(),
                )
                value = stored(item)
                self.initial[name] = value.text if value else ""
                spec.cells.append(
                    Cell(name, item, item, format=text_format(question, item))
                )
        return spec

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        self.values: dict[tuple[str, str], Value | None] = {}
        self.confirmations: dict[tuple[str, str], bool] = {
            (code, cell.item): bool(cleaned.get(cell.confirm))
            for code, spec in self.layout.items()
            for cell in spec.cells
            if cell.confirm
        }
        for code, spec in self.layout.items():
            question = spec.question
            if question.type == QuestionType.MULTIPLE_CHOICE:
                ticked = set(cleaned.get(spec.cells[0].name) or [])
                problem = ticks_problem(question, ticked)
                if problem:
                    self.add_error(spec.cells[0].name, problem)
                for item in question.items:
                    self.values[(code, item)] = (
                        Value(text=TICKED if item in ticked else "") if ticked else None
                    )
                continue
            if spec.cannot_estimate and cleaned.get(spec.cannot_estimate):
                # A figure and the tick together: refused, so that neither is lost
                # without the respondent seeing it (the script clears the figure).
                raw = (cleaned.get(spec.cells[0].name) or "").strip()
                try:
                    self.values[(code, "")] = check_value(
                        question, Value(text=raw, cannot_estimate=True)
                    )
                except AnswerError as exc:
                    self.add_error(spec.cells[0].name, str(exc))
                continue
            for cell in spec.cells:
                raw = cleaned.get(cell.name) or ""
                try:
                    self.values[(code, cell.item)] = parse_written(
                        question, cell.item, raw
                    )
                except AnswerError as exc:
                    self.add_error(cell.name, str(exc))
        return cleaned
