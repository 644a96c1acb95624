"""Reads for aggregation: answers of submitted responses as DataFrames, in fixed queries."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

import pandas as pd
from django.db import connection, models
from django.utils.translation import gettext

from aggregation.models import AggregationRun, AppendixCell, PublishedValue, ShareRow
from aggregation.published import PublishedRow
from aggregation.rules.previous import PUBLISHED_COLUMNS
from regions.models import County, Organisation
from surveys.answers import DEFAULT_MAX_NUMBER
from surveys.models import Answer, Question, Questionnaire, ReferenceFigure, Response

ANSWER_COLUMNS = [
    "organisation_code",
    "question_code",
    "item",
    "text",
    "number",
    "cannot_estimate",
]


def answers_frame(*, questionnaire: Questionnaire) -> pd.DataFrame:
    """Every answer of the questionnaire's submitted responses, one row per cell (1 query).

    In no particular order: the rules order what they return themselves. Answer's
    default ordering would join the questionnaire and cycle tables and sort every
    answer, which took most of the query's time (benchmark, BENCHMARKS.md).
    """
    query = (
        Answer.objects.filter(
            response__questionnaire=questionnaire,
            response__status=Response.Status.SUBMITTED,
        )
        .order_by()
        .values_list(
            "response__organisation__code",
            "question__code",
            "item",
            "text",
            "number",
            "cannot_estimate",
        )
    )
    # The query's SQL on a plain cursor: fetchall() without Django's row iterator
    # (a third of the read at 290 000 answers). The columns need no conversion but
    # cannot_estimate's (0/1 on SQLite), done below for the whole column.
    sql, params = query.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    frame = pd.DataFrame.from_records(rows, columns=ANSWER_COLUMNS)
    # Whole numbers straight from the rows' Python ints: through float64 (what
    # from_records makes of a column with gaps) 2**63 - 1 cannot be cast back and
    # anything above 2**53 is rounded.
    frame["number"] = pd.array([row[4] for row in rows], dtype="Int64")
    frame["cannot_estimate"] = frame["cannot_estimate"].astype(bool)
    for column in TEXT_COLUMNS:
        frame[column] = _compacted(frame[column])
    return frame


# The text columns of answers_frame, each holding few distinct values.
TEXT_COLUMNS = ("organisation_code", "question_code", "item", "text")


def _compacted(column: pd.Series) -> pd.Series:
    """The same texts, each distinct one held by one string object, the objects made
    side by side.

    The database driver makes a new string for every value of every row, spread over
    the memory of millions of rows. Every later pass over a column (a join, a
    grouping, a comparison) then reads a string from a different place for each row,
    which made the rules' time grow faster than the number of answers (100 × the
    national frame, docs/profile-aggregation.md). A column that is not text (only
    missing values) is left as it is.
    """
    if not isinstance(column.dtype, pd.StringDtype):
        return column
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    # A new object for each distinct text (encode and decode copy it).
    fresh = pd.array(
        [text.encode().decode() for text in uniques.tolist()], dtype=column.dtype
    )
    # A missing value (-1) stays missing.
    return pd.Series(
        fresh.take(codes, allow_fill=True), index=column.index, name=column.name
    )


def organisations_frame(*, kind: str) -> pd.DataFrame:
    """The organisations of a kind with county and RSS, in code order (1 query)."""
    rows = (
        Organisation.objects.filter(kind=kind)
        .order_by("code")
        .values_list("code", "name", "county__code", "rss__code", "population")
    )
    return pd.DataFrame.from_records(
        list(rows), columns=["code", "name", "county_code", "rss_code", "population"]
    )


def questions_list(*, questionnaire: Questionnaire) -> list[Question]:
    """The questionnaire's questions in order (1 query)."""
    return list(questionnaire.questions.order_by("position"))


def fingerprint(*, questionnaire: Questionnaire) -> tuple[str, int]:
    """A digest of which responses are submitted in which version, and their number.

    Equal digests mean equal submitted answers: every save raises a response's version.
    """
    rows = list(
        Response.objects.filter(
            questionnaire=questionnaire, status=Response.Status.SUBMITTED
        )
        .order_by("pk")
        .values_list("pk", "version")
    )
    digest = hashlib.sha256(repr(rows).encode()).hexdigest()
    return digest, len(rows)


