"""The charts of the reports, built from the stored tables (for the PDFs and the web pages).

The tables hold the values as published ("59 %", "4 245 026", "19/21", "Ja", ".",
"Andelen kan inte uppskattas"); the charts read the numbers back from those strings, so a
chart always shows what the table beside it prints. A table without numbers gets no chart.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from aggregation.models import ShareRow
from aggregation.rules.appendix import NATIONAL_NAME, is_national
from aggregation.selectors import AppendixTable, ShareTable
from coding.selectors import ThemeCounts
from reports.caveats import MISSING
from reports.charts import Chart, bar_chart, comparison_chart

# What a share counts, in the caption's words ("Andel kommuner (%)").
COUNTED_PLURAL = {
    "municipalities": "kommuner",
    "rss": "RSS",
    "regions": "regioner",
    "counties": "län",
}
RIKET_LEVEL = ShareRow.Level.RIKET
YES = "Ja"
# A whole number with spaces (also no-break and thin spaces) as thousands separators,
# optionally followed by a percent sign: "59 %", "4 245 026", "1 600 000", "72%".
_NUMBER = re.compile(
    r"^(?P<number>\d{1,3}(?:[ \u00a0\u202f]\d{3})*|\d+)(?P<percent>\s*%)?$"
)


@dataclass(frozen=True)
class Parsed:
    """A published cell read back: its number and whether it was a percent."""

    number: int
    percent: bool


def parse_value(text: str) -> Parsed | None:
    """The number a published cell prints, or None when it is not one number.

    "59 %" → 59 (percent); "4 245 026" and "4\u00a0245\u00a0026" → 4245026; "19/21", ".",
    "Ja", "", "Andelen kan inte uppskattas" → None.
    """
    match = _NUMBER.match((text or "").strip())
    if match is None:
        return None
    digits = re.sub(r"\D", "", match.group("number"))
    return Parsed(int(digits), match.group("percent") is not None)


def counted_plural(counted: str) -> str:
    return COUNTED_PLURAL.get(counted, counted)


def _count_words(number: int, counted: str) -> str:
    if counted == "regions" and number == 1:
        return "1 region"
    if counted == "municipalities" and number == 1:
        return "1 kommun"
    return f"{number} {counted_plural(counted)}"


@dataclass(frozen=True)
class NumericColumn:
    """One numeric column of an appendix table, read back from its strings."""

    index: int
    item: str
    percent: bool
    # (region, number) of the regions that gave a figure, in table order.
    values: list[tuple[str, int]]
    # Regions whose cell is text (e.g. "Andelen kan inte uppskattas"), with that text.
    other: list[tuple[str, str]]
    # The national row as printed ("59 %"), "" if none.
    national: str


def numeric_columns(table: AppendixTable) -> list[NumericColumn]:
    """The columns of a table whose region cells are numbers (some may be text labels).

    A column counts as numeric when at least one region gave a figure and every other
    non-empty region cell is one repeated label (a "cannot be estimated" answer), never
    "Ja"/"Nej"/".": those are choice answers, and their columns are not charted.
    """
    columns = []
    for index, item in enumerate(table.columns):
        values: list[tuple[str, int]] = []
        other: list[tuple[str, str]] = []
        percent = False
        national = ""
        for name, cells in table.rows:
            cell = cells[index] if index < len(cells) else ""
            if name == NATIONAL_NAME:
                national = cell
                continue
            if is_national(name) or not cell.strip():
                continue
            parsed = parse_value(cell)
            if parsed is None:
                other.append((name, cell))
            else:
                values.append((name, parsed.number))
                percent = percent or parsed.percent
        labels = {text for _, text in other}
        if not values:
            continue
        if labels and not all(_is_cannot_estimate(label) for label in labels):
            continue
        columns.append(NumericColumn(index, item, percent, values, other, national))
    return columns


def _is_cannot_estimate(label: str) -> bool:
    return "kan inte uppskattas" in label.lower()


def appendix_chart(table: AppendixTable, chart_id: str) -> Chart | None:
    """A bar chart of the regions' figures in an appendix table; None if it has none.

    Percent questions (mean_percent: "59 %") and counts ("4 245 026"): one bar per region
    that gave a figure, sorted from the largest down, the value on each bar. The caption
    names the unit, how many regions gave a figure (and how many could not estimate it)
    and the national value. A table of several numeric columns is charted by its first.
    """
    columns = numeric_columns(table)
    if not columns:
        return None
    column = columns[0]
    labels = [name for name, _ in column.values]
    numbers = [number for _, number in column.values]
    subject = f"fråga {table.code}"
    if column.item:
        subject += f", {column.item}"
    what = "Andel (%) per region" if column.percent else "Antal per region"
    given = f"{_count_words(len(column.values), 'regions')} har angett en siffra"
    if column.other:
        names = ", ".join(name for name, _ in column.other)
        given += f"; {len(column.other)} kan inte uppskatta den ({names})"
    parts = [f"{what}, {subject}", given]
    if column.national:
        parts.append(f"{NATIONAL_NAME}: {column.national}")
    # bar_chart ends the caption with a full stop when it writes the text alternative.
    caption = ". ".join(parts)
    if column.percent:
        return bar_chart(
            labels=labels,
            values=numbers,
            caption=caption,
            chart_id=chart_id,
            unit="%",
            maximum=100,
        )
    return bar_chart(
        labels=labels,
        values=numbers,
        caption=caption,
        chart_id=chart_id,
        unit="",
        maximum=None,
    )


def national_share_row(table: ShareTable) -> list[ShareRow | None] | None:
    """The cells of the national row of a share table (level riket), None if missing."""
    for level, _, cells in table.rows:
        if level == RIKET_LEVEL:
            return cells
    return None


def denominator_text(cells: Sequence[ShareRow | None]) -> str:
    """ "n = 287", or "n = 280–287" when the options' denominators differ."""
    denominators = sorted({cell.denominator for cell in cells if cell is not None})
    if not denominators:
        return "n = 0"
    if len(denominators) == 1:
        return f"n = {denominators[0]}"
    return f"n = {denominators[0]}–{denominators[-1]}"


