import csv
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from pypdf import PdfReader

from aggregation.models import AggregationRun
from reports.management.commands.export_appendix import Command
from tests.factories import CycleFactory

pytestmark = pytest.mark.django_db


def export(*args, **options):
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("export_appendix", *args, stdout=stdout, stderr=stderr, **options)
    return stdout.getvalue(), stderr.getvalue()


@pytest.fixture
def answered(region_answered):
    """Three regions submitted; the rest did not answer."""
    return region_answered


def test_writes_the_appendix_as_a_long_csv_with_values_as_published(answered, tmp_path):
    target = tmp_path / "bilaga.csv"

    _out, err = export(
        cycle=2024, questionnaire="region", format="csv", output=str(target)
    )

    lines = target.read_text(encoding="utf-8").splitlines()
    assert lines[0] == "question,item,organisation,value"
    assert lines[1:5] == [
        "2,,Riket,2/3",
        "2,,Stockholm,Ja",
        "2,,Uppsala,Ja",
        "2,,Sörmland,",
    ]
    assert "2,,Norrbotten,Nej" in lines
    assert "35,,Riket,60 %" in lines
    assert "35,,Stockholm,59 %" in lines
    assert "35,,Norrbotten,Andelen kan inte uppskattas" in lines
    assert f"Skrev {len(lines) - 1} rader till {target}." in err


def test_every_printed_question_has_riket_and_all_21_regions(answered, tmp_path):
    target = tmp_path / "bilaga.csv"
    export(cycle=2024, questionnaire="region", output=str(target))

    with target.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.DictReader(stream))

    item = answered.questions.get(code="8").items[0]
    of_8 = [row for row in rows if row["question"] == "8" and row["item"] == item]
    assert [row["organisation"] for row in of_8][:2] == ["Riket", "Stockholm"]
    assert len(of_8) == 22
    assert of_8[0]["value"] == "3/3"  # fill_response answers Ja by default


def test_items_with_commas_are_quoted(answered, tmp_path):
    target = tmp_path / "bilaga.csv"
    export(cycle=2024, questionnaire="region", output=str(target))

    item = answered.questions.get(code="18").items[-1]
    with target.open(encoding="utf-8", newline="") as stream:
        rows = list(csv.reader(stream))
    assert ["18", item, "Stockholm", "."] in rows


def test_output_dash_writes_to_standard_output(answered):
    out, _err = export(cycle=2024, questionnaire="region", output="-")

    assert out.splitlines()[:2] == ["question,item,organisation,value", "2,,Riket,2/3"]


def test_the_export_stores_and_uses_a_current_run(answered, tmp_path):
    export(cycle=2024, questionnaire="region", output=str(tmp_path / "a.csv"))

    run = AggregationRun.objects.get(questionnaire=answered, is_current=True)
    assert run.status == AggregationRun.Status.COMPLETE
    assert run.responses == 3


def test_a_questionnaire_without_appendix_questions_gives_the_header_only(
    cycle_2024, tmp_path
):
    target = tmp_path / "kommun.csv"
    export(cycle=2024, questionnaire="municipality", output=str(target))

    assert target.read_text(encoding="utf-8") == "question,item,organisation,value\n"


def test_an_unknown_cycle_is_refused(cycle_2024):
    with pytest.raises(CommandError, match="Cykeln 2019 finns inte"):
        export(cycle=2019, questionnaire="region")


def test_a_cycle_without_that_questionnaire_is_refused(cycle_2024):
    CycleFactory(year=2025)
    with pytest.raises(CommandError, match="ingen aktuell enkät för ”region”"):
        export(cycle=2025, questionnaire="region")


def test_an_unknown_questionnaire_is_refused_naming_the_choices(cycle_2024):
    with pytest.raises(CommandError, match="”regioner” finns inte; välj region, rss"):
        export(cycle=2024, questionnaire="regioner")


def test_an_unknown_format_is_refused_naming_the_formats(cycle_2024):
    with pytest.raises(
        CommandError,
        match="Formatet ”docx” finns inte för export_appendix; välj csv, csv-excel, "
        "xlsx, pdf",
    ):
        export(cycle=2024, questionnaire="region", format="docx")


