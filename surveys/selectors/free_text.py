"""Reads of free-text answers: every answer to a free-text question, with who gave it.

`free_text_answers` is the one read of "all free-text answers of a questionnaire (or some
of its questions), with organisation, county, RSS, status and source": the RSS
coordinator's area page, the exports and the staff's theme coding all start from it.
`area_free_text` adds the municipalities of an area without an answer, and
`summary_status` tells an RSS summary question how many answers it summarises and how
many arrived or changed after the summary was last saved.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Max, QuerySet

from regions.models import Organisation
from surveys.frames import frame_organisations
from surveys.models import Answer, Question, Questionnaire, QuestionType, Response

# The status of an organisation that has no answer to the question (no response, a
# response without that answer, or a follow-up that did not apply).
NO_ANSWER = "no_answer"


@dataclass(frozen=True)
class FreeTextAnswer:
    """One non-empty free-text answer (one box: a question, or one item of it)."""

    answer_id: int
    question_id: int
    question_code: str
    # '' for a question without items.
    item: str
    text: str
    # When the answer was last changed.
    updated_at: datetime.datetime
    response_id: int
    # Response.Status: "submitted" or "draft".
    status: str
    # Response.Source: "web", "paper" (entered by the RSS) or "import".
    source: str
    submitted_at: datetime.datetime | None
    organisation_id: int
    organisation_code: str
    # As printed in tables ("Upplands Väsby", "Stockholm").
    organisation: str
    organisation_kind: str
    county_code: str
    county: str
    # '' for organisations outside an RSS area (regions, RSS).
    rss_code: str
    rss: str

    @property
    def is_submitted(self) -> bool:
        return self.status == Response.Status.SUBMITTED

    @property
    def is_paper(self) -> bool:
        return self.source == Response.Source.PAPER

    @property
    def arrived_at(self) -> datetime.datetime:
        """When the answer last changed or was (again) submitted, whichever is later."""
        if self.submitted_at is not None and self.submitted_at > self.updated_at:
            return self.submitted_at
        return self.updated_at


def free_text_questions(questionnaire: Questionnaire) -> list[Question]:
    """The questionnaire's free-text questions in order, without the contact details
    (personal data is not read or summarised as answers)."""
    return list(
        questionnaire.questions.filter(
            type=QuestionType.FREE_TEXT, personal_data=False
        ).order_by("position")
    )


def free_text_answers(
    *,
    questionnaire: Questionnaire,
    questions: Iterable[Question] | None = None,
    organisations: QuerySet[Organisation] | None = None,
    submitted_only: bool = False,
) -> list[FreeTextAnswer]:
    """The non-empty answers to the questionnaire's free-text questions (one query).

    questions narrows to those questions (default: every free-text question but the
    contact details); organisations narrows to those organisations (an RSS area);
    submitted_only leaves drafts out. Ordered by question, organisation code and the
    item's place in the question.
    """
    chosen = list(questions) if questions is not None else None
    if chosen is None:
        chosen = free_text_questions(questionnaire)
    items = {q.pk: list(q.items or []) for q in chosen}
    position = {q.pk: q.position for q in chosen}
    answers = Answer.objects.filter(
        response__questionnaire=questionnaire, question__in=[q.pk for q in chosen]
    ).exclude(text="")
    if organisations is not None:
        answers = answers.filter(response__organisation__in=organisations.values("pk"))
    if submitted_only:
        answers = answers.filter(response__status=Response.Status.SUBMITTED)
    rows = answers.values_list(
        "pk",
        "question_id",
        "question__code",
        "item",
        "text",
        "updated_at",
        "response_id",
        "response__status",
        "response__source",
        "response__submitted_at",
        "response__organisation_id",
        "response__organisation__code",
        "response__organisation__name",
        "response__organisation__kind",
        "response__organisation__county__code",
        "response__organisation__county__name",
        "response__organisation__rss__code",
        "response__organisation__rss__name",
    )
    result = [
        FreeTextAnswer(*row[:16], rss_code=row[16] or "", rss=row[17] or "")
        for row in rows
    ]

    def order(answer: FreeTextAnswer) -> tuple:
        listed = items.get(answer.question_id, [])
        place = listed.index(answer.item) if answer.item in listed else len(listed)
        return (position[answer.question_id], answer.organisation_code, place)

    result.sort(key=order)
    return result


@dataclass
class AreaRow:
    """A municipality of the area and its answers to one question (by item)."""

    organisation: Organisation
    # Response.Status of its response, or None when it has none.
    response_status: str | None
    response_source: str | None
    # item → the answer ('' for a question without items); only boxes answered.
    answers: dict[str, FreeTextAnswer] = field(default_factory=dict)

    @property
    def status(self) -> str:
        """submitted, draft, or no_answer when none of the question's boxes is answered."""
        if not self.answers:
            return NO_ANSWER
        return next(iter(self.answers.values())).status

    @property
    def is_paper(self) -> bool:
        return self.response_source == Response.Source.PAPER


