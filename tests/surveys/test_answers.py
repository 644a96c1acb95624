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
    required_message,
    ticks_problem,
    visible_questions,
)
from surveys.models import QuestionType
from tests.factories import QuestionFactory

pytestmark = pytest.mark.django_db

PROPOSAL = "Nej, men förslag finns framtaget"
PERCENT_MESSAGE = "Ange en andel mellan 0 och 100, till exempel 45."


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

    options = " / ".join(q.choice_options)
    assert str(caught.value) == f"Välj ett av svarsalternativen: {options}."
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

    with pytest.raises(AnswerError, match=r"^Skriv Ja för ett markerat alternativ"):
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

    with pytest.raises(
        AnswerError, match=re.escape("Ange antalet med siffror, till exempel 12 500.")
    ):
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
    with pytest.raises(AnswerError, match=r"^Ange .* med siffror|^Ange en andel"):
        parse_written(question(qtype), "", raw)


@pytest.mark.parametrize(
    ("qtype", "validation", "raw", "message"),
    [
        (QuestionType.PERCENTAGE, {"min": 0, "max": 100}, "150", PERCENT_MESSAGE),
        (QuestionType.PERCENTAGE, {"min": 0, "max": 100}, "-1", PERCENT_MESSAGE),
        (QuestionType.COUNT, {"min": 0}, "-5", "Ange ett antal som är 0 eller mer."),
        (
            QuestionType.INTEGER,
            {"min": 1, "max": 3},
            "4",
            "Ange ett heltal mellan 1 och 3.",
        ),
        (
            QuestionType.COUNT,
            {"min": 0, "max": 50},
            "51",
            "Ange ett antal mellan 0 och 50.",
        ),
        (
            QuestionType.COUNT_PER_OPTION,
            {"min": 0},
            "-1",
            "Ange ett antal som är 0 eller mer.",
        ),
    ],
)
def test_a_number_outside_the_limits_is_refused_with_what_to_enter(
    qtype, validation, raw, message
):
    q = question(qtype, validation=validation)

    with pytest.raises(AnswerError, match=f"^{re.escape(message)}$"):
        parse_written(q, "", raw)


def test_a_number_on_the_limits_is_accepted():
    q = question(QuestionType.PERCENTAGE, validation={"min": 0, "max": 100})

    assert parse_written(q, "", "0") == Value(number=0)
    assert parse_written(q, "", "100 %") == Value(number=100)


@pytest.mark.parametrize("raw", ["abc", "12 st", "1e3", "%", "1,600,000", "ca 40"])
@pytest.mark.parametrize(
    ("qtype", "message"),
    [
        (QuestionType.PERCENTAGE, PERCENT_MESSAGE),
        (QuestionType.COUNT, "Ange antalet med siffror, till exempel 12 500."),
        (QuestionType.INTEGER, "Ange ett heltal med siffror, till exempel 3."),
    ],
)
def test_a_text_that_is_not_a_number_is_refused_with_an_example(qtype, message, raw):
    with pytest.raises(AnswerError, match=f"^{re.escape(message)}$"):
        parse_written(question(qtype), "", raw)


@pytest.mark.parametrize(
    ("qtype", "raw", "message"),
    [
        (
            QuestionType.PERCENTAGE,
            "72,5",
            "Ange andelen i hela procent utan decimaler, till exempel 73 i stället "
            "för 72,5.",
        ),
        (
            QuestionType.PERCENTAGE,
            "7.5 %",
            "Ange andelen i hela procent utan decimaler, till exempel 8 i stället "
            "för 7.5 %.",
        ),
        (
            QuestionType.COUNT,
            "1 600,4",
            "Ange antalet som ett heltal utan decimaler, till exempel 1 600 i stället "
            "för 1 600,4.",
        ),
        (
            QuestionType.INTEGER,
            "2,5",
            "Ange ett heltal utan decimaler, till exempel 3 i stället för 2,5.",
        ),
    ],
)
def test_a_number_with_decimals_is_refused_with_the_whole_number_to_write(
    qtype, raw, message
):
    with pytest.raises(AnswerError, match=f"^{re.escape(message)}$"):
        parse_written(question(qtype), "", raw)


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1.600.000", 1_600_000),
        ("1 600 000,00", 1_600_000),
        ("  12 500 ", 12_500),
        ("\u00a012\u202f500\u00a0", 12_500),
    ],
)
def test_a_count_is_read_as_swedes_and_spreadsheets_write_it(raw, expected):
    q = question(QuestionType.COUNT, validation={"min": 0})

    assert parse_written(q, "", raw) == Value(number=expected)


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
    with pytest.raises(
        AnswerError,
        match=re.escape("Korta texten till högst 10 tecken (den har 11 nu)."),
    ):
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
    expected = (
        PERCENT_MESSAGE
        if qtype == QuestionType.PERCENTAGE
        else "som är högst 1 000 000 000 000. Kontrollera att inga extra siffror"
    )
    with pytest.raises(AnswerError, match=re.escape(expected)):
        parse_written(question(qtype), "", raw)


