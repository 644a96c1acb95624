from __future__ import annotations

import re

import pytest

from surveys.answers import (
    DEFAULT_MAX_NUMBER,
    DEFAULT_MAX_TEXT_LENGTH,
    AnswerError,
    Value,
    check_value,
    missing_items,
    parse_written,
    visible_questions,
)
from surveys.models import QuestionType
from tests.factories import QuestionFactory

pytestmark = pytest.mark.django_db

PROPOSAL = "Nej, men förslag finns framtaget"


def question(qtype: str, **kwargs):
    """An unsaved question; parsing and visibility need no database rows."""
    return QuestionFactory.build(type=qtype, **kwargs)


@pytest.mark.parametrize(
    ("qtype", "options", "raw", "expected"),
    [
        (QuestionType.YES_NO, [], "Ja", "Ja"),
        (QuestionType.YES_NO, [], "nej", "Nej"),
        (QuestionType.YES_NO, [], "  JA ", "Ja"),
        (QuestionType.YES_PARTLY_NO, [], "delvis", "Delvis"),
        (QuestionType.SINGLE_CHOICE, ["Ja", "Nej", PROPOSAL], PROPOSAL, PROPOSAL),
        (
            QuestionType.SINGLE_CHOICE,
            ["Ja", "Nej", PROPOSAL],
            "nej, men FÖRSLAG finns framtaget",
            PROPOSAL,
        ),
    ],
)
def test_an_option_is_matched_case_insensitively_and_stored_as_written_in_the_file(
    qtype, options, raw, expected
):
    q = question(qtype, options=options)

    assert parse_written(q, "", raw) == Value(text=expected)


def test_a_matrix_cell_takes_one_of_the_options():
    q = question(
        QuestionType.MATRIX, options=["Ja", "Delvis", "Nej"], items=["Rad 1", "Rad 2"]
    )

    assert parse_written(q, "Rad 2", "delvis") == Value(text="Delvis")


@pytest.mark.parametrize(
    ("qtype", "options"),
    [
        (QuestionType.YES_NO, []),
        (QuestionType.YES_PARTLY_NO, []),
        (QuestionType.SINGLE_CHOICE, ["Ja", "Nej", PROPOSAL]),
        (QuestionType.MATRIX, ["Ja", "Nej"]),
    ],
)
def test_a_text_that_is_no_option_is_refused_with_the_options(qtype, options):
    q = question(qtype, options=options, items=["Rad"] if options else [])

    with pytest.raises(AnswerError) as caught:
        parse_written(q, "Rad" if qtype == QuestionType.MATRIX else "", "Kanske")

    assert "”Kanske” är inget av svarsalternativen" in str(caught.value)
    assert " / ".join(q.choice_options) in str(caught.value)


def test_a_prefix_of_an_option_is_not_an_answer():
    q = question(QuestionType.SINGLE_CHOICE, options=["Ja", "Nej", PROPOSAL])

    with pytest.raises(AnswerError):
        parse_written(q, "", "Nej, men")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [("Ja", Value(text="Ja")), (".", Value(text="")), ("Nej", Value(text=""))],
)
def test_a_multiple_choice_alternative_is_ticked_by_ja_and_unticked_otherwise(
    raw, expected
):
    q = question(QuestionType.MULTIPLE_CHOICE, items=["Via 1177.se", "På annat sätt"])

    assert parse_written(q, "Via 1177.se", raw) == expected


def test_an_empty_multiple_choice_alternative_is_recorded_as_unticked():
    q = question(QuestionType.MULTIPLE_CHOICE, items=["Via 1177.se"])

    assert parse_written(q, "Via 1177.se", "  ") == Value(text="")


def test_any_other_text_for_a_multiple_choice_alternative_is_refused():
    q = question(QuestionType.MULTIPLE_CHOICE, items=["Via 1177.se"])

    with pytest.raises(AnswerError, match="inget svar på ett flerval"):
        parse_written(q, "Via 1177.se", "Kanske")


@pytest.mark.parametrize(
    "qtype",
    [
        QuestionType.YES_NO,
        QuestionType.PERCENTAGE,
        QuestionType.COUNT,
        QuestionType.INTEGER,
        QuestionType.FREE_TEXT,
    ],
)
def test_an_empty_answer_is_unanswered(qtype):
    assert parse_written(question(qtype), "", "   ") is None


