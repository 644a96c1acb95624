from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext

from regions.models import Organisation
from surveys.answers import Value
from surveys.models import Answer, Questionnaire, Response
from surveys.selectors.quality import quality_rows
from surveys.services import response_get_or_create, response_submit
from tests.surveys.helpers import by_id, fill_response, find_all, page, text, tr

pytestmark = pytest.mark.django_db

# The three implausible counts of 2024 (question 36 against question 35's share).
THOUSANDS = ("17", 63, 179)  # Värmland: 179 where about 179 000 was meant
PERCENT_AS_COUNT = ("03", 38, 38)  # Uppsala: its percentage typed as the count
PLACEHOLDER = ("01", 40, 999_999)  # Stockholm: 999 999 as a placeholder


def answer(
    questionnaire: Questionnaire,
    code: str,
    percent: int,
    count: int | None = None,
    *,
    submitted: bool = True,
    confirmed: bool = False,
) -> Response:
    """A complete response of region `code` with questions 35 and 36 as given.

    Without a count, the count that the percentage implies (no warning).
    """
    organisation = Organisation.objects.get(code=code)
    if count is None:
        count = round(organisation.population * percent / 100)
    response = response_get_or_create(
        questionnaire=questionnaire, organisation=organisation
    )
    overrides = {("35", ""): Value(number=percent), ("36", ""): Value(number=count)}
    response = fill_response(response, by=None, overrides=overrides)
    if submitted:
        response = response_submit(response=response, by=None, version=response.version)
    if confirmed:
        response.answers.filter(question__code="36").update(warning_confirmed=True)
    return response


@pytest.fixture
def region(cycle_2024) -> Questionnaire:
    return cycle_2024["region"]


@pytest.fixture
def traps(region) -> dict[str, Response]:
    """The three 2024 traps submitted, Skåne plausible, Örebro's trap still a draft."""
    return {
        "thousands": answer(region, *THOUSANDS),
        "percent": answer(region, *PERCENT_AS_COUNT, confirmed=True),
        "placeholder": answer(region, *PLACEHOLDER),
        "plausible": answer(region, "12", 70),
        "draft": answer(region, "18", 60, 60, submitted=False),
    }


def summary(rows) -> list[tuple[str, str, str, bool]]:
    return [(r.organisation_code, r.question, r.check, r.confirmed) for r in rows]


def test_the_list_has_every_warning_of_the_submitted_responses_in_county_order(
    region, traps
):
    rows = quality_rows(questionnaire=region)

    assert summary(rows) == [
        ("01", "36", "all_nines", False),
        ("03", "36", "matches_percentage", True),
        ("03", "36", "far_below_percentage", True),
        ("17", "36", "matches_percentage", False),
        ("17", "36", "far_below_percentage", False),
    ]


def test_a_row_names_the_organisation_as_printed_and_the_value_as_given(region, traps):
    rows = quality_rows(questionnaire=region)

    varmland = next(r for r in rows if r.organisation_code == "17")
    assert varmland.organisation == "Värmland"
    assert varmland.item == ""
    assert varmland.value == "179"
    assert varmland.reason == (
        "Antalet 179 motsvarar 0,1 % av befolkningen (283 000), men fråga 35 anger 63 %."
    )
    assert varmland.response_id == traps["thousands"].pk
    assert varmland.submitted is True


def test_drafts_are_listed_only_when_asked_for(region, traps):
    without = quality_rows(questionnaire=region)
    with_drafts = quality_rows(questionnaire=region, include_drafts=True)

    assert "18" not in {r.organisation_code for r in without}
    drafts = [r for r in with_drafts if r.organisation_code == "18"]
    assert [r.check for r in drafts] == ["matches_percentage", "far_below_percentage"]
    assert all(not r.submitted for r in drafts)
    assert drafts[0].organisation == "Örebro"


def test_listing_changes_no_answer(region, traps):
    before = list(
        Answer.objects.order_by("pk").values_list(
            "pk", "text", "number", "cannot_estimate", "warning_confirmed"
        )
    )

    quality_rows(questionnaire=region, include_drafts=True)

    after = list(
        Answer.objects.order_by("pk").values_list(
            "pk", "text", "number", "cannot_estimate", "warning_confirmed"
        )
    )
    assert after == before


def test_a_questionnaire_without_checks_has_an_empty_list(cycle_2024, traps):
    assert quality_rows(questionnaire=cycle_2024["extra"]) == []


