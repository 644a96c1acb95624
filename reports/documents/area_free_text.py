"""An RSS area's answers to one free-text question, as the coordinator's page lists them
(its filters kept): XLSX with the municipalities without an answer on a second sheet,
or CSV. Built by an export job from the page's choices (ExportJob.params: rss, question,
status, kommun, sok, nya), never inside the page's request.
"""

from __future__ import annotations

from collections.abc import Mapping

from django.utils.translation import gettext_lazy as _

from regions.models import Organisation
from reports.documents.base import Document, Source
from reports.documents.free_text import Unanswered, free_text_csv, free_text_xlsx
from reports.formats import DocumentError
from surveys.models import Question, Questionnaire
from surveys.selectors.free_text import (
    AreaRow,
    area_free_text,
    area_rows_filter,
    area_summary,
    free_text_questions,
)


def area_rows(source: Source) -> tuple[list[AreaRow], Organisation, Question]:
    """The rows the page lists for these choices, the area and the question."""
    params = source.params or {}
    rss = Organisation.objects.filter(
        kind=Organisation.Kind.RSS, code=str(params.get("rss", ""))
    ).first()
    if rss is None:
        raise DocumentError(f"RSS-området ”{params.get('rss', '')}” finns inte.")
    code = str(params.get("question", ""))
    question = next(
        (q for q in free_text_questions(source.questionnaire) if q.code == code), None
    )
    if question is None:
        raise DocumentError(f"Fritextfrågan ”{code}” finns inte i enkäten.")
    rows = area_free_text(question=question, rss=rss)
    new_since = None
    if params.get("nya"):
        summary = area_summary(question=question, rss=rss)
        new_since = summary.saved_at if summary is not None else None
    listed = area_rows_filter(
        rows,
        status=str(params["status"]) if params.get("status") else None,
        organisation_code=str(params["kommun"]) if params.get("kommun") else None,
        search=str(params.get("sok", "")),
        new_since=new_since,
    )
    return listed, rss, question


def _xlsx(source: Source) -> bytes:
    rows, rss, question = area_rows(source)
    answers = [a for row in rows for a in row.answers.values()]
    return free_text_xlsx(
        answers,
        title=[
            source.questionnaire.title,
            f"{question.code}. {question.text}",
            rss.name,
        ],
        unanswered=[
            Unanswered(
                question.code,
                row.organisation,
                row.response_status,
            )
            for row in rows
            if not row.answers
        ],
        progress=source.progress,
    )


def _csv(source: Source, *, excel: bool) -> bytes:
    rows, _rss, _question = area_rows(source)
    return free_text_csv([a for row in rows for a in row.answers.values()], excel=excel)


def filename_stem(
    questionnaire: Questionnaire,
    organisation: Organisation | None,
    params: Mapping[str, object],
) -> str:
    """ "fritext-RSS-01-2024-K05", as the page's export always named it."""
    return (
        f"fritext-{params.get('rss', '')}-{questionnaire.cycle.year}-"
        f"{params.get('question', '')}"
    )


DOCUMENT = Document(
    key="area_free_text",
    label=_("Free-text answers of an area"),
    stem="fritext",
    builders={
        "xlsx": _xlsx,
        "csv": lambda source: _csv(source, excel=False),
        "csv-excel": lambda source: _csv(source, excel=True),
    },
    exported=False,
    namer=filename_stem,
)
