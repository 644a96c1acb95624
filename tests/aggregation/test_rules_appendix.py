import pandas as pd

from aggregation.rules.appendix import (
    APPENDIX_COLUMNS,
    appendix_cells,
    national_rows,
    national_value,
)

QUESTION_COLUMNS = [
    "question",
    "type",
    "rule",
    "options",
    "items",
    "cells",
    "source",
    "in_appendix",
    "position",
]
ANSWER_COLUMNS = [
    "organisation_code",
    "question_code",
    "item",
    "text",
    "number",
    "cannot_estimate",
]
REGIONS = pd.DataFrame(
    [
        ("03", "Uppsala", "03"),
        ("01", "Stockholm", "01"),
        ("04", "Sörmland", "04"),
        ("05", "Östergötland", "05"),
    ],
    columns=["code", "name", "county_code"],
)


def question(
    code,
    qtype,
    rule,
    *,
    options=(),
    items=(),
    in_appendix=True,
    position=1,
):
    return (
        code,
        qtype,
        rule,
        list(options),
        list(items),
        [],
        None,
        in_appendix,
        position,
    )


def questions(*rows):
    return pd.DataFrame(list(rows), columns=QUESTION_COLUMNS)


def answers(*rows):
    """Rows (organisation, question, item, text, number, cannot_estimate)."""
    frame = pd.DataFrame(list(rows), columns=ANSWER_COLUMNS)
    frame["number"] = frame["number"].astype("Int64")
    frame["cannot_estimate"] = frame["cannot_estimate"].astype(bool)
    return frame


def choice(org, code, text, item=""):
    return (org, code, item, text, None, False)


def figure(org, code, number=None, *, cannot_estimate=False):
    return (org, code, "", "", number, cannot_estimate)


def table(cells, code, item=""):
    """{organisation: value} of one column of one question's table."""
    column = cells[(cells["question"] == code) & (cells["item"] == item)]
    return dict(zip(column["organisation"], column["value"], strict=True))


YES_NO = question("2", "yes_no", "yes_count", options=["Ja", "Nej"])


def test_yes_no_national_row_counts_exactly_ja_over_those_answering():
    cells = appendix_cells(
        questions(YES_NO),
        answers(
            choice("01", "2", "Ja"),
            choice("03", "2", "Nej"),
            choice("04", "2", "Ja"),
        ),
        REGIONS,
    )
    assert table(cells, "2") == {
        "Riket": "2/3",
        "Stockholm": "Ja",
        "Uppsala": "Nej",
        "Sörmland": "Ja",
        "Östergötland": "",
    }


def test_rows_are_riket_then_regions_in_county_code_order_with_positions():
    cells = appendix_cells(questions(YES_NO), answers(), REGIONS)
    assert list(cells.columns) == APPENDIX_COLUMNS
    assert list(cells["organisation"]) == [
        "Riket",
        "Stockholm",
        "Uppsala",
        "Sörmland",
        "Östergötland",
    ]
    assert list(cells["organisation_code"]) == ["SE", "01", "03", "04", "05"]
    assert list(cells["position"]) == [0, 1, 2, 3, 4]


def test_a_region_without_a_submitted_answer_gets_an_empty_cell_and_is_not_counted():
    cells = appendix_cells(questions(YES_NO), answers(choice("01", "2", "Ja")), REGIONS)
    assert table(cells, "2") == {
        "Riket": "1/1",
        "Stockholm": "Ja",
        "Uppsala": "",
        "Sörmland": "",
        "Östergötland": "",
    }


def test_nobody_answering_leaves_the_national_row_empty():
    cells = appendix_cells(questions(YES_NO), answers(), REGIONS)
    assert table(cells, "2")["Riket"] == ""


def test_partly_and_other_options_do_not_count_as_yes():
    cells = appendix_cells(
        questions(
            question(
                "3", "yes_partly_no", "yes_count", options=["Ja", "Delvis", "Nej"]
            ),
            question(
                "4",
                "single_choice",
                "yes_count",
                options=["Ja", "Nej", "Nej, men förslag finns framtaget"],
                position=2,
            ),
        ),
        answers(
            choice("01", "3", "Ja"),
            choice("03", "3", "Delvis"),
            choice("04", "3", "Nej"),
            choice("01", "4", "Nej, men förslag finns framtaget"),
            choice("03", "4", "Ja"),
            choice("04", "4", "Nej"),
            choice("05", "4", "Ja"),
        ),
        REGIONS,
    )
    assert table(cells, "3") == {
        "Riket": "1/3",
        "Stockholm": "Ja",
        "Uppsala": "Delvis",
        "Sörmland": "Nej",
        "Östergötland": "",
    }
    assert table(cells, "4") == {
        "Riket": "2/4",
        "Stockholm": "Nej, men förslag finns framtaget",
        "Uppsala": "Ja",
        "Sörmland": "Nej",
        "Östergötland": "Ja",
    }