def share_chart(table: ShareTable, chart_id: str) -> Chart | None:
    """The national shares of a question (and item) per option, as a sorted bar chart.

    None when the table has no national row or no one answered (every denominator 0).
    The caption gives what the share is of ("Andel kommuner (%)"), the question, the item
    and the denominator ("n = 287"). Where an earlier year is known (previous_year of
    the cells), this year and that one side by side (previous_year_chart).
    """
    cells = national_share_row(table)
    if cells is None:
        return None
    pairs = [
        (option, cell)
        for option, cell in zip(table.options, cells, strict=False)
        if cell is not None
    ]
    if not pairs or all(cell.denominator == 0 for _, cell in pairs):
        return None
    counted = table.counted or (pairs[0][1].counted if pairs else "")
    if any(cell.previous_year is not None for _, cell in pairs):
        return previous_year_chart(table, pairs, counted, chart_id)
    caption = f"Andel {counted_plural(counted)} (%), fråga {table.code}"
    if table.item:
        caption += f": {table.item}"
    caption += f". {NATIONAL_NAME}, {denominator_text([cell for _, cell in pairs])}"
    return bar_chart(
        labels=[option for option, _ in pairs],
        values=[cell.percent for _, cell in pairs],
        caption=caption,
        chart_id=chart_id,
        unit="%",
        maximum=100,
    )


