"""The pure rules of theme coding: kappa, decisions, tallies, the report's phrase."""

from __future__ import annotations

from fractions import Fraction

import pandas as pd

from aggregation.rules.agreement import agreement_of, cohen_kappa
from aggregation.rules.formatting import share_phrase
from aggregation.rules.themes import theme_decisions, theme_tallies


def test_kappa_of_a_hand_computed_example():
    # Ten answers, one theme. Coder A says yes to answers 1-5, coder B to 1-4 and 6.
    #   both yes 4 (1-4), only A 1 (5), only B 1 (6), both no 4 (7-10).
    #   p_o = (4 + 4) / 10 = 0.8
    #   p_A = 5/10 = 0.5, p_B = 5/10 = 0.5
    #   p_e = 0.5 × 0.5 + 0.5 × 0.5 = 0.5
    #   κ = (0.8 − 0.5) / (1 − 0.5) = 0.6
    first = [True] * 5 + [False] * 5
    second = [True] * 4 + [False, True] + [False] * 4
    table = agreement_of(first, second)
    assert (table.both_yes, table.only_first, table.only_second, table.both_no) == (
        4,
        1,
        1,
        4,
    )
    assert table.observed == Fraction(8, 10)
    assert table.expected == Fraction(1, 2)
    assert cohen_kappa(first, second) == Fraction(3, 5)


def test_kappa_of_unequal_margins():
    # 20 answers: both yes 2, only A 4, only B 1, both no 13.
    #   p_o = 15/20 = 3/4; p_A = 6/20 = 3/10; p_B = 3/20
    #   p_e = 3/10 × 3/20 + 7/10 × 17/20 = 9/200 + 119/200 = 128/200 = 16/25
    #   κ = (3/4 − 16/25) / (1 − 16/25) = (75/100 − 64/100) / (36/100) = 11/36
    first = [True] * 6 + [False] * 14
    second = [True, True, False, False, False, False, True] + [False] * 13
    assert cohen_kappa(first, second) == Fraction(11, 36)


def test_kappa_is_undefined_when_both_coders_say_the_same_to_everything():
    assert cohen_kappa([False] * 4, [False] * 4) is None
    assert cohen_kappa([], []) is None


def _frame(rows, columns):
    return pd.DataFrame.from_records(rows, columns=columns)


def test_a_theme_applies_when_every_coder_ticked_it_or_a_resolution_says_so():
    coded = _frame(
        [("A", 1), ("A", 2), ("B", 1), ("B", 2), ("C", 1)],
        ["organisation_code", "coder"],
    )
    codes = _frame(
        [("A", 1, "X"), ("A", 2, "X"), ("B", 1, "X"), ("C", 1, "Y"), ("B", 2, "Y")],
        ["organisation_code", "coder", "theme"],
    )
    resolutions = _frame([("B", "Y", True)], ["organisation_code", "theme", "applies"])
    decisions = theme_decisions(coded, codes, resolutions)
    got = {
        (r.organisation_code, r.theme): (bool(r.applies), r.status)
        for r in decisions.itertuples()
    }
    assert got == {
        ("A", "X"): (True, "agreed"),
        ("B", "X"): (False, "disputed"),
        ("B", "Y"): (True, "resolved"),
        ("C", "Y"): (True, "agreed"),
    }
    tallies = theme_tallies(
        question="3",
        item="",
        themes=["X", "Y"],
        answered=["A", "B", "C", "D"],
        decisions=decisions,
    )
    counts = tallies.groupby("option")[["count", "denominator"]].sum()
    assert counts.loc["X"].tolist() == [1, 4]
    assert counts.loc["Y"].tolist() == [2, 4]


def test_the_report_phrase_names_unit_and_denominator():
    assert share_phrase(11, 21, 52, "regions") == "11 av 21 regioner"
    assert share_phrase(3, 24, 13, "rss") == "3 av 24 RSS"
    assert (
        share_phrase(139, 290, 48, "municipalities")
        == "48 % av kommunerna (139 av 290)"
    )
    assert share_phrase(0, 0, None, "municipalities") == "0 av 0 kommuner"
