"""The raw answers of a questionnaire: one row per organisation with a response (drafts
too), its county, RSS, status and submission, then one column per question and item.

CSV: for further work (English column names, the status as stored); XLSX: for reading
(the question texts as a second header row, numbers as numbers, the submission time as a
date). Free text in full.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from reports.documents.base import Document
from reports.formats import Progress
from reports.spreadsheets import (
    COUNT_FORMAT,
    PERCENT_FORMAT,
    CellValue,
    Sheet,
    csv_bytes,
    xlsx_bytes,
)
from surveys.models import Answer, Question, Questionnaire, QuestionType, Response

CSV_HEADER = [
    "organisation_code",
    "organisation",
    "county",
    "rss",
    "status",
    "submitted_at",
    "submitted_by",
]
# The same columns as the XLSX shows them.
LABELS = [
    "Kod",
    "Organisation",
    "Län",
    "RSS",
    "Status",
    "Inskickad",
    "Inskickad av",
]


@dataclass
class AnswerColumn:
    question: Question
    item: str

    @property
    def code(self) -> str:
        """ "12" or "12: <item>"."""
        return f"{self.question.code}: {self.item}" if self.item else self.question.code


@dataclass
class AnswerTable:
    """The raw answers of a questionnaire: a row per response, a column per cell."""

    columns: list[AnswerColumn]
    # (response, {column index: value})
    rows: list[tuple[Response, dict[int, CellValue]]]


def answer_value(
    question: Question, text: str, number: int | None, cannot_estimate: bool
) -> CellValue:
    """An answer as a spreadsheet holds it: the choice or text as written, a number as
    a number, the cannot-estimate label, "Ja" or "." for an alternative."""
    if cannot_estimate:
        return question.cannot_estimate_label or ""
    if question.type == QuestionType.MULTIPLE_CHOICE:
        return text or "."
    if number is not None:
        return number
    return text


def answer_table(*, questionnaire: Questionnaire) -> AnswerTable:
    """Every response of the questionnaire (drafts too) with all its answers (3 queries)."""
    questions = list(questionnaire.questions.order_by("position"))
    responses = list(
        Response.objects.filter(questionnaire=questionnaire)
        .select_related("organisation__county", "organisation__rss", "submitted_by")
        .order_by("organisation__code")
    )
    answers = list(
        Answer.objects.filter(response__questionnaire=questionnaire)
        .order_by("pk")
        .values_list(
            "response_id", "question_id", "item", "text", "number", "cannot_estimate"
        )
    )
    # Items answered that the definition no longer lists still get a column (after the
    # question's own), so that nothing stored is left out.
    stored = {(question_id, item) for _r, question_id, item, *_rest in answers}
    columns: list[AnswerColumn] = []
    for question in questions:
        items = question.answer_items
        extra = sorted(
            item
            for question_id, item in stored
            if question_id == question.pk and item not in items
        )
        columns += [AnswerColumn(question, item) for item in [*items, *extra]]
    index = {(c.question.pk, c.item): i for i, c in enumerate(columns)}
    by_pk = {question.pk: question for question in questions}
    values: dict[int, dict[int, CellValue]] = {r.pk: {} for r in responses}
    for response_id, question_id, item, text, number, cannot_estimate in answers:
        values[response_id][index[(question_id, item)]] = answer_value(
            by_pk[question_id], text, number, cannot_estimate
        )
    return AnswerTable(columns, [(r, values[r.pk]) for r in responses])


def _response_cells(response: Response, *, readable: bool) -> list[CellValue]:
    organisation = response.organisation
    submitted_at = (
        timezone.localtime(response.submitted_at).replace(microsecond=0)
        if response.submitted_at
        else None
    )
    by = response.submitted_by.get_username() if response.submitted_by else ""
    return [
        organisation.code,
        organisation.name,
        organisation.county.name,
        organisation.rss.name if organisation.rss else "",
        response.get_status_display() if readable else response.status,
        (
            submitted_at.replace(tzinfo=None)
            if readable
            else submitted_at.strftime("%Y-%m-%d %H:%M")
        )
        if submitted_at
        else None,
        by,
    ]


def answers_csv(*, questionnaire: Questionnaire, excel: bool) -> bytes:
    """One row per organisation with a response (drafts too); the organisation, its
    county and RSS, status, submission; then one column per question and item."""
    table = answer_table(questionnaire=questionnaire)
    header = CSV_HEADER + [column.code for column in table.columns]
    rows = (
        _response_cells(response, readable=False)
        + [cells.get(i) for i in range(len(table.columns))]
        for response, cells in table.rows
    )
    return csv_bytes(header, rows, excel=excel)


NUMBER_FORMATS: dict[str, str] = {
    QuestionType.PERCENTAGE: PERCENT_FORMAT,
    QuestionType.COUNT: COUNT_FORMAT,
    QuestionType.INTEGER: COUNT_FORMAT,
    QuestionType.COUNT_PER_OPTION: COUNT_FORMAT,
}


def answers_xlsx(
    *, questionnaire: Questionnaire, progress: Progress | None = None
) -> bytes:
    """The raw answers of the CSV as one sheet, with the question texts as a second
    header row, numbers as numbers and the submission time as a date."""
    table = answer_table(questionnaire=questionnaire)
    fixed = len(LABELS)
    with translation.override("sv"):
        rows = [
            _response_cells(response, readable=True)
            + [cells.get(i) for i in range(len(table.columns))]
            for response, cells in table.rows
        ]
    formats = {
        fixed + i: NUMBER_FORMATS[column.question.type]
        for i, column in enumerate(table.columns)
        if column.question.type in NUMBER_FORMATS
    }
    sheet = Sheet(
        name=f"Svar {questionnaire.key} {questionnaire.cycle.year}",
        title=[questionnaire.title],
        header=[
            LABELS + [column.code for column in table.columns],
            [None] * fixed + [column.question.text for column in table.columns],
        ],
        rows=rows,
        freeze_columns=2,
        number_formats=formats,
        wrap_header=(True, False),
    )
    return xlsx_bytes([sheet], progress=progress)


DOCUMENT = Document(
    key="answers",
    label=_("Raw answers"),
    stem="svar",
    builders={
        "xlsx": lambda source: answers_xlsx(
            questionnaire=source.questionnaire, progress=source.progress
        ),
        "csv": lambda source: answers_csv(
            questionnaire=source.questionnaire, excel=False
        ),
        "csv-excel": lambda source: answers_csv(
            questionnaire=source.questionnaire, excel=True
        ),
    },
)
