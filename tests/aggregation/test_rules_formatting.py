from decimal import Decimal
from fractions import Fraction

import pytest

from aggregation.rules import formatting
from aggregation.rules.formatting import (
    format_cell,
    format_count,
    format_percent,
    format_ratio,
    mean_half_up,
    percent_of,
    round_half_up,
)
from surveys.models import QuestionType
from surveys.models.questionnaire import (
    ANSWERED_OPTION,
    CANNOT_ESTIMATE_LABELS,
    TICKED,
    Rule,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (59.5, 60),
        (60.5, 61),
        (0.5, 1),
        (2.5, 3),
        (1.5, 2),
        (59.49, 59),
        (Decimal("72.5"), 73),
        (Fraction(119, 2), 60),
        (Fraction(200, 3), 67),
        (59, 59),
        (0, 0),
    ],
)
def test_round_half_up_rounds_halves_up_not_to_even(value, expected):
    assert round_half_up(value) == expected


def test_round_half_up_differs_from_python_round_at_even_halves():
    assert round(2.5) == 2
    assert round_half_up(2.5) == 3


def test_percent_of_rounds_the_exact_ratio_half_up():
    assert percent_of(1, 8) == 13  # 12.5
    assert percent_of(1, 3) == 33
    assert percent_of(2, 3) == 67
    assert percent_of(19, 21) == 90  # 90.476…
    assert percent_of(0, 5) == 0
    assert percent_of(5, 5) == 100


def test_percent_of_nothing_answered_is_none():
    assert percent_of(0, 0) is None


def test_mean_half_up_of_59_and_60_is_60():
    assert mean_half_up([59, 60]) == 60


def test_mean_half_up_of_no_figures_is_none():
    assert mean_half_up([]) is None


def test_format_count_uses_a_space_as_thousands_separator():
    assert format_count(4245026) == "4 245 026"
    assert format_count(1600000) == "1 600 000"
    assert format_count(999) == "999"
    assert format_count(0) == "0"


def test_format_percent_and_ratio_as_printed():
    assert format_percent(59) == "59 %"
    assert format_ratio(19, 21) == "19/21"


@pytest.mark.parametrize(
    ("question_type", "text", "number", "cannot_estimate", "expected"),
    [
        (QuestionType.YES_NO, "Ja", None, False, "Ja"),
        (QuestionType.YES_NO, "Nej", None, False, "Nej"),
        (QuestionType.YES_PARTLY_NO, "Delvis", None, False, "Delvis"),
        (
            QuestionType.SINGLE_CHOICE,
            "Nej, men förslag finns framtaget",
            None,
            False,
            "Nej, men förslag finns framtaget",
        ),
        (QuestionType.MATRIX, "Nej", None, False, "Nej"),
        (QuestionType.MULTIPLE_CHOICE, "Ja", None, False, "Ja"),
        (QuestionType.MULTIPLE_CHOICE, "", None, False, "."),
        (QuestionType.PERCENTAGE, "", 72, False, "72 %"),
        (QuestionType.PERCENTAGE, "", None, True, "Andelen kan inte uppskattas"),
        (QuestionType.COUNT, "", 1600000, False, "1 600 000"),
        (QuestionType.COUNT, "", None, True, "Antalet kan inte uppskattas"),
        (QuestionType.INTEGER, "", 12, False, "12"),
    ],
)
def test_format_cell_prints_each_answer_type_as_published(
    question_type, text, number, cannot_estimate, expected
):
    assert format_cell(question_type, text, number, cannot_estimate) == expected


def test_rule_constants_match_the_surveys_models():
    assert {
        formatting.YES_NO,
        formatting.YES_PARTLY_NO,
        formatting.SINGLE_CHOICE,
        formatting.MULTIPLE_CHOICE,
        formatting.MATRIX,
        formatting.PERCENTAGE,
        formatting.COUNT,
        formatting.INTEGER,
        formatting.COUNT_PER_OPTION,
    } <= set(QuestionType.values)
    assert {
        formatting.YES_COUNT,
        formatting.MEAN_PERCENT,
        formatting.SUM_COUNT,
        formatting.NO_RULE,
    } == set(Rule.values)
    assert {
        str(k): v for k, v in CANNOT_ESTIMATE_LABELS.items()
    } == formatting.CANNOT_ESTIMATE_LABELS
    assert formatting.TICKED == TICKED
    assert formatting.ANSWERED_OPTION == ANSWERED_OPTION
