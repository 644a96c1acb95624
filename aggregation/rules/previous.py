"""Earlier years beside this year's figures: published values and computed ones.

Pure functions over DataFrames; no ORM, no settings.

An earlier year's figure comes from one of two sources:
- computed: the linked question of a previous cycle that ran in the system (its shares,
  as aggregation.rules.shares computes them, keyed by the current question's code);
- published: a value imported from the published report (aggregation.published), for
  a year that was not run in the system.

The rule: per question, a computed year replaces the published values of the same
year; of the years left, a share row gets the latest one (previous_*), and the appendix
prints a "Riket <year>" row for each.

Inputs: `published` with columns question, item, option, level, unit, year, percent,
count, denominator (PUBLISHED_COLUMNS; count and denominator may be missing);
`computed` shares with the columns of aggregation.rules.shares.SHARE_COLUMNS and year.
"""

from __future__ import annotations

import pandas as pd

from aggregation.rules.appendix import PREVIOUS_COLUMNS, question_rows, table_items
from aggregation.rules.formatting import (
    MEAN_PERCENT,
    MULTIPLE_CHOICE,
    SUM_COUNT,
    TICKED,
    YES,
    YES_COUNT,
    format_percent,
    format_ratio,
)
from surveys.numbers import format_thousands

PUBLISHED_COLUMNS = [
    "question",
    "item",
    "option",
    "level",
    "unit",
    "year",
    "percent",
    "count",
    "denominator",
]
PREVIOUS_SHARE_COLUMNS = [
    "previous_year",
    "previous_percent",
    "previous_count",
    "previous_denominator",
]
KEY = ["question", "item", "option", "level", "unit"]
RIKET = "riket"
COMPUTED = "computed"
PUBLISHED = "published"


def _int_or_none(value: object) -> int | None:
    return None if value is None or pd.isna(value) else int(value)  # type: ignore[call-overload]


def ran(computed: pd.DataFrame) -> pd.DataFrame:
    """The computed shares of the questions someone answered (a denominator above 0
    somewhere): a question nobody answered in the system did not run there."""
    if computed.empty:
        return computed
    answered = computed.groupby("question")["denominator"].transform("max") > 0
    return computed[answered]


def earlier_figures(computed: pd.DataFrame, published: pd.DataFrame) -> pd.DataFrame:
    """Every earlier figure by share key and year, one source each: the published
    values of a (question, year) the system computed are left out."""
    columns = [*KEY, "year", "percent", "count", "denominator", "source"]
    parts = []
    computed_years: set[tuple[str, int]] = set()
    if not computed.empty:
        part = computed.assign(source=COMPUTED)[columns]
        parts.append(part)
        computed_years = {
            (str(q), int(y))
            for q, y in zip(part["question"], part["year"], strict=True)
        }
    if not published.empty:
        part = published.reindex(columns=PUBLISHED_COLUMNS).assign(source=PUBLISHED)
        keep = [
            (str(q), int(y)) not in computed_years
            for q, y in zip(part["question"], part["year"], strict=True)
        ]
        parts.append(part[keep][columns])
    if not parts:
        return pd.DataFrame({column: [] for column in columns})
    return pd.concat(parts, ignore_index=True)


def with_previous(shares: pd.DataFrame, earlier: pd.DataFrame) -> pd.DataFrame:
    """The shares with previous_year, previous_percent, previous_count and
    previous_denominator: the latest earlier figure of the same question, item,
    option, level and unit (empty where there is none)."""
    shares = shares.drop(columns=PREVIOUS_SHARE_COLUMNS, errors="ignore")
    latest: dict[tuple[str, ...], tuple[int, int | None, int | None, int | None]] = {}
    if not earlier.empty:
        ordered = earlier.sort_values("year", kind="stable")
        # Columns zipped, not itertuples: a named tuple's "count" is its method.
        for *key, year, percent, count, denominator in zip(
            *(ordered[k] for k in KEY),
            ordered["year"],
            ordered["percent"],
            ordered["count"],
            ordered["denominator"],
            strict=True,
        ):
            latest[tuple(str(v) for v in key)] = (
                int(year),
                _int_or_none(percent),
                _int_or_none(count),
                _int_or_none(denominator),
            )
    found = [
        latest.get(tuple(str(v) for v in values))
        for values in zip(*(shares[k] for k in KEY), strict=True)
    ]
    shares = shares.copy()
    for index, column in enumerate(PREVIOUS_SHARE_COLUMNS):
        shares[column] = pd.array(
            [None if f is None else f[index] for f in found], dtype="Int64"
        )
    return shares


def _national_value(rule: str, row: pd.Series) -> str:
    count = _int_or_none(row["count"])
    denominator = _int_or_none(row["denominator"])
    percent = _int_or_none(row["percent"])
    if rule == YES_COUNT and count is not None and denominator is not None:
        return format_ratio(count, denominator)
    if rule == SUM_COUNT:
        return "" if count is None else format_thousands(count)
    return "" if percent is None else format_percent(percent)


def published_national(
    questions: pd.DataFrame, published: pd.DataFrame
) -> pd.DataFrame:
    """The appendix's "Riket <year>" values from published values (PREVIOUS_COLUMNS).

    Per column of a question's table (its items, or ""): yes_count prints the national
    "Ja" as "16/21" (count of denominator; the percent "76 %" when only that was
    published), mean_percent the mean "59 %", sum_count the sum "4 245 026".
    """
    rows: list[tuple[str, str, int, str]] = []
    if published.empty:
        return pd.DataFrame(rows, columns=PREVIOUS_COLUMNS)
    national = published.reindex(columns=PUBLISHED_COLUMNS)
    national = national[national["level"] == RIKET]
    for question in question_rows(questions):
        of_question = national[national["question"] == question.question]
        if of_question.empty:
            continue
        wanted = {
            YES_COUNT: TICKED if question.type == MULTIPLE_CHOICE else YES,
            MEAN_PERCENT: "",
            SUM_COUNT: "",
        }.get(question.rule)
        if wanted is None:
            continue
        for year in sorted(set(of_question["year"].astype(int)), reverse=True):
            of_year = of_question[of_question["year"].astype(int) == year]
            for item in table_items(question.type, question.items):
                cell = of_year[
                    (of_year["item"] == item) & (of_year["option"] == wanted)
                ]
                value = (
                    "" if cell.empty else _national_value(question.rule, cell.iloc[0])
                )
                rows.append((question.question, item, year, value))
    return pd.DataFrame(rows, columns=PREVIOUS_COLUMNS)


def combined_national(computed: pd.DataFrame, published: pd.DataFrame) -> pd.DataFrame:
    """The computed previous national rows, and the published ones of the (question,
    year) pairs the system did not compute."""
    if published.empty:
        return computed
    if computed.empty:
        return published
    done = {
        (str(q), int(y))
        for q, y in zip(computed["question"], computed["year"], strict=True)
    }
    keep = [
        (str(q), int(y)) not in done
        for q, y in zip(published["question"], published["year"], strict=True)
    ]
    return pd.concat([computed, published[keep]], ignore_index=True)
