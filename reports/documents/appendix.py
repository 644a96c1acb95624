"""The appendix ("Bilaga 3. Tabeller och figurer"): every appendix table of a run.

PDF: the tables as printed (portrait or landscape, split when too wide) with a figure
per table; CSV: the long table question,item,organisation,value, one row per published
cell in print order; XLSX: a sheet per question as printed plus the long table. The
values are exactly as stored (aggregation.selectors), the strings the PDF prints.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _

from aggregation.models import AggregationRun, AppendixCell
from aggregation.rules.appendix import NATIONAL_NAME, is_national
from aggregation.rules.statsbidrag import REQUISITIONED_RULE
from aggregation.selectors import (
    AppendixTable,
    appendix_row_codes,
    appendix_tables,
    share_tables,
)
from regions.models import Organisation
from reports.caveats import (
    FLAG_LEGEND,
    MISSING_LEGEND,
    Flags,
    PrintedCell,
    flag_note,
    missing_if_blank,
    unconfirmed_flags,
)
from reports.documents.base import Document
from reports.figures import DefinedFigure, appendix_figure, defined_figures
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
from reports.spreadsheets import Sheet, csv_bytes, xlsx_bytes
from surveys.models import Question, Questionnaire, QuestionType
from surveys.selectors.quality import QualityRow

# Up to this many item columns stay on a portrait page, up to LANDSCAPE_COLUMNS turn
# the page; wider ones are split into tables of at most that many.
PORTRAIT_COLUMNS = 4
# A header longer than this wraps into too many lines in a narrow portrait column.
PORTRAIT_HEADER_CHARS = 100
LANDSCAPE_COLUMNS = 8
CSV_HEADER = ["question", "item", "organisation", "value"]


@dataclass
class AppendixRow:
    name: str
    # As printed: ".." where there is no value, the flag on unconfirmed flagged values.
    values: list[PrintedCell]
    # "riket", "riket-previous", "first-region" or "" (a region).
    kind: str


@dataclass
class AppendixPart:
    """One printed table: a slice of the question's columns, all rows."""

    columns: list[str]
    rows: list[AppendixRow]
    continued: bool = False


@dataclass
class AppendixBlock:
    number: int
    code: str
    text: str
    footnote: str
    orientation: str
    parts: list[AppendixPart]
    figure: Figure | None = None
    extra_figures: list[Figure] = field(default_factory=list)
    # The footnote of the flagged values in the table ("" if none).
    flag_note: str = ""


def single_column_header(question: Question | None) -> str:
    """The header of the one column of a question without items."""
    if question is None:
        return "Svar"
    if question.type == QuestionType.PERCENTAGE:
        return "Andel"
    if question.type in (QuestionType.COUNT, QuestionType.INTEGER):
        return "Antal"
    return "Svar"


def _row_kind(name: str) -> str:
    if name == NATIONAL_NAME:
        return "riket"
    if is_national(name):
        return "riket-previous"
    return ""


def appendix_layout(columns: list[str]) -> tuple[str, list[list[int]]]:
    """The page orientation of a table and its column indexes per printed table.

    Narrow tables stay portrait; wider ones (or long headers that would wrap into many
    lines) turn the page; wider than a landscape page they are split into tables of at
    most LANDSCAPE_COLUMNS.
    """
    indexes = list(range(len(columns)))
    longest = max((len(c) for c in columns), default=0)
    if len(columns) <= 2 or (
        len(columns) <= PORTRAIT_COLUMNS and longest <= PORTRAIT_HEADER_CHARS
    ):
        return "portrait", [indexes]
    if len(columns) <= LANDSCAPE_COLUMNS:
        return "landscape", [indexes]
    return "landscape", chunks(indexes, LANDSCAPE_COLUMNS)


@dataclass
class AppendixFigure:
    """A figure of the definitions printed in the appendix (Bilaga 3, figur 1)."""

    defined: DefinedFigure
    figure: Figure | None
    # The questionnaire whose answers it draws ("Enkät till kommunerna 2024 …").
    source: str


def appendix_defined_figures(
    *, run: AggregationRun, numbering: Numbering
) -> list[AppendixFigure]:
    """The figures of the cycle's questionnaires marked in_appendix, numbered first.

    Each is drawn from its own questionnaire's current results (the municipal figure of
    Bilaga 3 from the municipal questionnaire's shares); without results it is named
    with the reason.
    """
    questionnaires = Questionnaire.objects.filter(
        cycle_id=run.questionnaire.cycle_id, is_current=True
    ).order_by("audience", "pk")
    found = []
    for questionnaire in questionnaires:
        specs = [f for f in questionnaire.figures or [] if f.get("in_appendix")]
        if not specs:
            continue
        source = (
            run
            if questionnaire.pk == run.questionnaire_id
            else AggregationRun.objects.filter(
                questionnaire=questionnaire, is_current=True
            ).first()
        )
        tables = share_tables(run=source) if source is not None else None
        for defined in defined_figures(
            specs, tables, f"appendix-figure-{questionnaire.audience}"
        ):
            found.append(
                AppendixFigure(
                    defined,
                    numbering.figure(defined.chart),
                    questionnaire.title,
                )
            )
    return found


