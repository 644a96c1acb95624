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
from reports.charts import Chart
from reports.documents.appendix import single_column_header
from reports.documents.base import Document
from reports.figures import appendix_chart, numeric_columns
from reports.pdf import (
    NO_ANSWER,
    Figure,
    Numbering,
    html_to_pdf,
    questions_by_code,
    render_document,
    swedish_datetime,
)
from reports.profiles import region_profile_tables
from surveys.models import Questionnaire, Response


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
        rows = [
            ProfileRow(
                item=item or single_column_header(question),
                value=own[i] or NO_ANSWER,
                national=national[i],
                previous=[values[i] for _name, values in previous],
            )
            for i, item in enumerate(table.columns)
        ]
        block = ProfileBlock(
            code=table.code,
            text=table.text,
            footnote=question.footnote if question else "",
            previous_years=[name for name, _values in previous],
            rows=rows,
        )
        block.figure = numbering.figure(
            _profile_chart(table, profile.region_name, f"figure-{table.code}")
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
            "blocks": region_profile_blocks(run=run, organisation=organisation),
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
