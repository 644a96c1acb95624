"""The shares report: national chart per question, then tables per county and per RSS."""

from __future__ import annotations

import pytest

from aggregation.services import aggregation_fresh_run
from regions.models import Organisation
from reports.documents.shares import shares_html, shares_pdf
from surveys.answers import Value
from tests.reports.conftest import submit
from tests.reports.pdf_checks import fonts, html, page_numbers_ok, pdf_text, table_rows
from tests.surveys.helpers import attrs, find_all, text, walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def municipal_results(cycle_2024, staff):
    """Gotland's RSS (1 municipality) and Uppsala's (8) compiled K06; the municipal run."""
    rss = cycle_2024["rss"]
    submit(rss, "RSS-09", staff, {("S03-K06", "Ja"): Value(number=1)})
    submit(
        rss,
        "RSS-03",
        staff,
        {
            ("S03-K06", "Ja"): Value(number=5),
            ("S03-K06", "Nej"): Value(number=3),
            ("S03-K01", "Anhörigstöd"): Value(number=6),
            ("S03-K01", "Fallprevention"): Value(number=2),
            ("S03-K01", "Antal kommuner som besvarat frågan"): Value(number=8),
        },
    )
    return aggregation_fresh_run(questionnaire=cycle_2024["municipality"])


def table_headings(section) -> list:
    """The heading of each table (h3 under the question, h4 under an item's h3)."""
    return [e for e in walk(section) if attrs(e).get("class") == "table-heading"]


def question_section(root, code: str):
    for section in find_all(root, "section"):
        headings = find_all(section, "h2")
        if headings and text(headings[0]) == f"Fråga {code}":
            return section
    raise AssertionError(f"no section for {code}")


def test_each_question_has_a_chart_of_the_national_shares(municipal_results):
    root = html(shares_html(run=municipal_results))

    section = question_section(root, "K06")
    captions = [text(c) for c in find_all(section, "figcaption")]
    assert captions == ["Figur 2. Andel kommuner (%), fråga K06. Riket, n = 9"]
    values = [text(p) for p in find_all(section, "p", **{"class": "chart-values"})]
    assert values == ["Värden: Ja: 67 %; Nej: 33 %."]
    assert find_all(section, "svg")


def test_county_and_rss_tables_give_count_denominator_and_percent(municipal_results):
    root = html(shares_html(run=municipal_results))

    tables = [table_rows(t) for t in find_all(question_section(root, "K06"), "table")]

    county, rss = tables
    assert county[0] == ["Län", "Underlag", "Kommuner", "n", "Ja", "Nej"]
    assert county[1] == ["Antal", "Andel", "Antal", "Andel"]
    assert county[2:5] == [
        ["Riket", "antal", "9", "9", "6", "67 %", "3", "33 %"],
        # No data in the area: ".." (a missing figure), not 0 or "–".
        ["Stockholms län", "saknas", "0", "0", "..", "..", "..", ".."],
        ["Uppsala län", "antal", "8", "8", "5", "63 %", "3", "38 %"],
    ]
    assert ["Gotlands län", "antal", "1", "1", "1", "100 %", "0", "0 %"] in county
    assert len(county) == 2 + 1 + 21
    names = dict(
        Organisation.objects.filter(code__in=["RSS-03", "RSS-09"]).values_list(
            "code", "name"
        )
    )
    assert rss[0][0] == "RSS"
    assert len(rss) == 2 + 1 + 24
    assert rss[2] == ["Riket", "antal", "9", "9", "6", "67 %", "3", "33 %"]
    assert [names["RSS-03"], "antal", "8", "8", "5", "63 %", "3", "38 %"] in rss
    assert [names["RSS-09"], "antal", "1", "1", "1", "100 %", "0", "0 %"] in rss