def _published_of(questionnaire: Questionnaire):
    """The published values stored for the questionnaire's cycle and key (every
    version of it: a new version keeps the values imported for the old one)."""
    return PublishedValue.objects.filter(
        question__questionnaire__cycle_id=questionnaire.cycle_id,
        question__questionnaire__key=questionnaire.key,
    )


def published_state(*, questionnaire: Questionnaire, year: int) -> str:
    """Identifies the stored published values of one year (1 query): every import
    deletes and writes that year's rows, so their number and highest id change."""
    summary = (
        _published_of(questionnaire)
        .filter(year=year)
        .aggregate(n=models.Count("pk"), last=models.Max("pk"))
    )
    return f"{year}:{summary['n']}:{summary['last'] or 0}"


@dataclass(frozen=True)
class PublishedChanges:
    """What a file of published figures does to the stored figures of its year: each
    figure of the file replaces the stored one of the same question, item, option and
    unit (`replaced`, `changed` of them with another value) or is `added`; the stored
    figures of the year that the file lacks are `removed`."""

    questionnaire: Questionnaire
    year: int
    count: int
    replaced: int
    changed: int
    added: int
    removed: int
    # published_state when counted: a confirm applies only while it is the same.
    stored: str

    def counts(self) -> dict[str, int]:
        return {
            "year": self.year,
            "count": self.count,
            "replaced": self.replaced,
            "changed": self.changed,
            "added": self.added,
            "removed": self.removed,
        }


def published_changes(
    *, questionnaire: Questionnaire, year: int, rows: list[PublishedRow]
) -> PublishedChanges:
    """What storing these checked rows (aggregation.published) as the figures of `year`
    changes (2 queries)."""
    stored = {
        (code, item, option, level, unit): (percent, count, denominator)
        for code, item, option, level, unit, percent, count, denominator in (
            _published_of(questionnaire)
            .filter(year=year)
            .values_list(
                "question__code",
                "item",
                "option",
                "level",
                "unit",
                "percent",
                "count",
                "denominator",
            )
        )
    }
    replaced = changed = 0
    for row in rows:
        key = (row.question.code, row.item, row.option, row.level, row.unit)
        if key in stored:
            replaced += 1
            changed += stored.pop(key) != (row.percent, row.count, row.denominator)
    return PublishedChanges(
        questionnaire=questionnaire,
        year=year,
        count=len(rows),
        replaced=replaced,
        changed=changed,
        added=len(rows) - replaced,
        removed=len(stored),
        stored=published_state(questionnaire=questionnaire, year=year),
    )


def published_frame(*, questionnaire: Questionnaire) -> pd.DataFrame:
    """The questionnaire's published values of earlier years (1 query), columns
    aggregation.rules.previous.PUBLISHED_COLUMNS."""
    rows = (
        _published_of(questionnaire)
        .order_by("year", "row")
        .values_list(
            "question__code",
            "item",
            "option",
            "level",
            "unit",
            "year",
            "percent",
            "count",
            "denominator",
        )
    )
    records = list(rows)
    frame = pd.DataFrame.from_records(records, columns=PUBLISHED_COLUMNS)
    for index, column in enumerate(PUBLISHED_COLUMNS[-3:], start=6):
        frame[column] = pd.array([row[index] for row in records], dtype="Int64")
    return frame


def published_digest(*, questionnaire: Questionnaire) -> str:
    """Identifies the published values the results use; "" when there are none (1 query).

    Every import writes new rows, so their number and highest id change with it.
    """
    summary = _published_of(questionnaire).aggregate(
        n=models.Count("pk"), last=models.Max("pk")
    )
    if not summary["n"]:
        return ""
    return f"published:{summary['n']}:{summary['last']}"


def published_years(*, questionnaire: Questionnaire) -> list[tuple[int, int]]:
    """(year, number of values) of the questionnaire's published values (1 query)."""
    return list(
        _published_of(questionnaire)
        .order_by("year")
        .values_list("year")
        .annotate(n=models.Count("pk"))
    )