def previous_year_chart(
    table: ShareTable,
    pairs: Sequence[tuple[str, ShareRow]],
    counted: str,
    chart_id: str,
) -> Chart:
    """A question's national shares beside the earlier year's, option by option, in
    the questionnaire's order (figures 14, 20 and 37 of the 2024 report).

    Regions are counted ("Antal regioner", as figures 14 and 20) when every earlier
    figure has its count; otherwise, and for municipalities and RSS, percentages. The
    caption names both years, the question and each year's denominator.
    """
    earlier = max(cell.previous_year for _, cell in pairs if cell.previous_year)
    this_year = table.year if table.year is not None else earlier + 1
    counts = counted == "regions" and all(
        cell.previous_count is not None
        for _, cell in pairs
        if cell.previous_year is not None
    )
    before_n = sorted(
        {
            cell.previous_denominator
            for _, cell in pairs
            if cell.previous_denominator is not None
        }
    )
    what = (
        f"Antal {counted_plural(counted)}"
        if counts
        else f"Andel {counted_plural(counted)} (%)"
    )
    caption = f"{what}, fråga {table.code}"
    if table.item:
        caption += f": {table.item}"
    caption += (
        f". {NATIONAL_NAME} {this_year} "
        f"({denominator_text([cell for _, cell in pairs])}) och {earlier}"
    )
    if before_n:
        span = "–".join(str(n) for n in dict.fromkeys([before_n[0], before_n[-1]]))
        caption += f" (n = {span})"
    if counts:
        most = max([cell.denominator for _, cell in pairs] + before_n + [1])
        return comparison_chart(
            labels=[option for option, _ in pairs],
            current=[cell.count for _, cell in pairs],
            previous=[cell.previous_count for _, cell in pairs],
            years=(this_year, earlier),
            caption=caption,
            chart_id=chart_id,
            unit="",
            maximum=most,
            sort=False,
        )
    return comparison_chart(
        labels=[option for option, _ in pairs],
        current=[cell.percent for _, cell in pairs],
        previous=[cell.previous_percent for _, cell in pairs],
        years=(this_year, earlier),
        caption=caption,
        chart_id=chart_id,
        unit="%",
        maximum=100,
        sort=False,
    )


def ticked_shares_chart(tables: Sequence[ShareTable], chart_id: str) -> Chart | None:
    """One chart of a multiple choice's alternatives: the share that ticked each one.

    A multiple choice answered by the organisations themselves gives one share table per
    alternative with the single option "Ja"; one bar per alternative reads better than
    one chart each. None when no table has a national row with answers.
    """
    labels: list[str] = []
    values: list[int | None] = []
    cells: list[ShareRow] = []
    for table in tables:
        row = national_share_row(table)
        if not row or row[0] is None:
            continue
        labels.append(table.item)
        values.append(row[0].percent)
        cells.append(row[0])
    if not cells or all(cell.denominator == 0 for cell in cells):
        return None
    first = tables[0]
    caption = (
        f"Andel {counted_plural(first.counted)} (%) som valt respektive alternativ, "
        f"fråga {first.code}. {NATIONAL_NAME}, {denominator_text(cells)}"
    )
    earlier = [cell.previous_year for cell in cells if cell.previous_year]
    if earlier:
        # The alternatives with an earlier year's figure beside this year's ("–"
        # where none was published).
        this_year = first.year if first.year is not None else max(earlier) + 1
        return comparison_chart(
            labels=labels,
            current=values,
            previous=[cell.previous_percent for cell in cells],
            years=(this_year, max(earlier)),
            caption=f"{caption} ({this_year}) och {max(earlier)}",
            chart_id=chart_id,
            unit="%",
            maximum=100,
        )
    return bar_chart(
        labels=labels,
        values=values,
        caption=caption,
        chart_id=chart_id,
        unit="%",
        maximum=100,
    )


