"""The grant report (statsbidrag återrapportering): Tabell 1 and Bilaga 1 Tabell 1.

Pure functions over DataFrames; no ORM, no settings. A municipality reports the amount it
requisitioned (a money question with rule grant_requisitioned) and the amount unused on
31 December (rule grant_unused); its allocation (fördelningsnyckel) is reference data.
Unused amounts of REPAYMENT_THRESHOLD kronor or more are paid back; smaller ones are
waived but still counted in the unused total, as the report's Tabell 1 counts them.

Tabell 1 (the national row): the requisitioned total, the number of municipalities that
requisitioned (an amount above 0), the unused total, the unused share of the
requisitioned total (whole percent, half up), the number that must repay and the amount
they repay. Bilaga 1 Tabell 1: per municipality in alphabetical order (Swedish collation
of the name as printed) its allocation, requisitioned, used, unused and unused share;
the Riket row gives the totals.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

from aggregation.rules.formatting import format_percent
from surveys.numbers import format_thousands, percent_of

# Unused amounts below this are waived (förordning 2023:609; the report's footnote to
# Bilaga 1 Tabell 1: "Socialstyrelsen efterskänker oanvända medel under 1000 kronor").
REPAYMENT_THRESHOLD = 1_000

REQUISITIONED_RULE = "grant_requisitioned"
UNUSED_RULE = "grant_unused"
NATIONAL_NAME = "Riket"
NATIONAL_CODE = "SE"

# Tabell 1's columns as printed, and the repaid amount the text gives beside them.
REQUISITIONED_TOTAL = "Rekvirerat statsbidrag (kr)"
REQUISITIONED_COUNT = "Antal som rekvirerat statsbidrag"
UNUSED_TOTAL = "Oanvänt belopp (kr)"
UNUSED_SHARE = "Andel oanvänt belopp (%)"
REPAY_COUNT = "Antal som ska återbetala"
REPAY_TOTAL = "Belopp att återbetala (kr)"
NATIONAL_ITEMS = [
    REQUISITIONED_TOTAL,
    REQUISITIONED_COUNT,
    UNUSED_TOTAL,
    UNUSED_SHARE,
    REPAY_COUNT,
    REPAY_TOTAL,
]
# Bilaga 1 Tabell 1's columns. The report prints the used amount (requisitioned minus
# unused) under "Rekvirerat belopp"; here the two are separate columns.
ALLOCATION = "Fördelningsnyckel (kr)"
REQUISITIONED = "Rekvirerat belopp (kr)"
USED = "Använt belopp (kr)"
UNUSED = "Oanvänt belopp (kr)"
SHARE_UNUSED = "Andel oanvänt (%)"
MUNICIPAL_ITEMS = [ALLOCATION, REQUISITIONED, USED, UNUSED, SHARE_UNUSED]

AMOUNT_COLUMNS = ["organisation_code", "requisitioned", "unused"]
CELL_COLUMNS = ["question", "item", "organisation", "organisation_code", "value"]


def must_repay(unused: int) -> bool:
    """Whether an unused amount is paid back (1 000 kr or more) rather than waived."""
    return unused >= REPAYMENT_THRESHOLD


def national_figures(amounts: pd.DataFrame) -> dict[str, int | None]:
    """Tabell 1's figures from the municipalities' amounts (organisation_code,
    requisitioned, unused; a municipality without an answer is left out).

    The unused share is of the requisitioned total, None when nothing was requisitioned.
    """
    requisitioned = amounts["requisitioned"].dropna().astype("int64")
    unused = amounts["unused"].dropna().astype("int64")
    requisitioned_total = int(requisitioned.sum())
    unused_total = int(unused.sum())
    repaying = unused[unused >= REPAYMENT_THRESHOLD]
    return {
        REQUISITIONED_TOTAL: requisitioned_total,
        REQUISITIONED_COUNT: int((requisitioned > 0).sum()),
        UNUSED_TOTAL: unused_total,
        UNUSED_SHARE: percent_of(unused_total, requisitioned_total),
        REPAY_COUNT: len(repaying),
        REPAY_TOTAL: int(repaying.sum()),
    }


def _whole(value: Any) -> int | None:
    """A cell of a merged frame as a whole number; None where it is missing."""
    if value is None or pd.isna(value):
        return None
    return int(value)


def _money(value: int | None) -> str:
    return "" if value is None else format_thousands(value)


def _percent(value: int | None) -> str:
    return "" if value is None else format_percent(value)


def national_row(amounts: pd.DataFrame) -> dict[str, str]:
    """Tabell 1's national row as printed: "3 998 500 000", "290", "2 %", …"""
    figures = national_figures(amounts)
    return {
        item: _percent(value) if item == UNUSED_SHARE else _money(value)
        for item, value in figures.items()
    }


