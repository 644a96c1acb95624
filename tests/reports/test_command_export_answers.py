import csv
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from reports.management.commands.export_answers import Command
from surveys.answers import Value
from tests.reports.conftest import submit

pytestmark = pytest.mark.django_db

HYPERLINK = '=HYPERLINK("http://example.com","klicka")'


def export(**options):
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("export_answers", stdout=stdout, stderr=stderr, **options)
    return stdout.getvalue(), stderr.getvalue()


@pytest.fixture
def answered(cycle_2024, staff):
    region = cycle_2024["region"]
    submit(
        region,
        "01",
        staff,
        {("3", ""): Value(text=HYPERLINK), ("35", ""): Value(number=59)},
    )
    submit(region, "03", staff, {("35", ""): Value(cannot_estimate=True)})
    return region


def test_writes_the_raw_answers_as_csv_to_a_file(answered, tmp_path):
    target = tmp_path / "svar.csv"

    _out, err = export(cycle=2024, questionnaire="region", output=str(target))

    with target.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert [row["organisation_code"] for row in rows] == ["01", "03"]
    assert rows[0]["35"] == "59"
    assert rows[1]["35"] == "Andelen kan inte uppskattas"
    assert rows[0]["3"] == "'" + HYPERLINK
    assert rows[0]["status"] == "submitted"
    assert f"Skrev 2 rader till {target}." in err


def test_csv_is_the_default_and_dash_writes_to_standard_output(answered):
    out, _err = export(cycle=2024, questionnaire="region")

    lines = out.splitlines()
    assert lines[0].startswith("organisation_code,organisation,county,rss,status,")
    assert lines[1].startswith("01,Stockholm,Stockholms län,,submitted,")


def test_the_excel_csv_has_a_bom_and_semicolons(answered, tmp_path):
    target = tmp_path / "svar.csv"

    export(cycle=2024, questionnaire="region", format="csv-excel", output=str(target))

    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(
        csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";")
    )
    assert rows[0][:2] == ["organisation_code", "organisation"]
    assert rows[1][rows[0].index("3")] == "'" + HYPERLINK


def test_writes_the_raw_answers_as_xlsx(answered, tmp_path):
    target = tmp_path / "svar.xlsx"

    _out, err = export(
        cycle=2024, questionnaire="region", format="xlsx", output=str(target)
    )

    sheet = openpyxl.load_workbook(target).active
    header = [cell.value for cell in sheet[2]]
    stockholm = sheet.cell(row=4, column=header.index("35") + 1)
    assert stockholm.value == 59 and stockholm.data_type == "n"
    formula = sheet.cell(row=4, column=header.index("3") + 1)
    assert formula.value == "'" + HYPERLINK and formula.data_type == "s"
    assert f"Skrev {target.stat().st_size} byte till {target}." in err


def test_xlsx_needs_a_file(answered):
    with pytest.raises(CommandError, match="xlsx kan inte skrivas till standard"):
        export(cycle=2024, questionnaire="region", format="xlsx")


def test_pdf_is_not_a_format_of_the_raw_answers(answered, tmp_path):
    with pytest.raises(
        CommandError,
        match="”pdf” finns inte för export_answers; välj csv, csv-excel, xlsx",
    ):
        export(
            cycle=2024,
            questionnaire="region",
            format="pdf",
            output=str(tmp_path / "svar.pdf"),
        )
    assert not (tmp_path / "svar.pdf").exists()


def test_an_unknown_cycle_or_questionnaire_is_refused(cycle_2024):
    with pytest.raises(CommandError, match="Cykeln 2030 finns inte"):
        export(cycle=2030, questionnaire="region")
    with pytest.raises(CommandError, match="”kommuner” finns inte; välj"):
        export(cycle=2024, questionnaire="kommuner")


def test_a_refusal_exits_non_zero(cycle_2024, capsys):
    with pytest.raises(SystemExit) as exit_info:
        Command().run_from_argv(
            ["manage.py", "export_answers", "--cycle", "2030", "--questionnaire", "rss"]
        )
    assert exit_info.value.code != 0
    assert "Cykeln 2030 finns inte" in capsys.readouterr().err
