"""The PDF documents: the appendix, the shares, blank questionnaires, receipts, profiles.

Each document is an `X_html(...)` (the HTML WeasyPrint gets; tests read it) and an
`X_pdf(...)` = html_to_pdf(X_html(...)). The HTML is built from the stored aggregation
results (aggregation.selectors) and the questionnaire definitions; the values are printed
exactly as stored, the strings the CSV export writes too. The documents are in Swedish
whatever language is active (they are published documents, not UI).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone, translation

from aggregation.models import AggregationRun, ShareRow
from aggregation.rules.appendix import NATIONAL_NAME, is_national
from aggregation.selectors import (
    AppendixTable,
    ShareTable,
    appendix_tables,
    share_tables,
    ticked_share_grid,
)
from regions.models import Organisation
from reports.charts import Chart
from reports.documents import Progress
from reports.figures import (
    appendix_chart,
    appendix_figure,
    counted_plural,
    numeric_columns,
    share_chart,
    ticked_shares_chart,
)
from reports.pdf import html_to_pdf, render_html
from surveys.answers import visible_questions
from surveys.models import Question, Questionnaire, QuestionType, Response
from surveys.models.questionnaire import ANSWERED_OPTION, TICKED
from surveys.services import answers_map

TEMPLATES = "reports/pdf/"
NO_ANSWER = "inget svar"
MONTHS = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
]
# Appendix tables: up to this many item columns stay on a portrait page, up to
# LANDSCAPE_COLUMNS turn the page; wider ones are split into tables of at most that many.
PORTRAIT_COLUMNS = 4
# A header longer than this wraps into too many lines in a narrow portrait column.
PORTRAIT_HEADER_CHARS = 100
LANDSCAPE_COLUMNS = 8
# Share tables: option groups (count and percent each) per portrait or landscape table.
PORTRAIT_GROUPS = 3
LANDSCAPE_GROUPS = 6
LEVEL_HEADINGS = {
    ShareRow.Level.COUNTY: ("Per län", "Län"),
    ShareRow.Level.RSS: ("Per RSS", "RSS"),
}
ORGANISATION_LABELS = {
    Questionnaire.Audience.REGION: "Region",
    Questionnaire.Audience.RSS: "RSS",
    Questionnaire.Audience.MUNICIPALITY: "Kommun",
    Questionnaire.Audience.EXTRA: "Kommun",
}

CODE_LABELS = {
    Questionnaire.Audience.REGION: "Regionkod (länskod)",
    Questionnaire.Audience.RSS: "RSS-kod",
    Questionnaire.Audience.MUNICIPALITY: "Kommunkod",
    Questionnaire.Audience.EXTRA: "Kommunkod",
}


def _render(template: str, context: dict[str, Any]) -> str:
    with translation.override("sv"):
        return render_html(TEMPLATES + template, context)


def swedish_date(value) -> str:
    """A date as Swedish prose: "31 mars 2025"."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


def swedish_datetime(value) -> str:
    """A moment in Stockholm time: "14 mars 2025 kl. 10.23"."""
    local = timezone.localtime(value, timezone.get_default_timezone())
    return f"{swedish_date(local)} kl. {local:%H.%M}"


@dataclass
class Figure:
    """A chart as a PDF prints it: the SVG, a numbered caption and the values as text."""

    number: int
    chart: Chart

    @property
    def values_text(self) -> str:
        """The text alternative without the caption it repeats (the values)."""
        alt, caption = self.chart.alt, self.chart.caption
        if alt.startswith(caption):
            return alt[len(caption) :].lstrip(". ").strip()
        return alt


class _Numbering:
    """Running numbers of the tables and figures of a document."""

    def __init__(self) -> None:
        self.tables = 0
        self.figures = 0

    def table(self) -> int:
        self.tables += 1
        return self.tables

    def figure(self, chart: Chart | None) -> Figure | None:
        if chart is None:
            return None
        self.figures += 1
        return Figure(self.figures, chart)


def _chunks(items: Sequence, size: int) -> list[list]:
    """Split into nearly equal parts of at most `size` (7 → 4 + 3, not 6 + 1)."""
    if not items:
        return [[]]
    parts = math.ceil(len(items) / size)
    each = math.ceil(len(items) / parts)
    return [list(items[i : i + each]) for i in range(0, len(items), each)]


def _questions(questionnaire: Questionnaire) -> dict[str, Question]:
    return {q.code: q for q in questionnaire.questions.order_by("position")}


# The appendix ------------------------------------------------------------------------


@dataclass
class AppendixRow:
    name: str
    values: list[str]
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


