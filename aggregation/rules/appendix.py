"""The appendix tables (Bilaga 3): each region's answer and the national row "Riket".

Pure functions over DataFrames; no ORM, no settings.

Inputs:
- questions: one row per question with columns question (code), type, rule, items (list),
  in_appendix (bool), position;
- answers: the submitted answers, columns organisation_code, question_code, item, text,
  number (nullable int), cannot_estimate (bool), as aggregation.selectors.answers_frame;
- organisations: the respondents, columns code, name, county_code (organisations_frame).

A table has one column per item (the items of a matrix, the alternatives of a multiple
choice, or the single column "" for other questions) and the rows "Riket", "Riket <year>"
when the previous cycle's national row is given, then every organisation in county-code
order. An organisation without a submitted answer to the question gets an empty cell (""),
not a dash or a zero: the report prints nothing for it, and the reader can tell a missing
response from an answer.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Protocol, cast

import numpy as np
import pandas as pd

from aggregation.rules.formatting import (
    CANNOT_ESTIMATE_LABELS,
    COUNT,
    COUNT_PER_OPTION,
    INTEGER,
    MATRIX,
    MEAN_PERCENT,
    MULTIPLE_CHOICE,
    NO_RULE,
    PERCENTAGE,
    SUM_COUNT,
    TICKED,
    UNTICKED,
    YES,
    YES_COUNT,
    format_percent,
    format_ratio,
)
from surveys.numbers import format_thousands, mean_half_up

NATIONAL_NAME = "Riket"


def is_national(name: str) -> bool:
    """The national rows of an appendix table: "Riket" and "Riket 2023"."""
    return name == NATIONAL_NAME or name.startswith(NATIONAL_NAME + " ")


NATIONAL_CODE = "SE"
APPENDIX_COLUMNS = [
    "question",
    "item",
    "organisation",
    "organisation_code",
    "value",
    "position",
]
NATIONAL_COLUMNS = ["question", "item", "value"]
PREVIOUS_COLUMNS = ["question", "item", "year", "value"]
# Types whose cells print the number as a count (format_cell).
NUMBER_TYPES = (COUNT, INTEGER, COUNT_PER_OPTION)


class QuestionRow(Protocol):
    """One row of a questions frame (see the module docstrings) as itertuples gives it."""

    question: str
    type: str
    rule: str
    items: list[str]
    options: list[str]
    cells: list[dict[str, str]]
    source: str | None


def question_rows(questions: pd.DataFrame) -> Iterator[QuestionRow]:
    """The rows of a questions frame, typed by its columns."""
    return cast(Iterator[QuestionRow], questions.itertuples(index=False))


def table_items(question_type: str, items: Iterable[str]) -> list[str]:
    """The columns of a question's table: its items, or [""] for a question without."""
    items = list(items or [])
    if question_type in (MATRIX, MULTIPLE_CHOICE) and items:
        return items
    return [""]


