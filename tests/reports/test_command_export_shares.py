import csv
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from pypdf import PdfReader

from reports.management.commands.export_shares import Command
from surveys.answers import Value
from tests.reports.conftest import submit

pytestmark = pytest.mark.django_db

HEADER = (
    "question,item,option,level,unit,count,denominator,percent,source,municipalities,"
    "previous_percent"
)


def export(**options):
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("export_shares", stdout=stdout, stderr=stderr, **options)
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


def test_writes_municipal_shares_per_level_with_unit_and_denominator(
    compiled, tmp_path
):
    target = tmp_path / "andelar.csv"

    export(cycle=2024, questionnaire="municipality", format="csv", output=str(target))

    lines = target.read_text(encoding="utf-8").splitlines()
    assert lines[0] == HEADER
    k06 = [line for line in lines if line.startswith("K06,")]
    # The areas without data are there too, marked "none" (0 of 0, percent empty).
    without_data = [line for line in k06 if line.endswith(",none,0,")]
    assert "K06,,Ja,rss,RSS-01,0,0,,none,0," in without_data
    assert "K06,,Ja,county,01,0,0,,none,0," in without_data
    assert [line for line in k06 if line not in without_data] == [
        "K06,,Ja,riket,SE,6,9,67,counts,9,",
        "K06,,Ja,county,03,5,8,63,counts,8,",
        "K06,,Ja,county,09,1,1,100,counts,1,",
        "K06,,Ja,rss,RSS-03,5,8,63,counts,8,",
        "K06,,Ja,rss,RSS-09,1,1,100,counts,1,",
        "K06,,Nej,riket,SE,3,9,33,counts,9,",
        "K06,,Nej,county,03,3,8,38,counts,8,",
        "K06,,Nej,county,09,0,1,0,counts,1,",
        "K06,,Nej,rss,RSS-03,3,8,38,counts,8,",
        "K06,,Nej,rss,RSS-09,0,1,0,counts,1,",
    ]


def test_percent_is_empty_where_nobody_in_the_unit_answered(compiled, tmp_path):
    target = tmp_path / "andelar.csv"
    item = compiled["municipality"].questions.get(code="K01").items[0]

    export(cycle=2024, questionnaire="municipality", output=str(target))

    # fill_response counts 0 municipalities everywhere, "_answered" included.
    assert f"K01,{item},Ja,riket,SE,0,0,,counts,9," in target.read_text(
        encoding="utf-8"
    )


def test_rss_questionnaire_shares_are_over_rss(compiled):
    out = export(cycle=2024, questionnaire="rss", output="-")

    lines = out.splitlines()
    assert lines[0] == HEADER
    # fill_response chooses S02's first option for both RSS; a comma is quoted.
    assert 'S02,,"Ja, alla kommuner",riket,SE,2,2,100,answers,,' in lines
    assert 'S02,,"Ja, vissa kommuner",county,09,0,1,0,answers,,' in lines


def test_output_dash_writes_to_standard_output(compiled):
    out = export(cycle=2024, questionnaire="municipality", output="-")

    assert out.splitlines()[0] == HEADER
    assert "K06,,Ja,riket,SE,6,9,67,counts,9," in out.splitlines()


def test_an_unknown_cycle_is_refused(cycle_2024):
    with pytest.raises(CommandError, match="Cykeln 2023 finns inte"):
        export(cycle=2023, questionnaire="municipality")


def test_an_unknown_questionnaire_is_refused(cycle_2024):
    with pytest.raises(CommandError, match="”kommun” finns inte; välj"):
        export(cycle=2024, questionnaire="kommun")


def test_an_unknown_format_is_refused(cycle_2024):
    with pytest.raises(
        CommandError, match="”ods” finns inte för export_shares; välj csv, csv-excel"
    ):
        export(cycle=2024, questionnaire="municipality", format="ods")


