"""Reads of responses: status rows of an organisation, an area or a questionnaire, and
the progress per section."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, QuerySet

from regions.models import Organisation
from surveys import deadlines
from surveys.answers import Value, missing_items, visible_questions
from surveys.frames import (
    frame_organisations,
    newest_opened,
    questionnaire_has_opened,
)
from surveys.models import Question, Questionnaire, Response, Section
from surveys.models.questionnaire import MUNICIPAL_VIA_RSS_KEY
from surveys.selectors.questionnaires import questionnaires_for_organisation


@dataclass
class StatusRow:
    """A questionnaire (or organisation) with the status of its response."""

    questionnaire: Questionnaire
    organisation: Organisation
    response: Response | None
    answered: int
    # Before the opening date: the day it opens (the page shows only that, no form).
    opens_on: datetime.date | None = None

    @property
    def status(self) -> str:
        if self.response is None or (
            not self.response.is_submitted and self.answered == 0
        ):
            return "not_started"
        return self.response.status


def _status_rows(
    pairs: list[tuple[Questionnaire, Organisation]], responses: QuerySet
) -> list[StatusRow]:
    """A status row per (questionnaire, organisation) pair; responses read in one query."""
    found = {
        (r.questionnaire_id, r.organisation_id): r
        for r in responses.annotate(answered=Count("answers__question", distinct=True))
    }
    rows = []
    today = deadlines.stockholm_today()
    for questionnaire, organisation in pairs:
        response = found.get((questionnaire.pk, organisation.pk))
        answered = response.answered if response is not None else 0
        opens_on = (
            None
            if questionnaire_has_opened(questionnaire, today)
            else questionnaire.opens_on
        )
        rows.append(
            StatusRow(questionnaire, organisation, response, answered, opens_on)
        )
    return rows


def status_rows_for_organisation(organisation: Organisation) -> list[StatusRow]:
    """The start page: each questionnaire of the organisation and its status."""
    questionnaires = list(questionnaires_for_organisation(organisation))
    return _status_rows(
        [(q, organisation) for q in questionnaires],
        Response.objects.filter(
            organisation=organisation, questionnaire__in=questionnaires
        ),
    )


def area_status_rows(rss: Organisation) -> list[StatusRow]:
    """An RSS coordinator's view: the municipal questionnaire per municipality of the area."""
    questionnaire = newest_opened(
        Questionnaire.objects.filter(is_current=True, key=MUNICIPAL_VIA_RSS_KEY)
    )
    if questionnaire is None:
        return []
    municipalities = list(rss.municipalities.order_by("code"))
    return _status_rows(
        [(questionnaire, m) for m in municipalities],
        Response.objects.filter(
            questionnaire=questionnaire, organisation__in=municipalities
        ),
    )


@dataclass
class SectionProgress:
    section: Section
    answered: int
    total: int

    @property
    def complete(self) -> bool:
        return self.answered == self.total


def progress(
    sections: list[Section],
    questions: list[Question],
    answers: dict[tuple[str, str], Value],
    shown: list[Question] | None = None,
) -> list[SectionProgress]:
    """Answered and shown questions per section, given the answers (`shown`: the
    visible questions, if the caller has them already)."""
    if shown is None:
        shown = visible_questions(questions, answers)
    counts = {section.pk: [0, 0] for section in sections}
    for question in shown:
        count = counts.get(question.section_id)
        if count is not None:
            count[1] += 1
            if not missing_items(question, answers):
                count[0] += 1
    return [SectionProgress(section, *counts[section.pk]) for section in sections]


def status_rows_for_questionnaire(questionnaire: Questionnaire) -> list[StatusRow]:
    """Staff: every organisation of the questionnaire's frame with its status."""
    organisations = (
        frame_organisations(questionnaire)
        .select_related("county", "rss")
        .order_by("code")
    )
    return _status_rows(
        [(questionnaire, o) for o in organisations],
        Response.objects.filter(questionnaire=questionnaire),
    )