@dataclass
class AppendixTable:
    """One question's appendix table: items as columns, Riket and regions as rows."""

    code: str
    text: str
    columns: list[str] = field(default_factory=list)
    # (organisation as printed, values in column order)
    rows: list[tuple[str, list[str]]] = field(default_factory=list)


@dataclass
class ShareTable:
    """One question's (and item's) shares: options as columns, units as rows."""

    code: str
    text: str
    item: str
    counted: str
    options: list[str] = field(default_factory=list)
    # (level, unit name, cells in option order: ShareRow or None)
    rows: list[tuple[str, str, list[ShareRow | None]]] = field(default_factory=list)
    # The cycle's year (the cells' previous_year is the earlier one's).
    year: int | None = None


def _appendix_tables(
    cells: list[AppendixCell], texts: dict[str, str]
) -> list[AppendixTable]:
    tables: dict[str, AppendixTable] = {}
    values: dict[tuple[str, str, str], str] = {}
    organisations: dict[str, list[str]] = {}
    for cell in cells:
        table = tables.setdefault(
            cell.question_code,
            AppendixTable(cell.question_code, texts.get(cell.question_code, "")),
        )
        if cell.item not in table.columns:
            table.columns.append(cell.item)
        names = organisations.setdefault(cell.question_code, [])
        if cell.organisation not in names:
            names.append(cell.organisation)
        values[(cell.question_code, cell.organisation, cell.item)] = cell.value
    for code, table in tables.items():
        table.rows = [
            (name, [values.get((code, name, item), "") for item in table.columns])
            for name in organisations[code]
        ]
    return list(tables.values())


def _share_tables(
    rows: list[ShareRow], texts: dict[str, str], unit_names: dict[str, str]
) -> list[ShareTable]:
    tables: dict[tuple[str, str], ShareTable] = {}
    by_cell: dict[tuple[str, str, str, str, str], ShareRow] = {}
    units: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for row in rows:
        key = (row.question_code, row.item)
        table = tables.setdefault(
            key,
            ShareTable(
                row.question_code,
                texts.get(row.question_code, ""),
                row.item,
                row.counted,
            ),
        )
        if row.option not in table.options:
            table.options.append(row.option)
        seen = units.setdefault(key, [])
        if (row.level, row.unit) not in seen:
            seen.append((row.level, row.unit))
        by_cell[(*key, row.level, row.unit, row.option)] = row
    for key, table in tables.items():
        table.rows = [
            (
                level,
                unit_names.get(unit, unit),
                [by_cell.get((*key, level, unit, option)) for option in table.options],
            )
            for level, unit in units[key]
        ]
    return list(tables.values())


def unit_names() -> dict[str, str]:
    """County codes and RSS codes to names (2 queries)."""
    names = {"SE": gettext("Sweden")}
    names.update(dict(County.objects.values_list("code", "name")))
    names.update(
        dict(
            Organisation.objects.filter(kind=Organisation.Kind.RSS).values_list(
                "code", "name"
            )
        )
    )
    return names


@dataclass(frozen=True)
class ShareArea:
    """An RSS area of a run's shares of municipalities: its source and coverage."""

    code: str
    name: str
    county: str
    # "answers", "counts" or "none" (aggregation.rules.shares).
    source: str
    # The municipalities the source covers, and those of the area.
    municipalities: int
    area_size: int

    @property
    def has_data(self) -> bool:
        return self.source != "none"


def share_areas(*, run: AggregationRun) -> list[ShareArea]:
    """The RSS areas of the run's shares of municipalities, in RSS code order (2 queries).

    Empty for shares over regions or RSS.
    """
    stored = dict(
        (unit, (source, municipalities))
        for unit, source, municipalities in run.share_rows.filter(
            level=ShareRow.Level.RSS, counted="municipalities"
        )
        .order_by()
        .values_list("unit", "source", "municipalities")
        .distinct()
    )
    if not stored:
        return []
    rss = (
        Organisation.objects.filter(kind=Organisation.Kind.RSS, code__in=stored)
        .annotate(size=models.Count("municipalities"))
        .order_by("code")
        .values_list("code", "name", "county__name", "size")
    )
    return [
        ShareArea(
            code=code,
            name=name,
            county=county or "",
            source=stored[code][0],
            municipalities=stored[code][1] or 0,
            area_size=size,
        )
        for code, name, county, size in rss
    ]


