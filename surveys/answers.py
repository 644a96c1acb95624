"""Answer values: parsing what a person writes, checking limits, and visibility of follow-ups.

Pure functions over Question objects and plain values; shared by the web forms, the
import and the services.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from surveys.models import Question, QuestionType, Section
from surveys.models.questionnaire import TICKED
from surveys.numbers import NotAWholeNumber, format_thousands, parse_whole_number


@dataclass(frozen=True)
class Value:
    """One answer cell's value, in the shape it is stored."""

    text: str = ""
    number: int | None = None
    cannot_estimate: bool = False

    def display(self, question: Question, *, respondent: bool = False) -> str:
        """The value as a person reads it (Question.answer_display)."""
        return question.answer_display(
            text=self.text,
            number=self.number,
            cannot_estimate=self.cannot_estimate,
            respondent=respondent,
        )


class AnswerError(ValueError):
    """An answer that does not fit its question; the message says why, in Swedish."""


# Bounds that apply when a question's definition names none. 10^12 fits every real
# count (Sweden's population is 10^7, kronor in a budget 10^11) and the database's
# bigint; 10 000 characters fit an XLSX cell (32 767) and any real free-text answer.
DEFAULT_MAX_NUMBER = 10**12
DEFAULT_MAX_TEXT_LENGTH = 10_000
# Counts of persons or of municipalities are never negative.
NON_NEGATIVE_TYPES = (QuestionType.COUNT, QuestionType.COUNT_PER_OPTION)
# Control characters (C0 but tab, line feed and carriage return; DEL; C1): they break
# PostgreSQL (NUL), the XLSX and PDF exports, and are never part of a real answer.
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def control_character_problem(text: str) -> str | None:
    """Why the text cannot be stored (a control character, where), or None."""
    match = _CONTROL.search(text)
    if match is None:
        return None
    code = ord(match.group())
    name = "NUL" if code == 0 else f"U+{code:04X}"
    return (
        f"texten innehåller ett otillåtet styrtecken ({name}) vid tecken "
        f"{match.start() + 1}; ta bort det och försök igen"
    )


def number_limits(question: Question) -> tuple[int, int]:
    """The smallest and largest number the question accepts (definition, else defaults)."""
    limits = question.validation or {}
    low_default = 0 if question.type in NON_NEGATIVE_TYPES else -DEFAULT_MAX_NUMBER
    low = limits.get("min", low_default)
    high = limits.get("max", DEFAULT_MAX_NUMBER)
    return max(low, -DEFAULT_MAX_NUMBER), min(high, DEFAULT_MAX_NUMBER)


def max_text_length(question: Question) -> int:
    """The longest free-text answer the question accepts (definition, else default)."""
    limits = question.validation or {}
    return min(
        limits.get("max_length", DEFAULT_MAX_TEXT_LENGTH), DEFAULT_MAX_TEXT_LENGTH
    )


def _parse_whole_number(raw: str, *, percent: bool) -> int:
    try:
        return parse_whole_number(raw, percent=percent)
    except NotAWholeNumber as error:
        if error.too_long:
            raise AnswerError(f"talet ”{_shorten(raw)}” är för stort") from None
        raise AnswerError(f"”{_shorten(raw)}” är inte ett heltal") from None


def _shorten(raw: str, length: int = 40) -> str:
    return raw if len(raw) <= length else raw[: length - 1] + "…"


def parse_written(question: Question, item: str, raw: str) -> Value | None:
    """Parse an answer as a person writes it (web form, import files); None: unanswered.

    Raises AnswerError with the reason when the text does not fit the question.
    """
    raw = (raw or "").strip()
    problem = control_character_problem(raw)
    if problem:
        raise AnswerError(problem)
    qtype = question.type
    if qtype == QuestionType.MULTIPLE_CHOICE:
        if raw == TICKED:
            return Value(text=TICKED)
        if raw in ("", ".", "Nej"):
            return Value(text="")
        raise AnswerError(
            f"”{_shorten(raw)}” är inget svar på ett flerval; skriv Ja (vald) eller "
            ". / Nej / tomt"
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
                    f"”{_shorten(raw)}” är inget av svarsalternativen "
                    f"({' / '.join(options)})"
                )
            raw = matches[0]
        return check_value(question, Value(text=raw))
    label = question.cannot_estimate_label
    if label and raw.casefold() == label.casefold():
        return Value(cannot_estimate=True)
    if question.is_numeric:
        number = _parse_whole_number(raw, percent=qtype == QuestionType.PERCENTAGE)
        return check_value(question, Value(number=number))
    return check_value(question, Value(text=raw))


