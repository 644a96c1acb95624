"""The appendix PDF, "Bilaga 3. Tabeller och figurer", from the stored results."""

from __future__ import annotations

import re

import pytest

from aggregation.selectors import AppendixTable, appendix_tables
from aggregation.services import aggregation_fresh_run
from regions.models import Organisation
from reports.documents import appendix as appendix_document
from reports.documents.appendix import appendix_html, appendix_layout, appendix_pdf
from tests.reports.pdf_checks import (
    fonts,
    html,
    landscape_pages,
    page_texts,
    table_rows,
)
from tests.surveys.helpers import attrs, by_id, find_all, text

pytestmark = pytest.mark.django_db

# The documents of the region_results fixture, rendered once for the module (rendering
# takes seconds; every test gets the same fixture data, so the same document).
_rendered: dict[str, object] = {}


@pytest.fixture
def document(request) -> str:
    if "html" not in _rendered:
        run = request.getfixturevalue("region_results")
        _rendered["html"] = appendix_html(run=run)
    return _rendered["html"]


@pytest.fixture
def appendix(request) -> bytes:
    if "pdf" not in _rendered:
        run = request.getfixturevalue("region_results")
        _rendered["pdf"] = appendix_pdf(run=run)
    return _rendered["pdf"]


@pytest.fixture
def texts(appendix) -> list[str]:
    if "texts" not in _rendered:
        _rendered["texts"] = page_texts(appendix)
    return _rendered["texts"]


def sections(document: str) -> dict[str, list]:
    """Question code → the printed tables of its block (cells row by row)."""
    root = html(document)
    found: dict[str, list] = {}
    for section in find_all(root, "section"):
        if "table-block" not in (attrs(section).get("class") or ""):
            continue
        heading = find_all(section, "h2")[0]
        code = attrs(heading)["data-chapter"].removeprefix("Fråga ")
        found[code] = [table_rows(t) for t in find_all(section, "table")]
    return found


def test_the_appendix_opens_with_its_title_questionnaire_and_year(
    region_results, document
):
    root = html(document)
    assert text(find_all(root, "h1")[0]) == "Bilaga 3. Tabeller och figurer"
    assert region_results.questionnaire.title in text(root)
    assert "Uppgifterna avser år 2024" in text(root)
    assert "Svar från 3 av 21 regioner" in text(root)


def test_every_table_prints_the_stored_values_exactly_and_dots_where_none(
    region_results, document
):
    stored = appendix_tables(run=region_results)

    printed = sections(document)

    assert list(printed) == [t.code for t in stored]
    for table in stored:
        # At most 8 columns in 2024: one printed table per question.
        (rows,) = printed[table.code]
        # The flag of an unconfirmed flagged value follows the value (test_pdf_caveats).
        rows = [[cell.removesuffix(" *") for cell in row] for row in rows]
        assert rows[1:] == [
            [name, *(value or ".." for value in values)] for name, values in table.rows
        ], table.code


def test_riket_comes_first_then_the_21_regions_in_county_code_order(
    region_results, document
):
    regions = list(
        Organisation.objects.filter(kind=Organisation.Kind.REGION)
        .order_by("county__code")
        .values_list("name", flat=True)
    )

    printed = sections(document)

    names = [row[0] for row in printed["2"][0][1:]]
    assert names == ["Riket", *regions]
    assert len(regions) == 21
    assert printed["2"][0][1] == ["Riket", "2/3"]


def test_the_national_row_is_bold_and_set_apart(document):
    root = html(document)

    riket_rows = [
        row for row in find_all(root, "tr") if attrs(row).get("class") == "riket"
    ]
    assert riket_rows
    assert all(text(row).startswith("Riket") for row in riket_rows)


def test_items_are_the_columns_of_a_matrix(region_results, document):
    question = region_results.questionnaire.questions.get(code="8")

    printed = sections(document)

    assert printed["8"][0][0] == ["Region", *question.items]


def test_single_column_tables_name_what_they_hold(document):
    printed = sections(document)

    assert printed["2"][0][0] == ["Region", "Svar"]
    assert printed["35"][0][0] == ["Region", "Andel"]
    assert printed["36"][0][0] == ["Region", "Antal"]


def test_the_questions_footnote_is_printed_under_its_table(region_results, document):
    footnote = region_results.questionnaire.questions.get(code="35").footnote
    assert footnote

    root = html(document)

    notes = [text(p) for p in find_all(root, "p", **{"class": "footnote"})]
    assert " ".join(f"Not: {footnote}".split()) in notes


def test_a_mean_percent_question_gets_a_bar_chart_with_unit_and_answering_regions(
    document,
):
    root = html(document)

    captions = [text(c) for c in find_all(root, "figcaption")]
    (caption,) = [c for c in captions if "fråga 35" in c]
    assert "Andel (%) per region" in caption
    assert "2 regioner har angett en siffra" in caption
    assert "1 kan inte uppskatta den (Norrbotten)" in caption
    values = [text(p) for p in find_all(root, "p", **{"class": "chart-values"})]
    assert any(v.startswith("Värden: Uppsala: 60 %; Stockholm: 59 %") for v in values)