def _single_column_header(question: Question | None) -> str:
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
    return "landscape", _chunks(indexes, LANDSCAPE_COLUMNS)


def appendix_blocks(
    *, run: AggregationRun, progress: Progress | None = None
) -> list[AppendixBlock]:
    """The appendix's tables as printed: parts, orientation, footnotes and figures."""
    tables = appendix_tables(run=run)
    questions = _questions(run.questionnaire)
    numbering = _Numbering()
    blocks = []
    for done, table in enumerate(tables, start=1):
        question = questions.get(table.code)
        headers = [
            column or _single_column_header(question) for column in table.columns
        ]
        orientation, slices = appendix_layout(table.columns)
        rows = [
            AppendixRow(name, values, _row_kind(name)) for name, values in table.rows
        ]
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
        )
        block.figure = numbering.figure(appendix_figure(table, f"figure-{table.code}"))
        blocks.append(block)
        if progress is not None:
            progress(done, len(tables))
    return blocks


def appendix_html(*, run: AggregationRun, progress: Progress | None = None) -> str:
    """Bilaga 3. Tabeller och figurer: every appendix table of the run, as printed."""
    questionnaire = run.questionnaire
    blocks = appendix_blocks(run=run, progress=progress)
    return _render(
        "appendix.html",
        {
            "title": "Bilaga 3. Tabeller och figurer",
            "questionnaire": questionnaire,
            "year": questionnaire.cycle.year,
            "run": run,
            "computed_at": swedish_datetime(run.finished_at or run.requested_at),
            "blocks": blocks,
            "respondents": _respondents(questionnaire, run.responses),
        },
    )


def _respondents(questionnaire: Questionnaire, responses: int) -> str:
    """ "18 av 21 regioner": the submitted responses of the questionnaire's audience."""
    kind = questionnaire.organisation_kind
    total = Organisation.objects.filter(kind=kind).count()
    plural = {
        Organisation.Kind.REGION: "regioner",
        Organisation.Kind.RSS: "RSS",
        Organisation.Kind.MUNICIPALITY: "kommuner",
    }.get(kind, "organisationer")
    return f"{responses} av {total} {plural}"


def appendix_pdf(*, run: AggregationRun, progress: Progress | None = None) -> bytes:
    return html_to_pdf(appendix_html(run=run, progress=progress))


# The shares ----------------------------------------------------------------------------


@dataclass
class ShareLine:
    name: str
    riket: bool
    # One per group: (count, denominator, percent as printed); None where missing.
    cells: list[tuple[str, str, str] | None]
    # The row's denominator when all groups share it, else "".
    denominator: str = ""


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


def _cell_text(cell: ShareRow | None) -> tuple[str, str, str] | None:
    if cell is None:
        return None
    percent = "–" if cell.percent is None else f"{cell.percent} %"
    return str(cell.count), str(cell.denominator), percent


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
) -> list[SharePart]:
    """The tables of a section: one per level (county, RSS), Riket first in each."""
    riket = [r for r in rows if r[0] == ShareRow.Level.RIKET]
    denominators = {
        tuple({c.denominator for c in cells if c is not None}) for _, _, cells in rows
    }
    shared = all(len(d) <= 1 for d in denominators)
    parts = []
    for level, (heading, unit_header) in LEVEL_HEADINGS.items():
        of_level = [r for r in rows if r[0] == level]
        if not of_level:
            continue
        portrait = len(groups) <= PORTRAIT_GROUPS and sum(map(len, groups)) <= 120
        size = PORTRAIT_GROUPS if portrait else LANDSCAPE_GROUPS
        for index, indexes in enumerate(_chunks(range(len(groups)), size)):
            lines = []
            for row_level, name, cells in [*riket, *of_level]:
                chosen = [cells[i] for i in indexes]
                given = [c for c in cells if c is not None]
                lines.append(
                    ShareLine(
                        name=name,
                        riket=row_level == ShareRow.Level.RIKET,
                        cells=[_cell_text(c) for c in chosen],
                        denominator=str(given[0].denominator) if given else "",
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
                )
            )
    return parts


def _share_note(counted: str) -> str:
    who = counted_plural(counted)
    return (
        f"Antal = antal {who} som valt alternativet; n = antal {who} som besvarat "
        f"frågan; Andel = Antal / n, avrundat till hela procent (0,5 avrundas uppåt). "
        f"– = ingen har svarat."
    )


