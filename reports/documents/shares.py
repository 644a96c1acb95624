"""The shares ("Andelar per län och RSS"): per question the national shares as a chart,
then per county and per RSS the counts, denominators and percentages per option.

PDF: the charts and tables; CSV: the long table
question,item,option,level,unit,count,denominator,percent,source,municipalities; XLSX: a
sheet per question (and item) with the options as columns, plus the long table with the
units named. Shares of municipalities state per unit their source (the municipalities'
answers, the RSS's counts, both, or none) and how many municipalities it covers; the PDF
lists every RSS area with its source and names the areas without data.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

from django.db.models import Count
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from aggregation.models import AggregationRun, ShareRow
from aggregation.rules.appendix import NATIONAL_NAME
from aggregation.selectors import (
    ShareTable,
    share_areas,
    share_tables,
    ticked_share_grid,
    unit_names,
)
from regions.models import County, Organisation
from reports.caveats import MISSING, MISSING_LEGEND
from reports.documents.base import Document
from reports.figures import (
    counted_plural,
    defined_figures,
    denominator_text,
    matrix_yes_chart,
    share_chart,
    ticked_shares_chart,
)
from reports.formats import Progress
from reports.pdf import (
    Figure,
    Numbering,
    chunks,
    html_to_pdf,
    questions_by_code,
    render_document,
    swedish_datetime,
)
from reports.spreadsheets import PERCENT_FORMAT, CellValue, Sheet, csv_bytes, xlsx_bytes
from surveys.models import Question, Questionnaire, QuestionType
from surveys.models.questionnaire import TICKED

YES = "Ja"

# Option groups (count and percent each) per portrait or landscape table.
PORTRAIT_GROUPS = 3
LANDSCAPE_GROUPS = 6
LEVEL_HEADINGS = {
    ShareRow.Level.COUNTY: ("Per län", "Län"),
    ShareRow.Level.RSS: ("Per RSS", "RSS"),
}
CSV_HEADER = [
    "question",
    "item",
    "option",
    "level",
    "unit",
    "count",
    "denominator",
    "percent",
    "source",
    "municipalities",
    "previous_percent",
]
LEVEL_LABELS: dict[str, str] = {
    ShareRow.Level.RIKET: NATIONAL_NAME,
    ShareRow.Level.COUNTY: "Län",
    ShareRow.Level.RSS: "RSS",
}
# question, item, option, level, unit, count, denominator, percent (None: nobody
# in the unit answered), source, municipalities covered (shares of municipalities),
# previous_percent (None: no earlier figure).
ShareRecord = tuple[
    str, str, str, str, str, int, int, int | None, str, int | None, int | None
]
COUNTED_LABELS = {"municipalities": "kommuner", "rss": "RSS", "regions": "regioner"}
MUNICIPALITIES = "municipalities"
# A unit's source as the spreadsheets name it, and as the PDF's tables abbreviate it.
SOURCE_LABELS = {
    "answers": "Kommunernas svar",
    "counts": "RSS:ens antal",
    "mixed": "Kommunernas svar och RSS:ens antal",
    "none": "Uppgift saknas",
}
SOURCE_SHORT = {"answers": "svar", "counts": "antal", "mixed": "båda", "none": "saknas"}
SOURCE_NOTE = (
    "Underlag: svar = kommunernas egna inskickade svar; antal = RSS:ens inskickade antal "
    "kommuner per svarsalternativ (för RSS-områden vars kommunsvar inte finns i "
    "systemet); båda = län eller riket där RSS-områdena har olika underlag; saknas = "
    "inga uppgifter. Kommuner = antal kommuner som underlaget omfattar."
)


@dataclass
class ShareLine:
    name: str
    riket: bool
    # One per group: (count, denominator, percent, the earlier year's percent, as
    # printed); None where missing.
    cells: list[tuple[str, str, str, str] | None]
    # The row's denominator when all groups share it, else "".
    denominator: str = ""
    # Shares of municipalities: the unit's source (SOURCE_SHORT) and municipalities.
    source: str = ""
    municipalities: str = ""


@dataclass
class SharePart:
    heading: str
    unit_header: str
    groups: list[str]
    # One n column for the row (all groups share the denominator) or one per group.
    shared_denominator: bool
    lines: list[ShareLine]
    orientation: str
    continued: bool = False
    # Shares of municipalities: the source and municipalities columns are shown.
    show_source: bool = False
    # The earlier year beside this one (a column "Andel <year>" per group), if any.
    previous_year: int | None = None
    # The areas of the level without an answer, named (printed under the table).
    without_data: list[str] = field(default_factory=list)


@dataclass
class ShareSection:
    """One question (and item) of the shares: a chart and the tables per level."""

    title: str
    figure: Figure | None
    parts: list[SharePart]
    note: str


@dataclass
class ShareQuestion:
    code: str
    text: str
    sections: list[ShareSection]
    # The question's one chart of a matrix (share answering "Ja" per item).
    figure: Figure | None = None


def _unit_source(cells: Sequence[ShareRow | None]) -> tuple[str, str]:
    """A row's source (abbreviated) and municipalities covered, from its cells."""
    given = next((c for c in cells if c is not None), None)
    if given is None or given.counted != MUNICIPALITIES:
        return "", ""
    covered = "" if given.municipalities is None else str(given.municipalities)
    return SOURCE_SHORT.get(given.source, given.source), covered


