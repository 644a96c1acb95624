"""Shares on a hand-made area: 9 municipalities in 3 counties and 4 RSS.

County 01: RSS-01 (m1–m4). County 14: RSS-14-A (m5–m7) and RSS-14-B (m8, m9). County 20:
RSS-20, whose municipalities (none here) never answered and whose RSS never submitted.
m4 has not submitted; m7 left one matrix item unanswered; m9 did not answer K19.
"""

import pandas as pd
import pytest
from pandas.testing import assert_frame_equal

from aggregation.rules import shares as shares_rules
from aggregation.rules.shares import (
    DIFFERENCE_COLUMNS,
    SHARE_COLUMNS,
    answer_tallies,
    area_sources,
    compiled_tallies,
    count_differences,
    municipal_shares,
    region_shares,
    rss_shares,
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
ANSWERED = "Antal kommuner som besvarat frågan"
HOME, REHAB = "Hemsjukvård", "Rehabilitering"
ACTIVITY, FOOD = "Fysisk aktivitet", "Kost"

MUNICIPALITIES = pd.DataFrame(
    [
        ("m1", "01", "RSS-01"),
        ("m2", "01", "RSS-01"),
        ("m3", "01", "RSS-01"),
        ("m4", "01", "RSS-01"),
        ("m5", "14", "RSS-14-A"),
        ("m6", "14", "RSS-14-A"),
        ("m7", "14", "RSS-14-A"),
        ("m8", "14", "RSS-14-B"),
        ("m9", "14", "RSS-14-B"),
    ],
    columns=["code", "county_code", "rss_code"],
)
RSS_UNITS = pd.DataFrame(
    [
        ("RSS-01", "01", None),
        ("RSS-14-A", "14", None),
        ("RSS-14-B", "14", None),
        ("RSS-20", "20", None),  # has not submitted
    ],
    columns=["code", "county_code", "rss_code"],
)


def frame(rows, columns):
    return pd.DataFrame(list(rows), columns=columns)


def answers(rows):
    result = frame(rows, ANSWER_COLUMNS)
    result["number"] = result["number"].astype("Int64")
    result["cannot_estimate"] = result["cannot_estimate"].astype(bool)
    return result


MUNICIPAL_QUESTIONS = frame(
    [
        (
            "K04",
            "matrix",
            "yes_count",
            ["Ja", "Nej"],
            [HOME, REHAB],
            [],
            None,
            False,
            1,
        ),
        ("K06", "yes_no", "yes_count", ["Ja", "Nej"], [], [], None, False, 2),
        (
            "K19",
            "multiple_choice",
            "yes_count",
            [],
            [ACTIVITY, FOOD],
            [],
            None,
            False,
            3,
        ),
    ],
    QUESTION_COLUMNS,
)
# What each municipality answered; m4 is missing (not submitted).
MUNICIPAL = {
    "m1": {"K06": "Ja", HOME: "Ja", REHAB: "Nej", "K19": [ACTIVITY]},
    "m2": {"K06": "Ja", HOME: "Nej", REHAB: "Nej", "K19": []},
    "m3": {"K06": "Nej", HOME: "Ja", REHAB: "Nej", "K19": [ACTIVITY, FOOD]},
    "m5": {"K06": "Ja", HOME: "Ja", REHAB: "Ja", "K19": [FOOD]},
    "m6": {"K06": "Nej", HOME: "Ja", REHAB: "Nej", "K19": []},
    "m7": {"K06": "Nej", HOME: "Ja", "K19": []},
    "m8": {"K06": "Ja", HOME: "Nej", REHAB: "Ja", "K19": [ACTIVITY]},
    "m9": {"K06": "Ja", HOME: "Nej", REHAB: "Ja"},
}


def municipal_answers():
    rows = []
    for code, given in MUNICIPAL.items():
        rows.append((code, "K06", "", given["K06"], None, False))
        for item in (HOME, REHAB):
            if item in given:
                rows.append((code, "K04", item, given[item], None, False))
        if "K19" in given:
            for item in (ACTIVITY, FOOD):
                ticked = "Ja" if item in given["K19"] else ""
                rows.append((code, "K19", item, ticked, None, False))
    return answers(rows)


def cell(label, item, option):
    return {"label": label, "item": item, "option": option}


RSS_QUESTIONS = frame(
    [
        (
            "S02",
            "single_choice",
            "none",
            ["Ja, alla kommuner", "Ja, vissa kommuner", "Nej"],
            [],
            [],
            None,
            False,
            1,
        ),
        ("S03a", "integer", "sum_count", [], [], [], None, False, 2),
        (
            "S03-K04",
            "count_per_option",
            "none",
            [],
            [],
            [
                cell(f"{item}: {option}", item, option)
                for item in (HOME, REHAB)
                for option in ("Ja", "Nej")
            ],
            "K04",
            False,
            3,
        ),
        (
            "S03-K06",
            "count_per_option",
            "none",
            [],
            [],
            [cell("Ja", "", "Ja"), cell("Nej", "", "Nej")],
            "K06",
            False,
            4,
        ),
        (
            "S03-K19",
            "count_per_option",
            "none",
            [],
            [],
            [
                cell(ACTIVITY, ACTIVITY, "Ja"),
                cell(FOOD, FOOD, "Ja"),
                cell(ANSWERED, "", "_answered"),
            ],
            "K19",
            False,
            5,
        ),
    ],
    QUESTION_COLUMNS,
)
# The counts each RSS reports, hand-counted from MUNICIPAL.
COUNTS = {
    "RSS-01": {
        "S03-K04": {
            f"{HOME}: Ja": 2,
            f"{HOME}: Nej": 1,
            f"{REHAB}: Ja": 0,
            f"{REHAB}: Nej": 3,
        },
        "S03-K06": {"Ja": 2, "Nej": 1},
        "S03-K19": {ACTIVITY: 2, FOOD: 1, ANSWERED: 3},
    },
    "RSS-14-A": {
        "S03-K04": {
            f"{HOME}: Ja": 3,
            f"{HOME}: Nej": 0,
            f"{REHAB}: Ja": 1,
            f"{REHAB}: Nej": 1,
        },
        "S03-K06": {"Ja": 1, "Nej": 2},
        "S03-K19": {ACTIVITY: 0, FOOD: 1, ANSWERED: 3},
    },
    "RSS-14-B": {
        "S03-K04": {
            f"{HOME}: Ja": 0,
            f"{HOME}: Nej": 2,
            f"{REHAB}: Ja": 2,
            f"{REHAB}: Nej": 0,
        },
        "S03-K06": {"Ja": 2, "Nej": 0},
        "S03-K19": {ACTIVITY: 1, FOOD: 0, ANSWERED: 1},
    },
}


def rss_answers(counts=COUNTS, own=None):
    rows = []
    for rss, questions in counts.items():
        for code, cells in questions.items():
            rows.extend((rss, code, label, "", n, False) for label, n in cells.items())
    for rss, option in (own or {}).items():
        rows.append((rss, "S02", "", option, None, False))
    return answers(rows)


def share(shares, question, item, option, level, unit):
    """(count, denominator, percent) of one row."""
    row = shares[
        (shares["question"] == question)
        & (shares["item"] == item)
        & (shares["option"] == option)
        & (shares["level"] == level)
        & (shares["unit"] == unit)
    ]
    assert len(row) == 1, (question, item, option, level, unit)
    percent = row["percent"].iloc[0]
    return (
        int(row["count"].iloc[0]),
        int(row["denominator"].iloc[0]),
        None if pd.isna(percent) else int(percent),
    )


def no_answers():
    return answers([])


def counts_only(counts=COUNTS):
    """Municipal shares when only the RSS's counts are in the system."""
    return municipal_shares(
        MUNICIPAL_QUESTIONS,
        no_answers(),
        MUNICIPALITIES,
        RSS_UNITS,
        rss_questions=RSS_QUESTIONS,
        rss_answers=rss_answers(counts),
    )


def source_of(shares, level, unit):
    """(source, municipalities) of a unit's rows; one value for all its rows."""
    rows = shares[(shares["level"] == level) & (shares["unit"] == unit)]
    described = set(zip(rows["source"], rows["municipalities"], strict=True))
    assert len(described) == 1, (level, unit, described)
    source, municipalities = described.pop()
    return source, int(municipalities)


@pytest.fixture
def shares():
    return counts_only()


def test_yes_no_shares_per_rss_county_and_riket(shares):
    expected = {
        ("riket", "SE"): {"Ja": (5, 8, 63), "Nej": (3, 8, 38)},  # 62.5 → 63, 37.5 → 38
        ("county", "01"): {"Ja": (2, 3, 67), "Nej": (1, 3, 33)},
        ("county", "14"): {"Ja": (3, 5, 60), "Nej": (2, 5, 40)},
        ("rss", "RSS-01"): {"Ja": (2, 3, 67), "Nej": (1, 3, 33)},
        ("rss", "RSS-14-A"): {"Ja": (1, 3, 33), "Nej": (2, 3, 67)},
        ("rss", "RSS-14-B"): {"Ja": (2, 2, 100), "Nej": (0, 2, 0)},
    }
    for (level, unit), options in expected.items():
        for option, values in options.items():
            assert share(shares, "K06", "", option, level, unit) == values


def test_matrix_shares_are_per_item_over_those_answering_the_item(shares):
    assert share(shares, "K04", HOME, "Ja", "riket", "SE") == (5, 8, 63)
    assert share(shares, "K04", REHAB, "Ja", "riket", "SE") == (3, 7, 43)
    assert share(shares, "K04", REHAB, "Nej", "county", "14") == (1, 4, 25)
    assert share(shares, "K04", REHAB, "Ja", "rss", "RSS-14-A") == (1, 2, 50)


def test_multiple_choice_shares_are_over_those_answering_the_question(shares):
    assert share(shares, "K19", ACTIVITY, "Ja", "riket", "SE") == (3, 7, 43)
    assert share(shares, "K19", FOOD, "Ja", "riket", "SE") == (2, 7, 29)
    assert share(shares, "K19", ACTIVITY, "Ja", "county", "14") == (1, 4, 25)
    assert share(shares, "K19", ACTIVITY, "Ja", "rss", "RSS-14-A") == (0, 3, 0)
    assert "_answered" not in set(shares["option"])


def test_shares_carry_unit_level_and_what_is_counted(shares):
    assert list(shares.columns) == SHARE_COLUMNS
    assert set(shares["counted"]) == {"municipalities"}
    assert set(zip(shares["level"], shares["unit"], strict=True)) == {
        ("riket", "SE"),
        ("county", "01"),
        ("county", "14"),
        ("county", "20"),
        ("rss", "RSS-01"),
        ("rss", "RSS-14-A"),
        ("rss", "RSS-14-B"),
        ("rss", "RSS-20"),
    }


def test_an_area_without_data_has_empty_rows_marked_none_not_no_rows(shares):
    assert share(shares, "K06", "", "Ja", "rss", "RSS-20") == (0, 0, None)
    assert share(shares, "K19", FOOD, "Ja", "county", "20") == (0, 0, None)
    assert source_of(shares, "rss", "RSS-20") == ("none", 0)
    assert source_of(shares, "county", "20") == ("none", 0)


def test_rows_follow_question_item_option_then_level_and_unit(shares):
    of_k06_ja = shares[(shares["question"] == "K06") & (shares["option"] == "Ja")]
    assert list(of_k06_ja["unit"]) == [
        "SE",
        "01",
        "14",
        "20",
        "RSS-01",
        "RSS-14-A",
        "RSS-14-B",
        "RSS-20",
    ]
    assert list(dict.fromkeys(shares["question"])) == ["K04", "K06", "K19"]
    assert list(dict.fromkeys(zip(shares["item"], shares["option"], strict=True)))[
        :4
    ] == [(HOME, "Ja"), (HOME, "Nej"), (REHAB, "Ja"), (REHAB, "Nej")]
    assert list(shares["position"]) == list(range(len(shares)))


def test_compiled_counts_equal_shares_computed_from_the_municipal_answers(shares):
    direct = municipal_shares(
        MUNICIPAL_QUESTIONS, municipal_answers(), MUNICIPALITIES, RSS_UNITS
    )
    assert set(direct.loc[~direct["unit"].isin(["RSS-20", "20"]), "source"]) == {
        "answers"
    }
    assert set(shares.loc[shares["unit"].isin(["RSS-01", "SE"]), "source"]) == {
        "counts"
    }
    assert_frame_equal(direct.drop(columns="source"), shares.drop(columns="source"))


def test_a_missing_count_is_taken_as_zero():
    counts = {"RSS-01": {"S03-K06": {"Ja": 2}}}
    result = counts_only(counts)
    assert share(result, "K06", "", "Ja", "rss", "RSS-01") == (2, 2, 100)
    assert share(result, "K06", "", "Nej", "rss", "RSS-01") == (0, 2, 0)


def test_a_unit_where_nobody_answered_a_question_has_percent_none():
    counts = {"RSS-01": {"S03-K06": {"Ja": 1, "Nej": 0}}}
    result = counts_only(counts)
    assert share(result, "K06", "", "Ja", "riket", "SE") == (1, 1, 100)
    assert share(result, "K19", ACTIVITY, "Ja", "rss", "RSS-01") == (0, 0, None)
    assert share(result, "K19", ACTIVITY, "Ja", "riket", "SE") == (0, 0, None)


def test_no_submitted_rss_and_no_submitted_municipality_gives_no_shares():
    result = municipal_shares(
        MUNICIPAL_QUESTIONS,
        no_answers(),
        MUNICIPALITIES,
        RSS_UNITS,
        rss_questions=RSS_QUESTIONS,
        rss_answers=no_answers(),
    )
    assert result.empty
    assert list(result.columns) == SHARE_COLUMNS


def test_compiled_tallies_denominator_sums_the_options_or_uses_answered():
    tallies = compiled_tallies(RSS_QUESTIONS, rss_answers())
    of_rss = tallies[tallies["organisation_code"] == "RSS-14-A"]
    by_key = {
        (q, i, o): (c, d)
        for q, i, o, c, d in of_rss[
            ["question", "item", "option", "count", "denominator"]
        ].itertuples(index=False)
    }
    assert by_key[("K06", "", "Nej")] == (2, 3)
    assert by_key[("K04", REHAB, "Ja")] == (1, 2)
    assert by_key[("K19", FOOD, "Ja")] == (1, 3)


def test_rss_shares_count_each_rss_once_per_county_and_riket():
    own = {
        "RSS-01": "Ja, alla kommuner",
        "RSS-14-A": "Ja, vissa kommuner",
        "RSS-14-B": "Ja, alla kommuner",
    }
    result = rss_shares(RSS_QUESTIONS, rss_answers(own=own), RSS_UNITS)
    assert set(result["question"]) == {"S02"}
    assert set(result["counted"]) == {"rss"}
    assert share(result, "S02", "", "Ja, alla kommuner", "riket", "SE") == (2, 3, 67)
    assert share(result, "S02", "", "Ja, alla kommuner", "county", "14") == (1, 2, 50)
    assert share(result, "S02", "", "Ja, vissa kommuner", "rss", "RSS-14-A") == (
        1,
        1,
        100,
    )
    assert share(result, "S02", "", "Nej", "rss", "RSS-01") == (0, 1, 0)


def test_rss_that_did_not_answer_an_own_question_is_left_out_of_the_denominator():
    own = {"RSS-01": "Nej"}
    result = rss_shares(RSS_QUESTIONS, rss_answers(own=own), RSS_UNITS)
    # RSS-14-A and -B submitted (they have counts) but did not answer S02.
    assert share(result, "S02", "", "Nej", "riket", "SE") == (1, 1, 100)
    assert share(result, "S02", "", "Nej", "county", "14") == (0, 0, None)


def test_region_shares_have_riket_and_county_levels_only():
    regions = pd.DataFrame(
        [("01", "01", None), ("03", "03", None), ("04", "04", None)],
        columns=["code", "county_code", "rss_code"],
    )
    questions = frame(
        [
            ("2", "yes_no", "yes_count", ["Ja", "Nej"], [], [], None, True, 1),
            ("1", "free_text", "none", [], [], [], None, False, 2),
        ],
        QUESTION_COLUMNS,
    )
    given = answers(
        [
            ("01", "2", "", "Ja", None, False),
            ("03", "2", "", "Ja", None, False),
            ("04", "2", "", "Nej", None, False),
            ("04", "1", "", "Text", None, False),
        ]
    )
    result = region_shares(questions, given, regions)
    assert set(result["level"]) == {"riket", "county"}
    assert set(result["counted"]) == {"regions"}
    assert set(result["question"]) == {"2"}
    assert share(result, "2", "", "Ja", "riket", "SE") == (2, 3, 67)
    assert share(result, "2", "", "Ja", "county", "04") == (0, 1, 0)


# One source per RSS area -----------------------------------------------------------

# RSS-01's counts say all three answered "Ja" to K06; its municipalities' own answers say
# two did. The answers are in the system for m1-m3, so they win.
WRONG_RSS_01 = {
    **COUNTS,
    "RSS-01": {**COUNTS["RSS-01"], "S03-K06": {"Ja": 3, "Nej": 0}},
}


def mixed_answers():
    """m1-m3 (all of RSS-01 that answered) and m8 (one of RSS-14-B's two)."""
    given = municipal_answers()
    return given[given["organisation_code"].isin(["m1", "m2", "m3", "m8"])]


@pytest.fixture
def mixed():
    return municipal_shares(
        MUNICIPAL_QUESTIONS,
        mixed_answers(),
        MUNICIPALITIES,
        RSS_UNITS,
        rss_questions=RSS_QUESTIONS,
        rss_answers=rss_answers(WRONG_RSS_01),
    )


def test_area_source_answers_when_they_cover_at_least_as_many_as_the_counts():
    areas = area_sources(
        mixed_answers(),
        MUNICIPALITIES,
        RSS_UNITS,
        compiled_tallies(RSS_QUESTIONS, rss_answers(WRONG_RSS_01)),
    )
    described = {
        row.rss_code: (row.source, row.municipalities, row.answered, row.counted)
        for row in areas.itertuples()
    }
    assert described == {
        "RSS-01": ("answers", 3, 3, 3),  # a tie goes to the answers
        "RSS-14-A": ("counts", 3, 0, 3),  # no answers in the system
        "RSS-14-B": ("counts", 2, 1, 2),  # the counts cover more municipalities
        "RSS-20": ("none", 0, 0, 0),
    }


def test_mixed_areas_take_each_area_from_its_own_source(mixed):
    # RSS-01 from the answers (2 of 3 "Ja", not the counts' 3), RSS-14-A and -B from
    # their counts (1 of 3, 2 of 2).
    assert share(mixed, "K06", "", "Ja", "rss", "RSS-01") == (2, 3, 67)
    assert share(mixed, "K06", "", "Ja", "rss", "RSS-14-A") == (1, 3, 33)
    assert share(mixed, "K06", "", "Ja", "rss", "RSS-14-B") == (2, 2, 100)
    assert share(mixed, "K06", "", "Ja", "riket", "SE") == (5, 8, 63)
    assert share(mixed, "K19", ACTIVITY, "Ja", "county", "01") == (2, 3, 67)


def test_every_unit_states_its_source_and_the_municipalities_it_covers(mixed):
    assert source_of(mixed, "rss", "RSS-01") == ("answers", 3)
    assert source_of(mixed, "rss", "RSS-14-A") == ("counts", 3)
    assert source_of(mixed, "rss", "RSS-14-B") == ("counts", 2)
    assert source_of(mixed, "rss", "RSS-20") == ("none", 0)
    assert source_of(mixed, "county", "01") == ("answers", 3)
    assert source_of(mixed, "county", "14") == ("counts", 5)
    assert source_of(mixed, "county", "20") == ("none", 0)
    assert source_of(mixed, "riket", "SE") == ("mixed", 8)


def test_municipal_answers_alone_give_shares_without_any_rss_counts():
    result = municipal_shares(
        MUNICIPAL_QUESTIONS,
        municipal_answers(),
        MUNICIPALITIES,
        RSS_UNITS,
        rss_questions=RSS_QUESTIONS,
        rss_answers=no_answers(),
    )
    assert share(result, "K06", "", "Ja", "riket", "SE") == (5, 8, 63)
    assert source_of(result, "riket", "SE") == ("answers", 8)
    assert source_of(result, "rss", "RSS-14-B") == ("answers", 2)


def test_a_yes_no_extra_question_gets_shares_from_the_municipalities_answers():
    extra = frame(
        [
            ("E02", "yes_no", "none", ["Ja", "Nej"], [], [], None, False, 1),
            ("E01", "free_text", "none", [], [], [], None, False, 2),
        ],
        QUESTION_COLUMNS,
    )
    given = answers(
        [
            ("m1", "E02", "", "Ja", None, False),
            ("m1", "E01", "", "Text", None, False),
            ("m5", "E02", "", "Nej", None, False),
            ("m6", "E02", "", "Ja", None, False),
        ]
    )
    result = municipal_shares(extra, given, MUNICIPALITIES, RSS_UNITS)
    assert set(result["question"]) == {"E02"}
    assert share(result, "E02", "", "Ja", "riket", "SE") == (2, 3, 67)
    assert share(result, "E02", "", "Nej", "rss", "RSS-14-A") == (1, 2, 50)
    assert share(result, "E02", "", "Ja", "rss", "RSS-14-B") == (0, 0, None)
    assert source_of(result, "rss", "RSS-14-A") == ("answers", 2)
    assert source_of(result, "rss", "RSS-14-B") == ("none", 0)
    assert source_of(result, "riket", "SE") == ("answers", 3)


def test_count_differences_list_where_the_counts_disagree_with_the_answers():
    differences = count_differences(
        compiled_tallies(RSS_QUESTIONS, rss_answers(WRONG_RSS_01)),
        answer_tallies(MUNICIPAL_QUESTIONS, mixed_answers()),
        MUNICIPALITIES,
    )
    assert list(differences.columns) == DIFFERENCE_COLUMNS
    found = {
        (row.rss_code, row.question, row.item, row.option): (
            row.rss_count,
            row.answers_count,
            row.difference,
        )
        for row in differences.itertuples()
    }
    # RSS-01: only its wrong K06 counts; everything else agrees.
    assert {k: v for k, v in found.items() if k[0] == "RSS-01"} == {
        ("RSS-01", "K06", "", "Ja"): (3, 2, 1),
        ("RSS-01", "K06", "", "Nej"): (0, 1, -1),
    }
    # RSS-14-B counts both its municipalities; only m8's answers are in the system.
    assert found[("RSS-14-B", "K06", "", "Ja")] == (2, 1, 1)
    assert found[("RSS-14-B", "K04", REHAB, "Ja")] == (2, 1, 1)
    assert ("RSS-14-B", "K04", HOME, "Ja") not in found  # 0 and 0
    # RSS-14-A: none of its municipalities' answers are in the system.
    assert not any(k[0] == "RSS-14-A" for k in found)


def test_count_differences_are_empty_when_counts_match_the_answers():
    differences = count_differences(
        compiled_tallies(RSS_QUESTIONS, rss_answers()),
        answer_tallies(MUNICIPAL_QUESTIONS, municipal_answers()),
        MUNICIPALITIES,
    )
    assert differences.empty


def test_answer_tallies_equal_the_tallies_of_a_join_of_grid_and_answers():
    # Numbered organisations, cells and texts give the rows, order and types the
    # grid × answers join gives; also with a text that is missing or not an option.
    given = municipal_answers()
    given.loc[0, "text"] = None
    given.loc[1, "text"] = "Vet ej"
    tallies = answer_tallies(MUNICIPAL_QUESTIONS, given)
    joined = shares_rules._joined_answer_tallies(
        shares_rules.answer_options(MUNICIPAL_QUESTIONS),
        sorted(set(given["organisation_code"])),
        given,
    )
    assert_frame_equal(tallies, joined)
    assert tallies["count"].sum() > 0


def test_two_answers_to_one_cell_give_a_tally_row_each():
    # Never from the database (one answer per response, question and item), but a
    # rule takes any frame: each answer is counted, as a join counts it.
    twice = pd.concat([municipal_answers().iloc[:1]] * 2, ignore_index=True)
    tallies = answer_tallies(MUNICIPAL_QUESTIONS, twice)
    chosen = tallies[(tallies["question"] == "K06") & (tallies["option"] == "Ja")]
    assert chosen["count"].tolist() == [1, 1]


def test_shares_by_level_counts_an_organisation_listed_twice_twice():
    units = pd.concat([MUNICIPALITIES, MUNICIPALITIES.iloc[:1]], ignore_index=True)
    tallies = answer_tallies(MUNICIPAL_QUESTIONS, municipal_answers())
    once = shares_rules.shares_by_level(tallies, MUNICIPALITIES, counted="m")
    twice = shares_rules.shares_by_level(tallies, units, counted="m")
    assert share(once, "K06", "", "Ja", "riket", "SE") == (5, 8, 63)
    assert share(twice, "K06", "", "Ja", "riket", "SE") == (6, 9, 67)