def test_a_refusal_exits_non_zero(cycle_2024, capsys):
    command = Command()
    with pytest.raises(SystemExit) as exit_info:
        command.run_from_argv(
            [
                "manage.py",
                "export_appendix",
                "--cycle",
                "2019",
                "--questionnaire",
                "region",
            ]
        )
    assert exit_info.value.code != 0
    assert "Cykeln 2019 finns inte" in capsys.readouterr().err


def test_the_excel_csv_has_a_bom_and_semicolons(answered, tmp_path):
    target = tmp_path / "bilaga.csv"

    _out, err = export(
        cycle=2024, questionnaire="region", format="csv-excel", output=str(target)
    )

    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert rows[0] == ["question", "item", "organisation", "value"]
    assert rows[1] == ["2", "", "Riket", "2/3"]
    assert f"Skrev {len(rows) - 1} rader till {target}." in err


def test_writes_the_appendix_as_xlsx(answered, tmp_path):
    target = tmp_path / "bilaga.xlsx"

    _out, err = export(
        cycle=2024, questionnaire="region", format="xlsx", output=str(target)
    )

    workbook = openpyxl.load_workbook(target)
    sheet = workbook["Fråga 35"]
    assert [c.value for c in sheet[3]] == ["Riket", "60 %"]
    assert [c.value for c in sheet[4]] == ["Stockholm", "59 %"]
    assert f"Skrev {target.stat().st_size} byte till {target}." in err


def test_writes_the_appendix_as_pdf(answered, tmp_path):
    target = tmp_path / "bilaga.pdf"

    export(cycle=2024, questionnaire="region", format="pdf", output=str(target))

    assert target.read_bytes().startswith(b"%PDF-")
    text = "\n".join(page.extract_text() for page in PdfReader(target).pages)
    assert "Bilaga 3" in text
    assert "60 %" in text


@pytest.mark.parametrize("fmt", ["xlsx", "pdf"])
def test_a_binary_format_to_standard_output_is_refused(answered, fmt):
    with pytest.raises(CommandError, match=f"{fmt} kan inte skrivas till standard"):
        export(cycle=2024, questionnaire="region", format=fmt, output="-")


def test_a_failed_export_leaves_an_existing_file_as_it_was(cycle_2024, tmp_path):
    target = tmp_path / "bilaga.csv"
    target.write_text("förra exporten\n", encoding="utf-8")

    with pytest.raises(CommandError):
        export(cycle=2019, questionnaire="region", output=str(target))

    assert target.read_text(encoding="utf-8") == "förra exporten\n"
    assert [p.name for p in tmp_path.iterdir()] == ["bilaga.csv"]


def test_a_failed_write_leaves_no_half_file_behind(answered, tmp_path, monkeypatch):
    target = tmp_path / "bilaga.csv"
    target.write_text("förra exporten\n", encoding="utf-8")

    def full_disk(source, destination):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("os.replace", full_disk)
    with pytest.raises(CommandError, match=f"Filen {target} kan inte skrivas"):
        export(cycle=2024, questionnaire="region", output=str(target))

    assert target.read_text(encoding="utf-8") == "förra exporten\n"
    assert [p.name for p in tmp_path.iterdir()] == ["bilaga.csv"]


def test_an_export_replaces_an_existing_file_whole(answered, tmp_path):
    target = tmp_path / "bilaga.csv"
    target.write_text("x" * 100_000, encoding="utf-8")

    export(cycle=2024, questionnaire="region", output=str(target))

    out, _err = export(cycle=2024, questionnaire="region", output="-")
    assert target.read_text(encoding="utf-8") == out


def test_a_missing_directory_is_refused_naming_the_file(answered, tmp_path):
    target = tmp_path / "saknas" / "bilaga.csv"

    with pytest.raises(CommandError, match=f"Filen {target} kan inte skrivas"):
        export(cycle=2024, questionnaire="region", output=str(target))
