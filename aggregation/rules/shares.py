"""Shares per option: count, denominator and percent per RSS, per county and for Sweden.

Pure functions over DataFrames; no ORM, no settings.

Two steps. First a *tally*: per base organisation, question, item and option, the count
and the denominator (how many answered that question or item), from either
- an RSS questionnaire's count-per-option answers (compiled_tallies): the number of
  municipalities of the RSS area per option. This is where the hjälpenkät path (counts
  prefilled from the municipalities' web answers) and the paper path (counts typed by the
  RSS) meet, so both give the same tables; or
- organisations' own answers to closed questions (answer_tallies): 1 or 0 per organisation,
  for shares over RSS (the RSS questionnaire) or over regions.
Then shares_by_level sums the tallies per level. A unit appears when at least one of its
organisations has a submitted response; a unit where nobody answered a question gets
count 0, denominator 0 and percent None, so every table has the same rows.

Shares of municipalities (municipal_shares) take one source per RSS area (area_sources):
the municipalities' own submitted answers, or the RSS's submitted counts (the
counts-only path, for an area whose answers never entered the system). Every RSS area and
county has rows, those without data too (source "none"), and every row says its source
and how many municipalities it covers.

Inputs: questions (columns question, type, options (the choice options, yes/no included),
items, cells, source, position), answers as aggregation.selectors.answers_frame, units
(columns code, county_code and rss_code of the tallied organisations).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from aggregation.rules.appendix import (
    cell_numbers,
    numbered,
    question_rows,
    table_items,
)
from aggregation.rules.formatting import (
    ANSWERED_OPTION,
    CLOSED_TYPES,
    COUNT_PER_OPTION,
    MULTIPLE_CHOICE,
    TICKED,
    TOP_TWO_BOXES,
    TOP_TWO_LABEL,
    TOP_TWO_OPTIONS,
)
from surveys.numbers import percent_of

NATIONAL_UNIT = "SE"
RIKET = "riket"
COUNTY = "county"
RSS = "rss"
LEVEL_ORDER = {RIKET: 0, COUNTY: 1, RSS: 2}
TALLY_COLUMNS = [
    "organisation_code",
    "question",
    "item",
    "option",
    "count",
    "denominator",
    "order",
]
SHARE_COLUMNS = [
    "question",
    "item",
    "option",
    "level",
    "unit",
    "counted",
    "count",
    "denominator",
    "percent",
    "position",
    "source",
    "municipalities",
]
# Where a share's counts come from. ANSWERS: the organisations' own submitted answers;
# COUNTS: RSS's submitted counts per option (the counts-only path); MIXED: a county or
# Sweden whose RSS areas use both; NONE: an area (or county) without any data.
SOURCE_ANSWERS = "answers"
SOURCE_COUNTS = "counts"
SOURCE_MIXED = "mixed"
SOURCE_NONE = "none"
AREA_COLUMNS = [
    "rss_code",
    "county_code",
    "source",
    "municipalities",
    "answered",
    "counted",
]
DIFFERENCE_COLUMNS = [
    "rss_code",
    "question",
    "item",
    "option",
    "rss_count",
    "answers_count",
    "difference",
]


def _empty(columns: list[str]) -> pd.DataFrame:
    return pd.DataFrame({column: [] for column in columns})


def compiled_tallies(questions: pd.DataFrame, answers: pd.DataFrame) -> pd.DataFrame:
    """Per RSS, the count of municipalities per option of each compiled municipal question.

    `questions` are the RSS questionnaire's; its count_per_option questions name their
    municipal `source` question and list `cells` ({label, item, option}). The answers are
    the RSS's counts, keyed by cell label. The tally's question is the source code.
    Denominator: for a multiple choice its "_answered" cell (municipalities that answered
    the question); otherwise the sum of the item's counts over the options (each
    municipality answering chooses one). A missing count is taken as 0.
    """
    catalogue = []
    compiled = questions[
        (questions["type"] == COUNT_PER_OPTION) & questions["source"].notna()
    ].sort_values("position", kind="stable")
    for question in question_rows(compiled):
        for cell in question.cells:
            catalogue.append(
                (
                    question.question,
                    cell["label"],
                    str(question.source),
                    cell["item"],
                    cell["option"],
                )
            )
    organisations = sorted(set(answers["organisation_code"].unique().tolist()))
    if not catalogue or not organisations:
        return _empty(TALLY_COLUMNS)
    cells = pd.DataFrame(
        catalogue, columns=["question_code", "label", "question", "item", "option"]
    )
    cells["order"] = range(len(cells))
    grid = pd.DataFrame({"organisation_code": organisations}).merge(cells, how="cross")
    counts = answers[["organisation_code", "question_code", "item", "number"]].rename(
        columns={"item": "label"}
    )
    grid = grid.merge(
        counts, on=["organisation_code", "question_code", "label"], how="left"
    )
    grid["count"] = grid["number"].fillna(0).astype("int64")
    keys = ["organisation_code", "question_code"]
    is_answered = grid["option"] == ANSWERED_OPTION
    answered = (
        grid.loc[is_answered, [*keys, "count"]]
        .rename(columns={"count": "answered"})
        .drop_duplicates(keys)
    )
    choices = grid[~is_answered]
    per_item = (
        choices.groupby([*keys, "item"], sort=False)["count"]
        .sum()
        .rename("item_total")
        .reset_index()
    )
    choices = choices.merge(per_item, on=[*keys, "item"], how="left").merge(
        answered, on=keys, how="left"
    )
    choices["denominator"] = (
        choices["answered"].fillna(choices["item_total"]).astype("int64")
    )
    return choices[TALLY_COLUMNS].sort_values(
        ["order", "organisation_code"], ignore_index=True
    )


def answer_options(questions: pd.DataFrame) -> pd.DataFrame:
    """The (question, type, item, option) of the closed questions, numbered in order.

    One row per option of each item (a matrix), of the question (yes/no, single
    choice), or per alternative with the option "Ja" (a multiple choice).
    """
    catalogue = []
    closed = questions[questions["type"].isin(CLOSED_TYPES)].sort_values(
        "position", kind="stable"
    )
    for question in question_rows(closed):
        if question.type == MULTIPLE_CHOICE:
            for item in question.items:
                catalogue.append((question.question, question.type, item, TICKED))
            continue
        for item in table_items(question.type, question.items):
            for option in question.options:
                catalogue.append((question.question, question.type, item, option))
    options = pd.DataFrame(catalogue, columns=["question", "type", "item", "option"])
    options["order"] = range(len(options))
    return options


def _text_numbers(texts: pd.Series) -> tuple[np.ndarray, dict[str, int]]:
    """Texts as whole numbers: equal texts get equal numbers, "" and a missing text -1.

    Each row's number, and the number of each text. Texts compare as
    fillna("").astype(str) gives them (a value that is not a str as str(value)).
    """
    codes, uniques = numbered(texts)
    numbers: dict[str, int] = {"": -1}
    of_unique = [
        numbers.setdefault(text, len(numbers) - 1)
        for text in (value if type(value) is str else str(value) for value in uniques)
    ]
    # A missing text (code -1) takes the last entry: "".
    return np.array([*of_unique, -1], dtype="int64")[codes], numbers


def answer_tallies(questions: pd.DataFrame, answers: pd.DataFrame) -> pd.DataFrame:
    """Per organisation, 1 or 0 per option of each of its own closed questions.

    Yes/no, single choice and matrix: count 1 for the option chosen (per item), the
    denominator 1 when the item is answered. Multiple choice: option "Ja" per alternative,
    count 1 when ticked, the denominator 1 when the question is answered at all.
    Rows in option order, then organisation code order.
    """
    options = answer_options(questions)
    organisations = sorted(set(answers["organisation_code"].unique().tolist()))
    if options.empty or not organisations:
        return _empty(TALLY_COLUMNS)
    # Everything as whole numbers: organisations by their place in code order,
    # questions, (question, item) cells and texts by their number. The grid of options
    # × organisations is then arrays of shape (options, organisations), in the order
    # the rows are returned, and an answer is found by its (organisation, cell) number.
    cells = options[["question", "item"]].drop_duplicates(ignore_index=True)
    question_ids = {
        name: index for index, name in enumerate(pd.unique(options["question"]))
    }
    org = pd.Index(organisations).get_indexer(answers["organisation_code"])
    question_codes, question_names = numbered(answers["question_code"])
    cell = cell_numbers(question_codes, question_names, answers["item"], cells)
    in_cells = cell >= 0
    keys = org[in_cells] * len(cells) + cell[in_cells]
    if len(keys) and np.bincount(keys).max() > 1:
        # Two answers to one cell of one organisation (never from the database):
        # the grid gets a row per answer, as a join gives.
        return _joined_answer_tallies(options, organisations, answers)
    texts, text_number = _text_numbers(answers["text"])
    # The text answered in each (organisation, cell); -1: none or "".
    in_grid = np.full(len(organisations) * len(cells), -1, dtype="int64")
    in_grid[keys] = texts[in_cells]
    option_cells = cell_numbers(*numbered(options["question"]), options["item"], cells)
    text = in_grid.reshape(len(organisations), len(cells)).T[option_cells]
    chosen = np.array(
        [
            text_number.get(option, -2) if type(option) is str else -2
            for option in options["option"].tolist()
        ],
        dtype="int64",
    )
    count = text == chosen[:, np.newaxis]
    # (organisation, question) answered at all, any item of it.
    question_of = np.array(
        [question_ids.get(name, -1) for name in question_names] + [-1],
        dtype="int64",
    )[question_codes]
    answered = np.zeros((len(question_ids), len(organisations)), dtype=bool)
    of_closed = question_of >= 0
    answered[question_of[of_closed], org[of_closed]] = True
    option_questions = np.array(
        [question_ids[name] for name in options["question"].tolist()],
        dtype="int64",
    )
    is_multiple = (options["type"] == MULTIPLE_CHOICE).to_numpy(dtype=bool)
    denominator = np.where(
        is_multiple[:, np.newaxis], answered[option_questions], text != -1
    )
    of_option = np.repeat(np.arange(len(options)), len(organisations))
    of_organisation = np.tile(np.arange(len(organisations)), len(options))
    labels = options.take(of_option).reset_index(drop=True)
    return pd.DataFrame(
        {
            "organisation_code": pd.Series(organisations)
            .take(of_organisation)
            .reset_index(drop=True),
            "question": labels["question"],
            "item": labels["item"],
            "option": labels["option"],
            "count": count.ravel().astype("int64"),
            "denominator": denominator.ravel().astype("int64"),
            "order": labels["order"],
        }
    )


def _joined_answer_tallies(
    options: pd.DataFrame, organisations: list[str], answers: pd.DataFrame
) -> pd.DataFrame:
    """answer_tallies by joining the grid with the answers (one row per match)."""
    grid = pd.DataFrame({"organisation_code": organisations}).merge(
        options, how="cross"
    )
    # Organisations, questions and (question, item) cells as whole numbers, so that the
    # grid is joined with the answers on integer keys rather than on text.
    codes = pd.Index(organisations)
    cells = options[["question", "item"]].drop_duplicates(ignore_index=True)
    cells["cell"] = range(len(cells))
    question_ids = pd.Index(pd.unique(options["question"]))
    given = answers[["organisation_code", "question_code", "item", "text"]].rename(
        columns={"question_code": "question"}
    )
    given = given.merge(cells, on=["question", "item"], how="left")
    given["org"] = codes.get_indexer(pd.Index(given["organisation_code"]))
    grid["org"] = codes.get_indexer(pd.Index(grid["organisation_code"]))
    grid = grid.merge(cells, on=["question", "item"], how="left")
    grid = grid.merge(
        given.loc[given["cell"].notna(), ["org", "cell", "text"]].astype(
            {"cell": "int64"}
        ),
        on=["org", "cell"],
        how="left",
    )
    text = grid["text"].fillna("").astype(str)
    grid["count"] = (text == grid["option"]).astype("int64")
    # (organisation, question) pairs answered at all, as one number each (a question
    # that is not closed is -1: it never meets one of the grid).
    width = len(question_ids) + 1
    answered_pairs = given["org"].to_numpy(dtype="int64") * width + (
        question_ids.get_indexer(pd.Index(given["question"]))
    )
    grid_pairs = grid["org"].to_numpy(dtype="int64") * width + (
        question_ids.get_indexer(pd.Index(grid["question"]))
    )
    question_answered = pd.Series(np.isin(grid_pairs, answered_pairs), index=grid.index)
    is_multiple = grid["type"] == MULTIPLE_CHOICE
    grid["denominator"] = (
        (is_multiple & question_answered) | (~is_multiple & (text != ""))
    ).astype("int64")
    return grid[TALLY_COLUMNS].sort_values(
        ["order", "organisation_code"], ignore_index=True
    )


def top_two_box_tallies(questions: pd.DataFrame, tallies: pd.DataFrame) -> pd.DataFrame:
    """The answer tallies plus, per item of a 1–5 grid (rule top_two_boxes), the option
    "4–5": 1 for an organisation that chose 4 or 5, the denominator as the item's
    (every organisation that answered the item, "Inte aktuellt" included).

    Placed right after the item's options (its order is the last option's plus a half).
    """
    if "rule" not in questions.columns or tallies.empty:
        return tallies
    grids = set(questions.loc[questions["rule"] == TOP_TWO_BOXES, "question"])
    if not grids:
        return tallies
    of_grids = tallies[tallies["question"].isin(grids)]
    keys = ["organisation_code", "question", "item"]
    top = of_grids[of_grids["option"].isin(TOP_TWO_OPTIONS)]
    summed = top.groupby(keys, sort=False)["count"].sum().reset_index()
    per_item = (
        of_grids.groupby(keys, sort=False)
        .agg(denominator=("denominator", "max"), order=("order", "max"))
        .reset_index()
    )
    boxes = per_item.merge(summed, on=keys, how="left")
    boxes["count"] = boxes["count"].fillna(0).astype("int64")
    boxes["option"] = TOP_TWO_LABEL
    boxes["order"] = boxes["order"] + 0.5
    combined = pd.concat([tallies, boxes[TALLY_COLUMNS]], ignore_index=True)
    return combined.sort_values(["order", "organisation_code"], ignore_index=True)


def _level_sums(
    located: pd.DataFrame,
    mapped: pd.DataFrame,
    levels: tuple[str, ...],
    unit_columns: dict[str, str],
) -> list[pd.DataFrame]:
    """Per level, the tallies' count and denominator summed per order and unit
    (columns order, unit, count, denominator, level); `mapped` has one row per
    organisation. Organisations, orders and units are numbered first, so that the sums
    are grouped by one whole number rather than by texts; a tally without a unit at a
    level (or without an order) is left out of it, as grouping by the texts would."""
    org, org_names = pd.factorize(located["organisation_code"], use_na_sentinel=True)
    per_org = pd.DataFrame({"organisation_code": org_names}).merge(
        mapped, on="organisation_code", how="left"
    )
    order, order_values = pd.factorize(located["order"], use_na_sentinel=True)
    sums = located[["count", "denominator"]]
    parts = []
    for level in levels:
        column = unit_columns.get(level)
        if column is None:
            unit = np.zeros(len(located), dtype="int64")
            unit_names = pd.Index([NATIONAL_UNIT], dtype=object)
        else:
            # A tally of an organisation not in `mapped` (-1) has no unit.
            of_org, unit_names = pd.factorize(per_org[column], use_na_sentinel=True)
            unit = np.append(of_org, -1)[org]
        kept = (order >= 0) & (unit >= 0)
        key = order[kept] * len(unit_names) + unit[kept]
        summed = sums[kept].groupby(key, sort=False).sum()
        keys = summed.index.to_numpy()
        parts.append(
            pd.DataFrame(
                {
                    "order": order_values.take(keys // len(unit_names)),
                    "unit": np.asarray(unit_names, dtype=object)[
                        keys % len(unit_names)
                    ],
                    "count": summed["count"].to_numpy(),
                    "denominator": summed["denominator"].to_numpy(),
                }
            ).assign(level=level)
        )
    return parts


def shares_by_level(
    tallies: pd.DataFrame,
    units: pd.DataFrame,
    *,
    counted: str,
    levels: tuple[str, ...] = (RIKET, COUNTY, RSS),
) -> pd.DataFrame:
    """Sum the tallies per level and unit; percent = 100 × count / denominator, half up.

    `units` maps each tallied organisation (code) to its county_code and rss_code (an RSS
    is its own rss_code). Levels: riket (unit "SE"), county (the county code), rss (the
    RSS code). Rows are ordered by question, item and option as in the questionnaire,
    then level (riket, county, rss) and unit code; position numbers that order. A
    tally's `order` is its option's place in the questionnaire: one number per
    question, item and option (as compiled_tallies and answer_tallies number them).
    """
    if tallies.empty:
        return _empty(SHARE_COLUMNS)
    unit_columns = {COUNTY: "county_code", RSS: "rss_code"}
    mapped = units.rename(columns={"code": "organisation_code"})[
        [
            "organisation_code",
            *(unit_columns[level] for level in levels if level != RIKET),
        ]
    ]
    labels = ["question", "item", "option"]
    # A tally's order stands for its question, item and option: grouped by the number,
    # labelled afterwards (grouping by the texts took most of the time). Rows with a
    # missing label are left out, as grouping by it would.
    located = tallies.dropna(subset=labels)
    labelled = located[["order", *labels]].drop_duplicates("order")
    codes = mapped["organisation_code"]
    if codes.is_unique and not codes.isna().any():
        parts = _level_sums(located, mapped, levels, unit_columns)
    else:
        # An organisation mapped twice counts twice, as a join gives.
        located = located.merge(mapped, on="organisation_code", how="left")
        parts = []
        for level in levels:
            column = unit_columns.get(level)
            if column is None:
                grouped = located.assign(unit=NATIONAL_UNIT)
            else:
                grouped = located.dropna(subset=[column]).assign(unit=located[column])
            parts.append(
                grouped.groupby(["order", "unit"], sort=False)[["count", "denominator"]]
                .sum()
                .reset_index()
                .assign(level=level)
            )
    shares = pd.concat(parts, ignore_index=True).merge(labelled, on="order", how="left")
    shares["unit"] = shares["unit"].astype(str)
    shares["level_order"] = shares["level"].map(LEVEL_ORDER)
    shares = shares.sort_values(["order", "level_order", "unit"], ignore_index=True)
    shares["count"] = shares["count"].astype("int64")
    shares["denominator"] = shares["denominator"].astype("int64")
    shares["percent"] = pd.array(
        [
            percent_of(count, denominator)
            for count, denominator in zip(
                shares["count"], shares["denominator"], strict=True
            )
        ],
        dtype="Int64",
    )
    shares["counted"] = counted
    shares["position"] = range(len(shares))
    shares["source"] = SOURCE_ANSWERS
    shares["municipalities"] = pd.array([None] * len(shares), dtype="Int64")
    return shares[SHARE_COLUMNS]


def _as_own_rss(rss_units: pd.DataFrame) -> pd.DataFrame:
    """RSS as units: each RSS is its own rss_code."""
    return rss_units.assign(rss_code=rss_units["code"])


def _answering(answers: pd.DataFrame, municipalities: pd.DataFrame) -> pd.DataFrame:
    """The municipalities with submitted answers: code, county_code, rss_code."""
    codes = set(answers["organisation_code"].unique().tolist())
    return municipalities[municipalities["code"].isin(codes)]


def _counts_cover(compiled: pd.DataFrame) -> pd.Series:
    """Per RSS that submitted counts: how many municipalities they cover.

    The largest denominator or count among its count questions: the most
    municipalities it reports as answering any compiled question, or as choosing one
    option (0 when every count is 0).
    """
    if compiled.empty:
        return pd.Series(dtype="int64")
    largest = compiled[["count", "denominator"]].max(axis=1)
    return largest.groupby(compiled["organisation_code"]).max().astype("int64")


def area_sources(
    answers: pd.DataFrame,
    municipalities: pd.DataFrame,
    rss_units: pd.DataFrame,
    compiled: pd.DataFrame,
) -> pd.DataFrame:
    """Per RSS area the one source its municipal shares come from.

    With a = the area's municipalities that have submitted answers in the system and
    c = the municipalities the RSS's submitted counts cover (the largest of its counts
    and denominators, _counts_cover; 0 when the RSS has not submitted): the area uses the answers when a > 0 and a ≥ c, the RSS's
    counts when c > a, and has no data when a = c = 0. `municipalities` is a or c as
    chosen (0 without data). Municipalities without an RSS area (none in the national
    frame) are their own area "" of their county, always from answers.
    Columns AREA_COLUMNS, in RSS code order.
    """
    answering = _answering(answers, municipalities)
    per_area = {
        str(code): int(size)
        for code, size in answering.groupby(answering["rss_code"].fillna(""))["code"]
        .nunique()
        .items()
    }
    cover = {str(code): int(n) for code, n in _counts_cover(compiled).items()}
    rows = []
    for code, county in sorted(
        zip(rss_units["code"], rss_units["county_code"], strict=True)
    ):
        answered = per_area.get(code, 0)
        counted = cover.get(code, 0)
        if answered > 0 and answered >= counted:
            source, covered = SOURCE_ANSWERS, answered
        elif counted > answered:
            source, covered = SOURCE_COUNTS, counted
        else:
            source, covered = SOURCE_NONE, 0
        rows.append((code, county, source, covered, answered, counted))
    without_area = answering[answering["rss_code"].isna()]
    for county, group in without_area.groupby("county_code"):
        size = int(group["code"].nunique())
        rows.append(("", county, SOURCE_ANSWERS, size, size, 0))
    return pd.DataFrame(rows, columns=AREA_COLUMNS).astype(
        {"municipalities": "int64", "answered": "int64", "counted": "int64"}
    )


def _combined_source(sources: pd.Series) -> str:
    given = set(sources) - {SOURCE_NONE}
    if not given:
        return SOURCE_NONE
    if len(given) == 1:
        return str(given.pop())
    return SOURCE_MIXED


def _unit_sources(areas: pd.DataFrame) -> dict[tuple[str, str], tuple[str, int]]:
    """(level, unit) → (source, municipalities covered) for every RSS, county and SE."""
    result: dict[tuple[str, str], tuple[str, int]] = {}
    for code, source, covered in zip(
        areas["rss_code"].tolist(),
        areas["source"].tolist(),
        areas["municipalities"].tolist(),
        strict=True,
    ):
        if code:
            result[(RSS, str(code))] = (str(source), int(covered))
    for county, group in areas.groupby("county_code"):
        result[(COUNTY, str(county))] = (
            _combined_source(group["source"]),
            int(group["municipalities"].sum()),
        )
    result[(RIKET, NATIONAL_UNIT)] = (
        _combined_source(areas["source"]),
        int(areas["municipalities"].sum()),
    )
    return result


def municipal_shares(
    questions: pd.DataFrame,
    answers: pd.DataFrame,
    municipalities: pd.DataFrame,
    rss_units: pd.DataFrame,
    *,
    rss_questions: pd.DataFrame | None = None,
    rss_answers: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Shares of municipalities per RSS, county and Sweden, one source per RSS area.

    `questions`/`answers`: the municipal (or extra) questionnaire's questions and its
    submitted answers; `municipalities`: code, county_code, rss_code; `rss_units`: every
    RSS (code, county_code). `rss_questions`/`rss_answers`: the RSS questionnaire's
    questions and submitted counts, for the counts-only path (none for the extra
    questionnaire). Each area's source is area_sources'; an area without data gets
    rows of 0/0 (percent None), so that it is named, never dropped. No data anywhere:
    no rows. Rows are ordered as the municipal questionnaire's questions.
    """
    options = answer_options(questions)
    if rss_questions is not None and rss_answers is not None:
        compiled = compiled_tallies(rss_questions, rss_answers)
    else:
        compiled = _empty(TALLY_COLUMNS)
    areas = area_sources(answers, municipalities, rss_units, compiled)
    if (areas["source"] == SOURCE_NONE).all():
        return _empty(SHARE_COLUMNS)
    own_areas = set(areas.loc[areas["source"] == SOURCE_ANSWERS, "rss_code"])
    counts_areas = set(areas.loc[areas["source"] == SOURCE_COUNTS, "rss_code"])
    empty_areas = areas.loc[areas["source"] == SOURCE_NONE, "rss_code"].tolist()

    in_area = municipalities.set_index("code")["rss_code"].fillna("")
    # A follow-up's denominator is those asked it; a 1–5 grid adds its top two boxes.
    own = top_two_box_tallies(questions, answer_tallies(questions, answers))
    own = own[own["organisation_code"].map(in_area).isin(own_areas)]

    # The counts in the municipal questionnaire's order; a compiled cell that is not
    # one of its options follows them.
    keys = ["question", "item", "option"]
    from_counts = compiled[compiled["organisation_code"].isin(counts_areas)]
    # No counts (the extra questionnaire has none): an empty frame's columns are not
    # typed as the options' are, so it is not merged.
    if from_counts.empty:
        from_counts = from_counts.assign(own_order=pd.Series(dtype="float64"))
    else:
        from_counts = from_counts.merge(
            options[[*keys, "order"]].rename(columns={"order": "own_order"}),
            on=keys,
            how="left",
        )
    from_counts["order"] = (
        from_counts["own_order"]
        .fillna(from_counts["order"] + len(options))
        .astype("int64")
    )
    zeros = pd.DataFrame(
        [
            (code, question, item, option, 0, 0, order)
            for code in empty_areas
            for question, item, option, order in options[[*keys, "order"]].itertuples(
                index=False
            )
        ],
        columns=TALLY_COLUMNS,
    )
    parts = [
        frame.astype({"count": "int64", "denominator": "int64", "order": "float64"})
        for frame in (own, from_counts[TALLY_COLUMNS], zeros)
        if not frame.empty
    ]
    if not parts:
        # Answers, but none to a question with options (the extra questionnaire's
        # number or text questions): no shares.
        return _empty(SHARE_COLUMNS)
    tallies = pd.concat(parts, ignore_index=True)
    units = pd.concat(
        [
            municipalities[["code", "county_code", "rss_code"]],
            _as_own_rss(rss_units[["code", "county_code"]]),
        ],
        ignore_index=True,
    )
    shares = shares_by_level(tallies, units, counted="municipalities")
    by_unit = _unit_sources(areas)
    described = [
        by_unit.get((level, unit), (SOURCE_NONE, 0))
        for level, unit in zip(shares["level"], shares["unit"], strict=True)
    ]
    shares["source"] = [source for source, _n in described]
    shares["municipalities"] = pd.array([n for _s, n in described], dtype="Int64")
    return shares[SHARE_COLUMNS]