def _cell_text(cell: ShareRow | None) -> tuple[str, str, str, str]:
    """(count, n, percent, the earlier year's percent) as printed; ".." where the unit
    has no answer (n = 0) or no figure of the earlier year."""
    if cell is None:
        return MISSING, MISSING, MISSING, MISSING
    previous = (
        MISSING if cell.previous_percent is None else f"{cell.previous_percent} %"
    )
    if cell.denominator == 0:
        return MISSING, "0", MISSING, previous
    percent = MISSING if cell.percent is None else f"{cell.percent} %"
    return str(cell.count), str(cell.denominator), percent, previous


def _share_grid(
    tables: Sequence[ShareTable], groups_of: str
) -> tuple[list[str], list[tuple[str, str, list[ShareRow | None]]]]:
    """Rows (level, unit, cells per group) of one share section.

    groups_of "options": one table, its options are the groups. "items": several tables
    of one ticked option each (a multiple choice), their items are the groups.
    """
    if groups_of == "options":
        table = tables[0]
        return list(table.options), list(table.rows)
    return ticked_share_grid(list(tables))


def _share_parts(
    groups: list[str],
    rows: list[tuple[str, str, list[ShareRow | None]]],
    counted: str,
    areas: dict[str, list[str]] | None = None,
) -> list[SharePart]:
    """The tables of a section: one per level (county, RSS), Riket first in each.

    `areas` names every area of a level (county, RSS); those without a row or whose row
    has no answer (n = 0) are named under the level's table.
    """
    areas = areas or {}
    riket = [r for r in rows if r[0] == ShareRow.Level.RIKET]
    denominators = {
        tuple({c.denominator for c in cells if c is not None}) for _, _, cells in rows
    }
    shared = all(len(d) <= 1 for d in denominators)
    earlier = [
        c.previous_year
        for _, _, cells in rows
        for c in cells
        if c is not None and c.previous_year is not None
    ]
    previous_year = max(earlier) if earlier else None
    parts = []
    for level, (heading, unit_header) in LEVEL_HEADINGS.items():
        of_level = [r for r in rows if r[0] == level]
        if not of_level:
            continue
        answered = {
            name
            for _level, name, cells in of_level
            if any(c is not None and c.denominator > 0 for c in cells)
        }
        without = [name for name in areas.get(level, []) if name not in answered]
        without += [
            name
            for _level, name, _cells in of_level
            if name not in answered and name not in without
        ]
        portrait = len(groups) <= PORTRAIT_GROUPS and sum(map(len, groups)) <= 120
        size = PORTRAIT_GROUPS if portrait else LANDSCAPE_GROUPS
        if previous_year is not None and not portrait:
            # A fourth column per group: one group fewer keeps the columns readable.
            size -= 1
        for index, indexes in enumerate(chunks(range(len(groups)), size)):
            lines = []
            for row_level, name, cells in [*riket, *of_level]:
                chosen = [cells[i] for i in indexes]
                given = [c for c in cells if c is not None]
                source, covered = _unit_source(cells)
                lines.append(
                    ShareLine(
                        name=name,
                        riket=row_level == ShareRow.Level.RIKET,
                        cells=[_cell_text(c) for c in chosen],
                        denominator=str(given[0].denominator) if given else MISSING,
                        source=source,
                        municipalities=covered,
                    )
                )
            parts.append(
                SharePart(
                    heading=f"{heading}: antal och andel {counted_plural(counted)}",
                    unit_header=unit_header,
                    groups=[groups[i] for i in indexes],
                    shared_denominator=shared,
                    lines=lines,
                    orientation="portrait" if portrait else "landscape",
                    continued=index > 0,
                    show_source=counted == MUNICIPALITIES,
                    previous_year=previous_year,
                    without_data=without,
                )
            )
    return parts


