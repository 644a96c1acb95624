"""export_key_figures: every named figure of a questionnaire with its value and sentence,
as CSV and XLSX, through the document registry and the export jobs."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from aggregation.selectors import share_tables
from aggregation.services import aggregation_fresh_run
from reports.jobs import export_job_run
from reports.services import export_job_request
from surveys.answers import Value
from tests.reports.conftest import submit

pytestmark = pytest.mark.django_db


def export(**options) -> str:
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("export_key_figures", stdout=stdout, stderr=stderr, **options)
    return stdout.getvalue()


@pytest.fixture
def compiled(cycle_2024, staff):
    """Gotland (1 municipality) and Uppsala (8) have submitted their compilations."""
    rss = cycle_2024["rss"]
    submit(rss, "RSS-09", staff, {("S03-K06", "Ja"): Value(number=1)})
    submit(
        rss,
        "RSS-03",
        staff,
        {("S03-K06", "Ja"): Value(number=5), ("S03-K06", "Nej"): Value(number=3)},
    )
    return cycle_2024


def test_csv_has_name_value_and_sentence_of_every_share(compiled):
    rows = list(
        csv.reader(io.StringIO(export(cycle=2024, questionnaire="municipality")))
    )

    assert rows[0] == ["name", "value", "text"]
    by_name = {name: (value, text) for name, value, text in rows[1:]}
    assert by_name["municipality.K06.riket"] == ("6/9", "6 av 9 kommuner")
    assert by_name["municipality.K06.riket.percent"] == (
        "67 %",
        "67 procent av kommunerna",
    )
    assert by_name["municipality.K06.nej.län-03.count"] == ("3", "3 kommuner")
    assert by_name["municipality.K06.rss-09.denominator"] == ("1", "1 kommun")
    # Every stored share has its four names; nothing else is there.
    run = aggregation_fresh_run(questionnaire=compiled["municipality"])
    shares = sum(len(t.rows) * len(t.options) for t in share_tables(run=run))
    assert len(rows) - 1 == 4 * shares


def test_csv_for_excel_and_xlsx_hold_the_same_rows(compiled, tmp_path):
    plain = list(
        csv.reader(io.StringIO(export(cycle=2024, questionnaire="municipality")))
    )
    excel = export(cycle=2024, questionnaire="municipality", format="csv-excel")
    assert excel.startswith("\ufeffname;value;text\r\n")
    target = tmp_path / "nyckeltal.xlsx"

    export(cycle=2024, questionnaire="municipality", format="xlsx", output=str(target))

    sheet = openpyxl.load_workbook(target)["Nyckeltal"]
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    header = values.index(["Namn", "Värde", "Text"])
    assert values[header + 1 :] == plain[1:]


def test_a_pdf_is_refused_and_so_is_an_unknown_questionnaire():
    with pytest.raises(CommandError, match="pdf"):
        export(cycle=2024, questionnaire="region", format="pdf", output="x.pdf")
    with pytest.raises(CommandError, match="landsting"):
        export(cycle=2024, questionnaire="landsting")


def test_the_export_page_builds_it_as_a_job(compiled, staff):
    job = export_job_request(
        document="key_figures",
        fmt="csv",
        questionnaire=compiled["municipality"],
        organisation=None,
        by=staff,
    )
    export_job_run(job=job)
    job.refresh_from_db()

    assert job.status == job.Status.COMPLETE, job.message
    assert job.filename == "nyckeltal-municipality-2024.csv"
    assert b"municipality.K06.riket,6/9,6 av 9 kommuner" in job.file.read()
