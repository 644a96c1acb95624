"""The region profile (PDF): one region's answers beside the national figures, question
by question, with the regions' figure and this region marked in it.

Read from the stored results as the profile page reads them (reports.profiles).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from aggregation.models import AggregationRun
from aggregation.rules.appendix import NATIONAL_NAME
from aggregation.selectors import AppendixTable
from regions.models import Organisation
from reports.caveats import (
    FLAG,
    FLAG_LEGEND,
    MISSING_LEGEND,
    PrintedCell,
    flag_note,
    missing_if_blank,
    unconfirmed_flags,
)
from reports.charts import Chart
from reports.documents.appendix import single_column_header
from reports.documents.base import Document
from reports.figures import appendix_chart, numeric_columns
from reports.pdf import (
    Figure,
    Numbering,
    html_to_pdf,
    questions_by_code,
    render_document,
    swedish_datetime,
)
from reports.profiles import region_profile_tables
from surveys.models import Questionnaire, Response
from surveys.selectors.quality import QualityRow


@dataclass
class ProfileRow:
    item: str
    # As printed: ".." where there is no value; flagged if unconfirmed (caveats).
    value: PrintedCell
    national: PrintedCell
    previous: list[str]


@dataclass
class ProfileBlock:
    code: str
    text: str
    footnote: str
    previous_years: list[str]
    rows: list[ProfileRow]
    figure: Figure | None = None
    flag_note: str = ""


def _profile_chart(
    table: AppendixTable, region: str | None, chart_id: str
) -> Chart | None:
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
    questions = questions_by_code(run.questionnaire)
    flags = unconfirmed_flags(questionnaire=run.questionnaire)
    numbering = Numbering()
    blocks = []
    for profile in region_profile_tables(run=run, organisation=organisation):
        table = profile.table
        question = questions.get(table.code)
        blank = [""] * len(table.columns)
        own = profile.values or blank
        national = next(
            (values for name, values in profile.national if name == NATIONAL_NAME),
            blank,
        )
        previous = [(n, v) for n, v in profile.national if n != NATIONAL_NAME]
        # Riket of a column is computed with every region's flagged value in it.
        in_national = {warning.item: warning for warning in flags.question(table.code)}
        own_flags = [
            warning
            for item in table.columns
            for warning in flags.of(organisation.code, table.code, item)
        ]
        rows = [
            ProfileRow(
                item=item or single_column_header(question),
                value=PrintedCell(
                    missing_if_blank(own[i]),
                    bool(flags.of(organisation.code, table.code, item)),
                ),
                national=PrintedCell(
                    missing_if_blank(national[i]), item in in_national
                ),
                previous=[missing_if_blank(values[i]) for _name, values in previous],
            )
            for i, item in enumerate(table.columns)
        ]
        block = ProfileBlock(
            code=table.code,
            text=table.text,
            footnote=question.footnote if question else "",
            previous_years=[name for name, _values in previous],
            rows=rows,
            flag_note=_profile_flag_note(own_flags, flags.question(table.code)),
        )
        block.figure = numbering.figure(
            _profile_chart(table, profile.region_name, f"figure-{table.code}")
        )
        blocks.append(block)
    return blocks


def _profile_flag_note(own: list[QualityRow], every: list[QualityRow]) -> str:
    """The footnote of a profile table: the region's own flagged values, and the other
    regions' flagged values that Riket is computed with."""
    if not every:
        return ""
    note = flag_note(own, national=False) if own else ""
    others = [warning for warning in every if warning not in own]
    if others:
        organisations = sorted({warning.organisation for warning in others})
        note += (
            f"{' ' if note else f'{FLAG} '}Riket är beräknat med flaggade värden som "
            f"inte bekräftats av {', '.join(organisations)}."
        )
    elif own:
        note += (
            f" Riket är beräknat med {'dessa värden' if len(own) > 1 else 'värdet'}."
        )
    return note


def region_profile_html(*, run: AggregationRun, organisation: Organisation) -> str:
    """One region's answers beside the national figures, question by question."""
    questionnaire = run.questionnaire
    blocks = region_profile_blocks(run=run, organisation=organisation)
    response = (
        Response.objects.filter(questionnaire=questionnaire, organisation=organisation)
        .only("status", "submitted_at")
        .first()
    )
    return render_document(
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
            "blocks": blocks,
            "missing_legend": MISSING_LEGEND,
            "flag_legend": FLAG_LEGEND,
            "flagged": any(block.flag_note for block in blocks),
        },
    )


def region_profile_pdf(*, run: AggregationRun, organisation: Organisation) -> bytes:
    return html_to_pdf(region_profile_html(run=run, organisation=organisation))


DOCUMENT = Document(
    key="region_profile",
    label=_("Region profile"),
    stem="regionprofil",
    builders={
        "pdf": lambda source: region_profile_pdf(
            run=source.results, organisation=source.region
        ),
    },
    needs_organisation=True,
    needs_results=True,
    audiences=frozenset({Questionnaire.Audience.REGION}),
)