@pytest.mark.parametrize("raw", ["72", "72 %", "72%", " 72 ", "72\u00a0%"])
def test_a_percentage_is_read_with_or_without_the_percent_sign(raw):
    q = question(QuestionType.PERCENTAGE, validation={"min": 0, "max": 100})

    assert parse_written(q, "", raw) == Value(number=72)


@pytest.mark.parametrize(
    "raw", ["1600000", "1 600 000", "1\u00a0600\u00a0000", "1\u202f600\u202f000"]
)
def test_a_count_is_read_with_ordinary_and_non_breaking_spaces(raw):
    q = question(QuestionType.COUNT, validation={"min": 0})

    assert parse_written(q, "", raw) == Value(number=1_600_000)


def test_a_count_does_not_take_a_percent_sign():
    q = question(QuestionType.COUNT, validation={"min": 0})

    with pytest.raises(AnswerError, match="inte ett heltal"):
        parse_written(q, "", "72 %")


@pytest.mark.parametrize(
    ("qtype", "raw"),
    [
        (QuestionType.PERCENTAGE, "Andelen kan inte uppskattas"),
        (QuestionType.PERCENTAGE, "andelen kan INTE uppskattas"),
        (QuestionType.COUNT, "Antalet kan inte uppskattas"),
    ],
)
def test_the_cannot_estimate_label_of_the_type_is_recorded(qtype, raw):
    q = question(qtype, validation={"min": 0})

    assert parse_written(q, "", raw) == Value(cannot_estimate=True)


@pytest.mark.parametrize(
    ("qtype", "raw"),
    [
        (QuestionType.PERCENTAGE, "Antalet kan inte uppskattas"),
        (QuestionType.COUNT, "Andelen kan inte uppskattas"),
        (QuestionType.INTEGER, "Antalet kan inte uppskattas"),
    ],
)
def test_a_cannot_estimate_label_of_another_type_is_refused(qtype, raw):
    with pytest.raises(AnswerError, match="inte ett heltal"):
        parse_written(question(qtype), "", raw)


@pytest.mark.parametrize(
    ("qtype", "validation", "raw", "message"),
    [
        (QuestionType.PERCENTAGE, {"min": 0, "max": 100}, "150", "större än 100"),
        (QuestionType.PERCENTAGE, {"min": 0, "max": 100}, "-1", "mindre än 0"),
        (QuestionType.COUNT, {"min": 0}, "-5", "mindre än 0"),
        (QuestionType.INTEGER, {"min": 1, "max": 3}, "4", "större än 3"),
        (QuestionType.COUNT_PER_OPTION, {"min": 0}, "-1", "mindre än 0"),
    ],
)
def test_a_number_outside_the_limits_is_refused(qtype, validation, raw, message):
    q = question(qtype, validation=validation)

    with pytest.raises(AnswerError, match=message):
        parse_written(q, "", raw)


def test_a_number_on_the_limits_is_accepted():
    q = question(QuestionType.PERCENTAGE, validation={"min": 0, "max": 100})

    assert parse_written(q, "", "0") == Value(number=0)
    assert parse_written(q, "", "100 %") == Value(number=100)


@pytest.mark.parametrize("raw", ["abc", "7,5", "7.5", "12 st", "1e3", "%"])
@pytest.mark.parametrize(
    "qtype", [QuestionType.PERCENTAGE, QuestionType.COUNT, QuestionType.INTEGER]
)
def test_a_text_that_is_not_a_whole_number_is_refused(qtype, raw):
    with pytest.raises(AnswerError, match="inte ett heltal"):
        parse_written(question(qtype), "", raw)


def test_a_count_per_option_cell_is_a_number():
    q = question(
        QuestionType.COUNT_PER_OPTION,
        cells=[{"label": "Ja", "item": "", "option": "Ja"}],
        validation={"min": 0},
    )

    assert parse_written(q, "Ja", "3") == Value(number=3)


def test_free_text_is_kept_without_surrounding_space():
    q = question(QuestionType.FREE_TEXT)

    assert parse_written(q, "", "  Vi har infört\nmobila team. ") == Value(
        text="Vi har infört\nmobila team."
    )


