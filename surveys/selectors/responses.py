"""Reads for the surveys pages."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from regions.models import Organisation
from surveys.answers import Value, missing_items, visible_questions
from surveys.frames import (
    frame_organisations,
    frame_size,
    newest_opened,
    questionnaire_has_opened,
    questionnaires_for,
)
from surveys.models import Question, Questionnaire, Response, Section
from surveys.services import responses as responses_service


def questionnaires_for_organisation(organisation: Organisation) -> QuerySet:
    """The current questionnaires this organisation answers, newest cycle first."""
    audiences = {
        Organisation.Kind.REGION: [Questionnaire.Audience.REGION],
        Organisation.Kind.RSS: [Questionnaire.Audience.RSS],
        Organisation.Kind.MUNICIPALITY: [
            Questionnaire.Audience.MUNICIPALITY,
            Questionnaire.Audience.EXTRA,
        ],
    }[organisation.kind]
    # Who each questionnaire is for is surveys.frames' rule (a chosen set or all).
    return (
        questionnaires_for(
            Questionnaire.objects.filter(is_current=True, audience__in=audiences),
            organisation,
        )
        .select_related("cycle")
        .order_by("-cycle__year", "audience", "opens_on", "pk")
    )


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
    today = responses_service.stockholm_today()
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
        Questionnaire.objects.filter(
            is_current=True, audience=Questionnaire.Audience.MUNICIPALITY
        )
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


def questionnaire_overview() -> list[dict]:
    """Staff: each current questionnaire with its counts of drafts and submissions."""
    rows = []
    for questionnaire in (
        Questionnaire.objects.filter(is_current=True)
        .select_related("cycle")
        .annotate(
            submitted=Count("responses", filter=Q(responses__status="submitted")),
            drafts=Count("responses", filter=Q(responses__status="draft")),
        )
        .order_by("-cycle__year", "audience")
    ):
        rows.append(
            {"questionnaire": questionnaire, "frame": frame_size(questionnaire)}
        )
    return rows


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
) -> list[SectionProgress]:
    """Answered and shown questions per section, given the answers."""
    shown = visible_questions(questions, answers)
    result = []
    for section in sections:
        in_section = [q for q in shown if q.section_id == section.pk]
        answered = sum(1 for q in in_section if not missing_items(q, answers))
        result.append(SectionProgress(section, answered, len(in_section)))
    return result


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


@dataclass(frozen=True)
class CompilationStatus:
    """An RSS area's municipalities, by whether their municipal questionnaire is submitted."""

    submitted: list[Organisation]
    missing: list[Organisation]

    @property
    def total(self) -> int:
        return len(self.submitted) + len(self.missing)

    @property
    def missing_names(self) -> list[str]:
        """The names as printed ("Karlshamn") of the municipalities not submitted."""
        return [m.name for m in self.missing]


def compilation_status(response: Response) -> CompilationStatus | None:
    """For an RSS's response to the RSS questionnaire: which municipalities of its area
    have submitted the cycle's current municipal questionnaire (1 query); else None."""
    if (
        response.questionnaire.audience != Questionnaire.Audience.RSS
        or response.organisation.kind != Organisation.Kind.RSS
    ):
        return None
    municipal = (
        Questionnaire.objects.filter(
            cycle_id=response.questionnaire.cycle_id,
            audience=Questionnaire.Audience.MUNICIPALITY,
            is_current=True,
        )
        .order_by("-version")
        .values("pk")[:1]
    )
    submitted = Response.objects.filter(
        organisation=OuterRef("pk"),
        questionnaire=Subquery(municipal),
        status=Response.Status.SUBMITTED,
    )
    municipalities = Organisation.objects.filter(
        rss_id=response.organisation_id, kind=Organisation.Kind.MUNICIPALITY
    ).annotate(has_submitted=Exists(submitted))
    status = CompilationStatus(submitted=[], missing=[])
    for municipality in municipalities.order_by("code"):
        group = status.submitted if municipality.has_submitted else status.missing
        group.append(municipality)
    return status


def questionnaire_of_cycle(*, year: int, audience: str) -> Questionnaire:
    """The current questionnaire of a cycle's audience loaded from its definition file.

    Extra questions made on the web may also be current for the "extra" audience; the
    one from `<year>/<audience>.yaml` is the questionnaire of that name. Raises
    Questionnaire.DoesNotExist when there is none.
    """
    current = Questionnaire.objects.filter(
        cycle__year=year, audience=audience, is_current=True
    ).select_related("cycle")
    found = current.filter(source_file=f"{year}/{audience}.yaml").first()
    if found is None:
        found = current.order_by("pk").first()
    if found is None:
        raise Questionnaire.DoesNotExist(
            f"no current {audience} questionnaire in {year}"
        )
    return found
