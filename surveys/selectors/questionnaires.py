"""Reads of questionnaires: which an organisation answers, the staff overview, a cycle's."""

from __future__ import annotations

from typing import TypedDict

from django.db.models import Count, Q, QuerySet

from regions.models import Organisation
from surveys.frames import (
    frame_size,
    questionnaires_for,
)
from surveys.models import Questionnaire, ReferenceFigure
from surveys.quality import Reference


class QuestionnaireOverviewRow(TypedDict):
    # Annotated with its counts of `submitted` responses and `drafts`.
    questionnaire: Questionnaire
    # How many organisations it is for.
    frame: int


def questionnaires_for_organisation(
    organisation: Organisation,
) -> QuerySet[Questionnaire]:
    """The current questionnaires this organisation answers, newest cycle first."""
    by_kind: dict[str, list[str]] = {
        Organisation.Kind.REGION: [Questionnaire.Audience.REGION],
        Organisation.Kind.RSS: [Questionnaire.Audience.RSS],
        Organisation.Kind.MUNICIPALITY: [
            Questionnaire.Audience.MUNICIPALITY,
            Questionnaire.Audience.EXTRA,
        ],
    }
    audiences = by_kind[organisation.kind]
    # Who each questionnaire is for is surveys.frames' rule (a chosen set or all).
    return (
        questionnaires_for(
            Questionnaire.objects.filter(is_current=True, audience__in=audiences),
            organisation,
        )
        .select_related("cycle")
        .order_by("-cycle__year", "audience", "opens_on", "pk")
    )


def questionnaire_overview() -> list[QuestionnaireOverviewRow]:
    """Staff: each current questionnaire with its counts of drafts and submissions."""
    rows: list[QuestionnaireOverviewRow] = []
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


def questionnaire_keys() -> list[str]:
    """The keys the commands know: the four audiences' and every questionnaire file's."""
    known = list(Questionnaire.Audience.values)
    for key in (
        Questionnaire.objects.order_by("key").values_list("key", flat=True).distinct()
    ):
        if key not in known:
            known.append(key)
    return known


def questionnaire_of_cycle(*, year: int, key: str) -> Questionnaire:
    """The current questionnaire of a cycle with this key, e.g. "region", "statsbidrag".

    Extra questions made on the web are also current with the key "extra"; the one
    from `<year>/<key>.yaml` is the questionnaire of that name. Raises
    Questionnaire.DoesNotExist when there is none.
    """
    current = Questionnaire.objects.filter(
        cycle__year=year, key=key, is_current=True
    ).select_related("cycle")
    found = current.filter(source_file=f"{year}/{key}.yaml").first()
    if found is None:
        found = current.order_by("pk").first()
    if found is None:
        raise Questionnaire.DoesNotExist(f"no current {key} questionnaire in {year}")
    return found


def reference_figures(
    *, questionnaire: Questionnaire, organisation: Organisation
) -> dict[str, Reference]:
    """The organisation's reference figures of the questionnaire by name (1 query)."""
    labels = {r["name"]: r["label"] for r in questionnaire.references or []}
    if not labels:
        return {}
    return {
        name: Reference(label=labels.get(name, name), value=value)
        for name, value in ReferenceFigure.objects.filter(
            questionnaire=questionnaire, organisation_code=organisation.code
        ).values_list("name", "value")
    }


def reference_figures_by_organisation(
    *, questionnaire: Questionnaire
) -> dict[str, dict[str, Reference]]:
    """Every organisation's reference figures of the questionnaire, by code (1 query)."""
    labels = {r["name"]: r["label"] for r in questionnaire.references or []}
    result: dict[str, dict[str, Reference]] = {}
    if not labels:
        return result
    for code, name, value in ReferenceFigure.objects.filter(
        questionnaire=questionnaire
    ).values_list("organisation_code", "name", "value"):
        result.setdefault(code, {})[name] = Reference(
            label=labels.get(name, name), value=value
        )
    return result