def _national_part(
    groups: list[str],
    rows: list[tuple[str, str, list[ShareRow | None]]],
    counted: str,
) -> list[SharePart]:
    """The national shares laid out as the grant report prints its tables: one line per
    alternative with Antal and Andel, and the base (N, or a follow-up's n)."""
    riket = next(
        (cells for level, _, cells in rows if level == ShareRow.Level.RIKET), None
    )
    if riket is None:
        return []
    lines = [
        ShareLine(
            name=group,
            riket=False,
            cells=[_cell_text(cell)],
            denominator=str(cell.denominator) if cell is not None else "",
        )
        for group, cell in zip(groups, riket, strict=True)
    ]
    return [
        SharePart(
            heading=f"Riket: antal och andel {counted_plural(counted)}",
            unit_header="Svarsalternativ",
            groups=[NATIONAL_NAME],
            shared_denominator=True,
            lines=lines,
            orientation="portrait",
        )
    ]


def _share_note(
    counted: str,
    rows: list[tuple[str, str, list[ShareRow | None]]] | None = None,
    totals: dict[str, int] | None = None,
    previous_year: int | None = None,
) -> str:
    """What a table counts, and N: "Riket: n = 202 av 290 kommuner"."""
    who = counted_plural(counted)
    note = (
        f"Räknat: Antal = antal {who} som valt alternativet; n = antal {who} som "
        f"besvarat frågan; Andel = Antal / n, avrundat till hela procent (0,5 avrundas "
        f"uppåt). {MISSING_LEGEND}."
    )
    riket = next(
        (cells for level, _name, cells in rows or [] if level == ShareRow.Level.RIKET),
        None,
    )
    if riket is not None:
        n = denominator_text(riket).removeprefix("n = ")
        total = (totals or {}).get(counted)
        of = f" av {total}" if total else ""
        note = f"{NATIONAL_NAME}: n = {n}{of} {who}. " + note
    if counted == MUNICIPALITIES:
        note += " " + SOURCE_NOTE
    if previous_year is not None:
        note += (
            f" Andel {previous_year} = andelen {previous_year}: beräknad i systemet "
            f"där den omgången genomfördes här, annars som den publicerades; "
            f"{MISSING} = uppgift saknas för {previous_year}."
        )
    return note


def _previous_year(parts: Sequence[SharePart]) -> int | None:
    return next((p.previous_year for p in parts if p.previous_year), None)


def level_area_names() -> dict[str, list[str]]:
    """Every county and every RSS by name, per level (2 queries)."""
    return {
        ShareRow.Level.COUNTY: list(
            County.objects.order_by("code").values_list("name", flat=True)
        ),
        ShareRow.Level.RSS: list(
            Organisation.objects.filter(kind=Organisation.Kind.RSS)
            .order_by("code")
            .values_list("name", flat=True)
        ),
    }


