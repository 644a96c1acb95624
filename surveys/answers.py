"""Answer values: parsing what a person writes, checking limits, and visibility of follow-ups.

Pure functions over Question objects and plain values; shared by the web forms, the
import and the services.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext as _

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
    """An answer that does not fit its question; the message says what to do, in Swedish.

    The message does not repeat the value (the form shows it beside the message); the
    import names it from the row.
    """


# Bounds that apply when a question's definition names none. 10^12 fits every real
# count (Sweden's population is 10^7, kronor in a budget 10^11) and the database's
# bigint; 10 000 characters fit an XLSX cell (32 767) and any real free-text answer.
DEFAULT_MAX_NUMBER = 10**12
DEFAULT_MAX_TEXT_LENGTH = 10_000
# Counts of persons or of municipalities are never negative.
NON_NEGATIVE_TYPES = (
    QuestionType.COUNT,
    QuestionType.COUNT_PER_OPTION,
    QuestionType.MONEY,
)
# The example in a number's error message, moved inside the question's limits.
NUMBER_EXAMPLES: dict[str, int] = {
    QuestionType.PERCENTAGE: 45,
    QuestionType.COUNT: 12_500,
    QuestionType.COUNT_PER_OPTION: 3,
    QuestionType.INTEGER: 3,
    QuestionType.MONEY: 15_460_474,
}
# The formats a free-text item can require (validation "formats" in the definition).
TEXT_FORMATS = ("email", "phone")
# A Swedish telephone number once spaces, dashes and "(0)" after +46 are gone: 0 or
# +46 / 0046, then an area code or mobile prefix and the subscriber number.
_PHONE = re.compile(r"(?:0|\+46|0046)[1-9][0-9]{5,10}")
_PHONE_SEPARATORS = re.compile(r"[\s\u00a0\u202f\-\u2013/.()]+")
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
    return _(
        "The text contains a control character (%(name)s) at character "
        "%(position)s, which cannot be saved. Remove it and try again."
    ) % {"name": name, "position": match.start() + 1}


def number_limits(question: Question) -> tuple[int, int]:
    """The smallest and largest number the question accepts (definition, else defaults)."""
    limits = question.validation or {}
    low_default = 0 if question.type in NON_NEGATIVE_TYPES else -DEFAULT_MAX_NUMBER
    high_default = DEFAULT_MAX_NUMBER
    if question.type == QuestionType.PERCENTAGE:
        low_default, high_default = 0, 100
    low = limits.get("min", low_default)
    high = limits.get("max", high_default)
    return max(low, -DEFAULT_MAX_NUMBER), min(high, DEFAULT_MAX_NUMBER)


def max_text_length(question: Question) -> int:
    """The longest free-text answer the question accepts (definition, else default)."""
    limits = question.validation or {}
    return min(
        limits.get("max_length", DEFAULT_MAX_TEXT_LENGTH), DEFAULT_MAX_TEXT_LENGTH
    )


def exclusive_items(question: Question) -> list[str]:
    """The alternatives of a multiple choice that exclude every other ("Inget av …")."""
    return list((question.validation or {}).get("exclusive", []))


def text_format(question: Question, item: str) -> str | None:
    """The format a free-text item requires ("email", "phone"), or None."""
    return (question.validation or {}).get("formats", {}).get(item)


def _limits_text(question: Question) -> dict[str, str]:
    low, high = number_limits(question)
    example = min(max(NUMBER_EXAMPLES.get(question.type, 3), low), high)
    return {
        "low": format_thousands(low),
        "high": format_thousands(high),
        "example": format_thousands(example),
    }


def _is_count(question: Question) -> bool:
    return question.type in NON_NEGATIVE_TYPES


def number_message(question: Question) -> str:
    """What to write in the question's number field, with an example (GOV.UK style)."""
    words = _limits_text(question)
    if question.type == QuestionType.PERCENTAGE:
        return (
            _(
                "Enter a percentage between %(low)s and %(high)s, for example %(example)s."
            )
            % words
        )
    if question.type == QuestionType.MONEY:
        return _("Enter the amount in whole kronor, for example %(example)s.") % words
    if _is_count(question):
        return _("Enter the number in digits, for example %(example)s.") % words
    return _("Enter a whole number in digits, for example %(example)s.") % words


