"""The free-text answers: one row per answer (one box), with who gave it, in full.

CSV `question,item,organisation,county,rss,status,answer` (the status as stored:
`submitted` or `draft`); XLSX the same columns with Swedish headers and statuses, the
questionnaire (and question) above, and optionally a sheet of the organisations without an
answer. Built from surveys.selectors.free_text, for the whole questionnaire (the staff
export page) or a question and an RSS area (the coordinator's page, export_free_text).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.utils import translation
from django.utils.translation import gettext_lazy as _

from regions.models import Organisation
from reports.documents.base import Document
from reports.formats import Progress
from reports.spreadsheets import CellValue, Sheet, csv_bytes, xlsx_bytes
from surveys.models import Questionnaire, Response
from surveys.selectors.free_text import FreeTextAnswer, free_text_answers

CSV_HEADER = ["question", "item", "organisation", "county", "rss", "status", "answer"]
# The same columns as the XLSX shows them.
LABELS = ["Fråga", "Delfråga", "Organisation", "Län", "RSS", "Status", "Svar"]
MISSING_LABELS = ["Fråga", "Organisation", "Län", "RSS", "Enkätens status"]


@dataclass(frozen=True)
class Unanswered:
    """An organisation of the list without an answer to a question."""

    question_code: str
    organisation: Organisation
    # Response.Status of its response, or None when it has none.
    response_status: str | None


def _cells(answer: FreeTextAnswer, *, readable: bool) -> list[CellValue]:
    status: str = answer.status
    if readable:
        status = str(Response.Status(answer.status).label)
    return [
        answer.question_code,
        answer.item,
        answer.organisation,
        answer.county,
        answer.rss,
        status,
        answer.text,
    ]


def free_text_csv(answers: Sequence[FreeTextAnswer], *, excel: bool) -> bytes:
    """The answers as CSV: CSV_HEADER, the status as stored, the text in full."""
    return csv_bytes(
        CSV_HEADER, (_cells(a, readable=False) for a in answers), excel=excel
    )


def free_text_xlsx(
    answers: Sequence[FreeTextAnswer],
    *,
    title: Sequence[str],
    unanswered: Sequence[Unanswered] = (),
    progress: Progress | None = None,
) -> bytes:
    """The answers as one sheet with Swedish headers and statuses (title lines above),
    and a sheet "Utan svar" of the organisations without an answer when given."""
    with translation.override("sv"):
        rows = [_cells(a, readable=True) for a in answers]
        missing = [
            [
                u.question_code,
                u.organisation.name,
                u.organisation.county.name,
                u.organisation.rss.name if u.organisation.rss else "",
                str(Response.Status(u.response_status).label)
                if u.response_status
                else "Inte påbörjad",
            ]
            for u in unanswered
        ]
    sheets = [
        Sheet(
            name="Fritextsvar",
            title=list(title),
            header=[LABELS],
            rows=rows,
            freeze_columns=3,
        )
    ]
    if unanswered:
        sheets.append(
            Sheet(
                name="Utan svar",
                title=list(title),
                header=[MISSING_LABELS],
                rows=missing,
            )
        )
    return xlsx_bytes(sheets, progress=progress)


def _all_csv(questionnaire: Questionnaire, *, excel: bool) -> bytes:
    return free_text_csv(free_text_answers(questionnaire=questionnaire), excel=excel)


def _all_xlsx(questionnaire: Questionnaire, progress: Progress | None) -> bytes:
    return free_text_xlsx(
        free_text_answers(questionnaire=questionnaire),
        title=[questionnaire.title, "Fritextsvar (inskickade svar och utkast)"],
        progress=progress,
    )


DOCUMENT = Document(
    key="free_text",
    label=_("Free-text answers"),
    stem="fritext",
    builders={
        "xlsx": lambda source: _all_xlsx(source.questionnaire, source.progress),
        "csv": lambda source: _all_csv(source.questionnaire, excel=False),
        "csv-excel": lambda source: _all_csv(source.questionnaire, excel=True),
    },
)