def matrix_yes_chart(tables: Sequence[ShareTable], chart_id: str) -> Chart | None:
    """One chart of a matrix: per item the share answering "Ja" (figures 9, 15, 41, 42).

    Of municipalities or RSS the share in percent; of regions the number ("19 av 21"),
    as the report draws the regions' figures. The items in the questionnaire's order.
    None when no item has a national row with answers.
    """
    labels: list[str] = []
    cells: list[ShareRow | None] = []
    for table in tables:
        row = national_share_row(table)
        cell = None
        if row is not None and YES in table.options:
            cell = row[table.options.index(YES)]
        labels.append(table.item)
        cells.append(cell if cell is not None and cell.denominator > 0 else None)
    given = [cell for cell in cells if cell is not None]
    if not given:
        return None
    first = tables[0]
    counted = first.counted or given[0].counted
    who = counted_plural(counted)
    if counted == "regions":
        most = max(cell.denominator for cell in given)
        return bar_chart(
            labels=labels,
            values=[None if cell is None else cell.count for cell in cells],
            caption=(
                f"Antal {who} som svarat ”Ja”, fråga {first.code}, av "
                f"{denominator_text(given).removeprefix('n = ')} {who} som besvarat "
                "frågan"
            ),
            chart_id=chart_id,
            unit="",
            maximum=most,
            sort=False,
            value_texts=[
                MISSING if cell is None else f"{cell.count} av {cell.denominator}"
                for cell in cells
            ],
        )
    return bar_chart(
        labels=labels,
        values=[None if cell is None else cell.percent for cell in cells],
        caption=(
            f"Andel {who} (%) som svarat ”Ja”, fråga {first.code}. {NATIONAL_NAME}, "
            f"{denominator_text(given)}"
        ),
        chart_id=chart_id,
        unit="%",
        maximum=100,
        sort=False,
        value_texts=[
            MISSING if cell is None else f"{cell.percent} %" for cell in cells
        ],
    )


def yes_count_chart(table: AppendixTable, chart_id: str) -> Chart | None:
    """The national row of a table of several yes columns ("11/18"), as bars per item.

    How many regions answered "Ja" to each item (of how many answered): the figure the
    report draws for matrix and multiple-choice questions. None for one column or when
    the national row is not a ratio.
    """
    if len(table.columns) < 2 or not table.rows or table.rows[0][0] != NATIONAL_NAME:
        return None
    counts, totals = [], set()
    for value in table.rows[0][1]:
        count, slash, total = value.partition("/")
        if not slash or not count.isdigit() or not total.isdigit():
            return None
        counts.append(int(count))
        totals.add(int(total))
    most = max(totals)
    of = f"{min(totals)}–{most}" if len(totals) > 1 else str(most)
    return bar_chart(
        labels=table.columns,
        values=counts,
        caption=(
            f"Antal regioner som svarat ”Ja”, fråga {table.code}, "
            f"av {of} regioner som besvarat frågan"
        ),
        chart_id=chart_id,
        unit="",
        maximum=most,
    )


def appendix_figure(table: AppendixTable, chart_id: str) -> Chart | None:
    """The figure of an appendix table, as the PDF and the results page draw it: the
    regions' values of a numeric table, else the "Ja" counts of a table of yes columns."""
    if numeric_columns(table):
        return appendix_chart(table, chart_id)
    return yes_count_chart(table, chart_id)