def test_matrix_has_one_column_per_item_counted_per_item():
    matrix = question(
        "8",
        "matrix",
        "yes_count",
        options=["Ja", "Nej"],
        items=["Samverkan", "Kontinuitet"],
    )
    cells = appendix_cells(
        questions(matrix),
        answers(
            choice("01", "8", "Ja", "Samverkan"),
            choice("01", "8", "Nej", "Kontinuitet"),
            choice("03", "8", "Ja", "Samverkan"),
            choice("03", "8", "Ja", "Kontinuitet"),
            choice("04", "8", "Nej", "Samverkan"),
        ),
        REGIONS,
    )
    assert list(dict.fromkeys(cells["item"])) == ["Samverkan", "Kontinuitet"]
    assert table(cells, "8", "Samverkan") == {
        "Riket": "2/3",
        "Stockholm": "Ja",
        "Uppsala": "Ja",
        "Sörmland": "Nej",
        "Östergötland": "",
    }
    # Sörmland left the item unanswered: it is not in the denominator of that column.
    assert table(cells, "8", "Kontinuitet") == {
        "Riket": "1/2",
        "Stockholm": "Nej",
        "Uppsala": "Ja",
        "Sörmland": "",
        "Östergötland": "",
    }


MULTIPLE = question(
    "18",
    "multiple_choice",
    "yes_count",
    items=["Digitala vårdmöten", "Mobila team", "Andra åtgärder"],
)


def test_multiple_choice_prints_ja_or_dot_and_counts_ticks_over_those_answering():
    cells = appendix_cells(
        questions(MULTIPLE),
        answers(
            choice("01", "18", "Ja", "Digitala vårdmöten"),
            choice("01", "18", "", "Mobila team"),
            choice("01", "18", "Ja", "Andra åtgärder"),
            choice("03", "18", "Ja", "Digitala vårdmöten"),
            choice("03", "18", "", "Mobila team"),
            choice("03", "18", "", "Andra åtgärder"),
        ),
        REGIONS,
    )
    assert table(cells, "18", "Digitala vårdmöten") == {
        "Riket": "2/2",
        "Stockholm": "Ja",
        "Uppsala": "Ja",
        "Sörmland": "",
        "Östergötland": "",
    }
    assert table(cells, "18", "Mobila team")["Riket"] == "0/2"
    assert table(cells, "18", "Andra åtgärder") == {
        "Riket": "1/2",
        "Stockholm": "Ja",
        "Uppsala": ".",
        "Sörmland": "",
        "Östergötland": "",
    }


def test_multiple_choice_with_nothing_ticked_is_all_dots_and_riket_zero_of_n():
    cells = appendix_cells(
        questions(MULTIPLE),
        answers(
            *(
                choice(org, "18", "", item)
                for org in ("01", "03", "04", "05")
                for item in ("Digitala vårdmöten", "Mobila team", "Andra åtgärder")
            )
        ),
        REGIONS,
    )
    for item in ("Digitala vårdmöten", "Mobila team", "Andra åtgärder"):
        assert table(cells, "18", item) == {
            "Riket": "0/4",
            "Stockholm": ".",
            "Uppsala": ".",
            "Sörmland": ".",
            "Östergötland": ".",
        }


def test_an_alternative_missing_from_an_answered_multiple_choice_is_unticked():
    cells = appendix_cells(
        questions(MULTIPLE),
        answers(choice("01", "18", "Ja", "Mobila team")),
        REGIONS,
    )
    assert table(cells, "18", "Andra åtgärder")["Stockholm"] == "."
    assert table(cells, "18", "Andra åtgärder")["Riket"] == "0/1"


PERCENT = question("35", "percentage", "mean_percent")


def test_percentage_national_row_is_the_unweighted_mean_rounded_half_up():
    cells = appendix_cells(
        questions(PERCENT),
        answers(
            figure("01", "35", 59),
            figure("03", "35", 60),
            figure("04", "35", cannot_estimate=True),
        ),
        REGIONS,
    )
    # (59 + 60) / 2 = 59.5 → 60; cannot-estimate is left out of both sides.
    assert table(cells, "35") == {
        "Riket": "60 %",
        "Stockholm": "59 %",
        "Uppsala": "60 %",
        "Sörmland": "Andelen kan inte uppskattas",
        "Östergötland": "",
    }


