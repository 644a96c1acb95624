"""The region profile PDF: one region's published values beside Riket."""

from __future__ import annotations

import pytest

from aggregation.selectors import AppendixTable, appendix_tables
from regions.models import Organisation
from reports import profiles
from reports.documents.region_profile import region_profile_html, region_profile_pdf
from tests.reports.pdf_checks import fonts, html, page_numbers_ok, pdf_text, table_rows
from tests.surveys.helpers import find_all, text

pytestmark = pytest.mark.django_db


def profile_tables(document: str) -> dict[str, list[list[str]]]:
    root = html(document)
    found = {}
    for section in find_all(root, "section"):
        heading = text(find_all(section, "h2")[0])
        found[heading.removeprefix("Fråga ")] = table_rows(
            find_all(section, "table")[0]
        )
    return found


def test_each_appendix_question_shows_the_regions_value_beside_riket(region_results):
    stockholm = Organisation.objects.get(code="01")

    tables = profile_tables(
        region_profile_html(run=region_results, organisation=stockholm)
    )

    assert list(tables) == [t.code for t in appendix_tables(run=region_results)]
    assert tables["2"] == [["", "Stockholm", "Riket"], ["Svar", "Ja", "2/3"]]
    assert tables["35"] == [["", "Stockholm", "Riket"], ["Andel", "59 %", "60 %"]]
    matrix = tables["8"]
    assert matrix[0] == ["Delfråga", "Stockholm", "Riket"]
    assert [row[0] for row in matrix[1:]] == list(
        region_results.questionnaire.questions.get(code="8").items
    )


def test_a_region_that_could_not_estimate_shows_that_answer(region_results):
    norrbotten = Organisation.objects.get(code="25")

    tables = profile_tables(
        region_profile_html(run=region_results, organisation=norrbotten)
    )

    assert tables["35"][1] == ["Andel", "Andelen kan inte uppskattas", "60 %"]


def test_a_region_without_answers_shows_dots_for_no_answer(region_results):
    gotland = Organisation.objects.get(code="09")

    document = region_profile_html(run=region_results, organisation=gotland)

    assert profile_tables(document)["2"][1] == ["Svar", "..", "2/3"]
    assert "Regionen har inte skickat in några svar" in text(html(document))


def test_earlier_years_national_rows_stand_beside_riket(region_results, monkeypatch):
    def with_previous(*, run):
        tables = appendix_tables(run=run)
        first = tables[0]
        first.rows.insert(1, ("Riket 2023", ["15/21"]))
        return [AppendixTable(first.code, first.text, first.columns, first.rows)]

    monkeypatch.setattr(profiles, "appendix_tables", with_previous)
    stockholm = Organisation.objects.get(code="01")

    tables = profile_tables(
        region_profile_html(run=region_results, organisation=stockholm)
    )

    assert tables["2"] == [
        ["", "Stockholm", "Riket", "Riket 2023"],
        ["Svar", "Ja", "2/3", "15/21"],
    ]


def test_a_mean_percent_chart_marks_the_region(region_results):
    stockholm = Organisation.objects.get(code="01")

    root = html(region_profile_html(run=region_results, organisation=stockholm))

    values = [text(p) for p in find_all(root, "p", **{"class": "chart-values"})]
    assert "Värden: Uppsala: 60 %; ▶ Stockholm: 59 %." in values


def test_the_profile_pdf_names_the_region_and_holds_its_values(region_results):
    stockholm = Organisation.objects.get(code="01")

    data = region_profile_pdf(run=region_results, organisation=stockholm)

    content = pdf_text(data)
    assert "Regionprofil: Region Stockholm" in content
    assert "Andel 59 % 60 %" in content
    assert "Svar Ja 2/3" in content
    assert page_numbers_ok(data)
    assert all(embedded for _, embedded in fonts(data))
