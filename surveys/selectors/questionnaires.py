"""Reads of questionnaires: which an organisation answers, the staff overview, a cycle's."""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import TypedDict

from django.db.models import Count, Q, QuerySet

from regions.models import Organisation
from surveys.frames import (
    frame_size,
    questionnaires_for,
)
from surveys.models import Question, Questionnaire, ReferenceFigure, Section
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


@dataclass(frozen=True)
class QuestionnaireStructure:
    """A questionnaire's sections and questions (their sources read too), as stored.

    Shared by the requests of a process: read it, never change its objects.
    """

    sections: list[Section]
    # In position order.
    questions: list[Question]
    # Section pk -> its questions, in position order.
    by_section: dict[int, list[Question]]

    def section_at(self, position: int) -> Section | None:
        return next((s for s in self.sections if s.position == position), None)


# The structures of the last questionnaire versions read by this process, by
# structure_key(): what a page shows depends on them, not on who answers.
STRUCTURES_KEPT = 16
_structures: OrderedDict[tuple, QuestionnaireStructure] = OrderedDict()
_structures_lock = threading.Lock()


def structure_key(questionnaire: Questionnaire) -> tuple:
    """What identifies a questionnaire's stored structure: a new version, a new
    definition (checksum) or any change of its sections and questions (loaded_at, which
    surveys.receivers raises on such a change) gives a new key."""
    return (
        questionnaire.pk,
        questionnaire.version,
        questionnaire.checksum,
        questionnaire.loaded_at,
    )


def questionnaire_structure(questionnaire: Questionnaire) -> QuestionnaireStructure:
    """The questionnaire's sections and questions: 2 queries the first time a process
    reads this version of it, none after."""
    key = structure_key(questionnaire)
    with _structures_lock:
        found = _structures.get(key)
        if found is not None:
            _structures.move_to_end(key)
            return found
    sections = list(questionnaire.sections.order_by("position"))
    questions = list(
        questionnaire.questions.select_related("source").order_by("position")
    )
    by_section: dict[int, list[Question]] = {s.pk: [] for s in sections}
    for question in questions:
        by_section.setdefault(question.section_id, []).append(question)
    structure = QuestionnaireStructure(sections, questions, by_section)
    with _structures_lock:
        _structures[key] = structure
        while len(_structures) > STRUCTURES_KEPT:
            _structures.popitem(last=False)
    return structure


def forget_structures() -> None:
    """Empty this process's structures (tests that rebuild questionnaires)."""
    with _structures_lock:
        _structures.clear()