def test_free_text_longer_than_max_length_is_refused():
    q = question(QuestionType.FREE_TEXT, validation={"max_length": 10})

    assert parse_written(q, "", "x" * 10) == Value(text="x" * 10)
    with pytest.raises(AnswerError, match="texten har 11 tecken; högst 10"):
        parse_written(q, "", "x" * 11)


@pytest.fixture
def chain():
    """29 (yes/no) → 29b (shown when 29 = Ja) → 29c (shown when 29b = Ja); 30 stands alone."""
    parent = question(QuestionType.YES_NO, code="29", position=1)
    child = question(
        QuestionType.YES_NO,
        code="29b",
        position=2,
        show_if={"question": "29", "equals": "Ja"},
    )
    grandchild = question(
        QuestionType.FREE_TEXT,
        code="29c",
        position=3,
        show_if={"question": "29b", "equals": "Ja"},
    )
    other = question(QuestionType.COUNT, code="30", position=4)
    return [parent, child, grandchild, other]


def codes(questions) -> list[str]:
    return [q.code for q in questions]


def test_a_follow_up_is_hidden_until_its_condition_holds(chain):
    assert codes(visible_questions(chain, {})) == ["29", "30"]
    assert codes(visible_questions(chain, {("29", ""): Value(text="Nej")})) == [
        "29",
        "30",
    ]
    assert codes(visible_questions(chain, {("29", ""): Value(text="Ja")})) == [
        "29",
        "29b",
        "30",
    ]


def test_a_chained_follow_up_is_hidden_when_its_parent_is_hidden(chain):
    answers = {("29", ""): Value(text="Nej"), ("29b", ""): Value(text="Ja")}

    assert codes(visible_questions(chain, answers)) == ["29", "30"]


def test_a_chained_follow_up_is_shown_when_every_condition_holds(chain):
    answers = {("29", ""): Value(text="Ja"), ("29b", ""): Value(text="Ja")}

    assert codes(visible_questions(chain, answers)) == ["29", "29b", "29c", "30"]


def test_a_follow_up_of_a_ticked_alternative_is_shown_only_when_it_is_ticked():
    ticks = question(
        QuestionType.MULTIPLE_CHOICE,
        code="18",
        position=1,
        items=["Utbildningar", "Andra åtgärder"],
    )
    other = question(
        QuestionType.FREE_TEXT,
        code="18b",
        position=2,
        show_if={"question": "18", "item": "Andra åtgärder", "equals": "Ja"},
    )
    only_first = {
        ("18", "Utbildningar"): Value(text="Ja"),
        ("18", "Andra åtgärder"): Value(text=""),
    }
    both = {**only_first, ("18", "Andra åtgärder"): Value(text="Ja")}

    assert codes(visible_questions([ticks, other], only_first)) == ["18"]
    assert codes(visible_questions([ticks, other], both)) == ["18", "18b"]


def test_missing_items_of_a_matrix_are_the_unanswered_rows():
    q = question(
        QuestionType.MATRIX, code="8", options=["Ja", "Nej"], items=["A", "B", "C"]
    )

    assert missing_items(q, {("8", "B"): Value(text="Ja")}) == ["A", "C"]
    assert missing_items(q, {("8", i): Value(text="Nej") for i in "ABC"}) == []


def test_a_question_without_items_is_missing_as_a_whole():
    q = question(QuestionType.PERCENTAGE, code="35")

    assert missing_items(q, {}) == [""]
    assert missing_items(q, {("35", ""): Value(cannot_estimate=True)}) == []


def test_a_multiple_choice_is_answered_once_its_alternatives_are_recorded():
    q = question(QuestionType.MULTIPLE_CHOICE, code="34", items=["1177", "Annat"])

    assert missing_items(q, {}) == [""]
    assert missing_items(q, {("34", "Annat"): Value(text="")}) == []