def _is_ticked_group(tables: Sequence[ShareTable], question: Question | None) -> bool:
    """A multiple choice: one table per alternative, each with the one option "Ja"."""
    if any(t.options != [TICKED] for t in tables):
        return False
    if question is not None and question.type == QuestionType.MULTIPLE_CHOICE:
        return True
    return len(tables) > 1 and all(t.item for t in tables)


def share_questions(
    *, run: AggregationRun, progress: Progress | None = None
) -> list[ShareQuestion]:
    """The run's share tables grouped per question, with charts and printed tables."""
    tables = share_tables(run=run)
    questions = _questions(run.questionnaire)
    # Shares of municipalities are keyed by the municipal question's code; its text is
    # the municipal questionnaire's (selectors give the run's own texts).
    grouped: dict[str, list[ShareTable]] = {}
    for table in tables:
        grouped.setdefault(table.code, []).append(table)
    numbering = _Numbering()
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
        if _is_ticked_group(group, question):
            groups, rows = _share_grid(group, "items")
            chart = ticked_shares_chart(group, f"figure-{code}")
            sections.append(
                ShareSection(
                    title="Andel som valt respektive alternativ",
                    figure=numbering.figure(chart),
                    parts=_share_parts(groups, rows, counted),
                    note=_share_note(counted),
                )
            )
        else:
            for index, table in enumerate(group):
                groups, rows = _share_grid([table], "options")
                chart = share_chart(table, f"figure-{code}-{index}")
                sections.append(
                    ShareSection(
                        title=table.item,
                        figure=numbering.figure(chart),
                        parts=_share_parts(groups, rows, counted),
                        note=_share_note(counted),
                    )
                )
        for _ in sections:
            done += 1
            if progress is not None:
                progress(done, sections_total)
        result.append(ShareQuestion(code, text, sections))
    return result


def shares_html(*, run: AggregationRun, progress: Progress | None = None) -> str:
    """The shares report: per question a chart of the national shares, then per county
    and per RSS the counts, denominators and percentages per option."""
    questionnaire = run.questionnaire
    questions = share_questions(run=run, progress=progress)
    return _render(
        "shares.html",
        {
            "title": "Andelar per län och RSS",
            "questionnaire": questionnaire,
            "year": questionnaire.cycle.year,
            "run": run,
            "computed_at": swedish_datetime(run.finished_at or run.requested_at),
            "questions": questions,
            "counted_words": _counted_words(run),
        },
    )


def _counted_words(run: AggregationRun) -> str:
    counted = run.share_rows.values_list("counted", flat=True).first()
    return counted_plural(counted) if counted else ""


def shares_pdf(*, run: AggregationRun, progress: Progress | None = None) -> bytes:
    return html_to_pdf(shares_html(run=run, progress=progress))


# The blank questionnaire ----------------------------------------------------------------


def follow_up_lead(question: Question, by_code: dict[str, Question]) -> str:
    """ "Om du svarat ”Ja” på fråga 12:" for a question shown after a given answer."""
    condition = question.show_if or {}
    code = condition.get("question")
    if not code:
        return ""
    equals = condition.get("equals", "")
    item = condition.get("item")
    parent = by_code.get(code)
    if item and parent is not None and parent.type == QuestionType.MULTIPLE_CHOICE:
        if equals == TICKED:
            return f"Om du kryssat för ”{item}” på fråga {code}:"
        return f"Om du inte kryssat för ”{item}” på fråga {code}:"
    if item:
        return f"Om du svarat ”{equals}” för ”{item}” på fråga {code}:"
    return f"Om du svarat ”{equals}” på fråga {code}:"


@dataclass
class PrintedQuestion:
    question: Question
    # "choice", "multiple", "matrix", "number", "text", "count_grid", "count_list"
    shape: str
    lead: str
    options: list[str] = field(default_factory=list)
    items: list[str] = field(default_factory=list)
    unit: str = ""
    cannot_estimate: str = ""
    lines: int = 0
    # count_per_option: the grid's rows (item, [cell label or "" per option]).
    grid: list[tuple[str, list[bool]]] = field(default_factory=list)
    answered_label: str = ""


def _free_text_lines(question: Question) -> int:
    limit = (question.validation or {}).get("max_length")
    if limit and limit <= 200:
        return 1
    return 3 if question.items else 6


