"""The coded themes as key figures: named per riket, county and RSS with the theme
counts page's own counts, listed by export_key_figures, filled into a draft on the key
figure page and shown on the theme counts page."""

from __future__ import annotations

import csv
import io

import pytest
from django.core.management import call_command
from django.urls import reverse

from aggregation.key_figures import key_figures
from coding.selectors import theme_slugs
from coding.services import (
    codebook_get_or_create,
    coding_change,
    resolution_set,
    theme_create,
)
from tests.coding.conftest import answer
from tests.surveys.helpers import attrs, by_id, find_all, page, text

pytestmark = pytest.mark.django_db


@pytest.fixture
def coded(cycle_2024, region_codebook, staff, second_staff):
    """Region question 3: Stockholm (01) Samverkan; Uppsala (03) Samverkan and a
    disputed Bemanning; Södermanland (04) no theme; a draft (05) not counted."""
    region = cycle_2024["region"]
    samverkan, bemanning = region_codebook.themes.all()
    stockholm = answer(region, "01", "3", "Vi samverkar med kommunerna.")
    uppsala = answer(region, "03", "3", "Samverkan och bemanning.")
    sörmland = answer(region, "04", "3", "Inget särskilt.")
    draft = answer(region, "05", "3", "Samverkan.", submitted=False)
    for response, themes in (
        (stockholm, [samverkan]),
        (uppsala, [samverkan, bemanning]),
        (sörmland, []),
        (draft, [samverkan]),
    ):
        coding_change(
            codebook=region_codebook, response=response, coder=staff, add=themes
        )
    coding_change(
        codebook=region_codebook, response=uppsala, coder=second_staff, add=[samverkan]
    )
    return region_codebook


def kf_names(root) -> list[str]:
    return [
        "".join(text(c).split())
        for c in find_all(root, "code")
        if "kf-name" in (attrs(c).get("class") or "")
    ]


def test_each_theme_is_named_per_level_with_the_counts_pages_figures(
    cycle_2024, coded, staff
):
    figures = key_figures(questionnaire=cycle_2024["region"], run=None)

    samverkan = "region.3.tema.samverkan"
    assert figures[f"{samverkan}.riket"].value == "2/3"
    assert figures[f"{samverkan}.riket"].text == "2 av 3 regioner"
    assert figures[f"{samverkan}.riket.percent"].value == "67 %"
    assert figures[f"{samverkan}.riket.percent"].text == "67 procent av regionerna"
    assert figures[f"{samverkan}.riket.count"].text == "2 regioner"
    assert figures[f"{samverkan}.riket.denominator"].value == "3"
    assert figures[f"{samverkan}.län-01"].text == "1 av 1 region"
    assert figures[f"{samverkan}.län-04"].value == "0/1"
    # The disputed Bemanning of Uppsala is not counted (as on the counts page)...
    assert figures["region.3.tema.bemanning.riket"].text == "0 av 3 regioner"
    # ...until it is resolved; regions have no RSS level.
    resolution_set(
        codebook=coded,
        response=coded.coded_answers.filter(response__organisation__code="03")
        .first()
        .response,
        theme=coded.themes.get(name="Bemanning"),
        applies=True,
        by=staff,
    )
    figures = key_figures(questionnaire=cycle_2024["region"], run=None)
    assert figures["region.3.tema.bemanning.riket"].text == "1 av 3 regioner"
    assert not any(".rss-" in name for name in figures)
    # Nothing else of the region questionnaire is named without results.
    assert all(".tema." in name for name in figures)


def test_municipal_themes_are_named_per_rss_with_the_items_slug(cycle_2024, staff):
    municipality = cycle_2024["municipality"]
    question = municipality.questions.get(code="K05")
    item = question.answer_items[0]
    codebook = codebook_get_or_create(question=question, item=item, by=staff)
    theme = theme_create(codebook=codebook, name="Familjecentraler", by=staff)
    for code in ("0114", "0115", "0117"):
        response = answer(municipality, code, "K05", "Text.", item=item)
        coding_change(
            codebook=codebook,
            response=response,
            coder=staff,
            add=[theme] if code != "0117" else [],
        )

    figures = key_figures(questionnaire=municipality, run=None)

    names = [f.name for f in figures.values() if f.name.endswith(".riket")]
    assert len(names) == 1
    base = names[0].removesuffix(".riket")
    assert base.startswith("municipality.K05.") and base.endswith(
        ".tema.familjecentraler"
    )
    assert figures[f"{base}.rss-01".casefold()].value == "2/3"
    assert figures[f"{base}.riket.percent".casefold()].text == (
        "67 procent av kommunerna"
    )


def test_theme_slugs_are_unique_in_the_codebook():
    assert theme_slugs(["Bemanning", "bemanning!", "Vård & omsorg", "?"]) == {
        "Bemanning": "bemanning",
        "bemanning!": "bemanning-2",
        "Vård & omsorg": "vård-omsorg",
        "?": "4",
    }


def test_export_key_figures_lists_the_theme_figures(coded):
    stdout = io.StringIO()
    call_command(
        "export_key_figures", cycle=2024, questionnaire="region", stdout=stdout
    )

    rows = {row[0]: row[1:] for row in csv.reader(io.StringIO(stdout.getvalue()))}
    assert rows["region.3.tema.samverkan.riket"] == ["2/3", "2 av 3 regioner"]
    assert rows["region.3.tema.samverkan.riket.percent"] == [
        "67 %",
        "67 procent av regionerna",
    ]
    assert rows["region.3.tema.bemanning.län-03.count"] == ["0", "0 regioner"]


def test_the_key_figure_page_fills_theme_placeholders(client, staff, coded):
    client.force_login(staff)

    response = client.post(
        reverse("reports:key-figures"),
        {
            "cycle": "2024",
            "text": "Samverkan nämns av {{ region.3.tema.samverkan.riket }} "
            "({{ region.3.tema.samverkan.riket.percent|värde }}).",
        },
    )

    html = page(response)
    assert text(by_id(html, "filled-text")) == (
        "Samverkan nämns av 2 av 3 regioner (67 %)."
    )
    assert by_id(html, "unknown-names") is None


def test_the_counts_page_shows_the_names_national_and_all_on_request(
    client, staff, coded
):
    client.force_login(staff)
    url = reverse("reports:theme-counts", args=[coded.pk])

    names = kf_names(page(client.get(url)))
    assert names == [
        "region.3.tema.samverkan.riket",
        "region.3.tema.bemanning.riket",
    ]

    everything = kf_names(page(client.get(url + "?namn=alla")))
    assert "region.3.tema.samverkan.län-01" in everything
    assert "region.3.tema.bemanning.län-04" in everything
    figures = key_figures(questionnaire=coded.question.questionnaire, run=None)
    assert all(name.casefold() in figures for name in everything)


def test_a_codebook_without_answers_or_themes_names_nothing_or_missing(
    cycle_2024, staff
):
    region = cycle_2024["region"]
    codebook_get_or_create(question=region.questions.get(code="3"), item="", by=staff)
    assert key_figures(questionnaire=region, run=None) == {}

    empty = codebook_get_or_create(
        question=region.questions.get(code="3"), item="", by=staff
    )
    theme_create(codebook=empty, name="Samverkan", by=staff)
    figures = key_figures(questionnaire=region, run=None)
    # Nobody has answered: the national figure is named, and missing ("..").
    assert figures["region.3.tema.samverkan.riket"].value == ".."
    assert figures["region.3.tema.samverkan.riket"].text == "uppgift saknas"