def _swedish_key(name: str) -> tuple[str, str]:
    """Sort key of a name in Swedish alphabetical order (å, ä, ö after z)."""
    order = {"å": "{", "ä": "|", "ö": "}", "é": "e", "ü": "y"}
    folded = name.casefold()
    return ("".join(order.get(c, c) for c in folded), name)


def grant_cells(
    *,
    national_question: str,
    municipal_question: str,
    organisations: pd.DataFrame,
    amounts: pd.DataFrame,
    allocations: pd.DataFrame,
) -> pd.DataFrame:
    """The cells of both tables: CELL_COLUMNS plus position.

    `organisations`: code, name of every municipality; `amounts`: AMOUNT_COLUMNS of the
    submitted answers; `allocations`: organisation_code, allocation. The national table
    (national_question) has the Riket row; the municipal table (municipal_question) a
    Riket row of totals and one row per municipality with an allocation or an answer.
    """
    rows: list[tuple[str, str, str, str, str]] = []
    for item, value in national_row(amounts).items():
        rows.append((national_question, item, NATIONAL_NAME, NATIONAL_CODE, value))
    by_code = organisations.set_index("code")["name"].to_dict()
    merged = (
        pd.DataFrame({"organisation_code": list(by_code)})
        .merge(allocations, on="organisation_code", how="left")
        .merge(amounts, on="organisation_code", how="left")
    )
    merged = merged[
        merged["allocation"].notna()
        | merged["requisitioned"].notna()
        | merged["unused"].notna()
    ]
    total_allocation = int(merged["allocation"].fillna(0).sum())
    figures = national_figures(amounts)
    requisitioned_total = figures[REQUISITIONED_TOTAL] or 0
    unused_total = figures[UNUSED_TOTAL] or 0
    totals = {
        ALLOCATION: _money(total_allocation),
        REQUISITIONED: _money(requisitioned_total),
        USED: _money(requisitioned_total - unused_total),
        UNUSED: _money(unused_total),
        SHARE_UNUSED: _percent(figures[UNUSED_SHARE]),
    }
    for item in MUNICIPAL_ITEMS:
        rows.append(
            (municipal_question, item, NATIONAL_NAME, NATIONAL_CODE, totals[item])
        )
    records: list[dict[Any, Any]] = merged.to_dict("records")
    ordered = sorted(
        records, key=lambda r: _swedish_key(by_code[r["organisation_code"]])
    )
    for row in ordered:
        code = str(row["organisation_code"])
        allocation = _whole(row["allocation"])
        requisitioned = _whole(row["requisitioned"])
        unused = _whole(row["unused"])
        known = requisitioned is not None and unused is not None
        values = {
            ALLOCATION: _money(allocation),
            REQUISITIONED: _money(requisitioned),
            USED: _money(requisitioned - unused)
            if requisitioned is not None and unused is not None
            else "",
            UNUSED: _money(unused),
            SHARE_UNUSED: _percent(percent_of(unused, requisitioned))
            if known and unused is not None and requisitioned is not None
            else "",
        }
        name = str(by_code[code])
        for item in MUNICIPAL_ITEMS:
            rows.append((municipal_question, item, name, code, values[item]))
    cells = pd.DataFrame(rows, columns=CELL_COLUMNS)
    cells["position"] = range(len(cells))
    return cells
