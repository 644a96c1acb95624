import pytest

from aggregation.rules import formatting, statsbidrag
from aggregation.rules.formatting import (
    format_cell,
    format_percent,
    format_ratio,
)
from surveys.models import QuestionType
from surveys.models.questionnaire import (
    ANSWERED_OPTION,
    CANNOT_ESTIMATE_LABELS,
    TICKED,
    Rule,
)


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
        formatting.MONEY,
    } <= set(QuestionType.values)
    assert {
        formatting.YES_COUNT,
        formatting.MEAN_PERCENT,
        formatting.SUM_COUNT,
        formatting.NO_RULE,
        formatting.TOP_TWO_BOXES,
        statsbidrag.REQUISITIONED_RULE,
        statsbidrag.UNUSED_RULE,
    } == set(Rule.values)
    assert {
        str(k): v for k, v in CANNOT_ESTIMATE_LABELS.items()
    } == formatting.CANNOT_ESTIMATE_LABELS
    assert formatting.TICKED == TICKED
    assert formatting.ANSWERED_OPTION == ANSWERED_OPTION