def _count_cells(question: Question) -> PrintedQuestion:
    """A count-per-option question as a grid (items × options) or a list of counts."""
    cells = [c for c in question.cells or [] if c.get("option") != ANSWERED_OPTION]
    answered = next(
        (c for c in question.cells or [] if c.get("option") == ANSWERED_OPTION), None
    )
    options: list[str] = []
    items: list[str] = []
    for cell in cells:
        if cell["option"] not in options:
            options.append(cell["option"])
        if cell["item"] not in items:
            items.append(cell["item"])
    present = {(c["item"], c["option"]) for c in cells}
    printed = PrintedQuestion(question=question, shape="count_grid", lead="")
    if answered is not None:
        printed.answered_label = answered.get("label", "")
    if options == [TICKED] or len(options) <= 1:
        printed.shape = "count_list"
        printed.items = [c["label"] if not c["item"] else c["item"] for c in cells]
        return printed
    if items == [""]:
        printed.shape = "count_list"
        printed.items = options
        return printed
    printed.options = options
    printed.grid = [
        (item, [(item, option) in present for option in options]) for item in items
    ]
    return printed


def printed_question(
    question: Question, by_code: dict[str, Question]
) -> PrintedQuestion:
    """How a question is drawn on the blank form."""
    lead = follow_up_lead(question, by_code)
    kind = question.type
    if kind in (
        QuestionType.YES_NO,
        QuestionType.YES_PARTLY_NO,
        QuestionType.SINGLE_CHOICE,
    ):
        return PrintedQuestion(
            question, "choice", lead, options=question.choice_options
        )
    if kind == QuestionType.MULTIPLE_CHOICE:
        return PrintedQuestion(question, "multiple", lead, items=list(question.items))
    if kind == QuestionType.MATRIX:
        return PrintedQuestion(
            question,
            "matrix",
            lead,
            options=question.choice_options,
            items=list(question.items),
        )
    if kind == QuestionType.PERCENTAGE:
        return PrintedQuestion(
            question,
            "number",
            lead,
            unit="%",
            cannot_estimate=question.cannot_estimate_label or "",
        )
    if kind == QuestionType.COUNT:
        return PrintedQuestion(
            question,
            "number",
            lead,
            unit="antal",
            cannot_estimate=question.cannot_estimate_label or "",
        )
    if kind == QuestionType.INTEGER:
        return PrintedQuestion(question, "number", lead, unit="antal")
    if kind == QuestionType.COUNT_PER_OPTION:
        printed = _count_cells(question)
        printed.lead = lead
        return printed
    # Free text, and any type added later: room to write.
    return PrintedQuestion(
        question,
        "text",
        lead,
        items=list(question.items or []),
        lines=_free_text_lines(question),
    )


def questionnaire_html(*, questionnaire: Questionnaire) -> str:
    """The blank printable questionnaire: every question with boxes, grids and lines."""
    questions = list(questionnaire.questions.order_by("position"))
    by_code = {q.code: q for q in questions}
    sections = []
    for section in questionnaire.sections.order_by("position"):
        printed = [
            printed_question(q, by_code)
            for q in questions
            if q.section_id == section.pk
        ]
        sections.append({"section": section, "questions": printed})
    return _render(
        "questionnaire.html",
        {
            "title": questionnaire.title,
            "questionnaire": questionnaire,
            "year": questionnaire.cycle.year,
            "closes_on": swedish_date(questionnaire.closes_on),
            "opens_on": swedish_date(questionnaire.opens_on),
            "organisation_label": ORGANISATION_LABELS.get(
                questionnaire.audience, "Organisation"
            ),
            "code_label": CODE_LABELS.get(questionnaire.audience, "Organisationskod"),
            "sections": sections,
        },
    )


def questionnaire_pdf(*, questionnaire: Questionnaire) -> bytes:
    return html_to_pdf(questionnaire_html(questionnaire=questionnaire))


# The receipt ---------------------------------------------------------------------------


def receipt_sections(response: Response) -> list[dict[str, Any]]:
    """The visible questions per section with their answers as displayed.

    As the summary page builds it (surveys.views.response_summary): a question hidden by
    an earlier answer is left out; a missing answer is None ("inget svar").
    """
    answers = answers_map(response)
    questions = list(response.questionnaire.questions.order_by("position"))
    shown = {q.code for q in visible_questions(questions, answers)}
    sections = []
    for section in response.questionnaire.sections.order_by("position"):
        rows = []
        for question in questions:
            if question.section_id != section.pk or question.code not in shown:
                continue
            cells = [
                (
                    item,
                    answers[(question.code, item)].display(question)
                    if (question.code, item) in answers
                    else None,
                )
                for item in question.answer_items
            ]
            rows.append(
                {
                    "question": question,
                    "cells": cells,
                    "free_text": question.type == QuestionType.FREE_TEXT,
                }
            )
        if rows:
            sections.append({"section": section, "rows": rows})
    return sections