def counted_totals() -> dict[str, int]:
    """How many organisations of each counted kind there are (1 query)."""
    kinds: dict[str, str] = {
        Organisation.Kind.MUNICIPALITY: "municipalities",
        Organisation.Kind.RSS: "rss",
        Organisation.Kind.REGION: "regions",
    }
    counts = (
        Organisation.objects.filter(kind__in=list(kinds))
        .values("kind")
        .annotate(n=Count("pk"))
        .values_list("kind", "n")
    )
    totals = dict.fromkeys(kinds.values(), 0)
    for kind, n in counts:
        totals[kinds[kind]] = n
    return totals


def _is_ticked_group(tables: Sequence[ShareTable], question: Question | None) -> bool:
    """A multiple choice: one table per alternative, each with the one option "Ja"."""
    if any(t.options != [TICKED] for t in tables):
        return False
    if question is not None and question.type == QuestionType.MULTIPLE_CHOICE:
        return True
    return len(tables) > 1 and all(t.item for t in tables)


def _is_matrix_group(tables: Sequence[ShareTable]) -> bool:
    """A matrix: one table per item, each with a "Ja" option (figures 9, 15, 41, 42)."""
    return len(tables) > 1 and all(t.item and YES in t.options for t in tables)


def share_questions(
    *,
    run: AggregationRun,
    progress: Progress | None = None,
    numbering: Numbering | None = None,
) -> list[ShareQuestion]:
    """The run's share tables grouped per question, with charts and printed tables.

    A matrix gets one chart of the share (of regions: the number) answering "Ja" per
    item, a multiple choice one chart of the share ticking each alternative, another
    question one chart of its options. Every table states N and names the areas
    without an answer.
    """
    tables = share_tables(run=run)
    questions = questions_by_code(run.questionnaire)
    areas = level_area_names()
    totals = counted_totals()
    # Shares of municipalities are keyed by the municipal question's code; its text is
    # the municipal questionnaire's (selectors give the run's own texts).
    grouped: dict[str, list[ShareTable]] = {}
    for table in tables:
        grouped.setdefault(table.code, []).append(table)
    numbering = numbering or Numbering()
    # A questionnaire the municipalities answer directly (the grant report) first gets
    # its national table as that report prints it.
    report_tables = (
        run.questionnaire.audience == Questionnaire.Audience.MUNICIPALITY
        and not run.questionnaire.via_rss
    )
    result = []
    sections_total = sum(
        1 if _is_ticked_group(group, questions.get(code)) else len(group)
        for code, group in grouped.items()
    )
    done = 0
    for code, group in grouped.items():
        question = questions.get(code)
        text = group[0].text or (question.text if question else "")
        counted = group[0].counted
        sections = []
        figure = None
        if _is_ticked_group(group, question):
            groups, rows = _share_grid(group, "items")
            chart = ticked_shares_chart(group, f"figure-{code}")
            parts = (
                _national_part(groups, rows, counted) if report_tables else []
            ) + _share_parts(groups, rows, counted, areas)
            sections.append(
                ShareSection(
                    title="Andel som valt respektive alternativ",
                    figure=numbering.figure(chart),
                    parts=parts,
                    note=_share_note(counted, rows, totals, _previous_year(parts)),
                )
            )
        else:
            matrix = _is_matrix_group(group)
            if matrix:
                figure = numbering.figure(matrix_yes_chart(group, f"figure-{code}"))
            for index, table in enumerate(group):
                groups, rows = _share_grid([table], "options")
                chart = None if matrix else share_chart(table, f"figure-{code}-{index}")
                parts = (
                    _national_part(groups, rows, counted) if report_tables else []
                ) + _share_parts(groups, rows, counted, areas)
                sections.append(
                    ShareSection(
                        title=table.item,
                        figure=numbering.figure(chart),
                        parts=parts,
                        note=_share_note(counted, rows, totals, _previous_year(parts)),
                    )
                )
        for _section in sections:
            done += 1
            if progress is not None:
                progress(done, sections_total)
        result.append(ShareQuestion(code, text, sections, figure))
    return result


