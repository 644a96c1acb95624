"""The grant report's rules: Tabell 1 from the real amounts of Bilaga 1, the repayment
threshold, the follow-ups' bases and the 1–5 grid's top two boxes."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pandas as pd
import pytest

from aggregation.rules.shares import municipal_shares
from aggregation.rules.statsbidrag import (
    MUNICIPAL_ITEMS,
    grant_cells,
    must_repay,
    national_figures,
    national_row,
)
from surveys.numbers import format_thousands, percent_of

ROOT = Path(__file__).resolve().parents[2]
SHIPPED = ROOT / "surveys" / "definitions" / "2024" / "statsbidrag_bilaga1_tabell1.csv"
SOURCE = ROOT.parent / "shared" / "sources" / "004-statsbidrag-aldreomsorg-2024.txt"

ANSWER_COLUMNS = [
    "organisation_code",
    "question_code",
    "item",
    "text",
    "number",
    "cannot_estimate",
]


def _bilaga1() -> list[dict[str, str]]:
    with SHIPPED.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _amounts(rows: list[dict[str, str]]) -> pd.DataFrame:
    """Every municipality requisitioned its whole allocation in 2024 (Tabell 1:
    3 998 500 000 kr requisitioned, the whole amount to distribute)."""
    return pd.DataFrame(
        {
            "organisation_code": [r["municipality_code"] for r in rows],
            "requisitioned": [int(r["allocation"]) for r in rows],
            "unused": [int(r["unused"]) for r in rows],
        }
    )


def test_the_shipped_amounts_are_the_reports_bilaga_1_tabell_1():
    if not SOURCE.is_file():
        pytest.skip("the report's text is not beside the project")
    # The report's table as one line of text: rows wrap ("Örnsköldsviks \nkommun").
    printed = re.sub(r"\s+", " ", SOURCE.read_text(encoding="utf-8"))
    rows = _bilaga1()

    assert len(rows) == 290
    assert len({r["municipality_code"] for r in rows}) == 290
    for row in rows:
        line = " ".join(
            [
                row["recipient"],
                format_thousands(int(row["allocation"])),
                format_thousands(int(row["requisitioned_as_printed"])),
                format_thousands(int(row["unused"])),
                row["share_unused_as_printed"] + " %",
            ]
        )
        assert line in printed, line
    # The printed "Rekvirerat belopp" is what was used: the allocation less the unused.
    assert all(
        int(r["requisitioned_as_printed"]) == int(r["allocation"]) - int(r["unused"])
        for r in rows
    )
    assert "Totalt 3 998 500 000 3 938 292 073 60 207 927 2 %" in printed


def test_the_national_row_of_tabell_1_from_the_real_amounts_is_as_printed():
    row = national_row(_amounts(_bilaga1()))

    assert row == {
        "Rekvirerat statsbidrag (kr)": "3 998 500 000",
        "Antal som rekvirerat statsbidrag": "290",
        "Oanvänt belopp (kr)": "60 207 927",
        "Andel oanvänt belopp (%)": "2 %",
        "Antal som ska återbetala": "18",
        # The text says 18 municipalities repay 60 207 927 kr; the two waived amounts
        # (184 and 261 kr) are in that total but are not paid back.
        "Belopp att återbetala (kr)": "60 207 482",
    }


@pytest.mark.parametrize(
    ("unused", "repays"), [(0, False), (184, False), (999, False), (1_000, True)]
)
def test_an_unused_amount_is_paid_back_from_1000_kronor(unused, repays):
    assert must_repay(unused) is repays


def test_999_kronor_is_waived_but_counted_in_the_unused_total():
    amounts = pd.DataFrame(
        {
            "organisation_code": ["0114", "0115", "0117"],
            "requisitioned": [100_000, 200_000, 0],
            "unused": [999, 1_000, 0],
        }
    )

    figures = national_figures(amounts)

    assert figures["Oanvänt belopp (kr)"] == 1_999
    assert figures["Antal som ska återbetala"] == 1
    assert figures["Belopp att återbetala (kr)"] == 1_000
    # 0 kr requisitioned is not "requisitioned".
    assert figures["Antal som rekvirerat statsbidrag"] == 2
    # 1 999 of 300 000 is 0.67 %: 1 % half up.
    assert figures["Andel oanvänt belopp (%)"] == 1


def test_the_municipal_table_lists_every_municipality_alphabetically_with_its_share():
    organisations = pd.DataFrame(
        {
            "code": ["0780", "1440", "2584", "0123"],
            "name": ["Växjö", "Ale", "Kiruna", "Järfälla"],
        }
    )
    allocations = pd.DataFrame(
        {
            "organisation_code": ["0780", "1440", "2584", "0123"],
            "allocation": [35_551_500, 10_545_258, 5_000_000, 1_000],
        }
    )
    amounts = pd.DataFrame(
        {
            "organisation_code": ["0780", "1440", "0123"],
            "requisitioned": [35_551_500, 10_545_258, 1_000],
            "unused": [9_775_705, 0, 5],
        }
    )

    cells = grant_cells(
        national_question="B01",
        municipal_question="B02",
        organisations=organisations,
        amounts=amounts,
        allocations=allocations,
    )

    table = cells[cells["question"] == "B02"]
    assert list(dict.fromkeys(table["organisation"])) == [
        "Riket",
        "Ale",
        "Järfälla",
        "Kiruna",
        "Växjö",
    ]
    vaxjo = dict(
        zip(
            table.loc[table["organisation"] == "Växjö", "item"],
            table.loc[table["organisation"] == "Växjö", "value"],
            strict=True,
        )
    )
    assert list(vaxjo) == MUNICIPAL_ITEMS
    assert vaxjo == {
        "Fördelningsnyckel (kr)": "35 551 500",
        "Rekvirerat belopp (kr)": "35 551 500",
        "Använt belopp (kr)": "25 775 795",
        "Oanvänt belopp (kr)": "9 775 705",
        # 27.497 % is 27 % half up; the report prints 28 % (docs/statsbidrag.md).
        "Andel oanvänt (%)": "27 %",
    }
    # Kiruna has an allocation but no answer yet: its amounts are empty.
    kiruna = table[table["organisation"] == "Kiruna"]
    assert kiruna["value"].tolist() == ["5 000 000", "", "", "", ""]


def _units(codes: list[str]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "code": codes,
            "county_code": ["01"] * len(codes),
            "rss_code": ["RSS-01"] * len(codes),
        }
    )


# The one RSS area of _units (a grant report has no RSS counts: the answers are the
# source).
RSS_UNITS = pd.DataFrame({"code": ["RSS-01"], "county_code": ["01"]})


QUESTIONS = pd.DataFrame(
    [
        (
            "B06",
            "multiple_choice",
            "yes_count",
            ["Ja"],
            ["Smitta", "Anhöriga"],
            [],
            None,
            False,
            1,
        ),
        (
            "B06g",
            "multiple_choice",
            "yes_count",
            ["Ja"],
            ["Hygien", "Skydd"],
            [],
            None,
            False,
            2,
        ),
        (
            "B09",
            "matrix",
            "top_two_boxes",
            ["1", "2", "3", "4", "5", "Inte aktuellt"],
            ["Bemanning"],
            [],
            None,
            False,
            3,
        ),
    ],
    columns=[
        "question",
        "type",
        "rule",
        "options",
        "items",
        "cells",
        "source",
        "in_appendix",
        "position",
    ],
)


def _answers(rows: list[tuple[str, str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        [(org, code, item, text, None, False) for org, code, item, text in rows],
        columns=ANSWER_COLUMNS,
    )


def _riket(
    shares: pd.DataFrame, question: str, item: str, option: str
) -> tuple[int, int, int | None]:
    row = shares[
        (shares["question"] == question)
        & (shares["item"] == item)
        & (shares["option"] == option)
        & (shares["level"] == "riket")
    ].iloc[0]
    percent = row["percent"]
    return (
        int(row["count"]),
        int(row["denominator"]),
        None if pd.isna(percent) else int(percent),
    )


def test_a_follow_up_has_its_own_base_of_those_who_were_asked_it():
    # Four municipalities; three worked with infection prevention and answered B06g.
    answers = _answers(
        [
            ("0114", "B06", "Smitta", "Ja"),
            ("0114", "B06", "Anhöriga", ""),
            ("0114", "B06g", "Hygien", "Ja"),
            ("0114", "B06g", "Skydd", ""),
            ("0115", "B06", "Smitta", "Ja"),
            ("0115", "B06", "Anhöriga", "Ja"),
            ("0115", "B06g", "Hygien", "Ja"),
            ("0115", "B06g", "Skydd", "Ja"),
            ("0117", "B06", "Smitta", "Ja"),
            ("0117", "B06", "Anhöriga", ""),
            ("0117", "B06g", "Hygien", ""),
            ("0117", "B06g", "Skydd", "Ja"),
            ("0120", "B06", "Smitta", ""),
            ("0120", "B06", "Anhöriga", "Ja"),
        ]
    )

    shares = municipal_shares(
        QUESTIONS, answers, _units(["0114", "0115", "0117", "0120"]), RSS_UNITS
    )

    assert _riket(shares, "B06", "Smitta", "Ja") == (3, 4, 75)
    # n = 3: those who ticked "Smitta", not N = 4.
    assert _riket(shares, "B06g", "Hygien", "Ja") == (2, 3, 67)
    assert _riket(shares, "B06g", "Skydd", "Ja") == (2, 3, 67)


def test_the_top_two_boxes_count_the_answers_4_and_5_of_all_who_answered():
    answers = _answers(
        [
            ("0114", "B09", "Bemanning", "5"),
            ("0115", "B09", "Bemanning", "4"),
            ("0117", "B09", "Bemanning", "3"),
            ("0120", "B09", "Bemanning", "Inte aktuellt"),
            ("0123", "B09", "Bemanning", "1"),
        ]
    )

    shares = municipal_shares(
        QUESTIONS, answers, _units(["0114", "0115", "0117", "0120", "0123"]), RSS_UNITS
    )

    assert _riket(shares, "B09", "Bemanning", "4–5") == (2, 5, 40)
    assert _riket(shares, "B09", "Bemanning", "5") == (1, 5, 20)
    options = shares.loc[
        (shares["question"] == "B09") & (shares["level"] == "riket"), "option"
    ].tolist()
    assert options == ["1", "2", "3", "4", "5", "Inte aktuellt", "4–5"]


def test_the_infection_prevention_shares_are_the_tables_not_the_texts():
    # Bilaga Tabell 5: 81 and 37 of n = 96; the text's "81 procent" and "37 procent"
    # are the counts. The system prints the shares.
    assert percent_of(81, 96) == 84
    assert percent_of(37, 96) == 39
