import csv
import datetime
import io
import zipfile
from decimal import Decimal

import openpyxl
import pytest
from django.utils import timezone

from reports.formats import DocumentError
from reports.spreadsheets import (
    PERCENT_FORMAT,
    Sheet,
    SpreadsheetError,
    csv_bytes,
    neutralise,
    sheet_names,
    xlsx_bytes,
)

INJECTIONS = [
    '=HYPERLINK("http://example.com","klicka")',
    "+46 8 123 45",
    "-2+3",
    "@SUM(A1:A2)",
    "\t=1+1",
    "\r=1+1",
]


def workbook(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


@pytest.mark.parametrize("value", INJECTIONS)
def test_a_string_read_as_a_formula_gets_a_leading_apostrophe(value):
    assert neutralise(value) == "'" + value


@pytest.mark.parametrize(
    "value", ["Ja", "59 %", "Nej, men förslag finns framtaget", "", "a=b", "2/3"]
)
def test_other_strings_are_left_as_they_are(value):
    assert neutralise(value) == value


@pytest.mark.parametrize("value", [-5, 0, 12, 4.5, Decimal("-1.5"), None])
def test_numbers_and_empty_cells_are_left_as_they_are(value):
    assert neutralise(value) is value


def test_csv_is_utf8_with_commas_and_no_bom():
    data = csv_bytes(
        ["fråga", "värde"], [["Ja, delvis", 59], ["Sörmland", None]], excel=False
    )

    assert data == 'fråga,värde\n"Ja, delvis",59\nSörmland,\n'.encode()


def test_csv_for_swedish_excel_has_a_bom_semicolons_and_round_trips():
    rows = [["Stockholm", "Ja; delvis", 4245026], ["Rad\nbrytning", '"citat"', None]]

    data = csv_bytes(["organisation", "svar", "antal"], rows, excel=True)

    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0] == "organisation;svar;antal"
    parsed = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert parsed == [
        ["organisation", "svar", "antal"],
        ["Stockholm", "Ja; delvis", "4245026"],
        ["Rad\nbrytning", '"citat"', ""],
    ]


@pytest.mark.parametrize("excel", [False, True])
def test_csv_neutralises_formula_strings_in_header_and_rows(excel):
    data = csv_bytes(["=namn"], [[value] for value in INJECTIONS], excel=excel)

    parsed = list(
        csv.reader(
            io.StringIO(data.decode("utf-8-sig"), newline=""),
            delimiter=";" if excel else ",",
        )
    )
    # A lone carriage return is written as the line feed it stands for (a plain CSV's
    # lines end in "\n", and a reader would end the row at it).
    expected = [
        value.replace("\r", "\n") if not excel else value for value in INJECTIONS
    ]
    assert parsed == [["'=namn"]] + [["'" + value] for value in expected]


def test_xlsx_writes_title_header_rows_and_values_with_their_types():
    sheet = Sheet(
        name="Fråga 35",
        title=["Fråga 35. Andel", "Andra raden"],
        header=[["Region", "Andel", "Antal"], [None, "procent", "personer"]],
        rows=[["Riket", 60, 4245026], ["Stockholm", 59, None]],
        number_formats={1: PERCENT_FORMAT},
        freeze_columns=1,
        bold_rows=frozenset({0}),
        notes=["Fotnot."],
    )

    ws = workbook(xlsx_bytes([sheet]))["Fråga 35"]

    assert ws["A1"].value == "Fråga 35. Andel"
    assert ws["A1"].font.b
    assert [c.value for c in ws[3]] == ["Region", "Andel", "Antal"]
    assert [c.value for c in ws[4]] == [None, "procent", "personer"]
    assert all(c.font.b for c in ws[3])
    assert ws.freeze_panes == "B5"
    assert ws["A5"].value == "Riket"
    assert ws["A5"].font.b
    assert not ws["A6"].font.b
    assert ws["B5"].value == 60
    assert ws["B5"].data_type == "n"
    assert ws["B5"].number_format == PERCENT_FORMAT
    assert ws["C5"].value == 4245026
    assert ws["C5"].data_type == "n"
    assert ws["C6"].value is None
    assert ws["A8"].value == "Fotnot."


def test_xlsx_stores_formula_strings_as_text_with_an_apostrophe():
    sheet = Sheet(
        name="Svar",
        header=[["=rubrik"]],
        rows=[[value] for value in [*INJECTIONS, "#N/A", "=1"]],
    )

    ws = workbook(xlsx_bytes([sheet]))["Svar"]

    assert ws["A1"].value == "'=rubrik"
    cells = [row[0] for row in ws.iter_rows(min_row=2)]
    # XML reads a carriage return back as a line feed.
    assert [c.value for c in cells] == [
        *("'" + value.replace("\r", "\n") for value in INJECTIONS),
        "#N/A",
        "'=1",
    ]
    assert {c.data_type for c in cells} == {"s"}