def shares_html(*, run: AggregationRun, progress: Progress | None = None) -> str:
    """The shares report: per question a chart of the national shares, then per county
    and per RSS the counts, denominators and percentages per option."""
    questionnaire = run.questionnaire
    numbering = Numbering()
    figures = [
        (defined, numbering.figure(defined.chart))
        for defined in defined_figures(
            # Those in_appendix print in Bilaga 3 (documents.appendix).
            [f for f in questionnaire.figures or [] if not f.get("in_appendix")],
            share_tables(run=run),
            "defined-figure",
        )
    ]
    questions = share_questions(run=run, progress=progress, numbering=numbering)
    return render_document(
        "shares.html",
        {
            "title": "Andelar per län och RSS",
            "questionnaire": questionnaire,
            "year": questionnaire.cycle.year,
            "run": run,
            "computed_at": swedish_datetime(run.finished_at or run.requested_at),
            "questions": questions,
            "figures": figures,
            "counted_words": _counted_words(run),
            "areas": (areas := share_areas(run=run)),
            "areas_without_data": [a for a in areas if not a.has_data],
            "covered": sum(a.municipalities for a in areas),
            "area_total": sum(a.area_size for a in areas),
            "missing_legend": MISSING_LEGEND,
        },
    )


def _counted_words(run: AggregationRun) -> str:
    counted = run.share_rows.values_list("counted", flat=True).first()
    return counted_plural(counted) if counted else ""


def shares_pdf(*, run: AggregationRun, progress: Progress | None = None) -> bytes:
    return html_to_pdf(shares_html(run=run, progress=progress))


# Spreadsheets -------------------------------------------------------------------------


def _share_lines(run: AggregationRun) -> Iterator[ShareRecord]:
    rows = (
        ShareRow.objects.filter(run=run)
        .order_by("position")
        .values_list(
            "question_code",
            "item",
            "option",
            "level",
            "unit",
            "count",
            "denominator",
            "percent",
            "source",
            "municipalities",
            "previous_percent",
        )
    )
    yield from rows.iterator()


def shares_csv(*, run: AggregationRun, excel: bool) -> bytes:
    """question,item,option,level,unit,count,denominator,percent,source,municipalities,
    previous_percent; level riket, county or rss; unit SE, the county code or the RSS
    code; percent empty where nobody in the unit answered; source answers, counts,
    mixed (a county or Sweden whose RSS areas use both) or none; municipalities: how
    many municipalities the unit's source covers (shares of municipalities only, else
    empty); previous_percent the latest earlier year's percent (computed or
    published), empty where there is none."""
    return csv_bytes(CSV_HEADER, _share_lines(run), excel=excel)