def _decimal_message(question: Question, raw: str, rounded: int) -> str:
    words = {"raw": _shorten(raw.strip()), "rounded": format_thousands(rounded)}
    if question.type == QuestionType.PERCENTAGE:
        return (
            _(
                "Enter the percentage as a whole number without decimals, for example "
                "%(rounded)s instead of %(raw)s."
            )
            % words
        )
    if question.type == QuestionType.MONEY:
        return (
            _(
                "Enter the amount in whole kronor without öre, for example "
                "%(rounded)s instead of %(raw)s."
            )
            % words
        )
    if _is_count(question):
        return (
            _(
                "Enter the number as a whole number without decimals, for example "
                "%(rounded)s instead of %(raw)s."
            )
            % words
        )
    return (
        _(
            "Enter a whole number without decimals, for example %(rounded)s instead "
            "of %(raw)s."
        )
        % words
    )


def _range_message(question: Question, *, too_small: bool) -> str:
    """Why a number outside the limits is refused, and what to enter instead."""
    if question.type == QuestionType.PERCENTAGE:
        return number_message(question)
    low, high = number_limits(question)
    words = _limits_text(question)
    bounded = low > -DEFAULT_MAX_NUMBER and high < DEFAULT_MAX_NUMBER
    count = _is_count(question)
    if bounded:
        if count:
            return _("Enter a number between %(low)s and %(high)s.") % words
        return _("Enter a whole number between %(low)s and %(high)s.") % words
    if too_small:
        if count:
            return _("Enter a number of %(low)s or more.") % words
        return _("Enter a whole number of %(low)s or more.") % words
    if high < DEFAULT_MAX_NUMBER:
        if count:
            return _("Enter a number of at most %(high)s.") % words
        return _("Enter a whole number of at most %(high)s.") % words
    # Beyond any real figure: most likely a slip of the keyboard.
    if count:
        return (
            _(
                "Enter a number of at most %(high)s. Check that no extra digits were "
                "typed."
            )
            % words
        )
    return (
        _(
            "Enter a whole number of at most %(high)s. Check that no extra digits "
            "were typed."
        )
        % words
    )


def _parse_whole_number(question: Question, raw: str) -> int:
    try:
        return parse_whole_number(
            raw,
            percent=question.type == QuestionType.PERCENTAGE,
            kronor=question.type == QuestionType.MONEY,
        )
    except NotAWholeNumber as error:
        if error.too_long:
            too_small = raw.strip().startswith(("-", "\u2212"))
            raise AnswerError(_range_message(question, too_small=too_small)) from None
        if error.rounded is not None:
            raise AnswerError(_decimal_message(question, raw, error.rounded)) from None
        raise AnswerError(number_message(question)) from None


def _shorten(raw: str, length: int = 40) -> str:
    return raw if len(raw) <= length else raw[: length - 1] + "…"


def _options_problem(question: Question) -> AnswerError:
    return AnswerError(
        _("Choose one of the options: %(options)s.")
        % {"options": " / ".join(question.choice_options)}
    )


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
            _(
                "Write Ja for a ticked alternative, and ., Nej or nothing for one "
                "not ticked."
            )
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
                raise _options_problem(question)
            raw = matches[0]
        return check_value(question, Value(text=raw), item=item)
    label = question.cannot_estimate_label
    if label and raw.casefold() == label.casefold():
        return Value(cannot_estimate=True)
    if question.is_numeric:
        number = _parse_whole_number(question, raw)
        return check_value(question, Value(number=number), item=item)
    return check_value(question, Value(text=raw), item=item)


def format_problem(kind: str, text: str) -> str | None:
    """Why the text is not an e-mail address / Swedish phone number (kind), or None."""
    if kind == "email":
        try:
            validate_email(text)
        except ValidationError:
            return _(
                "Enter an e-mail address in the correct format, for example "
                "namn@exempel.se."
            )
        return None
    if kind == "phone":
        digits = _PHONE_SEPARATORS.sub("", text.replace("(0)", ""))
        if not _PHONE.fullmatch(digits):
            return _(
                "Enter a telephone number that starts with 0 or +46, for example "
                "070-174 06 50 or +46 8 123 456 78."
            )
    return None


