"""Staff pages of the aggregation: the runs and running again; the stored tables are on
the results page (reports:results), where the retired tables page leads."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from aggregation.models import AggregationRun
from aggregation.services import aggregation_request
from regions.models import Organisation
from surveys.answers import Value
from surveys.models import Questionnaire
from surveys.services import response_get_or_create, response_submit
from tests.conftest import PASSWORD
from tests.surveys.helpers import by_id, fill_response, find_all, page, text, tr

pytestmark = pytest.mark.django_db

STALE = "The results are based on answers that have changed since – run again."


def submit(questionnaire: Questionnaire, code: str, by, answer: str) -> None:
    response = response_get_or_create(
        questionnaire=questionnaire, organisation=Organisation.objects.get(code=code)
    )
    response = fill_response(response, by=by, overrides={("2", ""): Value(text=answer)})
    response_submit(response=response, by=by, version=response.version)


@pytest.fixture
def region(cycle_2024) -> Questionnaire:
    return cycle_2024["region"]


@pytest.fixture
def published(region, staff, django_capture_on_commit_callbacks) -> AggregationRun:
    with django_capture_on_commit_callbacks(execute=True):
        submit(region, "01", staff, "Ja")
        submit(region, "03", staff, "Nej")
    return AggregationRun.objects.get(questionnaire=region, is_current=True)


@pytest.fixture
def staff_client(client, staff):
    client.login(username=staff.username, password=PASSWORD)
    return client


@pytest.fixture
def respondent_client(client, region_respondent):
    client.login(username=region_respondent.username, password=PASSWORD)
    return client


def test_the_runs_page_asks_anonymous_visitors_to_log_in(client, cycle_2024):
    response = client.get(reverse("aggregation:runs"))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize(
    ("name", "method"),
    [("runs", "get"), ("tables-moved", "get"), ("run-request", "post")],
)
def test_respondents_may_not_see_or_run_the_aggregation(
    respondent_client, region, name, method
):
    args = [] if name == "runs" else [region.pk]

    response = getattr(respondent_client, method)(
        reverse(f"aggregation:{name}", args=args)
    )

    assert response.status_code == 403
    assert not AggregationRun.objects.exists()


def test_the_runs_page_shows_when_and_from_what_the_results_were_computed(
    staff_client, region, published
):
    response = staff_client.get(reverse("aggregation:runs"))

    assert response.status_code == 200
    row = by_id(page(response), f"questionnaire-{region.pk}")
    assert row is not None
    assert tr("Up to date") in text(row)
    with translation.override("sv"):
        computed = ngettext(
            "Computed %(when)s from %(counter)s submitted response.",
            "Computed %(when)s from %(counter)s submitted responses.",
            2,
        ) % {
            "when": timezone.localtime(published.finished_at).strftime(
                "%Y-%m-%d %H:%M"
            ),
            "counter": 2,
        }
    assert computed in text(row)
    assert tr(STALE) not in text(row)
    assert find_all(
        row,
        "form",
        method="post",
        action=reverse("aggregation:run-request", args=[region.pk]),
    )
    assert tr("Run aggregation now") in text(row)


def test_the_runs_page_says_when_the_results_are_stale(
    staff_client, region, published, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        submit(region, "04", staff, "Ja")

    response = staff_client.get(reverse("aggregation:runs"))

    row = by_id(page(response), f"questionnaire-{region.pk}")
    assert tr(STALE) in text(row)


def test_the_runs_page_shows_a_queued_run(staff_client, region, published, staff):
    aggregation_request(questionnaire=region, reason="staff", by=staff)

    response = staff_client.get(reverse("aggregation:runs"))

    row = by_id(page(response), f"questionnaire-{region.pk}")
    queued_since = tr("Queued since %(when)s.").split("%(when)s")[0]
    assert queued_since.strip() in text(row)


def test_the_runs_page_takes_as_many_queries_whatever_the_number_of_runs(
    staff_client, region, published, staff, django_assert_num_queries
):
    with CaptureQueriesContext(connection) as first:
        staff_client.get(reverse("aggregation:runs"))
    for _ in range(5):
        AggregationRun.objects.create(
            questionnaire=region, status=AggregationRun.Status.ERROR, messages=["x"]
        )
    aggregation_request(questionnaire=region, reason="staff", by=staff)

    with django_assert_num_queries(len(first)):
        staff_client.get(reverse("aggregation:runs"))


def test_staff_run_the_aggregation_now(
    staff_client, region, published, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("aggregation:run-request", args=[region.pk]), follow=True
        )

    assert response.redirect_chain == [(reverse("aggregation:runs"), 302)]
    run = AggregationRun.objects.get(questionnaire=region, is_current=True)
    assert run != published
    assert run.reason == "staff"
    assert run.requested_by == staff
    assert run.status == AggregationRun.Status.COMPLETE


def test_running_the_aggregation_needs_a_post(staff_client, region):
    response = staff_client.get(reverse("aggregation:run-request", args=[region.pk]))

    assert response.status_code == 405


def test_the_runs_page_links_the_results_page_of_a_computed_questionnaire(
    staff_client, region, published
):
    row = by_id(
        page(staff_client.get(reverse("aggregation:runs"))),
        f"questionnaire-{region.pk}",
    )

    assert find_all(row, "a", href=reverse("reports:results", args=[region.pk]))


def test_the_retired_tables_page_leads_to_the_results_page(staff_client, region):
    response = staff_client.get(f"/personal/aggregering/{region.pk}/")

    assert response.status_code == 301
    assert response.url == reverse("reports:results", args=[region.pk])


def test_the_results_page_shows_riket_then_the_regions_in_county_order(
    staff_client, region, published
):
    response = staff_client.get(reverse("reports:results", args=[region.pk]))

    assert response.status_code == 200
    table = find_all(by_id(page(response), "appendix-2"), "table")[0]
    rows = [text(tr_) for tr_ in find_all(table, "tr")][1:]
    # The national row carries its key figure name under the value.
    assert rows[0] == "Riket 1/2 region. 2. riket"
    assert rows[1] == "Stockholm Ja"
    assert rows[2] == "Uppsala Nej"
    # A region without an answer: "..", the sign of a missing figure.
    assert rows[-1] == "Norrbotten .."
    assert len(rows) == 22
    assert tr(STALE) not in response.content.decode()


def test_the_results_page_shows_the_shares_with_their_denominators(
    staff_client, region, published
):
    response = staff_client.get(reverse("reports:results", args=[region.pk]))

    assert "1/2 (50 %)" in response.content.decode()


def test_the_results_page_warns_when_the_answers_changed_since(
    staff_client, region, published, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        submit(region, "04", staff, "Ja")

    response = staff_client.get(reverse("reports:results", args=[region.pk]))

    assert tr(STALE) in response.content.decode()


def test_the_results_page_of_a_questionnaire_never_computed_says_so(
    staff_client, region
):
    response = staff_client.get(reverse("reports:results", args=[region.pk]))

    assert response.status_code == 200
    assert tr("The tables have not been computed yet.") in response.content.decode()


def test_the_results_page_of_an_unknown_questionnaire_is_not_found(staff_client, db):
    response = staff_client.get(reverse("reports:results", args=[987654]))

    assert response.status_code == 404


def test_staff_find_the_aggregation_in_the_menu(staff_client, cycle_2024):
    response = staff_client.get(reverse("surveys:home"))

    assert find_all(page(response), "a", href=reverse("aggregation:runs"))
