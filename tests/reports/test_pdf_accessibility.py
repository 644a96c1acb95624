"""Every PDF is an accessible document (PDF/UA-1): tagged, in Swedish, with a title,
headings as the outline, real table headers and the charts' text alternatives; and
every PDF names the agency, the publication date and the article number."""

from __future__ import annotations

import datetime
import html as html_module
import itertools
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.template import Context, Template

from aggregation.services import aggregation_fresh_run
from regions.models import Organisation
from reports.documents.appendix import appendix_html
from reports.documents.questionnaire import questionnaire_html, questionnaire_pdf
from reports.documents.receipt import receipt_html, receipt_pdf
from reports.documents.region_profile import region_profile_html
from reports.documents.shares import shares_html
from reports.pdf import base_context, html_to_pdf
from surveys.answers import Value
from tests.reports.conftest import submit
from tests.reports.pdf_checks import (
    DC_NS,
    PDFUA_NS,
    catalog,
    html,
    outline,
    page_texts,
    reader,
    structure,
    xmp_values,
)
from tests.surveys.helpers import find_all, text, walk

pytestmark = pytest.mark.django_db

PROJECT = Path(__file__).resolve().parents[2]


def _municipal_results(request):
    cycle = request.getfixturevalue("cycle_2024")
    staff = request.getfixturevalue("staff")
    submit(
        cycle["rss"],
        "RSS-03",
        staff,
        {
            ("S03-K06", "Ja"): Value(number=5),
            ("S03-K06", "Nej"): Value(number=3),
        },
    )
    return aggregation_fresh_run(questionnaire=cycle["municipality"])


def _receipt(run):
    """Region Stockholm's submitted response to the region questionnaire."""
    return run.questionnaire.responses.get(organisation__code="01")


@dataclass(frozen=True)
class Built:
    name: str
    html: str
    pdf: bytes


# Each document: its HTML from the fixtures' answers (the PDF is html_to_pdf of it, as
# each document's *_pdf function makes it), and the title it must carry.
DOCUMENTS: dict[str, tuple[Callable, str]] = {
    "appendix": (
        lambda request: appendix_html(run=request.getfixturevalue("region_results")),
        "Bilaga 3. Tabeller och figurer",
    ),
    "shares": (
        lambda request: shares_html(run=_municipal_results(request)),
        "Andelar per län och RSS",
    ),
    "region_shares": (
        lambda request: shares_html(run=request.getfixturevalue("region_results")),
        "Andelar per län och RSS",
    ),
    "region_profile": (
        lambda request: region_profile_html(
            run=request.getfixturevalue("region_results"),
            organisation=Organisation.objects.get(code="01"),
        ),
        "Regionprofil: Region Stockholm",
    ),
    "questionnaire": (
        lambda request: questionnaire_html(
            questionnaire=request.getfixturevalue("cycle_2024")["rss"]
        ),
        "Enkät till de regionala samverkans- och stödstrukturerna (RSS) 2024",
    ),
    "receipt": (
        lambda request: receipt_html(
            response=_receipt(request.getfixturevalue("region_results"))
        ),
        "Kvitto: Region Stockholm, Enkät till regionerna 2024 – uppföljning av "
        "omställningen till en god och nära vård",
    ),
}
# The documents that draw charts (with the fixtures' answers).
WITH_CHARTS = {"appendix", "shares", "region_shares", "region_profile"}

# Rendering takes seconds: each document once for the module (the same fixture data).
_built: dict[str, Built] = {}


@pytest.fixture(params=list(DOCUMENTS))
def built(request) -> Built:
    name = request.param
    if name not in _built:
        document = DOCUMENTS[name][0](request)
        _built[name] = Built(name, document, html_to_pdf(document))
    return _built[name]


def html_title(document: str) -> str:
    """The document's <title> (the charts' SVG titles come after it)."""
    return text(find_all(html(document), "title")[0])


def chart_titles(document: str) -> list[str]:
    """The text alternative of every chart of the HTML, in order (the SVG's <title>)."""
    return [
        html_module.unescape(title)
        for title in re.findall(r'<title id="[^"]*-title">([^<]*)</title>', document)
    ]


def test_every_pdf_is_tagged_pdf_ua_1_in_swedish(built):
    pdf = built.pdf
    root = catalog(pdf)

    assert "/StructTreeRoot" in root
    assert structure(pdf).role == "Document"
    assert root["/MarkInfo"]["/Marked"] == True  # noqa: E712 (a PDF boolean)
    assert root["/Lang"] == "sv"
    # The PDF/UA identification in the XMP metadata: part 1 (ISO 14289-1).
    assert xmp_values(pdf)[f"{{{PDFUA_NS}}}part"] == ["1"]


def test_every_pdf_has_its_title_shown_as_the_windows_title(built):
    title = DOCUMENTS[built.name][1]

    assert html_title(built.html) == title
    assert reader(built.pdf).metadata.title == title
    assert xmp_values(built.pdf)[f"{{{DC_NS}}}title"] == [title]
    assert catalog(built.pdf)["/ViewerPreferences"]["/DisplayDocTitle"] == True  # noqa: E712