def count_differences(
    compiled: pd.DataFrame, own: pd.DataFrame, municipalities: pd.DataFrame
) -> pd.DataFrame:
    """Where an RSS's submitted counts differ from its municipalities' submitted answers.

    `compiled`: compiled_tallies of the submitted RSS responses; `own`: answer_tallies
    of the submitted municipal answers; `municipalities`: code, rss_code. Only RSS
    areas where at least one municipality has submitted answers are compared (elsewhere
    the counts are all there is). One row per question, item and option whose counts
    differ: the RSS's count, the count from the answers and the difference (RSS minus
    answers). Columns DIFFERENCE_COLUMNS, in RSS and questionnaire order.
    """
    if compiled.empty or own.empty:
        return _empty(DIFFERENCE_COLUMNS)
    in_area = municipalities.set_index("code")["rss_code"]
    located = own.assign(rss_code=own["organisation_code"].map(in_area)).dropna(
        subset=["rss_code"]
    )
    keys = ["question", "item", "option"]
    from_answers = (
        located.groupby(["rss_code", *keys, "order"], sort=False)["count"]
        .sum()
        .rename("answers_count")
        .reset_index()
    )
    counts = compiled.rename(
        columns={"organisation_code": "rss_code", "count": "rss_count"}
    )[["rss_code", *keys, "rss_count"]]
    compared = counts[counts["rss_code"].isin(set(from_answers["rss_code"]))].merge(
        from_answers, on=["rss_code", *keys], how="left"
    )
    compared["answers_count"] = compared["answers_count"].fillna(0).astype("int64")
    compared["rss_count"] = compared["rss_count"].astype("int64")
    compared["difference"] = compared["rss_count"] - compared["answers_count"]
    differing = compared[compared["difference"] != 0]
    differing = differing.sort_values(
        ["rss_code", "order"], kind="stable", na_position="last"
    )
    return differing[DIFFERENCE_COLUMNS].reset_index(drop=True)


def rss_shares(
    questions: pd.DataFrame, answers: pd.DataFrame, rss_units: pd.DataFrame
) -> pd.DataFrame:
    """Shares of RSS per RSS (0 or 1), county and Sweden for the RSS's own questions."""
    return shares_by_level(
        answer_tallies(questions, answers),
        _as_own_rss(rss_units),
        counted="rss",
    )


def region_shares(
    questions: pd.DataFrame, answers: pd.DataFrame, regions: pd.DataFrame
) -> pd.DataFrame:
    """Shares of regions per county (0 or 1) and for Sweden (n of 21)."""
    return shares_by_level(
        answer_tallies(questions, answers),
        regions,
        counted="regions",
        levels=(RIKET, COUNTY),
    )
