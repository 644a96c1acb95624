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


def summary_saved_at(
    *, response: Response, summary: Question
) -> datetime.datetime | None:
    """When the RSS last changed its summary (any of its boxes); None: not written."""
    latest: datetime.datetime | None = Answer.objects.filter(
        response=response, question=summary
    ).aggregate(latest=Max("updated_at"))["latest"]
    return latest


def is_new_since(row: AreaRow, saved_at: datetime.datetime | None) -> bool:
    """Whether a municipality's answer arrived or changed after the summary was saved."""
    return saved_at is not None and any(
        a.arrived_at > saved_at for a in row.answers.values()
    )


@dataclass(frozen=True)
class AreaSummary:
    """The RSS summary question of a municipal question, and the area's summary."""

    summary: Question
    # The area's response to the RSS questionnaire (None: not started).
    response: Response | None
    saved_at: datetime.datetime | None


def area_summary(*, question: Question, rss: Organisation) -> AreaSummary | None:
    """The current RSS questionnaire's question that summarises this municipal question,
    with the area's response and when its summary was last saved (3 queries); None
    when no RSS question summarises it."""
    summary = (
        Question.objects.filter(
            source=question,
            type=QuestionType.FREE_TEXT,
            questionnaire__is_current=True,
            questionnaire__audience=Questionnaire.Audience.RSS,
        )
        .select_related("questionnaire")
        .first()
    )
    if summary is None:
        return None
    response = Response.objects.filter(
        questionnaire=summary.questionnaire, organisation=rss
    ).first()
    saved_at = (
        summary_saved_at(response=response, summary=summary)
        if response is not None
        else None
    )
    return AreaSummary(summary, response, saved_at)


def area_rows_filter(
    rows: Iterable[AreaRow],
    *,
    status: str | None = None,
    organisation_code: str | None = None,
    search: str = "",
    new_since: datetime.datetime | None = None,
) -> list[AreaRow]:
    """The rows with the status (submitted, draft, no_answer), of the municipality, whose
    answer contains the search text (any case), and new since the time (None: any)."""
    needle = search.strip().casefold()
    kept = []
    for row in rows:
        if status and row.status != status:
            continue
        if organisation_code and row.organisation.code != organisation_code:
            continue
        if needle and not any(
            needle in a.text.casefold() for a in row.answers.values()
        ):
            continue
        if new_since is not None and not is_new_since(row, new_since):
            continue
        kept.append(row)
    return kept


def summary_statuses(
    *, response: Response, summaries: Iterable[Question]
) -> dict[str, SummaryStatus]:
    """For an RSS's response: per summary question (by code) the area's answers to the
    question it summarises, and how many arrived or changed after the summary was last
    saved. Questions that summarise nothing are left out. Four queries per municipal
    questionnaire summarised (one in practice), whatever the number of questions."""
    if response.organisation.kind != Organisation.Kind.RSS:
        return {}
    pairs = [
        (summary, summary.source)
        for summary in summaries
        if summary.type == QuestionType.FREE_TEXT and summary.source is not None
    ]
    if not pairs:
        return {}
    saved = dict(
        Answer.objects.filter(
            response=response, question__in=[summary.pk for summary, _ in pairs]
        )
        .values("question_id")
        .annotate(latest=Max("updated_at"))
        .values_list("question_id", "latest")
    )
    result: dict[str, SummaryStatus] = {}
    by_questionnaire: dict[int, list[tuple[Question, Question]]] = {}
    for summary, source in pairs:
        by_questionnaire.setdefault(source.questionnaire_id, []).append(
            (summary, source)
        )
    for questionnaire_id, group in by_questionnaire.items():
        questionnaire = Questionnaire.objects.get(pk=questionnaire_id)
        municipalities = frame_organisations(questionnaire).filter(
            rss=response.organisation
        )
        size = municipalities.count()
        answers = free_text_answers(
            questionnaire=questionnaire,
            questions=[source for _, source in group],
            organisations=municipalities,
        )
        for summary, source in group:
            saved_at = saved.get(summary.pk)
            status: dict[int, str] = {}
            new: set[int] = set()
            for answer in answers:
                if answer.question_id != source.pk:
                    continue
                status[answer.organisation_id] = answer.status
                if saved_at is not None and answer.arrived_at > saved_at:
                    new.add(answer.organisation_id)
            statuses = list(status.values())
            result[summary.code] = SummaryStatus(
                summary=summary,
                source=source,
                municipalities=size,
                submitted=statuses.count(Response.Status.SUBMITTED),
                drafts=statuses.count(Response.Status.DRAFT),
                saved_at=saved_at,
                new_since_saved=len(new),
            )
    return result


def summary_status(*, response: Response, summary: Question) -> SummaryStatus | None:
    """summary_statuses for one summary question; None if it summarises nothing."""
    return summary_statuses(response=response, summaries=[summary]).get(summary.code)