def test_the_xml_of_the_sheet_holds_no_formula():
    sheet = Sheet(name="Svar", header=[["a"]], rows=[['=HYPERLINK("x")'], ["=1+1"]])

    with zipfile.ZipFile(io.BytesIO(xlsx_bytes([sheet]))) as archive:
        xml = archive.read("xl/worksheets/sheet1.xml").decode()

    assert "<f>" not in xml
    assert "'=HYPERLINK" in xml


def test_xlsx_keeps_a_long_text_in_full_and_wraps_it():
    text = "Lång fritext. " * 360  # 5 040 characters
    sheet = Sheet(name="Svar", header=[["Kod", "Fritext"]], rows=[["01", text]])

    ws = workbook(xlsx_bytes([sheet]))["Svar"]

    assert ws["B2"].value == text
    assert ws["B2"].alignment.wrap_text
    assert ws.column_dimensions["B"].width == 50
    assert not ws["A2"].alignment.wrap_text


def test_column_widths_follow_the_values_and_wrapping_headers_within_limits():
    sheet = Sheet(
        name="Bredd",
        header=[
            ["K", "En mycket lång rubrik som bryts på flera rader i Excel", "C", "Ja"],
            [None, None, None, "Nämnare"],
            [None, "En frågetext som inte bryts och inte gör kolumnen bredare", None],
        ],
        rows=[["x", "Ja", "Västra Götalands läns RSS", 12]],
        wrap_header=(True, True, False),
    )

    ws = workbook(xlsx_bytes([sheet]))["Bredd"]

    assert ws.column_dimensions["A"].width == 6
    assert ws.column_dimensions["B"].width == 32
    assert ws.column_dimensions["C"].width == len("Västra Götalands läns RSS") + 2
    assert ws.column_dimensions["D"].width == len("Nämnare") + 2
    assert ws["B1"].alignment.wrap_text
    assert not ws["B3"].alignment.wrap_text


def test_a_cell_over_excels_limit_is_refused_naming_sheet_row_and_column():
    sheet = Sheet(
        name="Svar region 2024",
        header=[["Kod", "Fritext"]],
        rows=[["01", "kort"], ["03", "x" * 32_768]],
    )

    with pytest.raises(SpreadsheetError) as refused:
        xlsx_bytes([sheet])

    message = str(refused.value)
    assert "”Svar region 2024”" in message
    assert "B3" in message and "rad 3, kolumn 2" in message
    assert "32768 tecken" in message
    assert isinstance(refused.value, DocumentError)


def test_a_cell_at_excels_limit_is_written_in_full():
    text = "x" * 32_767
    sheet = Sheet(name="Svar", header=[["Fritext"]], rows=[[text]])

    assert workbook(xlsx_bytes([sheet]))["Svar"]["A2"].value == text


def test_control_characters_xml_cannot_hold_are_dropped_before_neutralising():
    sheet = Sheet(name="Svar", header=[["a"]], rows=[["\x01=1+1 och\x0b mer"]])

    cell = workbook(xlsx_bytes([sheet]))["Svar"]["A2"]

    assert cell.value == "'=1+1 och mer"
    assert cell.data_type == "s"


def test_times_are_written_as_local_excel_dates():
    moment = datetime.datetime(2025, 3, 31, 21, 30, tzinfo=datetime.UTC)
    sheet = Sheet(name="Tid", header=[["Inskickad"]], rows=[[moment]])

    cell = workbook(xlsx_bytes([sheet]))["Tid"]["A2"]

    assert cell.is_date
    assert cell.value == timezone.localtime(moment).replace(tzinfo=None)
    assert cell.value.hour == 23  # Stockholm, summer time


def test_sheet_names_are_cleaned_cut_and_made_distinct():
    names = sheet_names(
        [
            "Fråga 8: mål/uppföljning [2024]?",
            "K01 Hälsofrämjande och förebyggande arbete för äldre",
            "K01 Hälsofrämjande och förebyggande arbete för barn",
            "'Citat'",
            "***",
            "fråga 8 mål",
        ]
    )

    assert names[0] == "Fråga 8 mål uppföljning 2024"
    assert names[1] == "K01 Hälsofrämjande och förebygg"
    assert names[2] == "K01 Hälsofrämjande och före (2)"
    assert names[3] == "Citat"
    assert names[4] == "Blad"
    assert all(len(name) <= 31 for name in names)
    assert len({name.casefold() for name in names}) == len(names)


def test_the_sheets_get_those_names_in_the_workbook():
    sheets = [
        Sheet(name="a/b", header=[["x"]], rows=[]),
        Sheet(name="A/B", header=[["x"]], rows=[]),
    ]

    assert workbook(xlsx_bytes(sheets)).sheetnames == ["a b", "A B (2)"]


def test_progress_is_reported_up_to_the_total():
    seen = []
    sheet = Sheet(name="Rader", header=[["n"]], rows=[[n] for n in range(250)])

    xlsx_bytes([sheet], progress=lambda done, total: seen.append((done, total)))

    assert seen == [(100, 250), (200, 250), (250, 250)]