def check_value(question: Question, value: Value, *, item: str = "") -> Value:
    """Return the value if it fits the question, else raise AnswerError (Swedish).

    The one rule for every way an answer gets in (web form, RSS paper path, import,
    prefill, demo): the value's shape fits the question's type, a number lies within
    number_limits, a text within max_text_length, without control characters and in
    the item's format (e-mail, phone) where the definition names one.
    """
    qtype = question.type
    if value.cannot_estimate:
        label = question.cannot_estimate_label
        if label is None:
            raise AnswerError(_("This question has no “cannot be estimated” option."))
        if value.text or value.number is not None:
            raise AnswerError(
                _("Write a figure or tick “%(label)s”, not both.") % {"label": label}
            )
        return value
    if question.is_numeric:
        number = value.number
        if value.text or number is None or isinstance(number, bool):
            raise AnswerError(number_message(question))
        low, high = number_limits(question)
        if number < low:
            raise AnswerError(_range_message(question, too_small=True))
        if number > high:
            raise AnswerError(_range_message(question, too_small=False))
        return value
    if value.number is not None:
        raise AnswerError(_("This question takes a text, not a number."))
    if qtype == QuestionType.MULTIPLE_CHOICE:
        if value.text not in (TICKED, ""):
            raise AnswerError(
                _("A multiple choice is stored as “%(ticked)s” or empty.")
                % {"ticked": TICKED}
            )
        return value
    if qtype in (
        QuestionType.YES_NO,
        QuestionType.YES_PARTLY_NO,
        QuestionType.SINGLE_CHOICE,
        QuestionType.MATRIX,
    ):
        if value.text not in question.choice_options:
            raise _options_problem(question)
        return value
    problem = control_character_problem(value.text)
    if problem:
        raise AnswerError(problem)
    longest = max_text_length(question)
    if len(value.text) > longest:
        raise AnswerError(
            _("Shorten the text to at most %(max)s characters (it has %(length)s now).")
            % {
                "max": format_thousands(longest),
                "length": format_thousands(len(value.text)),
            }
        )
    kind = text_format(question, item)
    if kind and value.text:
        problem = format_problem(kind, value.text)
        if problem:
            raise AnswerError(problem)
    return value


def ticks_problem(question: Question, ticked: set[str]) -> str | None:
    """Why the ticked alternatives of a multiple choice do not go together, or None.

    An exclusive alternative ("Inget av ovanstående") cannot be ticked with another.
    """
    for exclusive in exclusive_items(question):
        if exclusive in ticked and len(ticked) > 1:
            return _(
                "“%(none)s” cannot be ticked together with other alternatives. "
                "Untick either “%(none)s” or the others."
            ) % {"none": exclusive}
    return None


def ticks_problems(
    questions: Iterable[Question], answers: Mapping[tuple[str, str], Value]
) -> dict[str, str]:
    """Per question code, why the ticked alternatives in `answers` do not go together.

    The one rule for every path that writes or checks answers: the save service, the
    import's plan and the submit check.
    """
    problems: dict[str, str] = {}
    for question in questions:
        if question.type != QuestionType.MULTIPLE_CHOICE:
            continue
        if not exclusive_items(question):
            continue
        ticked = {
            item
            for item in question.items
            if (v := answers.get((question.code, item))) and v.text == TICKED
        }
        problem = ticks_problem(question, ticked)
        if problem:
            problems[question.code] = problem
    return problems


def required_message(question: Question, missing: list[str]) -> str:
    """What to do about a required question left unanswered (missing_items)."""
    qtype = question.type
    quoted = ", ".join(f"”{m}”" for m in missing if m)
    if qtype == QuestionType.MULTIPLE_CHOICE:
        exclusive = exclusive_items(question)
        if exclusive:
            return _("Tick at least one alternative, or “%(none)s”.") % {
                "none": exclusive[0]
            }
        return _("Tick at least one alternative.")
    if qtype in (
        QuestionType.YES_NO,
        QuestionType.YES_PARTLY_NO,
        QuestionType.SINGLE_CHOICE,
    ):
        return _("Choose one of the options.")
    if qtype == QuestionType.MATRIX:
        return _("Choose an answer on every row. Missing: %(items)s.") % {
            "items": quoted
        }
    if qtype == QuestionType.COUNT_PER_OPTION:
        return _(
            "Enter a number for every option, 0 if no municipality chose it. "
            "Missing: %(items)s."
        ) % {"items": quoted}
    if qtype in (QuestionType.PERCENTAGE, QuestionType.COUNT):
        label = question.cannot_estimate_label
        if qtype == QuestionType.PERCENTAGE:
            return _(
                "Enter a percentage between %(low)s and %(high)s, or tick “%(label)s”."
            ) % {**_limits_text(question), "label": label}
        return _("Enter the number in digits, or tick “%(label)s”.") % {"label": label}
    if qtype in (QuestionType.INTEGER, QuestionType.MONEY):
        return number_message(question)
    if quoted:
        return _("Fill in %(items)s.") % {"items": quoted}
    return _("Write an answer.")


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
