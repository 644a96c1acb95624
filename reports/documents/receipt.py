"""The receipt ("Kvitto", PDF) of a submitted response: everything the organisation
answered, who submitted it and when. Built for the respondents and by a command, not as
an export job."""

from __future__ import annotations

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from reports.documents.base import Document
from reports.pdf import (
    NO_ANSWER,
    html_to_pdf,
    record_imprint,
    render_document,
    swedish_datetime,
)
from surveys.answers import answered_sections
from surveys.models import Response
from surveys.services import answers_map


def receipt_sections(response: Response) -> list[dict[str, Any]]:
    """The sections with shown questions and their answers, as the summary page shows
    them (surveys.answers.answered_sections); a missing answer is None ("inget svar")."""
    return [
        {"section": section, "rows": rows}
        for section, rows in answered_sections(
            list(response.questionnaire.sections.order_by("position")),
            list(response.questionnaire.questions.order_by("position")),
            answers_map(response),
        )
        if rows
    ]


def _person(user) -> str:
    if user is None:
        return "–"
    name = user.get_full_name() or user.get_username()
    email = getattr(user, "email", "")
    return f"{name} ({email})" if email and email != name else name


def receipt_html(*, response: Response) -> str:
    """Kvitto: everything an organisation answered, who submitted it and when."""
    questionnaire = response.questionnaire
    return render_document(
        "receipt.html",
        {
            # The PDF's title: whose answers, to which questionnaire.
            "title": (
                f"Kvitto: {response.organisation.full_name or response.organisation.name}"
                f", {questionnaire.title}"
            ),
            "imprint": record_imprint(),
            "response": response,
            "organisation": response.organisation,
            "questionnaire": questionnaire,
            "year": questionnaire.cycle.year,
            "submitted": response.is_submitted,
            "submitted_at": (
                swedish_datetime(response.submitted_at) if response.submitted_at else ""
            ),
            "submitted_by": _person(response.submitted_by),
            "printed_at": swedish_datetime(timezone.now()),
            "sections": receipt_sections(response),
            "no_answer": NO_ANSWER,
        },
    )


def receipt_pdf(*, response: Response) -> bytes:
    return html_to_pdf(receipt_html(response=response))


DOCUMENT = Document(
    key="receipt",
    label=_("Receipt"),
    stem="kvitto",
    builders={"pdf": lambda source: receipt_pdf(response=source.answered)},
    needs_response=True,
    exported=False,
)
