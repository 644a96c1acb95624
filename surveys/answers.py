"""Answer values: parsing what a person writes, checking limits, and visibility of follow-ups.

Pure functions over Question objects and plain values; shared by the web forms, the
import and the services.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from surveys.models import Question, QuestionType
from surveys.models.questionnaire import TICKED

# Ordinary, non-breaking and narrow non-breaking spaces, as Excel and people write them.
_SPACES = re.compile(r"[\s\u00a0\u202f]+")


@dataclass(frozen=True)
class Value:
    """One answer cell's value, in the shape it is stored."""

    text: str = ""
    number: int | None = None
    cannot_estimate: bool = False

    def display(self, question: Question) -> str:
        from surveys.models.response import answer_display

        return answer_display(
            question.type, self.text, self.number, self.cannot_estimate
        )


class AnswerError(ValueError):
    """An answer that does not fit its question; the message says why, in Swedish."""


def _parse_whole_number(raw: str, *, percent: bool) -> int:
    cleaned = _SPACES.sub("", raw)
    if percent and cleaned.endswith("%"):
        cleaned = cleaned[:-1]
    if not re.fullmatch(r"-?\d+", cleaned):
        raise AnswerError(f"”{raw}” är inte ett heltal")
    return int(cleaned)


def parse_written(question: Question, item: str, raw: str) -> Value | None:
    """Parse an answer as a person writes it (import files); None means unanswered.

    Raises AnswerError with the reason when the text does not fit the question.
    """
    raw = (raw or "").strip()
    qtype = question.type
    if qtype == QuestionType.MULTIPLE_CHOICE:
        if raw == TICKED:
            return Value(text=TICKED)
        if raw in ("", ".", "Nej"):
            return Value(text="")
        raise AnswerError(
            f"”{raw}” är inget svar på ett flerval; skriv Ja (vald) eller . / Nej / tomt"
        )
    if raw == "":
        return None
    if qtype in (
        QuestionType.YES_NO,
        QuestionType.YES_PARTLY_NO,
        QuestionType.SINGLE_CHOICE,
        QuestionType.MATRIX,
    ):
        options = question.choice_options
        if raw not in options:
            matches = [o for o in options if o.casefold() == raw.casefold()]
            if len(matches) != 1:
                raise AnswerError(
                    f"”{raw}” är inget av svarsalternativen ({' / '.join(options)})"
                )
            raw = matches[0]
        return check_limits(question, Value(text=raw))
    label = question.cannot_estimate_label
    if label and raw.casefold() == label.casefold():
        return Value(cannot_estimate=True)
    if question.is_numeric:
        number = _parse_whole_number(raw, percent=qtype == QuestionType.PERCENTAGE)
        return check_limits(question, Value(number=number))
    return check_limits(question, Value(text=raw))


def check_limits(question: Question, value: Value) -> Value:
    """Return the value if it is within the question's limits, else raise AnswerError."""
    limits = question.validation or {}
    if value.number is not None:
        if "min" in limits and value.number < limits["min"]:
            raise AnswerError(f"värdet {value.number} är mindre än {limits['min']}")
        if "max" in limits and value.number > limits["max"]:
            raise AnswerError(f"värdet {value.number} är större än {limits['max']}")
    if value.text and "max_length" in limits and len(value.text) > limits["max_length"]:
        raise AnswerError(
            f"texten har {len(value.text)} tecken; högst {limits['max_length']} får plats"
        )
    return value


def is_visible(question: Question, answers: dict[tuple[str, str], Value]) -> bool:
    """Whether a question is shown, given the answers keyed by (question code, item)."""
    condition = question.show_if
    if not condition:
        return True
    value = answers.get((condition["question"], condition.get("item", "")))
    return value is not None and value.text == condition["equals"]


def visible_questions(
    questions: list[Question], answers: dict[tuple[str, str], Value]
) -> list[Question]:
    """The questions shown, in order; a follow-up of a hidden question is hidden too."""
    shown: set[str] = set()
    result = []
    for question in questions:
        condition = question.show_if
        if condition and condition["question"] not in shown:
            continue
        if is_visible(question, answers):
            shown.add(question.code)
            result.append(question)
    return result


def missing_items(
    question: Question, answers: dict[tuple[str, str], Value]
) -> list[str]:
    """The items of a required question that have no answer ('' for the question itself)."""
    if question.type == QuestionType.MULTIPLE_CHOICE:
        # Answered when the alternatives were recorded, ticked or not.
        recorded = any((question.code, item) in answers for item in question.items)
        return [] if recorded else [""]
    return [
        item for item in question.answer_items if (question.code, item) not in answers
    ]