def test_percentage_mean_rounds_down_below_the_half():
    frame = answers(
        figure("01", "35", 72), figure("03", "35", 45), figure("04", "35", 61)
    )
    # 178 / 3 = 59.33…
    assert national_value("percentage", "mean_percent", frame, "") == "59 %"


def test_percentage_where_every_region_cannot_estimate_has_no_national_figure():
    frame = answers(
        figure("01", "35", cannot_estimate=True),
        figure("03", "35", cannot_estimate=True),
    )
    assert national_value("percentage", "mean_percent", frame, "") == ""


def test_count_national_row_is_the_sum_with_a_space_as_thousands_separator():
    count = question("36", "count", "sum_count")
    cells = appendix_cells(
        questions(count),
        answers(
            figure("01", "36", 1600000),
            figure("03", "36", 2645026),
            figure("04", "36", cannot_estimate=True),
        ),
        REGIONS,
    )
    assert table(cells, "36") == {
        "Riket": "4 245 026",
        "Stockholm": "1 600 000",
        "Uppsala": "2 645 026",
        "Sörmland": "Antalet kan inte uppskattas",
        "Östergötland": "",
    }


def test_questions_not_in_the_appendix_or_without_a_rule_get_no_table():
    cells = appendix_cells(
        questions(
            question("2", "yes_no", "yes_count", in_appendix=False),
            question("1", "free_text", "none", position=2),
            question("S02", "single_choice", "none", options=["A", "B"], position=3),
            question("5", "yes_no", "yes_count", position=4),
        ),
        answers(choice("01", "2", "Ja"), choice("01", "5", "Ja")),
        REGIONS,
    )
    assert set(cells["question"]) == {"5"}


def test_tables_follow_the_question_positions():
    cells = appendix_cells(
        questions(
            question("6", "yes_no", "yes_count", position=7),
            question("5", "yes_no", "yes_count", position=3),
        ),
        answers(),
        REGIONS,
    )
    assert list(dict.fromkeys(cells["question"])) == ["5", "6"]
    assert list(cells["position"]) == list(range(10))


def test_previous_cycle_national_row_follows_riket():
    previous = pd.DataFrame(
        [("2", "", 2023, "15/21")], columns=["question", "item", "year", "value"]
    )
    cells = appendix_cells(
        questions(YES_NO, question("5", "yes_no", "yes_count", position=2)),
        answers(choice("01", "2", "Ja")),
        REGIONS,
        previous=previous,
    )
    of_2 = cells[cells["question"] == "2"]
    assert list(of_2["organisation"])[:3] == ["Riket", "Riket 2023", "Stockholm"]
    assert table(cells, "2")["Riket 2023"] == "15/21"
    assert of_2.iloc[1]["organisation_code"] == "SE-2023"
    assert "Riket 2023" not in set(cells.loc[cells["question"] == "5", "organisation"])


def test_previous_cycle_row_is_empty_for_a_column_the_old_question_lacked():
    matrix = question(
        "8", "matrix", "yes_count", options=["Ja", "Nej"], items=["Samverkan", "Ny"]
    )
    previous = pd.DataFrame(
        [("8", "Samverkan", 2023, "10/21")],
        columns=["question", "item", "year", "value"],
    )
    cells = appendix_cells(questions(matrix), answers(), REGIONS, previous=previous)
    assert table(cells, "8", "Samverkan")["Riket 2023"] == "10/21"
    assert table(cells, "8", "Ny")["Riket 2023"] == ""


def test_national_rows_cover_every_question_with_a_rule():
    rows = national_rows(
        questions(
            YES_NO,
            question("2b", "free_text", "none", position=2),
            question("35", "percentage", "mean_percent", in_appendix=False, position=3),
        ),
        answers(
            choice("01", "2", "Ja"),
            choice("03", "2", "Ja"),
            figure("01", "35", 0),
            figure("03", "35", 1),
        ),
    )
    # (0 + 1) / 2 = 0.5 → 1
    assert rows.to_dict("records") == [
        {"question": "2", "item": "", "value": "2/2"},
        {"question": "35", "item": "", "value": "1 %"},
    ]


