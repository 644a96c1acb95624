"""The caveats of the published documents: ".." for a missing figure, the mark and
footnote of unconfirmed flagged values (and of Riket computed with them), N and the
areas without data under the shares tables; and the figures as the report draws them:
one chart per matrix, the figures of the definitions (figure 19, Bilaga 3 figur 1),
each with its values as text."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from aggregation.services import aggregation_fresh_run
from regions.models import Organisation
from reports.documents.appendix import appendix_html
from reports.documents.region_profile import region_profile_html
from reports.documents.shares import shares_html
from surveys.answers import Value
from surveys.models import Answer
from tests.reports.conftest import submit
from tests.reports.pdf_checks import html, table_rows
from tests.surveys.helpers import attrs, by_id, find_all, page, text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def no_cached_charts():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def region(cycle_2024):
    return cycle_2024["region"]


def _counts(region, staff, placeholder_region: str = "25"):
    """Stockholm and Uppsala give plausible counts for question 36; Norrbotten (or the
    region named) enters the placeholder 999 999. Question 35 cannot be estimated, so
    only the all-nines check speaks. Questions 5-7 for figure 19."""
    values = {
        "01": (Value(number=200_000), "Ja", "Ja", "Nej"),
        "03": (Value(number=100_000), "Ja", "Nej", "Nej"),
        "25": (Value(number=50_000), "Nej", "Nej", "Ja"),
    }
    values[placeholder_region] = (
        Value(number=999_999),
        *values[placeholder_region][1:],
    )
    for code, (count, q5, q6, q7) in values.items():
        submit(
            region,
            code,
            staff,
            {
                ("35", ""): Value(cannot_estimate=True),
                ("36", ""): count,
                ("5", ""): Value(text=q5),
                ("6", ""): Value(text=q6),
                ("7", ""): Value(text=q7),
            },
        )
    return aggregation_fresh_run(questionnaire=region)


@pytest.fixture
def run(region, staff):
    return _counts(region, staff)


def appendix_section(document: str, code: str):
    for section in find_all(html(document), "section"):
        headings = find_all(section, "h2")
        if headings and attrs(headings[0]).get("data-chapter") == f"Fråga {code}":
            return section
    raise AssertionError(f"no table of question {code}")


def rows_of(section) -> dict[str, list[str]]:
    (table,) = find_all(section, "table")
    return {row[0]: row[1:] for row in table_rows(table)[1:]}


# ".." -------------------------------------------------------------------------------


def test_the_appendix_prints_dots_for_a_region_without_an_answer_and_explains_them(
    run,
):
    document = appendix_html(run=run)

    rows = rows_of(appendix_section(document, "36"))
    assert rows["Gotland"] == [".."]
    assert rows["Stockholm"] == ["200 000"]
    assert all(cell.strip() for values in rows.values() for cell in values)
    assert ".. = uppgift saknas" in text(html(document))


def test_the_region_profile_prints_dots_where_the_region_has_no_answer(run):
    gotland = Organisation.objects.get(code="09")

    document = region_profile_html(run=run, organisation=gotland)

    root = html(document)
    assert ".. = uppgift saknas" in text(root)
    cells = [
        td for td in find_all(root, "td") if "own" in (attrs(td).get("class") or "")
    ]
    assert cells and {text(td) for td in cells} == {".."}


# Flagged values -----------------------------------------------------------------------


def test_an_unconfirmed_flagged_value_and_the_sum_computed_with_it_are_marked(run):
    document = appendix_html(run=run)

    section = appendix_section(document, "36")
    rows = rows_of(section)
    assert rows["Norrbotten"] == ["999 999 *"]
    # 200 000 + 100 000 + 999 999: Riket includes the flagged value.
    assert rows["Riket"] == ["1 299 999 *"]
    assert rows["Stockholm"] == ["200 000"]
    notes = [
        text(p) for p in find_all(section, "p") if "flag-note" in attrs(p)["class"]
    ]
    assert len(notes) == 1
    assert "Norrbotten 999 999" in notes[0]
    assert "Riket är beräknat med dessa värden" in notes[0]
    # Another question without flagged values gets neither mark nor note.
    other = appendix_section(document, "35")
    assert not [p for p in find_all(other, "p") if "flag-note" in attrs(p)["class"]]
    assert "* = värdet har flaggats" in text(html(document))


def test_a_value_the_respondent_confirmed_is_printed_unmarked(run, region):
    Answer.objects.filter(
        response__questionnaire=region,
        response__organisation__code="25",
        question__code="36",
    ).update(warning_confirmed=True)

    document = appendix_html(run=run)

    section = appendix_section(document, "36")
    rows = rows_of(section)
    assert rows["Norrbotten"] == ["999 999"]
    assert rows["Riket"] == ["1 299 999"]
    assert not [p for p in find_all(section, "p") if "flag-note" in attrs(p)["class"]]


def test_the_region_profile_marks_its_own_flagged_value_and_riket(run):
    norrbotten = Organisation.objects.get(code="25")
    stockholm = Organisation.objects.get(code="01")

    own = html(region_profile_html(run=run, organisation=norrbotten))
    other = html(region_profile_html(run=run, organisation=stockholm))

    def row_36(root):
        for section in find_all(root, "section"):
            if text(find_all(section, "h2")[0]) == "Fråga 36":
                (table,) = find_all(section, "table")
                notes = [
                    text(p)
                    for p in find_all(section, "p")
                    if "flag-note" in attrs(p)["class"]
                ]
                return table_rows(table)[1], notes
        raise AssertionError("no question 36")

    row, notes = row_36(own)
    assert row == ["Antal", "999 999 *", "1 299 999 *"]
    assert "Norrbotten 999 999" in notes[0]
    row, notes = row_36(other)
    assert row == ["Antal", "200 000", "1 299 999 *"]
    assert (
        "Riket är beräknat med flaggade värden som inte bekräftats av Norrbotten"
        in (notes[0])
    )


# Shares: N, areas without data, ".." ----------------------------------------------------


@pytest.fixture
def municipal_run(cycle_2024, staff):
    """Gotland's RSS (1 municipality) and Uppsala's (8) compiled K04 and K01."""
    rss = cycle_2024["rss"]
    older = "… äldre personer med stora vård- och omsorgsbehov"
    children = "… barn och unga"
    submit(
        rss,
        "RSS-09",
        staff,
        {
            ("S03-K04", f"{older}: Ja"): Value(number=1),
            ("S03-K04", f"{children}: Nej"): Value(number=1),
        },
    )
    submit(
        rss,
        "RSS-03",
        staff,
        {
            ("S03-K04", f"{older}: Ja"): Value(number=6),
            ("S03-K04", f"{older}: Nej"): Value(number=2),
            ("S03-K04", f"{children}: Ja"): Value(number=2),
            ("S03-K04", f"{children}: Nej"): Value(number=6),
            ("S03-K01", "Anhörigstöd"): Value(number=6),
            ("S03-K01", "Fallprevention"): Value(number=2),
            ("S03-K01", "Antal kommuner som besvarat frågan"): Value(number=8),
        },
    )
    return aggregation_fresh_run(questionnaire=cycle_2024["municipality"])


def question_section(root, code: str):
    for section in find_all(root, "section"):
        headings = find_all(section, "h2")
        if headings and text(headings[0]) == f"Fråga {code}":
            return section
    raise AssertionError(f"no section for {code}")


def test_each_shares_table_states_n_what_was_counted_and_names_the_areas_without_data(
    municipal_run,
):
    root = html(shares_html(run=municipal_run))

    section = question_section(root, "K04")
    notes = [text(p) for p in find_all(section, "p") if "note" in attrs(p)["class"]]
    assert any(
        note.startswith("Riket: n = 9 av 290 kommuner. Räknat: Antal = antal kommuner")
        for note in notes
    )
    missing = [n for n in notes if n.startswith("Uppgift saknas")]
    # Per county: 21 counties, 2 answered; per RSS: 24 RSS, 2 answered.
    assert missing[0].startswith(
        "Uppgift saknas (19): Stockholms län, Södermanlands län"
    )
    assert "Uppsala län" not in missing[0]
    assert missing[1].startswith("Uppgift saknas (22): RSS Stockholms län")


def test_a_share_of_a_unit_where_nobody_answered_prints_dots(municipal_run):
    root = html(shares_html(run=municipal_run))

    section = question_section(root, "K04")
    tables = [table_rows(t) for t in find_all(section, "table")]
    cells = [cell for table in tables for row in table for cell in row]
    assert "" not in cells
    assert "–" not in cells
    assert ".. = uppgift saknas" in text(root)


# Figures ----------------------------------------------------------------------------


def test_a_matrix_gets_one_chart_of_the_share_answering_ja_per_item(municipal_run):
    root = html(shares_html(run=municipal_run))

    section = question_section(root, "K04")
    figures = find_all(section, "figure")
    assert len(figures) == 1
    (caption,) = find_all(figures[0], "figcaption")
    assert text(caption).endswith(
        "Andel kommuner (%) som svarat ”Ja”, fråga K04. Riket, n = 9"
    )
    (values,) = find_all(figures[0], "p", **{"class": "chart-values"})
    # 7 of 9 and 2 of 9 answered Ja; nobody answered the other two items (".." on the
    # bar, "uppgift saknas" in words); the
    # items in the questionnaire's order.
    assert text(values) == (
        "Värden: … äldre personer med stora vård- och omsorgsbehov: 78 %; "
        "… personer med kroniska sjukdomar: uppgift saknas; … barn och unga: 22 %; "
        "… personer med funktionsnedsättning: uppgift saknas."
    )
    (svg,) = find_all(figures[0], "svg")
    assert "äldre personer med stora vård- och omsorgsbehov: 78 %" in text(
        find_all(svg, "title")[0]
    )


def test_figure_19_of_the_definitions_counts_the_regions_answering_ja_to_5_6_and_7(
    run,
):
    root = html(shares_html(run=run))

    section = next(
        s
        for s in find_all(root, "section")
        if "defined-figures" in (attrs(s).get("class") or "")
    )
    (caption,) = find_all(section, "figcaption")
    assert text(caption) == (
        "Figur 1. Antal regioner som angett att … (Riket, n = 3 regioner)"
    )
    (values,) = find_all(section, "p", **{"class": "chart-values"})
    assert text(values) == (
        "Värden: … de fastställt andelsmål för ekonomiska resurser till primärvården: "
        "2 av 3; … de budgeterat en större andel till primärvården än föregående år: "
        "1 av 3; … de genomfört andra insatser för en ändamålsenlig och effektiv "
        "resurssättning: 1 av 3."
    )


def test_bilaga_3_opens_with_the_municipal_figure_1_of_k01(run, municipal_run):
    root = html(appendix_html(run=run))

    section = next(
        s
        for s in find_all(root, "section")
        if "defined-figures" in (attrs(s).get("class") or "")
    )
    (caption,) = find_all(section, "figcaption")
    assert text(caption).startswith(
        "Figur 1. Andel kommuner som initierat eller förstärkt respektive område"
    )
    assert text(caption).endswith("(Riket, n = 8 kommuner)")
    (values,) = find_all(section, "p", **{"class": "chart-values"})
    assert "Anhörigstöd: 75 %" in text(values)
    assert "Fallprevention: 25 %" in text(values)
    assert "Källa: Enkät till kommunerna 2024" in text(section)
    # The tables' figures follow: the next figure is number 2.
    numbers = [text(c).split(".")[0] for c in find_all(root, "figcaption")]
    assert numbers[:2] == ["Figur 1", "Figur 2"]


def test_bilaga_3_names_the_municipal_figure_when_its_results_are_not_computed(run):
    root = html(appendix_html(run=run))

    section = next(
        s
        for s in find_all(root, "section")
        if "defined-figures" in (attrs(s).get("class") or "")
    )
    assert not find_all(section, "figure")
    assert "ingen figur – resultaten är inte beräknade än" in text(section)


def test_the_results_page_shows_the_matrix_chart_and_the_figures_with_their_values(
    client, staff, municipal_run, run
):
    client.force_login(staff)

    municipal = page(
        client.get(reverse("reports:results", args=[municipal_run.questionnaire.pk]))
    )
    regional = page(client.get(reverse("reports:results", args=[run.questionnaire.pk])))

    # One chart for the matrix K04 (built later by the page: the slot), none per item.
    k04 = [
        s
        for s in find_all(municipal, "section")
        if (attrs(s).get("id") or "").startswith("shares-")
        and "K04." in text(find_all(s, "h3")[0])
    ]
    assert "matrix" in attrs(k04[0])["id"]
    slots = [
        d
        for s in k04
        for d in find_all(s, "div")
        if "chart-slot" in (attrs(d).get("class") or "")
    ]
    assert len(slots) == 1
    # The definition's figures, with their values as text under "Visa som text".
    bilaga = by_id(municipal, "figure-bilaga-3-figur-1")
    assert "Anhörigstöd: 75 %" in text(find_all(bilaga, "details")[0])
    figure_19 = by_id(regional, "figure-19")
    assert (
        "… de fastställt andelsmål för ekonomiska resurser till primärvården: 2 av 3"
        in (text(find_all(figure_19, "details")[0]))
    )
    assert find_all(figure_19, "svg")


def test_bilaga_3_sets_figure_1_beside_the_published_year_before(
    run, municipal_run, cycle_2024
):
    from aggregation.services import published_values_import

    published_values_import(
        questionnaire=cycle_2024["municipality"],
        year=2023,
        file=(
            "question,item,option,level,unit,percent\nK01,Anhörigstöd,Ja,riket,SE,59\n"
        ).encode(),
    )
    aggregation_fresh_run(questionnaire=cycle_2024["municipality"])

    root = html(appendix_html(run=run))

    section = next(
        s
        for s in find_all(root, "section")
        if "defined-figures" in (attrs(s).get("class") or "")
    )
    (values,) = find_all(section, "p", **{"class": "chart-values"})
    assert "Anhörigstöd: 2024 75 %, 2023 59 %" in text(values)
    # An alternative without a published figure has this year's value alone.
    assert "Fallprevention: 2024 25 %, 2023 –" in text(values)
