"""The blank printable questionnaire (PDF): every question with tick boxes, grids and
space for free text, and the condition under which a follow-up question is answered."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from regions.models import Organisation
from reports.documents.base import Document
from reports.pdf import html_to_pdf, render_document
from surveys.deadlines import deadline_in_text, response_deadline, swedish_date
from surveys.models import Question, Questionnaire, QuestionType
from surveys.models.questionnaire import ANSWERED_OPTION, TICKED

ORGANISATION_LABELS: dict[str, str] = {
    Questionnaire.Audience.REGION: "Region",
    Questionnaire.Audience.RSS: "RSS",
    Questionnaire.Audience.MUNICIPALITY: "Kommun",
    Questionnaire.Audience.EXTRA: "Kommun",
}
CODE_LABELS: dict[str, str] = {
    Questionnaire.Audience.REGION: "Regionkod (länskod)",
    Questionnaire.Audience.RSS: "RSS-kod",
    Questionnaire.Audience.MUNICIPALITY: "Kommunkod",
    Questionnaire.Audience.EXTRA: "Kommunkod",
}


def follow_up_lead(question: Question, by_code: dict[str, Question]) -> str:
    """ "Om du svarat ”Ja” på fråga 12:" for a question shown after a given answer."""
    condition = question.show_if or {}
    code = condition.get("question")
    if not code:
        return ""
    equals = condition.get("equals", "")
    item = condition.get("item")
    parent = by_code.get(code)
    if item and parent is not None and parent.type == QuestionType.MULTIPLE_CHOICE:
        if equals == TICKED:
            return f"Om du kryssat för ”{item}” på fråga {code}:"
        return f"Om du inte kryssat för ”{item}” på fråga {code}:"
    if item:
        return f"Om du svarat ”{equals}” för ”{item}” på fråga {code}:"
    return f"Om du svarat ”{equals}” på fråga {code}:"


@dataclass
class PrintedQuestion:
    question: Question
    # "choice", "multiple", "matrix", "number", "text", "count_grid", "count_list"
    shape: str
    lead: str
    options: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)
    unit: str = ""
    cannot_estimate: str = ""
    lines: int = 0
    # count_per_option: the grid's rows (item, [cell label or "" per option]).
    grid: list[tuple[str, list[bool]]] = field(default_factory=list)
    answered_label: str = ""


def _free_text_lines(question: Question) -> int:
    limit = (question.validation or {}).get("max_length")
    if limit and limit <= 200:
        return 1
    return 3 if question.items else 6


def _count_cells(question: Question) -> PrintedQuestion:
    """A count-per-option question as a grid (items × options) or a list of counts."""
    cells = [c for c in question.cells or [] if c.get("option") != ANSWERED_OPTION]
    answered = next(
        (c for c in question.cells or [] if c.get("option") == ANSWERED_OPTION), None
    )
    options: list[str] = []
    items: list[str] = []
    for cell in cells:
        if cell["option"] not in options:
            options.append(cell["option"])
        if cell["item"] not in items:
            items.append(cell["item"])
    present = {(c["item"], c["option"]) for c in cells}
    printed = PrintedQuestion(question=question, shape="count_grid", lead="")
    if answered is not None:
        printed.answered_label = answered.get("label", "")
    if options == [TICKED] or len(options) <= 1:
        printed.shape = "count_list"
        printed.items = [c["label"] if not c["item"] else c["item"] for c in cells]
        return printed
    if items == [""]:
        printed.shape = "count_list"
        printed.items = options
        return printed
    printed.options = options
    printed.grid = [
        (item, [(item, option) in present for option in options]) for item in items
    ]
    return printed


def printed_question(
    question: Question, by_code: dict[str, Question]
) -> PrintedQuestion:
    """How a question is drawn on the blank form."""
    lead = follow_up_lead(question, by_code)
    kind = question.type
    if kind in (
        QuestionType.YES_NO,
        QuestionType.YES_PARTLY_NO,
        QuestionType.SINGLE_CHOICE,
    ):
        return PrintedQuestion(
            question, "choice", lead, options=question.choice_options
        )
    if kind == QuestionType.MULTIPLE_CHOICE:
        return PrintedQuestion(question, "multiple", lead, items=list(question.items))
    if kind == QuestionType.MATRIX:
        return PrintedQuestion(
            question,
            "matrix",
            lead,
            options=question.choice_options,
            items=list(question.items),
        )
    if kind == QuestionType.PERCENTAGE:
        return PrintedQuestion(
            question,
            "number",
            lead,
            unit="%",
            cannot_estimate=question.cannot_estimate_label or "",
        )
    if kind == QuestionType.COUNT:
        return PrintedQuestion(
            question,
            "number",
            lead,
            unit="antal",
            cannot_estimate=question.cannot_estimate_label or "",
        )
    if kind == QuestionType.INTEGER:
        return PrintedQuestion(question, "number", lead, unit="antal")
    if kind == QuestionType.MONEY:
        return PrintedQuestion(question, "number", lead, unit="kr")
    if kind == QuestionType.COUNT_PER_OPTION:
        printed = _count_cells(question)
        printed.lead = lead
        return printed
    # Free text, and any type added later: room to write.
    return PrintedQuestion(
        question,
        "text",
        lead,
        items=list(question.items or []),
        lines=_free_text_lines(question),
    )


def questionnaire_html(
    *,
    questionnaire: Questionnaire,
    organisation: Organisation | None = None,
    deadline: datetime.date | None = None,
) -> str:
    """The blank printable questionnaire: every question with boxes, grids and lines.

    Printed with a deadline (an extension's), or for an organisation (its deadline), it
    gives that date, also where the introduction names the closing date; else the
    questionnaire's.
    """
    if deadline is None:
        deadline = (
            response_deadline(
                questionnaire=questionnaire, organisation_id=organisation.pk
            )
            if organisation is not None
            else questionnaire.closes_on
        )
    questions = list(questionnaire.questions.order_by("position"))
    by_code = {q.code: q for q in questions}
    sections = []
    for section in questionnaire.sections.order_by("position"):
        printed = [
            printed_question(q, by_code)
            for q in questions
            if q.section_id == section.pk
        ]
        sections.append({"section": section, "questions": printed})
    return render_document(
        "questionnaire.html",
        {
            "title": questionnaire.title,
            "questionnaire": questionnaire,
            "year": questionnaire.cycle.year,
            "closes_on": swedish_date(deadline),
            "introduction": deadline_in_text(
                questionnaire.introduction,
                closes_on=questionnaire.closes_on,
                deadline=deadline,
            ),
            "opens_on": swedish_date(questionnaire.opens_on),
            "organisation_label": ORGANISATION_LABELS.get(
                questionnaire.audience, "Organisation"
            ),
            "code_label": CODE_LABELS.get(questionnaire.audience, "Organisationskod"),
            "sections": sections,
        },
    )


def questionnaire_pdf(
    *,
    questionnaire: Questionnaire,
    organisation: Organisation | None = None,
    deadline: datetime.date | None = None,
) -> bytes:
    return html_to_pdf(
        questionnaire_html(
            questionnaire=questionnaire, organisation=organisation, deadline=deadline
        )
    )


def _deadline_of(params: Mapping[str, object]) -> datetime.date | None:
    """The deadline a blank form is printed with (params "deadline", ISO date)."""
    value = params.get("deadline")
    return datetime.date.fromisoformat(str(value)) if value else None


DOCUMENT = Document(
    key="questionnaire",
    label=_("Blank questionnaire"),
    stem="blankett",
    builders={
        "pdf": lambda source: questionnaire_pdf(
            questionnaire=source.questionnaire,
            organisation=source.organisation,
            deadline=_deadline_of(source.params or {}),
        ),
    },
)
