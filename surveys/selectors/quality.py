"""The data-quality list for staff: every plausibility warning of a questionnaire.

surveys.quality checks one organisation's answers; this reads all of a questionnaire's
answers and runs those checks for each organisation.
"""

from __future__ import annotations

from dataclasses import dataclass

from surveys.answers import Value
from surveys.models import Answer, Questionnaire, Response
from surveys.quality import answer_warnings
from surveys.selectors.questionnaires import reference_figures_by_organisation


@dataclass(frozen=True)
class QualityRow:
    """One warning on one organisation's answer cell, for the staff list and the CSV."""

    organisation: str
    organisation_code: str
    response_id: int
    submitted: bool
    question: str
    item: str
    value: str
    reason: str
    check: str
    confirmed: bool


@dataclass
class _Organisation:
    code: str
    name: str
    population: int | None
    response_id: int
    submitted: bool
    answers: dict[tuple[str, str], Value]
    confirmed: set[tuple[str, str]]


def quality_rows(
    *, questionnaire: Questionnaire, include_drafts: bool = False
) -> list[QualityRow]:
    """The warnings of the submitted (and optionally draft) responses, in 2 queries.

    In organisation code order, then question order. Values are listed as given;
    nothing is changed.
    """
    questions = [
        q for q in questionnaire.questions.order_by("position") if q.checks
    ]  # 1 query
    if not questions:
        return []
    # The checked questions and the percentages their checks refer to.
    codes = {q.code for q in questions} | {
        spec["question"] for q in questions for spec in q.checks if "question" in spec
    }
    statuses = [Response.Status.SUBMITTED]
    if include_drafts:
        statuses.append(Response.Status.DRAFT)
    cells = Answer.objects.filter(
        response__questionnaire=questionnaire,
        response__status__in=statuses,
        question__code__in=codes,
    ).values_list(
        "response__organisation__code",
        "response__organisation__name",
        "response__organisation__population",
        "response_id",
        "response__status",
        "question__code",
        "item",
        "text",
        "number",
        "cannot_estimate",
        "warning_confirmed",
    )  # 1 query
    organisations: dict[str, _Organisation] = {}
    for (
        code,
        name,
        population,
        response_id,
        status,
        question_code,
        item,
        text,
        number,
        cannot_estimate,
        confirmed,
    ) in cells:
        organisation = organisations.setdefault(
            code,
            _Organisation(
                code=code,
                name=name,
                population=population,
                response_id=response_id,
                submitted=status == Response.Status.SUBMITTED,
                answers={},
                confirmed=set(),
            ),
        )
        key = (question_code, item)
        organisation.answers[key] = Value(
            text=text, number=number, cannot_estimate=cannot_estimate
        )
        if confirmed:
            organisation.confirmed.add(key)
    references = reference_figures_by_organisation(questionnaire=questionnaire)
    rows: list[QualityRow] = []
    for code in sorted(organisations):
        organisation = organisations[code]
        for warning in answer_warnings(
            questions=questions,
            answers=organisation.answers,
            organisation=organisation,
            references=references.get(code, {}),
        ):
            rows.append(
                QualityRow(
                    organisation=organisation.name,
                    organisation_code=organisation.code,
                    response_id=organisation.response_id,
                    submitted=organisation.submitted,
                    question=warning.question,
                    item=warning.item,
                    value=warning.value,
                    reason=warning.reason,
                    check=warning.check,
                    confirmed=(warning.question, warning.item)
                    in organisation.confirmed,
                )
            )
    return rows