def test_progress_is_reported_once_per_table(region_results):
    calls = []

    appendix_html(
        run=region_results, progress=lambda done, total: calls.append((done, total))
    )

    total = len(appendix_tables(run=region_results))
    assert calls == [(done, total) for done in range(1, total + 1)]


@pytest.mark.parametrize(
    ("columns", "orientation", "widths"),
    [
        (1, "portrait", [1]),
        (2, "portrait", [2]),
        (4, "portrait", [4]),
        (6, "landscape", [6]),
        (8, "landscape", [8]),
        (12, "landscape", [6, 6]),
        (17, "landscape", [6, 6, 5]),
    ],
)
def test_wide_tables_turn_the_page_and_the_widest_are_split(
    columns, orientation, widths
):
    layout = appendix_layout([f"Delfråga {n}" for n in range(columns)])

    assert layout[0] == orientation
    assert [len(part) for part in layout[1]] == widths
    assert [i for part in layout[1] for i in part] == list(range(columns))


def test_long_headers_turn_a_narrow_table_to_landscape():
    assert appendix_layout(["kort", "x" * 150, "y"])[0] == "landscape"


def wide_table() -> AppendixTable:
    columns = [f"Alternativ {n} med en lång rubrik som radbryts" for n in range(12)]
    return AppendixTable(
        code="W1",
        text="En bred fråga med tolv delfrågor",
        columns=columns,
        rows=[
            ("Riket", [f"{n}/3" for n in range(12)]),
            ("Riket 2023", [f"{n}/21" for n in range(12)]),
            ("Stockholm", ["Ja"] * 12),
            ("Uppsala", ["."] * 12),
        ],
    )


def test_a_table_too_wide_for_landscape_is_split_repeating_the_region_column(
    region_results, monkeypatch
):
    original = appendix_tables
    monkeypatch.setattr(
        appendix_document,
        "appendix_tables",
        lambda *, run: [*original(run=run), wide_table()],
    )

    root = html(appendix_html(run=region_results))

    (block,) = [
        section
        for section in find_all(root, "section")
        if any(text(h).endswith("Fråga W1") for h in find_all(section, "h2"))
    ]
    assert "landscape" in attrs(block)["class"]
    headings = [text(h) for h in find_all(block, "h2")]
    assert headings[0].endswith("Fråga W1")
    assert headings[1].endswith("Fråga W1 (forts.)")
    tables = [table_rows(t) for t in find_all(block, "table")]
    assert len(tables) == 2
    assert (
        [row[0] for row in tables[0]]
        == [row[0] for row in tables[1]]
        == [
            "Region",
            "Riket",
            "Riket 2023",
            "Stockholm",
            "Uppsala",
        ]
    )
    assert tables[0][1][1:] + tables[1][1][1:] == [f"{n}/3" for n in range(12)]
    kinds = [attrs(row).get("class") for row in find_all(block, "tr")[:4]]
    assert kinds == [None, "riket", "riket-previous", "first-region"]


def test_the_pdf_holds_the_headings_and_the_published_values(texts):
    content = " ".join(" ".join(texts).split())

    assert "Bilaga 3. Tabeller och figurer" in content
    assert "Tabell 1. Fråga 2" in content
    assert "Riket 2/3" in content
    assert "Stockholm 59 %" in content
    assert "Norrbotten Andelen kan inte uppskattas" in content


def test_the_pdf_numbers_its_pages(texts):
    assert all(
        f"Sida {number} av {len(texts)}" in page
        for number, page in enumerate(texts, start=1)
    )


def test_the_pdf_embeds_its_fonts(appendix):
    used = fonts(appendix)

    assert used
    assert all(embedded for _, embedded in used), used


def test_the_matrix_of_six_items_is_on_a_landscape_page(appendix, texts):
    wide = landscape_pages(appendix)

    assert wide
    assert any("Fråga 8" in texts[index] for index in wide)
    assert not re.search(r"Fråga 2\b", " ".join(texts[index] for index in wide))


def intro(html_text: str) -> str:
    return text(by_id(html(html_text), "appendix-intro"))


def test_the_introduction_of_the_region_appendix_speaks_of_regions(document):
    said = intro(document)

    assert said.startswith("Tabellerna visar varje regions svar")
    assert "antalet regioner som svarat ”Ja”" in said
    assert "(regionen har inte besvarat frågan)" in said


def test_the_introduction_of_the_grant_report_speaks_of_municipalities_and_amounts(
    cycle_2024,
):
    run = aggregation_fresh_run(questionnaire=cycle_2024["statsbidrag"])

    said = intro(appendix_html(run=run))

    assert said.startswith(
        "Tabellerna visar belopp i kronor: varje kommuns belopp och raden Riket överst"
    )
    assert "antalet kommuner som rekvirerat statsbidrag" in said
    assert "(kommunen har inte besvarat frågan)" in said
    assert "region" not in said
    assert "”Ja”" not in said
