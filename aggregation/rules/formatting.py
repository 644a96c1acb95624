"""Numbers and answer cells as the report prints them.

Pure functions: no ORM, no settings. Rounding half up and the thousands separator are
surveys.numbers' (pure Python too). The question types and labels are the string values
of surveys.models.QuestionType and its constants, repeated here so that the rules stay
independent of Django (tests/aggregation/test_rules_formatting.py checks they match).
"""

from __future__ import annotations

from surveys.numbers import format_thousands

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
MONEY = "money"

# Types answered by choosing options (one per item for a matrix, ticks for a multiple choice).
CHOICE_TYPES = frozenset({YES_NO, YES_PARTLY_NO, SINGLE_CHOICE, MATRIX})
CLOSED_TYPES = CHOICE_TYPES | {MULTIPLE_CHOICE}

# National rules (surveys.models.Rule values).
YES_COUNT = "yes_count"
MEAN_PERCENT = "mean_percent"
SUM_COUNT = "sum_count"
NO_RULE = "none"
TOP_TWO_BOXES = "top_two_boxes"
# The options a 1–5 grid's top two boxes count, and the option its shares are under.
TOP_TWO_OPTIONS = ("4", "5")
TOP_TWO_LABEL = "4–5"

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


def format_percent(number: int) -> str:
    """A whole percent as printed: 59 → "59 %"."""
    return f"{format_thousands(number)} %"


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
        return "" if number is None else format_thousands(number)
    if question_type == MONEY:
        return "" if number is None else f"{format_thousands(number)} kr"
    return text or ""


# What a share counts, in the words of a sentence ("11 av 21 regioner", "48 % av
# kommunerna").
_COUNTED_PLURAL = {"regions": "regioner", "rss": "RSS", "municipalities": "kommuner"}
_COUNTED_DEFINITE = {
    "regions": "regionerna",
    "rss": "RSS:erna",
    "municipalities": "kommunerna",
}


def share_phrase(
    count: int, denominator: int, percent: int | None, counted: str
) -> str:
    """A share as the report's prose writes it, with its unit and denominator.

    Regions and RSS are few: "11 av 21 regioner", "5 av 24 RSS". Municipalities are
    many: "48 % av kommunerna (139 av 290)". Nobody answered: "0 av 0 kommuner".
    """
    plural = _COUNTED_PLURAL.get(counted, counted)
    if counted != "municipalities" or percent is None:
        return f"{int(count)} av {int(denominator)} {plural}"
    definite = _COUNTED_DEFINITE[counted]
    return (
        f"{format_percent(percent)} av {definite} ({int(count)} av {int(denominator)})"
    )
