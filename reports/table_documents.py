"""The spreadsheets: appendix tables, shares and raw answers as CSV and XLSX.

The CSV files are long tables for further work (one value per row, English column
names as in the rest of the exports); the XLSX workbooks are for reading: one sheet per
table laid out as printed, plus the long table. Values of the appendix are exactly as
stored (and printed); the raw answers carry every answer, free text in full.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.utils import timezone, translation

from aggregation.models import AggregationRun, AppendixCell, ShareRow
from aggregation.rules.appendix import NATIONAL_NAME, is_national
from aggregation.selectors import appendix_tables, share_tables, unit_names
from reports.spreadsheets import (
    COUNT_FORMAT,
    PERCENT_FORMAT,
    CellValue,
    Sheet,
    csv_bytes,
    xlsx_bytes,
)
from surveys.models import Answer, Question, Questionnaire, QuestionType, Response

Progress = Callable[[int, int], None]

APPENDIX_HEADER = ["question", "item", "organisation", "value"]
SHARES_HEADER = [
    "question",
    "item",
    "option",
    "level",
    "unit",
    "count",
    "denominator",
    "percent",
]
ANSWERS_HEADER = [
    "organisation_code",
    "organisation",
    "county",
    "rss",
    "status",
    "submitted_at",
    "submitted_by",
]
# The same columns as the XLSX shows them.
ANSWERS_LABELS = [
    "Kod",
    "Organisation",
    "Län",
    "RSS",
    "Status",
    "Inskickad",
    "Inskickad av",
]
LEVEL_LABELS = {
    ShareRow.Level.RIKET: NATIONAL_NAME,
    ShareRow.Level.COUNTY: "Län",
    ShareRow.Level.RSS: "RSS",
}
COUNTED_LABELS = {"municipalities": "kommuner", "rss": "RSS", "regions": "regioner"}


# Appendix -----------------------------------------------------------------------------


def _appendix_cells(run: AggregationRun) -> Iterator[tuple[str, str, str, str]]:
    return (
        AppendixCell.objects.filter(run=run)
        .order_by("position")
        .values_list("question_code", "item", "organisation", "value")
        .iterator()
    )


def appendix_csv(*, run: AggregationRun, excel: bool) -> bytes:
    """question,item,organisation,value: one row per published cell, in print order."""
    return csv_bytes(APPENDIX_HEADER, _appendix_cells(run), excel=excel)


def appendix_xlsx(*, run: AggregationRun) -> bytes:
    """One sheet per question as printed (items as columns, Riket then the regions),
    and a sheet with every cell in the long form of the CSV."""
    footnotes = dict(
        run.questionnaire.questions.exclude(footnote="").values_list("code", "footnote")
    )
    sheets = []
    for table in appendix_tables(run=run):
        sheets.append(
            Sheet(
                name=f"Fråga {table.code}",
                title=[f"Fråga {table.code}. {table.text}"],
                header=[["Region", *(column or "Svar" for column in table.columns)]],
                rows=[[name, *values] for name, values in table.rows],
                notes=[footnotes[table.code]] if table.code in footnotes else [],
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


# Shares -------------------------------------------------------------------------------


def _share_lines(run: AggregationRun) -> Iterator[tuple[object, ...]]:
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
        )
    )
    yield from rows.iterator()


def shares_csv(*, run: AggregationRun, excel: bool) -> bytes:
    """question,item,option,level,unit,count,denominator,percent; level riket, county or
    rss; unit SE, the county code or the RSS code; percent empty where nobody in the
    unit answered."""
    return csv_bytes(SHARES_HEADER, _share_lines(run), excel=excel)


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
        header_options: list[CellValue] = []
        header_measures: list[CellValue] = []
        for option in table.options:
            header_options += [option, None, None]
            header_measures += ["Antal", "Nämnare", "Procent"]
        rows: list[list[CellValue]] = []
        for level, unit_name, cells in table.rows:
            row: list[CellValue] = [LEVEL_LABELS.get(level, level), unit_name]
            for cell in cells:
                if cell is None:
                    row += [None, None, None]
                else:
                    row += [cell.count, cell.denominator, cell.percent]
            rows.append(row)
        formats = {
            2 + 3 * index + 2: PERCENT_FORMAT for index in range(len(table.options))
        }
        sheets.append(
            Sheet(
                name=f"{table.code} {table.item}".strip(),
                title=title,
                header=[
                    ["Nivå", "Enhet", *header_options],
                    [None, None, *header_measures],
                ],
                rows=rows,
                freeze_columns=2,
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
        ]
        for code, item, option, level, unit, count, denominator, percent in (
            _share_lines(run)
        )
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
                ]
            ],
            rows=long_rows,
            number_formats={8: PERCENT_FORMAT},
        )
    )
    return xlsx_bytes(sheets)


# Raw answers --------------------------------------------------------------------------


@dataclass
class AnswerColumn:
    question: Question
    item: str

    @property
    def code(self) -> str:
        """ "12" or "12: <item>"."""
        return f"{self.question.code}: {self.item}" if self.item else self.question.code


@dataclass
class AnswerTable:
    """The raw answers of a questionnaire: a row per response, a column per cell."""

    columns: list[AnswerColumn]
    # (response, {column index: value})
    rows: list[tuple[Response, dict[int, CellValue]]]


def answer_value(
    question: Question, text: str, number: int | None, cannot_estimate: bool
) -> CellValue:
    """An answer as a spreadsheet holds it: the choice or text as written, a number as
    a number, the cannot-estimate label, "Ja" or "." for an alternative."""
    if cannot_estimate:
        return question.cannot_estimate_label or ""
    if question.type == QuestionType.MULTIPLE_CHOICE:
        return text or "."
    if number is not None:
        return number
    return text


def answer_table(*, questionnaire: Questionnaire) -> AnswerTable:
    """Every response of the questionnaire (drafts too) with all its answers (3 queries)."""
    questions = list(questionnaire.questions.order_by("position"))
    responses = list(
        Response.objects.filter(questionnaire=questionnaire)
        .select_related("organisation__county", "organisation__rss", "submitted_by")
        .order_by("organisation__code")
    )
    answers = list(
        Answer.objects.filter(response__questionnaire=questionnaire)
        .order_by("pk")
        .values_list(
            "response_id", "question_id", "item", "text", "number", "cannot_estimate"
        )
    )
    # Items answered that the definition no longer lists still get a column (after the
    # question's own), so that nothing stored is left out.
    stored = {(question_id, item) for _r, question_id, item, *_rest in answers}
    columns: list[AnswerColumn] = []
    for question in questions:
        items = question.answer_items
        extra = sorted(
            item
            for question_id, item in stored
            if question_id == question.pk and item not in items
        )
        columns += [AnswerColumn(question, item) for item in [*items, *extra]]
    index = {(c.question.pk, c.item): i for i, c in enumerate(columns)}
    by_pk = {question.pk: question for question in questions}
    values: dict[int, dict[int, CellValue]] = {r.pk: {} for r in responses}
    for response_id, question_id, item, text, number, cannot_estimate in answers:
        values[response_id][index[(question_id, item)]] = answer_value(
            by_pk[question_id], text, number, cannot_estimate
        )
    return AnswerTable(columns, [(r, values[r.pk]) for r in responses])


def _response_cells(response: Response, *, readable: bool) -> list[CellValue]:
    organisation = response.organisation
    submitted_at = (
        timezone.localtime(response.submitted_at).replace(microsecond=0)
        if response.submitted_at
        else None
    )
    by = response.submitted_by.get_username() if response.submitted_by else ""
    return [
        organisation.code,
        organisation.name,
        organisation.county.name,
        organisation.rss.name if organisation.rss else "",
        response.get_status_display() if readable else response.status,
        (
            submitted_at.replace(tzinfo=None)
            if readable
            else submitted_at.strftime("%Y-%m-%d %H:%M")
        )
        if submitted_at
        else None,
        by,
    ]


def answers_csv(*, questionnaire: Questionnaire, excel: bool) -> bytes:
    """One row per organisation with a response (drafts too); the organisation, its
    county and RSS, status, submission; then one column per question and item."""
    table = answer_table(questionnaire=questionnaire)
    header = ANSWERS_HEADER + [column.code for column in table.columns]
    rows = (
        _response_cells(response, readable=False)
        + [cells.get(i) for i in range(len(table.columns))]
        for response, cells in table.rows
    )
    return csv_bytes(header, rows, excel=excel)


NUMBER_FORMATS = {
    QuestionType.PERCENTAGE: PERCENT_FORMAT,
    QuestionType.COUNT: COUNT_FORMAT,
    QuestionType.INTEGER: COUNT_FORMAT,
    QuestionType.COUNT_PER_OPTION: COUNT_FORMAT,
}


def answers_xlsx(
    *, questionnaire: Questionnaire, progress: Progress | None = None
) -> bytes:
    """The raw answers of the CSV as one sheet, with the question texts as a second
    header row, numbers as numbers and the submission time as a date."""
    table = answer_table(questionnaire=questionnaire)
    fixed = len(ANSWERS_LABELS)
    with translation.override("sv"):
        rows = [
            _response_cells(response, readable=True)
            + [cells.get(i) for i in range(len(table.columns))]
            for response, cells in table.rows
        ]
    formats = {
        fixed + i: NUMBER_FORMATS[column.question.type]
        for i, column in enumerate(table.columns)
        if column.question.type in NUMBER_FORMATS
    }
    sheet = Sheet(
        name=f"Svar {questionnaire.audience} {questionnaire.cycle.year}",
        title=[questionnaire.title],
        header=[
            ANSWERS_LABELS + [column.code for column in table.columns],
            [None] * fixed + [column.question.text for column in table.columns],
        ],
        rows=rows,
        freeze_columns=2,
        number_formats=formats,
        wrap_header=(True, False),
    )
    return xlsx_bytes([sheet], progress=progress)