def test_cells_are_formatted_column_wise_exactly_as_format_cell_formats_one():
    import itertools

    import numpy as np

    from aggregation.rules.appendix import _formatted
    from aggregation.rules.formatting import format_cell

    types = [
        "yes_no",
        "yes_partly_no",
        "single_choice",
        "multiple_choice",
        "matrix",
        "percentage",
        "count",
        "integer",
        "count_per_option",
        "free_text",
    ]
    texts = ["", "Ja", "Nej", "Delvis", "fritext"]
    numbers = [None, 0, 7, 59, 100, 1000, 1600000, 4245026]
    combos = list(itertools.product(types, texts, numbers, [False, True]))

    values = _formatted(
        np.array([c[0] for c in combos], dtype=object),
        np.array([c[1] for c in combos], dtype=object),
        pd.Series([c[2] for c in combos], dtype="Int64"),
        np.array([c[3] for c in combos], dtype=bool),
    )

    assert values.tolist() == [format_cell(*combo) for combo in combos]
    assert all(type(value) is str for value in values.tolist())


def test_an_answer_to_an_item_outside_the_table_still_counts_as_answering():
    asked = questions(
        question("7", "multiple_choice", "yes_count", items=["A", "B"]),
    )
    given = answers(
        choice("01", "7", "Ja", item="A"),
        # Uppsala ticked only an alternative the table does not print.
        choice("03", "7", "Ja", item="C"),
        # Not one of the organisations: left out.
        choice("99", "7", "Ja", item="B"),
    )

    cells = appendix_cells(asked, given, REGIONS)

    by_cell = {
        (row.item, row.organisation_code): row.value
        for row in cells.itertuples(index=False)
    }
    assert by_cell[("A", "01")] == "Ja"
    assert by_cell[("B", "01")] == "."
    assert by_cell[("A", "03")] == "."
    assert by_cell[("B", "03")] == "."
    assert by_cell[("A", "04")] == ""
    assert "99" not in set(cells["organisation_code"])


def test_the_national_rows_are_riket_and_riket_of_an_earlier_year():
    from aggregation.rules.appendix import NATIONAL_NAME, is_national

    assert NATIONAL_NAME == "Riket"
    assert is_national("Riket") and is_national("Riket 2023")
    assert not is_national("Stockholm") and not is_national("Riketsgränsen")


def _organisation_grid_inputs():
    asked = questions(
        YES_NO,
        question("3", "matrix", "yes_count", options=["Ja", "Nej"], items=["A", "B"]),
        question("7", "multiple_choice", "yes_count", items=["A", "B"], position=3),
        question("9", "percentage", "mean_percent", position=4),
    )
    given = answers(
        choice("01", "2", "Ja"),
        choice("03", "2", None),
        choice("01", "3", "Nej", item="A"),
        choice("04", "3", "Ja", item="B"),
        choice("01", "7", "Ja", item="A"),
        choice("03", "7", "Ja", item="C"),
        choice("99", "7", "Ja", item="B"),
        figure("01", "9", 59),
        figure("04", "9", cannot_estimate=True),
    )
    columns = pd.DataFrame(
        [
            ("2", "yes_no", "", 0),
            ("3", "matrix", "A", 1),
            ("3", "matrix", "B", 2),
            ("7", "multiple_choice", "A", 3),
            ("7", "multiple_choice", "B", 4),
            ("9", "percentage", "", 5),
        ],
        columns=["question", "type", "item", "column"],
    )
    members = REGIONS.sort_values(["county_code", "code"]).assign(group=1)
    members["row"] = range(len(members))
    return asked, given, columns, members


def test_organisation_cells_equal_those_of_a_join_of_grid_and_answers():
    from aggregation.rules.appendix import (
        _joined_organisation_values,
        _organisation_values,
    )

    _asked, given, columns, members = _organisation_grid_inputs()
    wanted = ["question", "item", "code", "name", "value", "column", "group", "row"]

    numbered = _organisation_values(columns, given, members)[wanted]
    joined = _joined_organisation_values(columns, given, members)[wanted]

    pd.testing.assert_frame_equal(numbered, joined)
    assert set(numbered["value"]) >= {"Ja", "Nej", ".", "59 %", ""}


def test_two_answers_to_one_cell_give_a_cell_row_each():
    from aggregation.rules.appendix import _organisation_values

    _asked, given, columns, members = _organisation_grid_inputs()
    twice = pd.concat([given, given.iloc[:1]], ignore_index=True)

    cells = _organisation_values(columns, twice, members)

    of_cell = cells[(cells["column"] == 0) & (cells["code"] == "01")]
    assert of_cell["value"].tolist() == ["Ja", "Ja"]