def test_missing_items_of_free_text_with_items_and_of_count_per_option_cells():
    text = question(QuestionType.FREE_TEXT, code="kontakt", items=["Namn", "E-post"])
    counts = question(
        QuestionType.COUNT_PER_OPTION,
        code="S03",
        cells=[
            {"label": "Ja", "item": "", "option": "Ja"},
            {"label": "Nej", "item": "", "option": "Nej"},
        ],
    )

    assert missing_items(text, {("kontakt", "Namn"): Value(text="Anna")}) == ["E-post"]
    assert missing_items(counts, {("S03", "Nej"): Value(number=0)}) == ["Ja"]


# One set of rules: bounds, digits, text length and control characters


@pytest.mark.parametrize(
    "raw", ["100000000000000000000", "9223372036854775808", "1" * 5000]
)
@pytest.mark.parametrize(
    "qtype",
    [
        QuestionType.COUNT,
        QuestionType.INTEGER,
        QuestionType.PERCENTAGE,
        QuestionType.COUNT_PER_OPTION,
    ],
)
def test_a_number_beyond_the_default_bound_is_refused(qtype, raw):
    with pytest.raises(AnswerError, match=r"större än 1 000 000 000 000|för stort"):
        parse_written(question(qtype), "", raw)


def test_the_default_bound_itself_is_accepted():
    assert parse_written(question(QuestionType.COUNT), "", "1 000 000 000 000") == (
        Value(number=DEFAULT_MAX_NUMBER)
    )


def test_a_definitions_max_replaces_the_default_bound():
    q = question(QuestionType.INTEGER, validation={"max": 5})

    with pytest.raises(AnswerError, match="större än 5"):
        parse_written(q, "", "6")


@pytest.mark.parametrize(
    ("qtype", "raw", "message"),
    [
        (QuestionType.COUNT, "-1", "mindre än 0"),
        (QuestionType.COUNT_PER_OPTION, "-3", "mindre än 0"),
        (QuestionType.INTEGER, "-9223372036854775809", "mindre än -1 000 000 000 000"),
    ],
)
def test_a_negative_number_beyond_the_lower_bound_is_refused(qtype, raw, message):
    with pytest.raises(AnswerError, match=message):
        parse_written(question(qtype), "", raw)


@pytest.mark.parametrize("raw", ["٣٣", "３３", "१२", "3٣"])
def test_unicode_digits_are_not_numbers(raw):
    with pytest.raises(AnswerError, match="inte ett heltal"):
        parse_written(question(QuestionType.COUNT), "", raw)


def test_free_text_without_a_definition_limit_is_held_to_the_default():
    q = question(QuestionType.FREE_TEXT)

    assert parse_written(q, "", "x" * DEFAULT_MAX_TEXT_LENGTH) is not None
    with pytest.raises(AnswerError, match="högst 10 000 får plats"):
        parse_written(q, "", "x" * (DEFAULT_MAX_TEXT_LENGTH + 1))


@pytest.mark.parametrize(
    ("raw", "name"),
    [
        ("a\x00b", "NUL"),
        ("a\x07b", "U+0007"),
        ("a\x1bb", "U+001B"),
        ("a\x85b", "U+0085"),
    ],
)
def test_control_characters_are_refused_with_a_message(raw, name):
    with pytest.raises(
        AnswerError, match=re.escape(f"styrtecken ({name}) vid tecken 2")
    ):
        parse_written(question(QuestionType.FREE_TEXT), "", raw)


def test_tabs_and_line_breaks_are_kept_in_free_text():
    q = question(QuestionType.FREE_TEXT)

    assert parse_written(q, "", "a\tb\r\nc") == Value(text="a\tb\r\nc")


@pytest.mark.parametrize(
    ("qtype", "value", "message"),
    [
        (QuestionType.COUNT, Value(number=10**19), "större än"),
        (QuestionType.COUNT, Value(text="12"), "heltal"),
        (QuestionType.YES_NO, Value(text="Kanske"), "svarsalternativen"),
        (QuestionType.FREE_TEXT, Value(text="x\x00"), "NUL"),
        (QuestionType.FREE_TEXT, Value(number=3), "inte emot ett tal"),
        (QuestionType.INTEGER, Value(cannot_estimate=True), "kan inte uppskattas"),
    ],
)
def test_check_value_refuses_a_stored_shape_that_does_not_fit(qtype, value, message):
    with pytest.raises(AnswerError, match=message):
        check_value(question(qtype), value)
