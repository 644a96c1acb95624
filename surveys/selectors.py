"""Reads for the surveys pages."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet

from regions.models import Organisation
from surveys.answers import Value, missing_items, visible_questions
from surveys.models import Question, Questionnaire, Response, Section


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
    return (
        Questionnaire.objects.filter(is_current=True, audience__in=audiences)
        .select_related("cycle")
        .order_by("-cycle__year", "audience")
    )


@dataclass
class StatusRow:
    """A questionnaire (or organisation) with the status of its response."""

    questionnaire: Questionnaire
    organisation: Organisation
    response: Response | None
    answered: int

    @property
    def status(self) -> str:
        if self.response is None or (
            not self.response.is_submitted and self.answered == 0
        ):
            return "not_started"
        return self.response.status


def _answered_counts(responses: list[Response]) -> dict[int, int]:
    rows = (
        Response.objects.filter(pk__in=[r.pk for r in responses])
        .annotate(n=Count("answers__question", distinct=True))
        .values_list("pk", "n")
    )
    return dict(rows)


def status_rows_for_organisation(organisation: Organisation) -> list[StatusRow]:
    """The start page: each questionnaire of the organisation and its status."""
    questionnaires = list(questionnaires_for_organisation(organisation))
    responses = {
        r.questionnaire_id: r
        for r in Response.objects.filter(
            organisation=organisation, questionnaire__in=questionnaires
        )
    }
    counts = _answered_counts(list(responses.values()))
    return [
        StatusRow(
            q,
            organisation,
            responses.get(q.pk),
            counts.get(responses[q.pk].pk, 0) if q.pk in responses else 0,
        )
        for q in questionnaires
    ]


def area_status_rows(rss: Organisation) -> list[StatusRow]:
    """An RSS coordinator's view: the municipal questionnaire per municipality of the area."""
    questionnaire = (
        Questionnaire.objects.filter(
            is_current=True, audience=Questionnaire.Audience.MUNICIPALITY
        )
        .select_related("cycle")
        .order_by("-cycle__year")
        .first()
    )
    if questionnaire is None:
        return []
    municipalities = list(rss.municipalities.order_by("code"))
    responses = {
        r.organisation_id: r
        for r in Response.objects.filter(
            questionnaire=questionnaire, organisation__in=municipalities
        )
    }
    counts = _answered_counts(list(responses.values()))
    return [
        StatusRow(
            questionnaire,
            m,
            responses.get(m.pk),
            counts.get(responses[m.pk].pk, 0) if m.pk in responses else 0,
        )
        for m in municipalities
    ]


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
        frame = Organisation.objects.filter(
            kind=questionnaire.organisation_kind
        ).count()
        rows.append({"questionnaire": questionnaire, "frame": frame})
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
    """Staff: every organisation of the questionnaire's audience with its status."""
    organisations = list(
        Organisation.objects.filter(kind=questionnaire.organisation_kind)
        .select_related("county", "rss")
        .order_by("code")
    )
    responses = {
        r.organisation_id: r
        for r in Response.objects.filter(questionnaire=questionnaire)
    }
    counts = _answered_counts(list(responses.values()))
    return [
        StatusRow(
            questionnaire,
            o,
            responses.get(o.pk),
            counts.get(responses[o.pk].pk, 0) if o.pk in responses else 0,
        )
        for o in organisations
    ]
