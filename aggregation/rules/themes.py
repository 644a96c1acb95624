"""Theme counts of coded free-text answers, as tallies for shares_by_level.

Pure functions over DataFrames; no ORM, no settings.

A theme applies to an answer when every coder who coded the answer ticked it, or when a
resolution says it does. Where coders disagree and nobody has resolved it, the theme is
*disputed*: it is not counted until someone decides. The tallies are those of a closed
question answered by the organisations themselves: per organisation 1 or 0 per theme,
the denominator 1 for an organisation that gave an answer (coded or not), so that a
share of a theme reads as a share of an option: "11 av 21 regioner", "48 % av
kommunerna".

Inputs:
- answered: organisation_code of the organisations that answered the question (item).
- coded: organisation_code, coder: who has coded each answer.
- codes: organisation_code, coder, theme: the themes each coder ticked.
- resolutions: organisation_code, theme, applies (bool).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from aggregation.rules.shares import TALLY_COLUMNS

AGREED = "agreed"
RESOLVED = "resolved"
DISPUTED = "disputed"
DECISION_COLUMNS = ["organisation_code", "theme", "applies", "status"]


def theme_decisions(
    coded: pd.DataFrame, codes: pd.DataFrame, resolutions: pd.DataFrame
) -> pd.DataFrame:
    """Per answer (organisation) and theme that anyone ticked or resolved: whether it
    applies and why (agreed, resolved, disputed).

    A theme nobody ticked and nobody resolved does not apply and has no row.
    """
    coders = coded.groupby("organisation_code")["coder"].nunique().rename("coders")
    ticks = (
        codes.groupby(["organisation_code", "theme"])["coder"]
        .nunique()
        .rename("ticks")
        .reset_index()
    )
    ticks = ticks.merge(coders.reset_index(), on="organisation_code", how="left")
    ticks["coders"] = ticks["coders"].fillna(ticks["ticks"]).astype("int64")
    ticks["applies"] = ticks["ticks"] >= ticks["coders"]
    ticks["status"] = [
        AGREED if applies else DISPUTED for applies in ticks["applies"].tolist()
    ]
    ticks.loc[ticks["status"] == DISPUTED, "applies"] = False
    decided = ticks[["organisation_code", "theme", "applies", "status"]]
    if not resolutions.empty:
        resolved = resolutions[["organisation_code", "theme", "applies"]].assign(
            status=RESOLVED
        )
        keys = ["organisation_code", "theme"]
        decided = pd.concat(
            [
                decided.merge(resolved[keys], on=keys, how="left", indicator=True)
                .query("_merge == 'left_only'")
                .drop(columns="_merge"),
                resolved,
            ],
            ignore_index=True,
        )
    decided = decided.astype({"applies": "bool"})
    return decided.sort_values(["organisation_code", "theme"], ignore_index=True)[
        DECISION_COLUMNS
    ]


def theme_tallies(
    *,
    question: str,
    item: str,
    themes: Sequence[str],
    answered: Sequence[str],
    decisions: pd.DataFrame,
) -> pd.DataFrame:
    """Per organisation that answered, 1 or 0 per theme (in codebook order); the
    denominator 1. Decisions as theme_decisions returns them."""
    organisations = sorted(set(answered))
    if not themes or not organisations:
        return pd.DataFrame({column: [] for column in TALLY_COLUMNS})
    grid = pd.DataFrame({"organisation_code": organisations}).merge(
        pd.DataFrame({"option": list(themes), "order": range(len(themes))}),
        how="cross",
    )
    applying = decisions.loc[
        decisions["applies"].astype(bool), ["organisation_code", "theme"]
    ].rename(columns={"theme": "option"})
    grid = grid.merge(
        applying.assign(count=1), on=["organisation_code", "option"], how="left"
    )
    grid["count"] = grid["count"].fillna(0).astype("int64")
    grid["denominator"] = 1
    grid["question"] = question
    grid["item"] = item
    return grid[TALLY_COLUMNS].sort_values(
        ["order", "organisation_code"], ignore_index=True
    )