def appendix_tables(*, run: AggregationRun) -> list[AppendixTable]:
    """The run's appendix tables in published order (2 queries)."""
    texts = dict(run.questionnaire.questions.values_list("code", "text"))
    return _appendix_tables(list(run.appendix_cells.order_by("position")), texts)


def appendix_row_codes(*, run: AggregationRun) -> dict[tuple[str, str], str]:
    """(question, organisation as printed) → organisation code, of the run's cells."""
    return {
        (question, name): code
        for question, name, code in run.appendix_cells.values_list(
            "question_code", "organisation", "organisation_code"
        ).distinct()
    }


def share_tables(*, run: AggregationRun) -> list[ShareTable]:
    """The run's share tables, units named (4 queries; 5 unless the run's
    questionnaire comes with its cycle)."""
    questionnaire = run.questionnaire
    texts = dict(questionnaire.questions.values_list("code", "text"))
    tables = _share_tables(
        list(run.share_rows.order_by("position")), texts, unit_names()
    )
    year = questionnaire.cycle.year
    for table in tables:
        table.year = year
    return tables


def ticked_share_grid(
    tables: list[ShareTable],
) -> tuple[list[str], list[tuple[str, str, list[ShareRow | None]]]]:
    """A multiple choice's share tables (one per alternative, option "Ja") as one grid:
    the alternatives as columns, the units (level, name) as rows in first-seen order."""
    order: list[tuple[str, str]] = []
    by_unit: dict[tuple[str, str], list[ShareRow | None]] = {}
    for index, table in enumerate(tables):
        for level, name, cells in table.rows:
            key = (level, name)
            if key not in by_unit:
                order.append(key)
                by_unit[key] = [None] * len(tables)
            by_unit[key][index] = cells[0] if cells else None
    return [t.item for t in tables], [(*key, by_unit[key]) for key in order]


# Beyond the bound every answer is checked against at input (surveys.answers): a stored
# number larger than this predates the bound, and is named when a run fails.
IMPLAUSIBLE_NUMBER = DEFAULT_MAX_NUMBER


def implausible_numbers(*, questionnaires: list[Questionnaire]) -> list[str]:
    """Where submitted answers hold a number too large to be real, in Swedish (1 query).

    One line per answer: question (and item), organisation and value, for the message
    of a failed run, so that staff know which answer to correct.
    """
    rows = (
        Answer.objects.filter(
            response__questionnaire__in=questionnaires,
            response__status=Response.Status.SUBMITTED,
        )
        .filter(
            models.Q(number__gt=IMPLAUSIBLE_NUMBER)
            | models.Q(number__lt=-IMPLAUSIBLE_NUMBER)
        )
        .order_by("response__organisation__code", "question__position", "item")
        .values_list(
            "question__code",
            "item",
            "response__organisation__name",
            "response__organisation__code",
            "number",
        )
    )
    return [
        gettext(
            "Question %(question)s%(item)s, %(organisation)s (%(code)s): the stored "
            "number %(number)s is implausibly large; correct the answer and run again."
        )
        % {
            "question": question,
            "item": f" ({item})" if item else "",
            "organisation": name,
            "code": code,
            "number": number,
        }
        for question, item, name, code, number in rows
    ]


def reference_frame(*, questionnaire: Questionnaire, name: str) -> pd.DataFrame:
    """The questionnaire's reference figures of one name: organisation_code, allocation
    (1 query)."""
    rows = ReferenceFigure.objects.filter(
        questionnaire=questionnaire, name=name
    ).values_list("organisation_code", "value")
    return pd.DataFrame.from_records(
        list(rows), columns=["organisation_code", "allocation"]
    )