def test_the_pdf_lists_every_rss_area_with_its_source_and_names_those_without_data(
    municipal_results,
):
    root = html(shares_html(run=municipal_results))

    (coverage,) = [
        table_rows(t)
        for t in find_all(root, "table")
        if attrs(t).get("class") == "coverage"
    ]
    assert coverage[0] == ["RSS-område", "Län", "Underlag", "Kommuner", "I området"]
    assert len(coverage) == 1 + 24
    names = dict(Organisation.objects.values_list("code", "name"))
    assert [names["RSS-03"], "Uppsala län", "RSS:ens antal", "8", "8"] in coverage
    assert [names["RSS-01"], "Stockholms län", "Uppgift saknas", "0", "26"] in coverage
    (missing,) = [
        text(p) for p in find_all(root, "p") if attrs(p).get("class") == "missing"
    ]
    assert missing.startswith("Områden utan uppgifter:")
    assert f"{names['RSS-01']} (Stockholms län)" in missing
    assert names["RSS-03"] not in missing
    assert "Underlaget omfattar 9 av 290 kommuner" in text(root)


def test_the_tables_say_what_is_counted(municipal_results):
    root = html(shares_html(run=municipal_results))

    section = question_section(root, "K06")
    headings = [text(h) for h in table_headings(section)]
    assert headings == [
        "Per län: antal och andel kommuner",
        "Per RSS: antal och andel kommuner",
    ]
    assert "n = antal kommuner som besvarat frågan" in text(section)


def test_a_multiple_choice_is_one_chart_and_one_table_of_its_alternatives(
    municipal_results,
):
    root = html(shares_html(run=municipal_results))

    section = question_section(root, "K01")
    (caption,) = [text(c) for c in find_all(section, "figcaption")]
    assert "Andel kommuner (%) som valt respektive alternativ, fråga K01" in caption
    # Gotland's RSS gave 0 as the number of municipalities answering K01: only Uppsala's 8.
    assert "n = 8" in caption
    values = text(find_all(section, "p", **{"class": "chart-values"})[0])
    assert "Anhörigstöd: 75 %" in values
    county_tables = [
        table_rows(t)
        for t, h in zip(
            find_all(section, "table"), table_headings(section), strict=True
        )
        if text(h).startswith("Per län")
    ]
    # 17 alternatives do not fit one table: split, the county column repeated.
    assert len(county_tables) > 1
    alternatives = [cell for table in county_tables for cell in table[0][4:]]
    assert alternatives[:2] == ["Samverkansinsatser", "Utskrivningsprocessen"]
    assert "Anhörigstöd" in alternatives
    assert all(table[0][0] == "Län" for table in county_tables)


def test_region_shares_are_over_regions_per_county(region_results):
    root = html(shares_html(run=region_results))

    section = question_section(root, "2")
    (caption,) = [text(c) for c in find_all(section, "figcaption")]
    assert caption.endswith("Andel regioner (%), fråga 2. Riket, n = 3")
    (county,) = [table_rows(t) for t in find_all(section, "table")]
    assert county[2] == ["Riket", "3", "2", "67 %", "1", "33 %"]
    assert [text(h) for h in table_headings(section)] == [
        "Per län: antal och andel regioner"
    ]


def test_a_questionnaire_without_shares_gets_a_page_that_says_so(cycle_2024, staff):
    extra = cycle_2024["extra"]
    submit(extra, "0114", staff)
    run = aggregation_fresh_run(questionnaire=extra)

    root = html(shares_html(run=run))

    assert not find_all(root, "table")
    empty = [d for d in find_all(root, "div") if attrs(d).get("class") == "empty"]
    assert empty
    assert "inga andelar att redovisa" in text(empty[0])
    assert "fritext" in text(empty[0])


def test_the_shares_pdf_holds_headings_and_numbers(municipal_results):
    data = shares_pdf(run=municipal_results)

    content = pdf_text(data)
    assert "Andelar per län och RSS" in content
    assert "Fråga K06" in content
    assert "Andel kommuner (%), fråga K06. Riket, n = 9" in content
    assert "Uppsala län antal 8 8 5 63 % 3 38 %" in content
    assert "Områden utan uppgifter:" in content
    assert page_numbers_ok(data)
    assert all(embedded for _, embedded in fonts(data))