def area_free_text(*, question: Question, rss: Organisation) -> list[AreaRow]:
    """Every municipality of the RSS area in the question's frame, in code order, with
    its answers to the question; those without an answer are listed too (3 queries)."""
    questionnaire = question.questionnaire
    municipalities = list(
        frame_organisations(questionnaire)
        .filter(rss=rss)
        .select_related("county", "rss")
        .order_by("code")
    )
    responses = {
        organisation_id: (status, source)
        for organisation_id, status, source in Response.objects.filter(
            questionnaire=questionnaire, organisation__in=municipalities
        ).values_list("organisation_id", "status", "source")
    }
    rows = {
        m.pk: AreaRow(m, *responses.get(m.pk, (None, None))) for m in municipalities
    }
    for answer in free_text_answers(
        questionnaire=questionnaire,
        questions=[question],
        organisations=Organisation.objects.filter(pk__in=rows),
    ):
        rows[answer.organisation_id].answers[answer.item] = answer
    return list(rows.values())


@dataclass(frozen=True)
class SummaryStatus:
    """What an RSS summary question summarises: the area's answers to its source."""

    summary: Question
    source: Question
    # Municipalities of the area (in the source's frame).
    municipalities: int
    # Municipalities with at least one answered box, submitted or in a draft.
    submitted: int
    drafts: int
    # When the summary was last changed (None: not written yet).
    saved_at: datetime.datetime | None
    # Municipalities whose answer changed or was submitted after saved_at.
    new_since_saved: int

    @property
    def answered(self) -> int:
        return self.submitted + self.drafts


def summarised_question(summary: Question) -> Question | None:
    """The municipal free-text question an RSS summary question summarises, if any."""
    if summary.type != QuestionType.FREE_TEXT or summary.source_id is None:
        return None
    return summary.source


def summary_status(*, response: Response, summary: Question) -> SummaryStatus | None:
    """For an RSS's response and one of its summary questions: the answers of the RSS
    area to the summarised question, and how many are new since the summary was last
    saved (5 queries); None for a question that summarises nothing."""
    source = summarised_question(summary)
    if source is None:
        return None
    saved_at = Answer.objects.filter(response=response, question=summary).aggregate(
        latest=Max("updated_at")
    )["latest"]
    rows = area_free_text(question=source, rss=response.organisation)
    answered = [row for row in rows if row.answers]
    new = 0
    if saved_at is not None:
        new = sum(
            1
            for row in answered
            if any(a.arrived_at > saved_at for a in row.answers.values())
        )
    return SummaryStatus(
        summary=summary,
        source=source,
        municipalities=len(rows),
        submitted=sum(1 for row in answered if row.status == Response.Status.SUBMITTED),
        drafts=sum(1 for row in answered if row.status == Response.Status.DRAFT),
        saved_at=saved_at,
        new_since_saved=new,
    )
