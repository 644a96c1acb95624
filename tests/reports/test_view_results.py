"""The staff results page: tables and charts as in the documents, filtered, with warnings."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from aggregation.services import aggregation_fresh_run
from regions.models import Organisation
from surveys.answers import Value
from surveys.selectors.quality import quality_rows
from tests.reports.conftest import submit
from tests.surveys.helpers import attrs, by_id, find_all, page, text, tr, walk

pytestmark = pytest.mark.django_db


@pytest.fixture
def region(cycle_2024):
    return cycle_2024["region"]


@pytest.fixture
def run(region, staff):
    """Stockholm, Uppsala and Norrbotten submitted; two of them with implausible counts.

    Question 36 (persons with a named doctor) against question 35 (the share): Stockholm's
    1 000 is far below 59 % of its population; Uppsala's 242 400 is 60 % of its 404 000;
    Norrbotten gave 999 999, a placeholder.
    """
    submit(
        region,
        "01",
        staff,
        {
            ("2", ""): Value(text="Ja"),
            ("35", ""): Value(number=59),
            ("36", ""): Value(number=1000),
        },
    )
    uppsala = Organisation.objects.get(code="03")
    submit(
        region,
        "03",
        staff,
        {
            ("2", ""): Value(text="Ja"),
            ("35", ""): Value(number=60),
            ("36", ""): Value(number=uppsala.population * 60 // 100),
        },
    )
    submit(
        region,
        "25",
        staff,
        {
            ("2", ""): Value(text="Nej"),
            ("35", ""): Value(cannot_estimate=True),
            ("36", ""): Value(number=999_999),
        },
    )
    return aggregation_fresh_run(questionnaire=region)


@pytest.fixture(autouse=True)
def no_cached_charts():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def results_url(region, **params) -> str:
    url = reverse("reports:results", args=[region.pk])
    if params:
        url += "?" + "&".join(f"{key}={value}" for key, value in params.items())
    return url


def row_names(table) -> list[str]:
    return [
        text(th)
        for tr_ in find_all(table, "tr")
        for th in find_all(tr_, "th", scope="row")
    ]


def appendix_table(html, code: str):
    section = by_id(html, f"appendix-{code}")
    assert section is not None, f"no appendix table {code}"
    return find_all(section, "table")[0]


def cell_of(table, name: str, column: int = 0):
    for row in find_all(table, "tr"):
        heads = find_all(row, "th", scope="row")
        if heads and text(heads[0]) == name:
            return find_all(row, "td")[column]
    raise AssertionError(f"no row {name}")


def share_sections(html) -> list:
    return [
        e
        for e in walk(html)
        if e.name == "section" and (attrs(e).get("id") or "").startswith("shares-")
    ]


def test_anonymous_visitors_are_sent_to_the_login_page(client, region):
    response = client.get(results_url(region))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    "actor", ["region_respondent", "municipality_respondent", "rss_coordinator"]
)
def test_respondents_may_not_see_the_results_page(client, request, actor, region):
    client.force_login(request.getfixturevalue(actor))

    assert client.get(results_url(region)).status_code == 403


def test_the_page_shows_every_appendix_table_with_riket_and_the_regions(
    staff_client, region, run
):
    response = staff_client.get(results_url(region))

    assert response.status_code == 200
    html = page(response)
    table = appendix_table(html, "2")
    names = row_names(table)
    assert names[0] == "Riket"
    assert {"Stockholm", "Uppsala", "Norrbotten"} <= set(names)
    # The national row's cells carry the figure's name under the value.
    assert text(cell_of(table, "Riket")).split(" region.")[0] == "2/3"
    assert text(cell_of(appendix_table(html, "35"), "Stockholm")) == "59 %"
    assert by_id(html, "stale-banner") is None
    assert share_sections(html)


def test_a_county_keeps_riket_and_that_countys_region_and_share_rows(
    staff_client, region, run
):
    html = page(staff_client.get(results_url(region, county="03")))

    assert row_names(appendix_table(html, "35")) == ["Riket", "Uppsala"]
    tables = [t for section in share_sections(html) for t in find_all(section, "table")]
    assert tables
    for table in tables:
        levels = [
            text(find_all(row, "td")[0])
            for row in find_all(table, "tr")
            if find_all(row, "td")
        ]
        assert levels == [tr("Sweden"), tr("County")]


def test_an_rss_keeps_riket_and_the_region_of_its_county(staff_client, region, run):
    html = page(staff_client.get(results_url(region, rss="RSS-25")))

    assert row_names(appendix_table(html, "35")) == ["Riket", "Norrbotten"]


def test_an_rss_outside_the_county_chosen_matches_no_region(staff_client, region, run):
    html = page(staff_client.get(results_url(region, county="01", rss="RSS-25")))

    assert row_names(appendix_table(html, "35")) == ["Riket"]
    conflict = by_id(html, "filter-conflict")
    assert conflict is not None
    assert "RSS Norrbottens län" in text(conflict)


def test_a_question_shows_that_questions_tables_only(staff_client, region, run):
    html = page(staff_client.get(results_url(region, question="35")))

    assert by_id(html, "appendix-35") is not None
    assert by_id(html, "appendix-2") is None
    assert by_id(html, "appendix-36") is None
    assert not share_sections(html)
    chosen = [
        o
        for o in find_all(by_id(html, "filter-question"), "option")
        if "selected" in attrs(o)
    ]
    assert [attrs(o)["value"] for o in chosen] == ["35"]


def test_an_unknown_filter_value_is_ignored(staff_client, region, run):
    html = page(staff_client.get(results_url(region, question="99", county="77")))

    assert {"Stockholm", "Norrbotten"} <= set(row_names(appendix_table(html, "35")))


def test_the_warnings_are_marked_on_the_values_they_concern(staff_client, region, run):
    warnings = quality_rows(questionnaire=region)
    stockholm = [w for w in warnings if w.organisation_code == "01"]
    norrbotten = [w for w in warnings if w.organisation_code == "25"]
    assert {w.question for w in stockholm} == {"36"}
    assert [w.check for w in norrbotten] == ["all_nines"]
    assert not [w for w in warnings if w.organisation_code == "03"]

    html = page(staff_client.get(results_url(region)))

    table = appendix_table(html, "36")
    for name, expected in (("Stockholm", stockholm), ("Norrbotten", norrbotten)):
        cell = cell_of(table, name)
        assert "table-warning" in attrs(cell)["class"]
        for warning in expected:
            assert warning.reason in text(cell)
            target = f"#w-{warning.organisation_code}-36--{warning.check}"
            assert find_all(cell, "a", href=target)
            assert by_id(html, target[1:]) is not None
    uppsala = cell_of(table, "Uppsala")
    assert "table-warning" not in attrs(uppsala)["class"]
    assert "⚠" not in text(uppsala)
    # The shares of question 35 are not marked: the warnings concern question 36.
    assert (
        "table-warning"
        not in attrs(cell_of(appendix_table(html, "35"), "Stockholm"))["class"]
    )


def test_the_warnings_listed_are_those_of_the_county_chosen(staff_client, region, run):
    stockholm = [
        w for w in quality_rows(questionnaire=region) if w.organisation_code == "01"
    ]

    in_stockholm = page(staff_client.get(results_url(region, county="01")))
    in_uppsala = page(staff_client.get(results_url(region, county="03")))

    warnings = by_id(in_stockholm, "warnings")
    assert warnings is not None
    for warning in stockholm:
        assert warning.reason in text(warnings)
    assert "999 999" not in text(warnings)
    assert by_id(in_uppsala, "warnings") is None


def test_each_table_has_its_chart_with_the_text_alternative(staff_client, region, run):
    html = page(staff_client.get(results_url(region, question="35")))

    section = by_id(html, "appendix-35")
    svg = find_all(section, "svg")
    assert len(svg) == 1
    assert attrs(svg[0])["role"] == "img"
    details = find_all(section, "details")[0]
    assert tr("Show as text") in text(details)
    assert "Stockholm: 59 %" in text(details)
    assert "Uppsala: 60 %" in text(details)


def test_stale_results_get_a_banner(staff_client, region, run, staff):
    submit(region, "04", staff, {("2", ""): Value(text="Ja")})

    html = page(staff_client.get(results_url(region)))

    banner = by_id(html, "stale-banner")
    assert banner is not None
    assert tr(
        "The results are based on answers that have changed since – run again."
    ) in text(banner)
    assert find_all(
        banner,
        "form",
        method="post",
        action=reverse("aggregation:run-request", args=[region.pk]),
    )


def test_results_not_computed_yet_are_said_so(staff_client, region):
    response = staff_client.get(results_url(region))

    assert response.status_code == 200
    assert tr("The tables have not been computed yet.") in text(page(response))


def test_the_page_offers_the_exports_of_the_questionnaire(staff_client, region, run):
    html = page(staff_client.get(results_url(region)))

    forms = find_all(
        by_id(html, "exports"),
        "form",
        method="post",
        action=reverse("reports:export-start", args=[region.pk]),
    )
    documents = {
        attrs(i)["value"] for f in forms for i in find_all(f, "input", name="document")
    }
    assert {"appendix", "shares"} <= documents


def test_all_questions_leave_the_charts_to_load_one_by_one(staff_client, region, run):
    html = page(staff_client.get(results_url(region)))

    slot = find_all(by_id(html, "appendix-35"), "div", **{"class": "chart-slot mb-3"})[
        0
    ]
    url = attrs(slot)["data-chart-url"]
    assert url == reverse(
        "reports:results-chart", args=[region.pk, run.pk, "appendix", "35"]
    )
    # Without the script, the link shows the question with its chart.
    assert find_all(slot, "a", href="?question=35")
    assert b"js/reports.js" in staff_client.get(results_url(region)).content

    fragment = page(staff_client.get(url))
    assert len(find_all(fragment, "svg")) == 1
    assert "Stockholm: 59 %" in text(fragment)

    # Built once: the next page shows it at once.
    again = page(staff_client.get(results_url(region)))
    assert find_all(by_id(again, "appendix-35"), "svg")
    assert not find_all(
        by_id(again, "appendix-35"), "div", **{"class": "chart-slot mb-3"}
    )


def test_the_chart_fragment_is_for_staff_and_known_charts_only(
    client, region_respondent, staff, region, run
):
    url = reverse("reports:results-chart", args=[region.pk, run.pk, "appendix", "35"])
    client.force_login(region_respondent)
    assert client.get(url).status_code == 403

    client.force_login(staff)
    for kind, key in (
        ("appendix", "99"),
        ("share", "999"),
        ("pie", "1"),
    ):
        missing = reverse("reports:results-chart", args=[region.pk, run.pk, kind, key])
        assert client.get(missing).status_code == 404, (kind, key)
    other_run = reverse(
        "reports:results-chart", args=[region.pk, 999, "appendix", "35"]
    )
    assert client.get(other_run).status_code == 404


def test_a_table_without_a_chart_gives_an_empty_fragment_not_an_error(
    staff_client, region, run
):
    """The page offers a slot for every table; question 2's table has no numbers, so
    no chart. An error status would be logged in the browser's console as an error."""
    url = reverse("reports:results-chart", args=[region.pk, run.pk, "appendix", "2"])

    response = staff_client.get(url)

    assert response.status_code == 200
    assert not find_all(page(response), "svg")


def test_a_multiple_choice_has_one_chart_of_its_alternatives(staff_client, region, run):
    alternatives = region.questions.get(code="29b").items

    html = page(staff_client.get(results_url(region, question="29b")))

    sections = share_sections(html)
    assert len(sections) == 1
    assert len(find_all(sections[0], "svg")) == 1
    tables = find_all(sections[0], "table")
    assert len(tables) == 1
    header = [text(th) for th in find_all(tables[0], "th", scope="col")]
    assert header == [tr("Level"), tr("Unit"), *alternatives]
    alt = text(find_all(sections[0], "details")[0])
    for alternative in alternatives:
        assert alternative in alt
