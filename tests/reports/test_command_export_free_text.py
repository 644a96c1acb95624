import csv
import io

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from regions.models import Organisation
from surveys.answers import Value
from surveys.services import response_get_or_create, response_save_answers
from tests.reports.conftest import submit

pytestmark = pytest.mark.django_db

HEADER = ["question", "item", "organisation", "county", "rss", "status", "answer"]
FORMULA = "=1+1 och mer"


def export(**options):
    stdout, stderr = io.StringIO(), io.StringIO()
    call_command("export_free_text", stdout=stdout, stderr=stderr, **options)
    return stdout.getvalue(), stderr.getvalue()


def rows_of(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def answered(cycle_2024, staff):
    """Karlskrona (RSS-10) and Upplands Väsby (RSS-01) submitted; Ronneby (RSS-10) has a
    draft with one K02 answer."""
    municipal = cycle_2024["municipality"]
    submit(
        municipal,
        "1080",
        staff,
        {
            ("K02", ""): Value(text="Mobila team\növer hela länet"),
            ("K05", "barn och unga"): Value(text="Familjecentral"),
            ("K05", "personer med funktionsnedsättning"): Value(text=FORMULA),
        },
    )
    submit(municipal, "0114", staff, {("K02", ""): Value(text="Väsby K02")})
    draft = response_get_or_create(
        questionnaire=municipal, organisation=Organisation.objects.get(code="1081")
    )
    response_save_answers(
        response=draft,
        values={("K02", ""): Value(text="Ronneby utkast")},
        by=staff,
        version=draft.version,
    )
    return municipal


def test_writes_question_item_organisation_county_rss_status_answer(answered):
    out, _err = export(
        cycle=2024, questionnaire="municipality", question="K02", format="csv"
    )

    assert out.splitlines()[0] == ",".join(HEADER)
    assert rows_of(out) == [
        {
            "question": "K02",
            "item": "",
            "organisation": "Upplands Väsby",
            "county": "Stockholms län",
            "rss": "RSS Stockholms län",
            "status": "submitted",
            "answer": "Väsby K02",
        },
        {
            "question": "K02",
            "item": "",
            "organisation": "Karlskrona",
            "county": "Blekinge län",
            "rss": "RSS Blekinge län",
            "status": "submitted",
            "answer": "Mobila team\növer hela länet",
        },
        {
            "question": "K02",
            "item": "",
            "organisation": "Ronneby",
            "county": "Blekinge län",
            "rss": "RSS Blekinge län",
            "status": "draft",
            "answer": "Ronneby utkast",
        },
    ]


def test_the_area_narrows_to_its_municipalities(answered):
    out, _err = export(
        cycle=2024, questionnaire="municipality", question="K02", area="RSS-10"
    )

    assert [r["organisation"] for r in rows_of(out)] == ["Karlskrona", "Ronneby"]


def test_without_a_question_every_free_text_answer_but_the_contact_details(answered):
    out, _err = export(cycle=2024, questionnaire="municipality", area="RSS-10")

    rows = rows_of(out)
    karlskrona = [
        (r["question"], r["item"]) for r in rows if r["organisation"] == "Karlskrona"
    ]
    assert ("K05", "barn och unga") in karlskrona
    assert ("K05", "personer med funktionsnedsättning") in karlskrona
    assert not any(r["question"] == "kontakt" for r in rows)
    # Items in the question's order, questions in the questionnaire's order.
    codes = [q for q, _item in karlskrona]
    assert codes.index("K02") < codes.index("K05")
    # A formula is written as text.
    assert "'" + FORMULA in {r["answer"] for r in rows}


def test_xlsx_has_swedish_headers_and_the_text_in_full(answered, tmp_path):
    target = tmp_path / "fritext.xlsx"

    export(
        cycle=2024,
        questionnaire="municipality",
        question="K05",
        area="RSS-10",
        format="xlsx",
        output=str(target),
    )

    sheet = openpyxl.load_workbook(target).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    header_at = next(i for i, row in enumerate(values) if row[0] == "Fråga")
    assert values[header_at] == [
        "Fråga",
        "Delfråga",
        "Organisation",
        "Län",
        "RSS",
        "Status",
        "Svar",
    ]
    assert values[header_at + 1] == [
        "K05",
        "barn och unga",
        "Karlskrona",
        "Blekinge län",
        "RSS Blekinge län",
        "Inskickad",
        "Familjecentral",
    ]
    # The other two boxes hold the text the helper fills in; the last is a formula.
    assert values[header_at + 4][1:] == [
        "personer med funktionsnedsättning",
        "Karlskrona",
        "Blekinge län",
        "RSS Blekinge län",
        "Inskickad",
        "'" + FORMULA,
    ]


def test_an_unknown_question_is_refused_with_the_free_text_codes(answered):
    with pytest.raises(CommandError) as error:
        export(cycle=2024, questionnaire="municipality", question="K99")

    assert "Frågan ”K99” finns inte" in str(error.value)
    assert "K02, K03" in str(error.value)


def test_a_question_that_is_not_free_text_is_refused(answered):
    with pytest.raises(CommandError, match=r"K04 .* är inte en fritextfråga"):
        export(cycle=2024, questionnaire="municipality", question="K04")


def test_the_contact_details_are_not_exported_as_a_question(answered):
    with pytest.raises(CommandError, match="är inte en fritextfråga"):
        export(cycle=2024, questionnaire="municipality", question="kontakt")


def test_an_unknown_area_is_refused_with_the_rss_codes(answered):
    with pytest.raises(CommandError) as error:
        export(cycle=2024, questionnaire="municipality", area="RSS-99")

    assert "Området ”RSS-99” finns inte" in str(error.value)
    assert "RSS-01" in str(error.value)


def test_an_area_of_the_region_questionnaire_is_refused(cycle_2024):
    with pytest.raises(CommandError, match="--area gäller enkäterna till kommunerna"):
        export(cycle=2024, questionnaire="region", area="RSS-01")


def test_an_unknown_cycle_or_format_is_refused(cycle_2024):
    with pytest.raises(CommandError, match="Cykeln 1999 finns inte"):
        export(cycle=1999, questionnaire="municipality")
    with pytest.raises(CommandError, match="Formatet ”pdf” finns inte"):
        export(cycle=2024, questionnaire="municipality", format="pdf", output="x.pdf")