def appendix_blocks(
    *,
    run: AggregationRun,
    progress: Progress | None = None,
    numbering: Numbering | None = None,
) -> list[AppendixBlock]:
    """The appendix's tables as printed: parts, orientation, footnotes and figures."""
    tables = appendix_tables(run=run)
    questions = questions_by_code(run.questionnaire)
    flags = unconfirmed_flags(questionnaire=run.questionnaire)
    codes = appendix_row_codes(run=run) if flags else {}
    numbering = numbering or Numbering()
    blocks = []
    for done, table in enumerate(tables, start=1):
        question = questions.get(table.code)
        headers = [column or single_column_header(question) for column in table.columns]
        orientation, slices = appendix_layout(table.columns)
        rows, flagged = _printed_rows(table, flags, codes)
        first_region = next((row for row in rows if not row.kind), None)
        if first_region is not None and first_region is not rows[0]:
            # A rule between the national rows and the regions.
            first_region.kind = "first-region"
        parts = [
            AppendixPart(
                columns=[headers[i] for i in indexes],
                rows=[
                    AppendixRow(row.name, [row.values[i] for i in indexes], row.kind)
                    for row in rows
                ],
                continued=index > 0,
            )
            for index, indexes in enumerate(slices)
        ]
        block = AppendixBlock(
            number=numbering.table(),
            code=table.code,
            text=table.text,
            footnote=question.footnote if question else "",
            orientation=orientation,
            parts=parts,
            flag_note=(
                flag_note(flagged, national=_has_national(table)) if flagged else ""
            ),
        )
        block.figure = numbering.figure(appendix_figure(table, f"figure-{table.code}"))
        blocks.append(block)
        if progress is not None:
            progress(done, len(tables))
    return blocks


def _has_national(table: AppendixTable) -> bool:
    return any(name == NATIONAL_NAME for name, _values in table.rows)


def _printed_rows(
    table: AppendixTable, flags: Flags, codes: dict[tuple[str, str], str]
) -> tuple[list[AppendixRow], list[QualityRow]]:
    """The table's rows as printed, and the unconfirmed flagged values among them.

    A blank cell is printed ".."; a region's flagged value carries the flag, and so
    does Riket of its column (the sum or mean includes it), not Riket of earlier years.
    """
    flagged: list[QualityRow] = []
    flagged_columns: set[int] = set()
    region_rows: list[tuple[str, list[PrintedCell]]] = []
    for name, values in table.rows:
        code = codes.get((table.code, name), "")
        cells = []
        for index, (item, value) in enumerate(zip(table.columns, values, strict=True)):
            warnings = [] if is_national(name) else flags.of(code, table.code, item)
            if warnings:
                flagged.extend(warnings)
                flagged_columns.add(index)
            cells.append(PrintedCell(missing_if_blank(value), bool(warnings)))
        region_rows.append((name, cells))
    rows = []
    for name, cells in region_rows:
        if name == NATIONAL_NAME:
            cells = [
                PrintedCell(cell.text, index in flagged_columns)
                for index, cell in enumerate(cells)
            ]
        rows.append(AppendixRow(name, cells, _row_kind(name)))
    return rows, flagged


def appendix_html(*, run: AggregationRun, progress: Progress | None = None) -> str:
    """Bilaga 3. Tabeller och figurer: every appendix table of the run, as printed."""
    questionnaire = run.questionnaire
    numbering = Numbering()
    figures = appendix_defined_figures(run=run, numbering=numbering)
    blocks = appendix_blocks(run=run, progress=progress, numbering=numbering)
    return render_document(
        "appendix.html",
        {
            "title": "Bilaga 3. Tabeller och figurer",
            "questionnaire": questionnaire,
            "year": questionnaire.cycle.year,
            "run": run,
            "computed_at": swedish_datetime(run.finished_at or run.requested_at),
            "blocks": blocks,
            "figures": figures,
            "respondents": _respondents(questionnaire, run.responses),
            "organisation_header": organisation_header(questionnaire),
            "words": organisation_words(questionnaire),
            "grant": _is_grant_report(questionnaire),
            "missing_legend": MISSING_LEGEND,
            "flag_legend": FLAG_LEGEND,
            "flagged": any(block.flag_note for block in blocks),
        },
    )


