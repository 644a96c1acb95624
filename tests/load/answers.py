"""What a simulated respondent answers, and the form data that sends it.

Each respondent gets random but valid answers of its own (seeded, so a run can be
repeated), free texts naming its organisation, so that an answer stored under the wrong
organisation is seen. `expected` is what the database must hold after the submit.
"""

from __future__ import annotations

import random
from collections.abc import Mapping
from dataclasses import dataclass, field

from surveys.answers import Value, exclusive_items, text_format, visible_questions
from surveys.forms.responses import (
    CHOICE_TYPES,
    ESTIMABLE_TYPES,
    NUMBER_TYPES,
    field_name,
)
from surveys.models import Question, Questionnaire, QuestionType
from surveys.models.questionnaire import TICKED

Key = tuple[str, str]
# A large count, so that a number stored for the wrong organisation is seen too.
COUNT_MAX = 10_000_000


@dataclass
class Plan:
    """One respondent's answers: a first draft of section 1, then the final answers."""

    organisation_code: str
    questionnaire_pk: int
    # Section positions in order, with their questions.
    sections: list[tuple[int, list[Question]]]
    draft: dict[Key, Value] = field(default_factory=dict)
    expected: dict[Key, Value] = field(default_factory=dict)


def _random_value(question: Question, item: str, rng: random.Random, tag: str):
    qtype = question.type
    limits = question.validation or {}
    if qtype in CHOICE_TYPES or qtype == QuestionType.MATRIX:
        return Value(text=rng.choice(question.choice_options))
    if qtype in NUMBER_TYPES:
        if qtype in ESTIMABLE_TYPES and rng.random() < 0.15:
            return Value(cannot_estimate=True)
        high = 100 if qtype == QuestionType.PERCENTAGE else COUNT_MAX
        low = limits.get("min", 0)
        return Value(number=rng.randint(low, min(limits.get("max", high), high)))
    if text_format(question, item) == "email":
        return Value(text=f"svar{rng.randint(0, 10**6)}@exempel.se")
    if text_format(question, item) == "phone":
        return Value(text=f"070-{rng.randint(100, 999)} {rng.randint(10, 99)} 00")
    text = f"{tag} svarar på {question.code}{f' ({item})' if item else ''}: "
    text += f"{rng.randint(0, 10**9)} åtgärder"
    return Value(text=text[: limits.get("max_length", len(text))].strip())


def _answers(questions: list[Question], rng: random.Random, tag: str) -> dict:
    values: dict[Key, Value] = {}
    for question in questions:
        if question.type == QuestionType.MULTIPLE_CHOICE:
            # An exclusive alternative ("Inget av ovanstående") is never ticked with others.
            free = [i for i in question.items if i not in exclusive_items(question)]
            ticked = set(rng.sample(free, rng.randint(1, len(free))))
            for item in question.items:
                values[(question.code, item)] = Value(
                    text=TICKED if item in ticked else ""
                )
        elif question.type == QuestionType.COUNT_PER_OPTION:
            raise ValueError("the load test answers regions and municipalities only")
        else:
            for item in question.answer_items:
                values[(question.code, item)] = _random_value(question, item, rng, tag)
    shown = {q.code for q in visible_questions(questions, values)}
    return {key: value for key, value in values.items() if key[0] in shown}


def plan_for(
    *, questionnaire: Questionnaire, organisation_code: str, seed: int
) -> Plan:
    """The answers one respondent sends; the same seed gives the same answers."""
    rng = random.Random(f"{seed}-{organisation_code}")
    questions = list(questionnaire.questions.order_by("position"))
    by_section: dict[int, list[Question]] = {}
    positions = dict(questionnaire.sections.values_list("pk", "position"))
    for question in questions:
        by_section.setdefault(positions[question.section_id], []).append(question)
    first = sorted(by_section)[0]
    draft = _answers(by_section[first], rng, f"Utkast {organisation_code}")
    # The draft leaves about half of section 1 unanswered; the final save completes it.
    draft = {key: value for key, value in draft.items() if rng.random() < 0.5}
    return Plan(
        organisation_code=organisation_code,
        questionnaire_pk=questionnaire.pk,
        sections=sorted(by_section.items()),
        draft=draft,
        expected=_answers(questions, rng, organisation_code),
    )


def section_data(
    questions: list[Question], values: Mapping[Key, Value]
) -> list[tuple[str, str]]:
    """The form fields of one section page (SectionForm) that send these values.

    A question without a value is sent empty: the save clears it.
    """
    data: list[tuple[str, str]] = []
    for question in questions:
        code = question.code
        qtype = question.type
        if qtype == QuestionType.MULTIPLE_CHOICE:
            data.extend(
                (field_name(question), item)
                for item in question.items
                if (v := values.get((code, item))) is not None and v.text == TICKED
            )
            continue
        if qtype in NUMBER_TYPES:
            value = values.get((code, ""))
            if value is not None and value.cannot_estimate:
                data.append((f"{field_name(question)}_ce", "on"))
                data.append((field_name(question), ""))
            else:
                number = "" if value is None else str(value.number)
                data.append((field_name(question), number))
            continue
        if qtype in CHOICE_TYPES:
            value = values.get((code, ""))
            if value is not None:
                data.append((field_name(question), value.text))
            continue
        indexed = qtype == QuestionType.MATRIX or bool(question.items)
        for index, item in enumerate(question.answer_items):
            value = values.get((code, item))
            name = field_name(question, index if indexed else None)
            if qtype == QuestionType.MATRIX:
                if value is not None:
                    data.append((name, value.text))
            else:
                data.append((name, "" if value is None else value.text))
    return data