def test_every_chart_is_a_figure_with_its_text_alternative(built):
    figures = structure(built.pdf).find("Figure")

    assert [figure.alt for figure in figures] == chart_titles(built.html)
    assert all(figure.alt.strip() for figure in figures)
    if built.name in WITH_CHARTS:
        assert figures


def test_tables_have_header_cells_and_every_data_cell_names_its_headers(built):
    tables = structure(built.pdf).find("Table")

    assert tables
    for table in tables:
        assert table.find("TH"), "a table without header cells"
        for cell in table.find("TD"):
            headers = cell.attributes.get("/Headers") or []
            assert headers, "a data cell without its header cells"


def test_headings_start_at_h1_and_skip_no_level(built):
    levels = [
        int(tag.role[1])
        for tag in structure(built.pdf).walk()
        if re.fullmatch(r"H[1-6]", tag.role)
    ]

    assert levels[0] == 1
    assert levels.count(1) == 1
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, f"H{before} followed by H{after}"


def test_the_outline_is_the_headings_h1_to_h3_in_order(built):
    headings = [
        (int(element.name[1]), text(element))
        for element in walk(html(built.html))
        if element.name in ("h1", "h2", "h3")
    ]

    assert outline(built.pdf) == headings


def test_every_page_names_the_agency_and_its_number(built):
    texts = page_texts(built.pdf)

    for number, page in enumerate(texts, start=1):
        assert "Socialstyrelsen · " in page
        assert f"Sida {number} av {len(texts)}" in page


def test_the_agency_publication_date_and_article_number_are_printed_and_in_the_metadata(
    cycle_2024, settings
):
    settings.AGENCY_NAME = "Myndigheten för vårdanalys"
    settings.PUBLICATION_DATE = datetime.date(2025, 6, 12)
    settings.ARTICLE_NUMBER = "2025-6-12"

    pdf = questionnaire_pdf(questionnaire=cycle_2024["region"])

    imprint = (
        "Myndigheten för vårdanalys · Publicerad 12 juni 2025 · Artikelnummer 2025-6-12"
    )
    assert all(imprint in page for page in page_texts(pdf))
    info = reader(pdf).metadata
    assert info.author == "Myndigheten för vårdanalys"
    assert info["/Publisher"] == "Myndigheten för vårdanalys"
    assert info["/Keywords"] == "Artikelnummer 2025-6-12"
    assert info.subject == imprint
    assert xmp_values(pdf)[f"{{{DC_NS}}}creator"] == ["Myndigheten för vårdanalys"]


def test_without_a_publication_date_a_pdf_gives_the_day_it_is_made(
    cycle_2024, settings
):
    settings.PUBLICATION_DATE = None
    settings.ARTICLE_NUMBER = ""

    pdf = questionnaire_pdf(questionnaire=cycle_2024["extra"])

    # The tests run on 15 January 2025.
    (first, *_) = page_texts(pdf)
    assert "Socialstyrelsen · Publicerad 15 januari 2025 Sida 1 av" in first
    assert "Artikelnummer" not in first
    assert "/Keywords" not in reader(pdf).metadata


def test_a_receipt_gives_the_day_it_was_made_not_a_publication(
    region_results, settings
):
    settings.PUBLICATION_DATE = datetime.date(2025, 6, 12)
    settings.ARTICLE_NUMBER = "2025-6-12"

    pdf = receipt_pdf(response=_receipt(region_results))

    texts = page_texts(pdf)
    assert all("Socialstyrelsen · Skapad 15 januari 2025" in page for page in texts)
    assert not any("Artikelnummer" in page or "12 juni" in page for page in texts)
    assert reader(pdf).metadata.author == "Socialstyrelsen"


def test_a_table_longer_than_a_page_repeats_its_header_row_on_every_page():
    template = Template(
        '{% extends "reports/pdf/base.html" %}{% block content %}<h1>Lång tabell</h1>'
        '<table><thead><tr><th scope="col">Kommun</th><th scope="col">Antal</th></tr>'
        "</thead><tbody>{% for n in rows %}"
        '<tr><th scope="row">Kommun {{ n }}</th><td>{{ n }}</td></tr>'
        "{% endfor %}</tbody></table>{% endblock %}"
    )
    document = template.render(
        Context({**base_context(), "title": "Lång tabell", "rows": range(1, 121)})
    )

    pdf = html_to_pdf(document)

    pages = page_texts(pdf)
    assert len(pages) >= 3
    assert all("Kommun Antal" in page for page in pages)
    # One table per page in the structure, each with its header row.
    tables = structure(pdf).find("Table")
    assert len(tables) == len(pages)
    for table in tables:
        (head,) = table.find("THead")
        assert len(head.find("TH")) == 2
        assert all(cell.attributes.get("/Headers") for cell in table.find("TD"))


def test_every_pdf_is_made_by_the_one_tagged_renderer():
    """WeasyPrint is called in reports/pdf.py only, so no PDF escapes the tagging."""
    callers = [
        path.relative_to(PROJECT).as_posix()
        for folder in ("reports", "surveys", "aggregation", "regions", "config")
        for path in (PROJECT / folder).rglob("*.py")
        if re.search(r"^\s*(import|from) weasyprint", path.read_text(), re.M)
    ]

    assert callers == ["reports/pdf.py"]