def test_the_default_bound_itself_is_accepted():
    assert parse_written(question(QuestionType.COUNT), "", "1 000 000 000 000") == (
        Value(number=DEFAULT_MAX_NUMBER)
    )


def test_a_definitions_max_replaces_the_default_bound():
    q = question(QuestionType.INTEGER, validation={"max": 5})

    with pytest.raises(AnswerError, match=r"^Ange ett heltal som är högst 5\.$"):
        parse_written(q, "", "6")


@pytest.mark.parametrize(
    ("qtype", "raw", "message"),
    [
        (QuestionType.COUNT, "-1", "Ange ett antal som är 0 eller mer."),
        (QuestionType.COUNT, "\u22123", "Ange ett antal som är 0 eller mer."),
        (QuestionType.COUNT_PER_OPTION, "-3", "Ange ett antal som är 0 eller mer."),
        (
            QuestionType.INTEGER,
            "-9223372036854775809",
            "Ange ett heltal som är -1 000 000 000 000 eller mer.",
        ),
    ],
)
def test_a_negative_number_beyond_the_lower_bound_is_refused(qtype, raw, message):
    with pytest.raises(AnswerError, match=re.escape(message)):
        parse_written(question(qtype), "", raw)


@pytest.mark.parametrize("raw", ["٣٣", "３３", "१२", "3٣"])
def test_unicode_digits_are_not_numbers(raw):
    with pytest.raises(AnswerError, match="med siffror"):
        parse_written(question(QuestionType.COUNT), "", raw)


def test_free_text_without_a_definition_limit_is_held_to_the_default():
    q = question(QuestionType.FREE_TEXT)

    assert parse_written(q, "", "x" * DEFAULT_MAX_TEXT_LENGTH) is not None
    with pytest.raises(AnswerError, match="Korta texten till högst 10 000 tecken"):
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
        (QuestionType.COUNT, Value(number=10**19), "högst 1 000 000 000 000"),
        (QuestionType.COUNT, Value(text="12"), "med siffror"),
        (QuestionType.YES_NO, Value(text="Kanske"), "svarsalternativen"),
        (QuestionType.FREE_TEXT, Value(text="x\x00"), "NUL"),
        (QuestionType.FREE_TEXT, Value(number=3), "inte ett tal"),
        (QuestionType.INTEGER, Value(cannot_estimate=True), "kan inte uppskattas"),
    ],
)
def test_check_value_refuses_a_stored_shape_that_does_not_fit(qtype, value, message):
    with pytest.raises(AnswerError, match=message):
        check_value(question(qtype), value)


# Formats of the contact block, exclusive alternatives, what a missing answer needs

EMAIL_MESSAGE = "Ange en e-postadress i rätt format, till exempel namn@exempel.se."
PHONE_MESSAGE = (
    "Ange ett telefonnummer som börjar med 0 eller +46, till exempel 070-174 06 50 "
    "eller +46 8 123 456 78."
)


def contact():
    return question(
        QuestionType.FREE_TEXT,
        items=["Namn", "E-postadress", "Telefonnummer"],
        validation={
            "max_length": 200,
            "formats": {"E-postadress": "email", "Telefonnummer": "phone"},
        },
    )


@pytest.mark.parametrize(
    "raw", ["anna.berg@region.se", " Anna.Berg@Kommun.SE ", "a+b@sub.exempel.se"]
)
def test_an_e_mail_address_in_the_contact_block_is_accepted(raw):
    assert parse_written(contact(), "E-postadress", raw) == Value(text=raw.strip())


@pytest.mark.parametrize(
    "raw", ["anna.berg", "anna@", "@region.se", "anna berg@region.se", "070-123 45 67"]
)
def test_a_malformed_e_mail_address_is_refused_with_an_example(raw):
    with pytest.raises(AnswerError, match=f"^{re.escape(EMAIL_MESSAGE)}$"):
        parse_written(contact(), "E-postadress", raw)