@dataclass(frozen=True)
class OrganisationWords:
    """How the appendix's introduction names the organisations of its tables."""

    each: str  # "varje regions svar"
    plural: str  # "antalet regioner"
    the_plural: str  # "som regionerna har angett"
    the_one: str  # "regionen har inte besvarat frågan"


ORGANISATION_WORDS: dict[str, OrganisationWords] = {
    Organisation.Kind.REGION: OrganisationWords(
        "regions", "regioner", "regionerna", "regionen"
    ),
    Organisation.Kind.RSS: OrganisationWords("RSS:s", "RSS", "RSS:erna", "RSS:en"),
    Organisation.Kind.MUNICIPALITY: OrganisationWords(
        "kommuns", "kommuner", "kommunerna", "kommunen"
    ),
}
OTHER_WORDS = OrganisationWords(
    "organisations", "organisationer", "organisationerna", "organisationen"
)


def organisation_words(questionnaire: Questionnaire) -> OrganisationWords:
    return ORGANISATION_WORDS.get(questionnaire.organisation_kind, OTHER_WORDS)


def _is_grant_report(questionnaire: Questionnaire) -> bool:
    """The grant report (statsbidrag): its tables are amounts in kronor
    (aggregation.rules.statsbidrag), not answers to count."""
    return questionnaire.questions.filter(rule=REQUISITIONED_RULE).exists()


# The header of the column that names the organisations of a table.
ORGANISATION_HEADERS: dict[str, str] = {
    Organisation.Kind.REGION: "Region",
    Organisation.Kind.RSS: "RSS",
    Organisation.Kind.MUNICIPALITY: "Kommun",
}


def organisation_header(questionnaire: Questionnaire) -> str:
    return ORGANISATION_HEADERS.get(questionnaire.organisation_kind, "Organisation")


def _respondents(questionnaire: Questionnaire, responses: int) -> str:
    """ "18 av 21 regioner": the submitted responses of the questionnaire's audience."""
    kind = questionnaire.organisation_kind
    total = Organisation.objects.filter(kind=kind).count()
    plurals: dict[str, str] = {
        Organisation.Kind.REGION: "regioner",
        Organisation.Kind.RSS: "RSS",
        Organisation.Kind.MUNICIPALITY: "kommuner",
    }
    plural = plurals.get(kind, "organisationer")
    return f"{responses} av {total} {plural}"


def appendix_pdf(*, run: AggregationRun, progress: Progress | None = None) -> bytes:
    return html_to_pdf(appendix_html(run=run, progress=progress))


# Spreadsheets -------------------------------------------------------------------------


def _appendix_cells(run: AggregationRun) -> Iterator[tuple[str, str, str, str]]:
    return (
        AppendixCell.objects.filter(run=run)
        .order_by("position")
        .values_list("question_code", "item", "organisation", "value")
        .iterator()
    )


def appendix_csv(*, run: AggregationRun, excel: bool) -> bytes:
    """question,item,organisation,value: one row per published cell, in print order."""
    return csv_bytes(CSV_HEADER, _appendix_cells(run), excel=excel)


def appendix_xlsx(*, run: AggregationRun) -> bytes:
    """One sheet per question as printed (items as columns, Riket then the regions,
    ".." where there is no value), and a sheet with every cell in the long form of the
    CSV (the stored values: empty where there is none)."""
    footnotes = dict(
        run.questionnaire.questions.exclude(footnote="").values_list("code", "footnote")
    )
    sheets = []
    for table in appendix_tables(run=run):
        sheets.append(
            Sheet(
                name=f"Fråga {table.code}",
                title=[f"Fråga {table.code}. {table.text}"],
                header=[
                    [
                        organisation_header(run.questionnaire),
                        *(column or "Svar" for column in table.columns),
                    ]
                ],
                rows=[
                    [name, *(missing_if_blank(value) for value in values)]
                    for name, values in table.rows
                ],
                notes=[
                    *([footnotes[table.code]] if table.code in footnotes else []),
                    MISSING_LEGEND,
                ],
                freeze_columns=1,
                bold_rows=frozenset(
                    index
                    for index, (name, _values) in enumerate(table.rows)
                    if is_national(name)
                ),
            )
        )
    sheets.append(
        Sheet(
            name="Alla celler",
            header=[["Fråga", "Delfråga", "Organisation", "Värde"]],
            rows=list(_appendix_cells(run)),
        )
    )
    return xlsx_bytes(sheets)


DOCUMENT = Document(
    key="appendix",
    label=_("Appendix tables"),
    stem="bilaga",
    builders={
        "pdf": lambda source: appendix_pdf(
            run=source.results, progress=source.progress
        ),
        "xlsx": lambda source: appendix_xlsx(run=source.results),
        "csv": lambda source: appendix_csv(run=source.results, excel=False),
        "csv-excel": lambda source: appendix_csv(run=source.results, excel=True),
    },
    needs_results=True,
    needs_appendix=True,
)