def test_a_refusal_exits_non_zero(cycle_2024, capsys):
    with pytest.raises(SystemExit) as exit_info:
        Command().run_from_argv(
            [
                "manage.py",
                "export_shares",
                "--cycle",
                "2024",
                "--questionnaire",
                "kommun",
            ]
        )
    assert exit_info.value.code != 0
    assert "”kommun” finns inte" in capsys.readouterr().err


def test_the_excel_csv_has_a_bom_and_semicolons(compiled, tmp_path):
    target = tmp_path / "andelar.csv"

    export(
        cycle=2024,
        questionnaire="municipality",
        format="csv-excel",
        output=str(target),
    )

    data = target.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(
        csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";")
    )
    assert rows[0] == HEADER.split(",")
    assert ["K06", "", "Ja", "riket", "SE", "6", "9", "67", "counts", "9", ""] in rows


def test_writes_the_shares_as_xlsx(compiled, tmp_path):
    target = tmp_path / "andelar.xlsx"

    export(cycle=2024, questionnaire="municipality", format="xlsx", output=str(target))

    sheet = openpyxl.load_workbook(target)["K06"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    header = next(row for row in rows if row[0] == "Nivå")
    assert header[:4] == ["Nivå", "Enhet", "Underlag", "Kommuner"]
    assert ["Riket", "Riket", "RSS:ens antal", 9, 6, 9, 67, 3, 9, 33] in rows
    assert [
        "RSS",
        "RSS Stockholms län",
        "Uppgift saknas",
        0,
        0,
        0,
        None,
        0,
        0,
        None,
    ] in rows


def test_writes_the_shares_as_pdf(compiled, tmp_path):
    target = tmp_path / "andelar.pdf"

    export(cycle=2024, questionnaire="municipality", format="pdf", output=str(target))

    assert target.read_bytes().startswith(b"%PDF-")
    text = "\n".join(page.extract_text() for page in PdfReader(target).pages)
    assert "K06" in text
    assert "67" in text


def test_xlsx_to_standard_output_is_refused(compiled):
    with pytest.raises(CommandError, match="ange en fil med --output"):
        export(cycle=2024, questionnaire="municipality", format="xlsx")


@pytest.fixture
def municipalities_submitted(cycle_2024, staff):
    """Three municipalities submitted the municipal questionnaire; no RSS has."""
    municipal = cycle_2024["municipality"]
    submit(municipal, "0114", staff, {("K06", ""): Value(text="Ja")})
    submit(municipal, "0115", staff, {("K06", ""): Value(text="Nej")})
    submit(municipal, "0980", staff, {("K06", ""): Value(text="Ja")})
    return cycle_2024


def test_municipal_shares_come_as_soon_as_municipalities_have_submitted(
    municipalities_submitted,
):
    lines = export(cycle=2024, questionnaire="municipality", output="-").splitlines()

    assert lines[0] == HEADER
    assert "K06,,Ja,riket,SE,2,3,67,answers,3," in lines
    assert "K06,,Ja,county,01,1,2,50,answers,2," in lines
    assert "K06,,Ja,rss,RSS-09,1,1,100,answers,1," in lines
    assert "K06,,Ja,rss,RSS-03,0,0,,none,0," in lines


def test_the_xlsx_long_table_names_the_source_and_the_municipalities(
    municipalities_submitted, tmp_path
):
    target = tmp_path / "andelar.xlsx"

    export(cycle=2024, questionnaire="municipality", format="xlsx", output=str(target))

    sheet = openpyxl.load_workbook(target)["Alla andelar"]
    rows = [[c.value for c in row] for row in sheet.iter_rows()]
    assert rows[0][-3:] == ["Underlag", "Kommuner", "Procent föregående år"]
    assert [
        "K06",
        None,
        "Ja",
        "RSS",
        "RSS-09",
        "RSS Gotlands län",
        1,
        1,
        100,
        "Kommunernas svar",
        1,
        None,
    ] in rows