@pytest.mark.parametrize(
    "raw",
    [
        "070-123 45 67",
        "0701234567",
        "08-123 456 78",
        "08 - 12 34 56",
        "+46 70 123 45 67",
        "+46 (0)70-123 45 67",
        "0046 8 123 456 78",
        "0980-123 45",
        "010\u00a0123\u00a045\u00a067",
    ],
)
def test_a_swedish_phone_number_is_accepted_with_spaces_and_dashes(raw):
    assert parse_written(contact(), "Telefonnummer", raw) == Value(text=raw.strip())


@pytest.mark.parametrize(
    "raw", ["123", "70-123 45 67", "+47 22 12 34 56", "070-ABC", "anna@region.se", "0"]
)
def test_a_phone_number_that_is_not_swedish_is_refused_with_an_example(raw):
    with pytest.raises(AnswerError, match=f"^{re.escape(PHONE_MESSAGE)}$"):
        parse_written(contact(), "Telefonnummer", raw)


def test_the_name_of_the_contact_block_takes_any_text():
    assert parse_written(contact(), "Namn", "070 Anna") == Value(text="070 Anna")


def test_check_value_applies_the_item_format_on_every_path():
    with pytest.raises(AnswerError, match=re.escape(EMAIL_MESSAGE)):
        check_value(contact(), Value(text="anna"), item="E-postadress")

    assert check_value(contact(), Value(text="anna"), item="Namn") == Value(text="anna")


NONE_OF_THE_ABOVE = "Inget av ovanstående"


def exclusive_choice():
    return question(
        QuestionType.MULTIPLE_CHOICE,
        items=["riktade hälsosamtal", "hembesöksprogram", NONE_OF_THE_ABOVE],
        validation={"exclusive": [NONE_OF_THE_ABOVE]},
    )


@pytest.mark.parametrize(
    "ticked",
    [
        set(),
        {NONE_OF_THE_ABOVE},
        {"riktade hälsosamtal"},
        {"riktade hälsosamtal", "hembesöksprogram"},
    ],
)
def test_ticks_that_go_together_have_no_problem(ticked):
    assert ticks_problem(exclusive_choice(), ticked) is None


def test_an_exclusive_alternative_ticked_with_another_is_a_problem_saying_what_to_do():
    problem = ticks_problem(exclusive_choice(), {NONE_OF_THE_ABOVE, "hembesöksprogram"})

    assert problem == (
        "”Inget av ovanstående” kan inte markeras tillsammans med andra alternativ. "
        "Avmarkera antingen ”Inget av ovanstående” eller de andra."
    )


@pytest.mark.parametrize(
    ("q", "missing", "message"),
    [
        (question(QuestionType.YES_NO), [""], "Välj ett av svarsalternativen."),
        (
            question(QuestionType.MULTIPLE_CHOICE, items=["A", "B"]),
            [""],
            "Markera minst ett alternativ.",
        ),
        (
            exclusive_choice(),
            [""],
            "Markera minst ett alternativ, eller ”Inget av ovanstående”.",
        ),
        (
            question(QuestionType.MATRIX, options=["Ja", "Nej"], items=["A", "B"]),
            ["A", "B"],
            "Välj ett svar på varje rad. Svar saknas för ”A”, ”B”.",
        ),
        (
            question(QuestionType.PERCENTAGE),
            [""],
            "Ange en andel mellan 0 och 100, eller markera ”Andelen kan inte "
            "uppskattas”.",
        ),
        (
            question(QuestionType.COUNT),
            [""],
            "Ange antalet med siffror, eller markera ”Antalet kan inte uppskattas”.",
        ),
        (
            question(QuestionType.INTEGER, validation={"min": 1, "max": 5}),
            [""],
            "Ange ett heltal med siffror, till exempel 3.",
        ),
        (question(QuestionType.FREE_TEXT), [""], "Skriv ett svar."),
        (contact(), ["Telefonnummer"], "Fyll i ”Telefonnummer”."),
    ],
    ids=[
        "choice",
        "multiple",
        "multiple-exclusive",
        "matrix",
        "percentage",
        "count",
        "integer",
        "text",
        "contact",
    ],
)
def test_a_missing_required_answer_says_what_to_do(q, missing, message):
    assert required_message(q, missing) == message