def definition_figure(
    spec: dict, tables: Sequence[ShareTable], chart_id: str
) -> Chart | None:
    """A figure of the definitions (Questionnaire.figures): per bar the "Ja" of a
    question (or item) in the national row of the run's share tables.

    Of regions the number, "19 av 21" (figure 19); of municipalities and RSS the share
    in percent (Bilaga 3, figur 1). A bar whose question has no answers shows "..".
    None when no bar has answers.
    """
    by_key = {(table.code, table.item): table for table in tables}
    labels: list[str] = []
    cells: list[ShareRow | None] = []
    counted = ""
    this_year: int | None = None
    for bar in spec.get("bars", []):
        table = by_key.get((bar["question"], bar.get("item", "")))
        cell = None
        if table is not None:
            counted = counted or table.counted
            this_year = this_year or table.year
            row = national_share_row(table)
            if row is not None and YES in table.options:
                cell = row[table.options.index(YES)]
        labels.append(bar.get("label") or bar.get("item") or bar["question"])
        cells.append(cell if cell is not None and cell.denominator > 0 else None)
    given = [cell for cell in cells if cell is not None]
    if not given:
        return None
    who = counted_plural(counted or given[0].counted)
    title = spec.get("title") or spec.get("name", "")
    if counted == "regions":
        texts = [
            MISSING if cell is None else f"{cell.count} av {cell.denominator}"
            for cell in cells
        ]
        return bar_chart(
            labels=labels,
            values=[None if cell is None else cell.count for cell in cells],
            caption=f"{title} ({NATIONAL_NAME}, {denominator_text(given)} {who})",
            chart_id=chart_id,
            unit="",
            maximum=max(cell.denominator for cell in given),
            sort=False,
            value_texts=texts,
        )
    caption = f"{title} ({NATIONAL_NAME}, {denominator_text(given)} {who})"
    earlier = {
        cell.previous_year for cell in given if cell.previous_percent is not None
    }
    if earlier:
        # As the report sets K01 beside the year before: this year's bar and, below
        # it, the earlier year's where one is known.
        year = max(y for y in earlier if y is not None)
        return comparison_chart(
            labels=labels,
            current=[None if cell is None else cell.percent for cell in cells],
            previous=[
                cell.previous_percent
                if cell is not None and cell.previous_year == year
                else None
                for cell in cells
            ],
            years=(this_year if this_year is not None else year + 1, year),
            caption=caption,
            chart_id=chart_id,
        )
    texts = [MISSING if cell is None else f"{cell.percent} %" for cell in cells]
    return bar_chart(
        labels=labels,
        values=[None if cell is None else cell.percent for cell in cells],
        caption=f"{title} ({NATIONAL_NAME}, {denominator_text(given)} {who})",
        chart_id=chart_id,
        unit="%",
        maximum=100,
        sort=True,
        value_texts=texts,
    )


@dataclass(frozen=True)
class DefinedFigure:
    """A figure of the definitions as a document prints it: its chart, or why none."""

    name: str
    title: str
    chart: Chart | None
    # Why there is no chart ("" when there is one), in Swedish.
    missing: str = ""


def defined_figures(
    specs: Sequence[dict], tables: Sequence[ShareTable] | None, prefix: str
) -> list[DefinedFigure]:
    """The figures of a questionnaire's definition drawn from its run's share tables;
    tables None: the results are not computed."""
    figures = []
    for index, spec in enumerate(specs, start=1):
        name, title = str(spec.get("name", "")), str(spec.get("title", ""))
        if tables is None:
            figures.append(
                DefinedFigure(name, title, None, "resultaten är inte beräknade än")
            )
            continue
        chart = definition_figure(spec, tables, f"{prefix}-{index}")
        figures.append(
            DefinedFigure(
                name, title, chart, "" if chart else "uppgift saknas: inga svar ännu"
            )
        )
    return figures


def theme_chart(counts: ThemeCounts, chart_id: str) -> Chart | None:
    """The share of organisations whose answer has each theme (riket), as sorted bars.

    The denominator is the organisations that answered the question, as for a closed
    question's option; None when nobody answered or the codebook has no themes.
    """
    rows = [(t.theme, t.riket) for t in counts.themes if t.riket is not None]
    if not rows or counts.answered == 0:
        return None
    code = counts.codebook.question.code
    caption = f"Andel {counted_plural(counts.counted)} (%) per tema, fråga {code}"
    if counts.codebook.item:
        caption += f": {counts.codebook.item}"
    caption += f". {NATIONAL_NAME}, n = {counts.answered}"
    return bar_chart(
        labels=[name for name, _ in rows],
        values=[share.percent for _, share in rows if share is not None],
        caption=caption,
        chart_id=chart_id,
        unit="%",
        maximum=100,
    )
