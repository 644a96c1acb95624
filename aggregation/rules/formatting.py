"""Numbers and answer cells as the report prints them.

Pure functions: no ORM, no settings. The question types and labels are the string values of
surveys.models.QuestionType and its constants, repeated here so that the rules stay
independent of Django (tests/aggregation/test_rules_formatting.py checks they match).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

# Question types (surveys.models.QuestionType values).
YES_NO = "yes_no"
YES_PARTLY_NO = "yes_partly_no"
SINGLE_CHOICE = "single_choice"
MULTIPLE_CHOICE = "multiple_choice"
MATRIX = "matrix"
PERCENTAGE = "percentage"
COUNT = "count"
INTEGER = "integer"
COUNT_PER_OPTION = "count_per_option"

# Types answered by choosing options (one per item for a matrix, ticks for a multiple choice).
CHOICE_TYPES = frozenset({YES_NO, YES_PARTLY_NO, SINGLE_CHOICE, MATRIX})
CLOSED_TYPES = CHOICE_TYPES | {MULTIPLE_CHOICE}

# National rules (surveys.models.Rule values).
YES_COUNT = "yes_count"
MEAN_PERCENT = "mean_percent"
SUM_COUNT = "sum_count"
NO_RULE = "none"

YES = "Ja"
# A ticked / unticked alternative of a multiple choice, as printed.
TICKED = "Ja"
UNTICKED = "."
CANNOT_ESTIMATE_LABELS = {
    PERCENTAGE: "Andelen kan inte uppskattas",
    COUNT: "Antalet kan inte uppskattas",
}
# The extra cell of a compiled multiple choice: municipalities that answered it at all.
ANSWERED_OPTION = "_answered"


def round_half_up(value: Decimal | Fraction | int | float) -> int:
    """Round to a whole number, halves away from zero: 59.5 → 60, 0.5 → 1, 2.5 → 3.

    Official statistics round this way; Python's round() rounds halves to even (2.5 → 2).
    A float is taken by its shortest repr (59.5, not 59.4999…); exact ratios should be
    passed as a Fraction or Decimal.
    """
    if isinstance(value, Fraction):
        decimal = Decimal(value.numerator) / Decimal(value.denominator)
    elif isinstance(value, float):
        decimal = Decimal(repr(value))
    else:
        decimal = Decimal(value)
    return int(decimal.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def percent_of(count: int, denominator: int) -> int | None:
    """100 × count / denominator as a whole percent, rounded half up; None for 0 of 0."""
    if denominator == 0:
        return None
    return round_half_up(Fraction(100 * int(count), int(denominator)))


def mean_half_up(figures: list[int]) -> int | None:
    """The unweighted mean of whole numbers rounded half up; None when there are none."""
    if not figures:
        return None
    return round_half_up(Fraction(sum(int(f) for f in figures), len(figures)))


def format_count(number: int) -> str:
    """A whole number with a space as thousands separator: 4245026 → "4 245 026"."""
    return f"{int(number):,}".replace(",", " ")


def format_percent(number: int) -> str:
    """A whole percent as printed: 59 → "59 %"."""
    return f"{format_count(number)} %"


def format_ratio(count: int, denominator: int) -> str:
    """A count of a number, as the national row of a yes question: "19/21"."""
    return f"{int(count)}/{int(denominator)}"


def format_cell(
    question_type: str, text: str, number: int | None, cannot_estimate: bool
) -> str:
    """An organisation's answer to one cell as the appendix prints it.

    The option label for choices; "Ja" or "." for a ticked or unticked alternative of a
    multiple choice; "72 %"; "1 600 000"; the cannot-estimate label; "" for no answer.
    """
    if cannot_estimate:
        return CANNOT_ESTIMATE_LABELS.get(question_type, "")
    if question_type == MULTIPLE_CHOICE:
        return TICKED if text == TICKED else UNTICKED
    if question_type == PERCENTAGE:
        return "" if number is None else format_percent(number)
    if question_type in (COUNT, INTEGER, COUNT_PER_OPTION):
        return "" if number is None else format_count(number)
    return text or ""