def check_value(question: Question, value: Value) -> Value:
    """Return the value if it fits the question, else raise AnswerError (Swedish).

    The one rule for every way an answer gets in (web form, RSS paper path, import,
    prefill, demo): the value's shape fits the question's type, a number lies within
    number_limits, a text within max_text_length and without control characters.
    """
    qtype = question.type
    if value.cannot_estimate:
        if question.cannot_estimate_label is None:
            raise AnswerError("frågan har inget alternativ ”kan inte uppskattas”")
        if value.text or value.number is not None:
            raise AnswerError("ange antingen ett värde eller ”kan inte uppskattas”")
        return value
    if question.is_numeric:
        number = value.number
        if value.text or number is None or isinstance(number, bool):
            raise AnswerError("svaret ska vara ett heltal")
        low, high = number_limits(question)
        if number < low:
            raise AnswerError(
                f"värdet {format_thousands(number)} är mindre än {format_thousands(low)}"
            )
        if number > high:
            raise AnswerError(
                f"värdet {format_thousands(number)} är större än {format_thousands(high)}"
            )
        return value
    if value.number is not None:
        raise AnswerError("frågan tar inte emot ett tal")
    if qtype == QuestionType.MULTIPLE_CHOICE:
        if value.text not in (TICKED, ""):
            raise AnswerError(f"ett flerval sparas som ”{TICKED}” eller tomt")
        return value
    if qtype in (
        QuestionType.YES_NO,
        QuestionType.YES_PARTLY_NO,
        QuestionType.SINGLE_CHOICE,
        QuestionType.MATRIX,
    ):
        if value.text not in question.choice_options:
            raise AnswerError(
                f"”{_shorten(value.text)}” är inget av svarsalternativen "
                f"({' / '.join(question.choice_options)})"
            )
        return value
    problem = control_character_problem(value.text)
    if problem:
        raise AnswerError(problem)
    longest = max_text_length(question)
    if len(value.text) > longest:
        raise AnswerError(
            f"texten har {format_thousands(len(value.text))} tecken; högst {format_thousands(longest)} "
            "får plats"
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


def required_unanswered(
    questions: list[Question], answers: dict[tuple[str, str], Value]
) -> list[str]:
    """The codes of the shown required questions with an item left unanswered."""
    return [
        q.code
        for q in visible_questions(questions, answers)
        if q.required and missing_items(q, answers)
    ]


@dataclass
class AnsweredQuestion:
    """A shown question with its answer per item, as the respondent reads them."""

    question: Question
    # (item, the value as displayed, or None when unanswered) per answer item.
    cells: list[tuple[str, str | None]]

    @property
    def free_text(self) -> bool:
        return self.question.type == QuestionType.FREE_TEXT


def answered_sections(
    sections: list[Section],
    questions: list[Question],
    answers: dict[tuple[str, str], Value],
) -> list[tuple[Section, list[AnsweredQuestion]]]:
    """Each section with its shown questions and answers: the respondent's summary page
    and the receipt (PDF) both show this. A follow-up hidden by an earlier answer is
    left out; an unticked alternative reads "Nej" (not the tables' ".")."""
    shown = {q.code for q in visible_questions(questions, answers)}
    result = []
    for section in sections:
        rows = [
            AnsweredQuestion(
                question,
                [
                    (
                        item,
                        answers[(question.code, item)].display(
                            question, respondent=True
                        )
                        if (question.code, item) in answers
                        else None,
                    )
                    for item in question.answer_items
                ],
            )
            for question in questions
            if question.section_id == section.pk and question.code in shown
        ]
        result.append((section, rows))
    return result