def numbered(values: pd.Series) -> tuple[np.ndarray, list[object]]:
    """Each value's number among the distinct values (-1: missing), and those values."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return np.asarray(codes, dtype="int64"), list(uniques)


def cell_numbers(
    question_codes: np.ndarray,
    question_names: list[object],
    items: pd.Series,
    cells: pd.DataFrame,
) -> np.ndarray:
    """Per answer, the number of its (question, item) among the rows of cells (columns
    question, item), -1 where it is none of them. The questions come numbered
    (numbered); a missing question or item is no cell."""
    item_codes, item_names = numbered(items)
    number = {
        (question, item): index
        for index, (question, item) in enumerate(
            zip(cells["question"].tolist(), cells["item"].tolist(), strict=True)
        )
    }
    table = np.full((len(question_names) + 1, len(item_names) + 1), -1, dtype="int64")
    for q_index, question in enumerate(question_names):
        for i_index, item in enumerate(item_names):
            table[q_index, i_index] = number.get((question, item), -1)
    # A missing value (-1) takes the last row or column, which is no cell.
    found: np.ndarray = table[question_codes, item_codes]
    return found


def _texts(series: pd.Series) -> np.ndarray:
    """A text column as str objects, "" for a missing value (as str(value) otherwise)."""
    if isinstance(series.dtype, pd.StringDtype):
        # Every value is a str already.
        return series.fillna("").to_numpy(dtype=object)
    missing = series.isna().to_numpy()
    # pandas-stubs: na_value=None is valid (pandas' to_numpy docs) but not in the stub.
    values = series.to_numpy(dtype=object, na_value=None)  # type: ignore[call-overload]
    return np.array(
        [
            "" if gone else (value if type(value) is str else str(value))
            for value, gone in zip(values, missing, strict=True)
        ],
        dtype=object,
    )


def national_value(
    question_type: str, rule: str, answers: pd.DataFrame, item: str
) -> str:
    """The national row of one column of a question's table.

    `answers` holds the answers of every organisation to this question (all items).
    yes_count: "N/M", N the organisations that answered exactly "Ja" for the item, M those
    that answered it (for a multiple choice: the question; an unticked alternative counts
    in M). mean_percent: unweighted mean of the figures given, rounded half up, "59 %";
    "cannot be estimated" is left out of both sides. sum_count: the sum of the figures
    given, "4 245 026". "" when no organisation answered, or for the rule "none".
    """
    return national_values(question_type, rule, answers, [item])[0]


def national_values(
    question_type: str, rule: str, answers: pd.DataFrame, items: list[str]
) -> list[str]:
    """national_value of each of the items (columns) of one question's table.

    The question's answers are converted to arrays once, not once per item.
    """
    # Vectorised over the question's rows: organisations and items as whole numbers,
    # a mask per condition, no Python row loop; an item's organisations are counted
    # with bincount rather than gathered in a set.
    # A missing organisation code counts as one organisation, as in a set.
    organisations, names = pd.factorize(
        answers["organisation_code"], use_na_sentinel=False
    )
    known = len(names)
    # A missing item (-1) matches no item, as with Series == item.
    answer_items, item_names = pd.factorize(answers["item"], use_na_sentinel=True)
    item_number = {name: index for index, name in enumerate(item_names.tolist())}
    has_number = answers["number"].notna().to_numpy(dtype=bool)
    cannot_estimate = answers["cannot_estimate"].astype(bool).to_numpy(dtype=bool)

    def of_item(item: str) -> np.ndarray:
        chosen: np.ndarray = answer_items == item_number.get(item, -2)
        return chosen

    def how_many(chosen: np.ndarray) -> int:
        return int(
            np.count_nonzero(np.bincount(organisations[chosen], minlength=known))
        )

    if rule == YES_COUNT:
        texts = _texts(answers["text"])
        given = (texts != "") | has_number | cannot_estimate
        values = []
        if question_type == MULTIPLE_CHOICE:
            ticked = texts == TICKED
            # Every organisation that answered the question (an unticked one too).
            answering = known if len(answers) else 0
            for item in items:
                yes = how_many(of_item(item) & ticked)
                values.append(format_ratio(yes, answering) if answering else "")
            return values
        is_yes = texts == YES
        for item in items:
            answered = of_item(item) & given
            answering = how_many(answered)
            yes = how_many(answered & is_yes)
            values.append(format_ratio(yes, answering) if answering else "")
        return values
    if rule not in (MEAN_PERCENT, SUM_COUNT):
        return ["" for _item in items]
    numbers = answers["number"]
    values = []
    for item in items:
        chosen = of_item(item) & has_number & ~cannot_estimate
        figures = [int(number) for number in numbers[chosen].tolist()]
        if rule == MEAN_PERCENT:
            mean = mean_half_up(figures)
            values.append("" if mean is None else format_percent(mean))
        else:
            values.append(format_thousands(sum(figures)) if figures else "")
    return values


def national_rows(questions: pd.DataFrame, answers: pd.DataFrame) -> pd.DataFrame:
    """The national value of every column of every question with a rule other than none."""
    rows: list[tuple[str, str, str]] = []
    for question in question_rows(questions):
        if question.rule == NO_RULE:
            continue
        of_question = answers[answers["question_code"] == question.question]
        items = table_items(question.type, question.items)
        values = national_values(question.type, question.rule, of_question, items)
        rows.extend(
            (question.question, item, value)
            for item, value in zip(items, values, strict=True)
        )
    return pd.DataFrame(rows, columns=NATIONAL_COLUMNS)


def appendix_questions(questions: pd.DataFrame) -> pd.DataFrame:
    """The questions printed in the appendix: in_appendix with a national rule."""
    chosen = questions[
        questions["in_appendix"]
        & questions["rule"].isin([YES_COUNT, MEAN_PERCENT, SUM_COUNT])
    ]
    return chosen.sort_values("position", kind="stable")


def _formatted(
    types: np.ndarray,
    texts: np.ndarray,
    numbers: pd.Series,
    cannot_estimate: np.ndarray,
) -> np.ndarray:
    """format_cell over whole columns: the same cells, without a Python call per cell.

    Numbers are formatted once per distinct value (format_percent, format_thousands).
    """
    values = texts.copy()
    has_number = numbers.notna().to_numpy(dtype=bool)
    as_int = np.zeros(len(values), dtype=object)
    as_int[has_number] = [int(n) for n in numbers[has_number].tolist()]
    for formatted_types, formatter in (
        ((PERCENTAGE,), format_percent),
        (NUMBER_TYPES, format_thousands),
    ):
        of_type = np.isin(types, formatted_types)
        values[of_type & ~has_number] = ""
        chosen = of_type & has_number
        if chosen.any():
            cache = {n: formatter(n) for n in set(as_int[chosen].tolist())}
            values[chosen] = [cache[n] for n in as_int[chosen].tolist()]
    multiple = types == MULTIPLE_CHOICE
    values[multiple] = UNTICKED
    values[multiple & (texts == TICKED)] = TICKED
    if cannot_estimate.any():
        values[cannot_estimate] = [
            CANNOT_ESTIMATE_LABELS.get(t, "") for t in types[cannot_estimate].tolist()
        ]
    return values


def _organisation_values(
    columns: pd.DataFrame, answers: pd.DataFrame, organisations: pd.DataFrame
) -> pd.DataFrame:
    """Every organisation's cell of every column (question, type, item), as printed.

    Column by column (the organisations in their order within each): the columns
    question, type, item, column, code, name, group, row and value. An alternative
    missing from a multiple choice the organisation answered is unticked ("."); a cell
    of a question it did not answer is "". The cells are formatted column-wise
    (_formatted), as format_cell formats one.

    No join and no text compared per cell: organisations, columns and questions are
    numbered, each answer is placed in an array of shape (columns, organisations) by
    its numbers, and the grid's cells are read from there.
    """
    members = pd.Index(organisations["code"])
    keys = list(
        zip(columns["question"].tolist(), columns["item"].tolist(), strict=True)
    )
    if not members.is_unique or len(set(keys)) < len(keys):
        return _joined_organisation_values(columns, answers, organisations)
    width, depth = len(columns), len(organisations)
    org = members.get_indexer(answers["organisation_code"])
    question_codes, question_names = numbered(answers["question_code"])
    cell = cell_numbers(question_codes, question_names, answers["item"], columns)
    placed = (cell >= 0) & (org >= 0)
    where = cell[placed] * depth + org[placed]
    if len(where) and np.bincount(where).max() > 1:
        # Two answers to one cell (never from the database): a row per answer.
        return _joined_organisation_values(columns, answers, organisations)
    # The answer (its row in answers) of each cell of the grid; -1: none.
    found = np.full(width * depth, -1, dtype="int64")
    found[where] = np.flatnonzero(placed)
    given_cannot = answers["cannot_estimate"]
    matched = found >= 0
    matched[matched] = given_cannot.notna().to_numpy(dtype=bool)[found[matched]]
    cannot_estimate = np.zeros(width * depth, dtype=bool)
    cannot_estimate[matched] = [
        bool(c) for c in given_cannot.to_numpy(dtype=object)[found[matched]].tolist()
    ]
    texts = np.append(_texts(answers["text"]), "")[found]
    numbers = pd.Series(answers["number"].array.take(found, allow_fill=True))
    # The organisation answered the question (any item of it, in a column or not).
    questions = {
        name: index for index, name in enumerate(pd.unique(columns["question"]))
    }
    question_of = np.array(
        [questions.get(name, -1) for name in question_names] + [-1], dtype="int64"
    )[question_codes]
    answered = np.zeros((len(questions) + 1, depth), dtype=bool)
    known = (org >= 0) & (question_of >= 0)
    answered[question_of[known], org[known]] = True
    column_question = np.array(
        [questions[name] for name in columns["question"].tolist()], dtype="int64"
    )
    is_answering = answered[column_question].ravel()
    by_column = np.repeat(np.arange(width), depth)
    by_organisation = np.tile(np.arange(depth), width)
    types = columns["type"].to_numpy(dtype=object)[by_column]
    values = _formatted(types, texts, numbers, cannot_estimate)
    # The organisation answered the question but not this item.
    values[~matched] = ""
    values[~matched & (types == MULTIPLE_CHOICE)] = UNTICKED
    values[~is_answering] = ""
    grid = pd.DataFrame(
        {
            # As text objects, as the grid's keys were (an empty frame has no
            # dtype to agree on).
            "question": pd.Series(
                columns["question"].to_numpy(dtype=object)[by_column], dtype=object
            ),
            "type": types,
            "item": pd.Series(
                columns["item"].to_numpy(dtype=object)[by_column], dtype=object
            ),
            "column": columns["column"].to_numpy()[by_column],
        }
    )
    of_members = organisations[["code", "name", "group", "row"]].take(by_organisation)
    for name in ("code", "name", "group", "row"):
        grid[name] = of_members[name].reset_index(drop=True)
    grid["code"] = grid["code"].astype(object)
    grid["value"] = values.tolist()
    return grid


def _joined_organisation_values(
    columns: pd.DataFrame, answers: pd.DataFrame, organisations: pd.DataFrame
) -> pd.DataFrame:
    """Every organisation's cell of every column (question, type, item), as printed.

    One merge, not one lookup per cell: an organisation × column grid joined with the
    answers. An alternative missing from a multiple choice the organisation answered is
    unticked ("."); a cell of a question it did not answer is "". The cells are formatted
    column-wise (_formatted), as format_cell formats one.
    """
    grid = columns[["question", "type", "item", "column"]].merge(
        organisations[["code", "name", "group", "row"]], how="cross"
    )
    given = answers.rename(
        columns={"question_code": "question", "organisation_code": "code"}
    )[["question", "item", "code", "text", "number", "cannot_estimate"]]
    # Keys as text on both sides, also when a frame is empty (no dtype to agree on).
    keys = ["question", "item", "code"]
    grid[keys] = grid[keys].astype(object)
    given = given.astype(dict.fromkeys(keys, object))
    # Joined on whole numbers, not on text: the column (question, item) and the
    # organisation's place among the organisations (-1: not one of them).
    members = pd.Index(organisations["code"])
    grid["org"] = members.get_indexer(grid["code"])
    given = given.assign(org=members.get_indexer(given["code"]))
    located = given.merge(
        columns[["question", "item", "column"]].astype(
            {"question": object, "item": object}
        ),
        on=["question", "item"],
        how="inner",
    )
    grid = grid.merge(
        located[["column", "org", "text", "number", "cannot_estimate"]],
        on=["column", "org"],
        how="left",
    )
    # The organisation answered the question (any item of it, in a column or not).
    questions = pd.Index(pd.unique(columns["question"].astype(object)))
    width = len(questions) + 1
    answering = given["org"].to_numpy(dtype="int64") * width + questions.get_indexer(
        pd.Index(given["question"])
    )
    in_grid = grid["org"].to_numpy(dtype="int64") * width + questions.get_indexer(
        pd.Index(grid["question"])
    )
    types = grid["type"].to_numpy(dtype=object)
    is_answering = np.isin(in_grid, answering)
    matched = grid["cannot_estimate"].notna().to_numpy(dtype=bool)
    cannot_estimate = np.zeros(len(grid), dtype=bool)
    cannot_estimate[matched] = [
        bool(c) for c in grid["cannot_estimate"][matched].tolist()
    ]
    values = _formatted(types, _texts(grid["text"]), grid["number"], cannot_estimate)
    # The organisation answered the question but not this item.
    values[~matched] = ""
    values[~matched & (types == MULTIPLE_CHOICE)] = UNTICKED
    values[~is_answering] = ""
    grid["value"] = values.tolist()
    return grid


def appendix_cells(
    questions: pd.DataFrame,
    answers: pd.DataFrame,
    organisations: pd.DataFrame,
    previous: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Every cell of every appendix table, in table order (position).

    `previous` (columns question, item, year, value) carries the previous cycle's national
    values by the current question code; a question found there gets the row
    "Riket <year>" right after "Riket" ("" for a column the previous question lacked).
    """
    previous = (
        previous if previous is not None else pd.DataFrame(columns=PREVIOUS_COLUMNS)
    )
    printed = appendix_questions(questions)
    if printed.empty:
        return pd.DataFrame({column: [] for column in APPENDIX_COLUMNS})
    of_question = {
        code: group for code, group in answers.groupby("question_code", sort=False)
    }
    no_answers = answers.iloc[0:0]
    columns: list[tuple[str, str, str, int]] = []
    national: list[tuple[str, str, str, str, str, int, int, int]] = []
    for question in question_rows(printed):
        given = of_question.get(question.question, no_answers)
        earlier = previous[previous["question"] == question.question]
        years = sorted(set(earlier["year"]), reverse=True)
        items = table_items(question.type, question.items)
        values = national_values(question.type, question.rule, given, items)
        for item, value in zip(items, values, strict=True):
            column = len(columns)
            columns.append((question.question, question.type, item, column))
            national.append(
                (
                    question.question,
                    item,
                    NATIONAL_NAME,
                    NATIONAL_CODE,
                    value,
                    column,
                    0,
                    0,
                )
            )
            for offset, year in enumerate(years, start=1):
                of_year = earlier[(earlier["year"] == year) & (earlier["item"] == item)]
                national.append(
                    (
                        question.question,
                        item,
                        f"{NATIONAL_NAME} {year}",
                        f"{NATIONAL_CODE}-{year}",
                        str(of_year["value"].iloc[0]) if not of_year.empty else "",
                        column,
                        0,
                        offset,
                    )
                )
    # Per column: Riket and the earlier years (group 0), then the organisations (group 1).
    order = ["column", "group", "row"]
    national_frame = pd.DataFrame(national, columns=[*APPENDIX_COLUMNS[:-1], *order])
    members = organisations.sort_values(["county_code", "code"], kind="stable")
    members = members.assign(group=1, row=range(len(members)))
    column_frame = pd.DataFrame(columns, columns=["question", "type", "item", "column"])
    cells = _organisation_values(column_frame, answers, members).rename(
        columns={"name": "organisation", "code": "organisation_code"}
    )
    frame = pd.concat(
        [national_frame, cells[[*APPENDIX_COLUMNS[:-1], *order]]], ignore_index=True
    ).sort_values(order, kind="stable", ignore_index=True)
    frame["position"] = range(len(frame))
    return frame[APPENDIX_COLUMNS]