def shares_xlsx(*, run: AggregationRun) -> bytes:
    """One sheet per question (and item) with the options as columns (count,
    denominator, percent per option; Riket, counties, RSS as rows), and the long
    table of the CSV with the units named."""
    with translation.override("sv"):
        tables = share_tables(run=run)
    sheets = []
    for table in tables:
        counted = COUNTED_LABELS.get(table.counted, table.counted)
        title = [f"{table.code}. {table.text}"]
        if table.item:
            title.append(f"Delfråga: {table.item}")
        title.append(
            f"Antal {counted} per svarsalternativ, nämnaren (antal {counted} som "
            "besvarat frågan) och andelen i procent."
        )
        by_source = table.counted == MUNICIPALITIES
        leading = 4 if by_source else 2
        if by_source:
            # On the same title line: the header stays where it is for every sheet.
            title[-1] += (
                " Underlag: kommunernas egna svar eller, för RSS-områden vars "
                "kommunsvar inte finns i systemet, RSS:ens antal; Kommuner = antal "
                "kommuner som underlaget omfattar."
            )
        earlier = [
            c.previous_year
            for _level, _unit, cells in table.rows
            for c in cells
            if c is not None and c.previous_year is not None
        ]
        measures: list[CellValue] = ["Antal", "Nämnare", "Procent"]
        if earlier:
            measures.append(f"Procent {max(earlier)}")
            title.append(
                f"Procent {max(earlier)}: andelen {max(earlier)}, beräknad i systemet "
                "där den omgången genomfördes här, annars som den publicerades."
            )
        width = len(measures)
        header_options: list[CellValue] = []
        header_measures: list[CellValue] = []
        for option in table.options:
            header_options += [option, *([None] * (width - 1))]
            header_measures += measures
        rows: list[list[CellValue]] = []
        for level, unit_name, cells in table.rows:
            row: list[CellValue] = [LEVEL_LABELS.get(level, level), unit_name]
            if by_source:
                given = next((c for c in cells if c is not None), None)
                row += [
                    SOURCE_LABELS.get(given.source, given.source) if given else None,
                    given.municipalities if given else None,
                ]
            for cell in cells:
                if cell is None:
                    row += [None] * width
                    continue
                row += [cell.count, cell.denominator, cell.percent]
                if earlier:
                    row.append(cell.previous_percent)
            rows.append(row)
        formats = {
            leading + width * index + column: PERCENT_FORMAT
            for index in range(len(table.options))
            for column in range(2, width)
        }
        head: list[CellValue] = ["Nivå", "Enhet"]
        if by_source:
            head += ["Underlag", "Kommuner"]
        sheets.append(
            Sheet(
                name=f"{table.code} {table.item}".strip(),
                title=title,
                header=[
                    [*head, *header_options],
                    [*([None] * leading), *header_measures],
                ],
                rows=rows,
                freeze_columns=leading,
                number_formats=formats,
                bold_rows=frozenset(
                    index
                    for index, (level, _unit, _cells) in enumerate(table.rows)
                    if level == ShareRow.Level.RIKET
                ),
            )
        )
    with translation.override("sv"):
        names = unit_names()
    long_rows = [
        [
            code,
            item,
            option,
            LEVEL_LABELS.get(level, level),
            unit,
            names.get(unit, unit),
            count,
            denominator,
            percent,
            SOURCE_LABELS.get(source, source),
            municipalities,
            previous,
        ]
        for (
            code,
            item,
            option,
            level,
            unit,
            count,
            denominator,
            percent,
            source,
            municipalities,
            previous,
        ) in _share_lines(run)
    ]
    sheets.append(
        Sheet(
            name="Alla andelar",
            header=[
                [
                    "Fråga",
                    "Delfråga",
                    "Svarsalternativ",
                    "Nivå",
                    "Enhet",
                    "Enhetens namn",
                    "Antal",
                    "Nämnare",
                    "Procent",
                    "Underlag",
                    "Kommuner",
                    "Procent föregående år",
                ]
            ],
            rows=long_rows,
            number_formats={8: PERCENT_FORMAT, 11: PERCENT_FORMAT},
        )
    )
    return xlsx_bytes(sheets)


DOCUMENT = Document(
    key="shares",
    label=_("Shares per county and RSS"),
    stem="andelar",
    builders={
        "pdf": lambda source: shares_pdf(run=source.results, progress=source.progress),
        "xlsx": lambda source: shares_xlsx(run=source.results),
        "csv": lambda source: shares_csv(run=source.results, excel=False),
        "csv-excel": lambda source: shares_csv(run=source.results, excel=True),
    },
    needs_results=True,
    # The extra questionnaire too: a yes/no extra question has shares of
    # municipalities (a free-text one has none, and the PDF says so).
    audiences=frozenset(
        {
            Questionnaire.Audience.REGION,
            Questionnaire.Audience.RSS,
            Questionnaire.Audience.MUNICIPALITY,
            Questionnaire.Audience.EXTRA,
        }
    ),
)