def _person(user) -> str:
    if user is None:
        return "–"
    name = user.get_full_name() or user.get_username()
    email = getattr(user, "email", "")
    return f"{name} ({email})" if email and email != name else name


def receipt_html(*, response: Response) -> str:
    """Kvitto: everything an organisation answered, who submitted it and when."""
    questionnaire = response.questionnaire
    return _render(
        "receipt.html",
        {
            "title": "Kvitto",
            "response": response,
            "organisation": response.organisation,
            "questionnaire": questionnaire,
            "year": questionnaire.cycle.year,
            "submitted": response.is_submitted,
            "submitted_at": (
                swedish_datetime(response.submitted_at) if response.submitted_at else ""
            ),
            "submitted_by": _person(response.submitted_by),
            "printed_at": swedish_datetime(timezone.now()),
            "sections": receipt_sections(response),
            "no_answer": NO_ANSWER,
        },
    )


def receipt_pdf(*, response: Response) -> bytes:
    return html_to_pdf(receipt_html(response=response))


# The region profile --------------------------------------------------------------------


@dataclass
class ProfileRow:
    item: str
    value: str
    national: str
    previous: list[str]


@dataclass
class ProfileBlock:
    code: str
    text: str
    footnote: str
    previous_years: list[str]
    rows: list[ProfileRow]
    figure: Figure | None = None


def _region_name(run: AggregationRun, organisation: Organisation) -> str:
    """The organisation's name as printed in the run's tables (its name otherwise)."""
    name = (
        run.appendix_cells.filter(organisation_code=organisation.code)
        .values_list("organisation", flat=True)
        .first()
    )
    return name or organisation.name


def _profile_chart(table: AppendixTable, region: str, chart_id: str) -> Chart | None:
    """The regions' figures with this region marked ("▶ Stockholm"); None if none."""
    columns = numeric_columns(table)
    if not columns:
        return None
    column = columns[0]
    names = {name for name, _ in column.values}
    if region not in names:
        return appendix_chart(table, chart_id)
    marked = AppendixTable(
        code=table.code,
        text=table.text,
        columns=table.columns,
        rows=[
            (f"▶ {name}" if name == region else name, values)
            for name, values in table.rows
        ],
    )
    return appendix_chart(marked, chart_id)


def region_profile_blocks(
    *, run: AggregationRun, organisation: Organisation
) -> list[ProfileBlock]:
    """Per appendix question: the region's value beside Riket (and earlier years)."""
    region = _region_name(run, organisation)
    questions = _questions(run.questionnaire)
    numbering = _Numbering()
    blocks = []
    for table in appendix_tables(run=run):
        question = questions.get(table.code)
        by_name = dict(table.rows)
        previous_names = [
            n for n, _ in table.rows if is_national(n) and n != NATIONAL_NAME
        ]
        own = by_name.get(region, [""] * len(table.columns))
        national = by_name.get(NATIONAL_NAME, [""] * len(table.columns))
        rows = [
            ProfileRow(
                item=item or _single_column_header(question),
                value=own[i] or NO_ANSWER,
                national=national[i],
                previous=[by_name[n][i] for n in previous_names],
            )
            for i, item in enumerate(table.columns)
        ]
        block = ProfileBlock(
            code=table.code,
            text=table.text,
            footnote=question.footnote if question else "",
            previous_years=previous_names,
            rows=rows,
        )
        block.figure = numbering.figure(
            _profile_chart(table, region, f"figure-{table.code}")
        )
        blocks.append(block)
    return blocks


def region_profile_html(*, run: AggregationRun, organisation: Organisation) -> str:
    """One region's answers beside the national figures, question by question."""
    questionnaire = run.questionnaire
    response = (
        Response.objects.filter(questionnaire=questionnaire, organisation=organisation)
        .only("status", "submitted_at")
        .first()
    )
    return _render(
        "region_profile.html",
        {
            "title": f"Regionprofil: {organisation.full_name or organisation.name}",
            "organisation": organisation,
            "questionnaire": questionnaire,
            "year": questionnaire.cycle.year,
            "run": run,
            "computed_at": swedish_datetime(run.finished_at or run.requested_at),
            "submitted_at": (
                swedish_datetime(response.submitted_at)
                if response is not None
                and response.is_submitted
                and response.submitted_at
                else ""
            ),
            "blocks": region_profile_blocks(run=run, organisation=organisation),
        },
    )


def region_profile_pdf(*, run: AggregationRun, organisation: Organisation) -> bytes:
    return html_to_pdf(region_profile_html(run=run, organisation=organisation))