def test_the_list_reads_the_answers_in_a_fixed_number_of_queries(
    region, django_assert_num_queries
):
    answer(region, *THOUSANDS)
    with django_assert_num_queries(2):
        few = quality_rows(questionnaire=region)
    for code in ("01", "03", "04", "05", "06", "07"):
        answer(region, code, 50, 1000)

    with django_assert_num_queries(2):
        many = quality_rows(questionnaire=region)

    assert len(few) == 2
    assert len(many) == 2 + 6 * 2


# The staff page


def url(questionnaire: Questionnaire, query: str = "") -> str:
    base = reverse("aggregation:quality-list", args=[questionnaire.pk])
    return f"{base}?{query}" if query else base


def table_rows(result) -> list[list[str]]:
    table = by_id(page(result), "quality-table")
    if table is None:
        return []
    return [
        [text(cell) for cell in row.children if getattr(cell, "name", None)]
        for row in find_all(table, "tr")[1:]
    ]


def test_staff_see_every_warning_with_its_reason(client, staff, region, traps):
    client.force_login(staff)

    result = client.get(url(region))

    assert result.status_code == 200
    rows = table_rows(result)
    assert [row[0] for row in rows] == [
        "Stockholm",
        "Uppsala",
        "Uppsala",
        "Värmland",
        "Värmland",
    ]
    varmland = rows[3]
    assert varmland[1:4] == ["36", "", "179"]
    assert varmland[4].startswith("Antalet 179 motsvarar 0,1 %")
    assert varmland[5] == tr("No")
    assert rows[1][5] == tr("Yes")
    html = page(result)
    summary_links = [
        a
        for a in find_all(by_id(html, "quality-table"), "a")
        if dict(a.attributes)["href"]
        == reverse("surveys:response-summary", args=[traps["thousands"].pk])
    ]
    assert len(summary_links) == 2
    with translation.override("sv"):
        unconfirmed = ngettext(
            "%(n)s warning not confirmed.", "%(n)s warnings not confirmed.", 3
        ) % {"n": 3}
    assert text(by_id(html, "quality-summary")) == unconfirmed


def test_staff_can_list_only_the_unconfirmed_or_the_confirmed(
    client, staff, region, traps
):
    client.force_login(staff)

    unconfirmed = table_rows(client.get(url(region, "confirmed=no")))
    confirmed = table_rows(client.get(url(region, "confirmed=yes")))

    assert [row[0] for row in unconfirmed] == ["Stockholm", "Värmland", "Värmland"]
    assert [row[0] for row in confirmed] == ["Uppsala", "Uppsala"]


def test_staff_can_include_the_drafts(client, staff, region, traps):
    client.force_login(staff)

    rows = table_rows(client.get(url(region, "drafts=1")))

    assert [row[0] for row in rows if row[0].startswith("Örebro")] == [
        f"Örebro {tr('Draft')}"
    ] * 2


def test_a_questionnaire_without_warnings_says_so(client, staff, region):
    answer(region, "12", 70)
    client.force_login(staff)

    html = page(client.get(url(region)))

    assert by_id(html, "quality-table") is None
    assert tr("No warnings.") in text(html)


@pytest.mark.parametrize(
    "fixture", ["region_respondent", "rss_coordinator", "municipality_respondent"]
)
def test_anyone_but_staff_gets_403(client, request, region, traps, fixture):
    """A staff-only page: refused, not hidden (surveys.permissions)."""
    client.force_login(request.getfixturevalue(fixture))

    assert client.get(url(region)).status_code == 403


def test_an_anonymous_visitor_is_sent_to_log_in(client, region):
    result = client.get(url(region))

    assert result.status_code == 302
    assert result["Location"].startswith(reverse("login"))


def test_an_unknown_questionnaire_is_404(client, staff, region):
    client.force_login(staff)

    assert (
        client.get(reverse("aggregation:quality-list", args=[region.pk + 999]))
    ).status_code == 404


def test_the_page_query_count_does_not_grow_with_the_organisations(
    client, staff, region, django_assert_max_num_queries
):
    answer(region, *THOUSANDS)
    client.force_login(staff)
    with django_assert_max_num_queries(8) as few:
        client.get(url(region))
    for code in ("01", "03", "04", "05", "06", "07"):
        answer(region, code, 50, 1000)

    with django_assert_max_num_queries(len(few)):
        result = client.get(url(region))

    assert len(table_rows(result)) == 2 + 6 * 2
