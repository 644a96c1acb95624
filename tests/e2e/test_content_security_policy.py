"""The Content-Security-Policy holds on the main pages, and what they do still works.

The page fixture (tests/e2e/conftest.py) fails every e2e test on a CSP violation or a
console error; these tests walk the pages whose behaviour moved out of inline script and
style="" (start page, section form, summary, staff invitations, aggregation, reports,
results with charts) and check that the behaviour survived under the policy.
"""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from aggregation.services import aggregation_fresh_run
from regions.models import Organisation
from reports.selectors import _chart_cache_key, results_view
from surveys.answers import Value
from surveys.services import response_get_or_create
from tests.conftest import PASSWORD
from tests.reports.conftest import submit

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

CHART_BAR_FILL = "rgb(31, 78, 121)"  # reports.charts.BAR_COLOUR


def _log_in(page, base_url: str, user) -> None:
    page.goto(f"{base_url}/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(user.username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"{base_url}/")


def _visit(page, base_url: str, path: str):
    answer = page.goto(base_url + path)
    assert answer is not None and answer.status == 200, (path, answer and answer.status)
    policy = answer.headers.get("content-security-policy", "")
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy, policy
    assert "camera=()" in answer.headers.get("permissions-policy", "")
    return answer


def test_the_browser_check_catches_inline_script_and_style(
    live_server, page, browser_problems, national_frame
):
    """The check the other e2e tests rely on: an inline style and an inline script added
    to a page are refused by the browser and reported to the test."""
    _visit(page, live_server.url, reverse("login"))

    page.evaluate(
        """() => {
            document.body.insertAdjacentHTML("beforeend", '<p style="color: red">x</p>');
            const script = document.createElement("script");
            script.textContent = "window.inlineRan = true;";
            document.body.append(script);
        }"""
    )
    page.wait_for_function("() => true")  # let the violation events arrive
    page.wait_for_timeout(200)

    directives = {v["directive"] for v in browser_problems.csp_violations}
    assert {"style-src-attr", "script-src-elem"} <= directives, directives
    assert page.evaluate("() => window.inlineRan === undefined")
    # Seen; the fixture would otherwise fail this test for them.
    browser_problems.csp_violations.clear()
    browser_problems.console_errors.clear()


def test_respondent_pages_work_under_the_policy(
    live_server, page, cycle_2024, region_respondent
):
    """Start page, a section (progress bar, a follow-up shown by the script), summary."""
    questionnaire = cycle_2024["region"]
    response = response_get_or_create(
        questionnaire=questionnaire,
        organisation=region_respondent.membership.organisation,
    )
    _log_in(page, live_server.url, region_respondent)
    _visit(page, live_server.url, reverse("surveys:home"))

    follow_up = questionnaire.questions.get(code="29b")
    position = follow_up.section.position
    _visit(
        page,
        live_server.url,
        reverse("surveys:response-section", args=[response.pk, position]),
    )
    assert page.locator("#q-29b").is_hidden()
    page.locator("#q-29").get_by_label("Ja", exact=True).check()
    page.locator("#q-29b").wait_for(state="visible")
    page.get_by_role("button", name="Spara utkast").click()
    page.wait_for_load_state()
    bar = page.locator(".progress-bar").first
    assert int(bar.get_attribute("data-progress")) > 0
    assert bar.evaluate("(e) => e.getBoundingClientRect().width") > 0

    _visit(
        page, live_server.url, reverse("surveys:response-summary", args=[response.pk])
    )
    assert page.locator("button[data-print]").is_visible()


def test_staff_pages_and_charts_work_under_the_policy(
    live_server, page, cycle_2024, staff
):
    region = cycle_2024["region"]
    submit(
        region, "01", staff, {("2", ""): Value(text="Ja"), ("35", ""): Value(number=59)}
    )
    submit(
        region,
        "03",
        staff,
        {("2", ""): Value(text="Nej"), ("35", ""): Value(number=61)},
    )
    run = aggregation_fresh_run(questionnaire=region)
    # Every chart built beforehand but question 35's, which the page then loads: the
    # test database (SQLite in memory, shared cache) refuses concurrent requests at
    # once, where a real database waits.
    results_view(run=run)
    cache.delete(_chart_cache_key(run, "appendix:35"))
    _log_in(page, live_server.url, staff)

    # "Select all" ticks every organisation (bound by static/js/site.js).
    _visit(
        page, live_server.url, reverse("surveys:staff-invitations", args=[region.pk])
    )
    page.locator("#pick-all").check()
    boxes = page.locator('input[name="organisations"]')
    assert boxes.count() > 0
    assert all(boxes.nth(i).is_checked() for i in range(boxes.count()))

    for name in ("aggregation:runs", "reports:index", "surveys:staff-fieldwork"):
        _visit(page, live_server.url, reverse(name))

    # All questions: the charts load as they scroll into view (static/js/reports.js).
    results = reverse("reports:results", args=[region.pk])
    _visit(page, live_server.url, results)
    section = page.locator("#appendix-35")
    section.scroll_into_view_if_needed()
    bar = section.locator("svg path[fill='#1f4e79']").first
    bar.wait_for()
    # Drawn in the bar colour: no inline style needed (the policy refuses it).
    assert bar.evaluate("(e) => getComputedStyle(e).fill") == CHART_BAR_FILL

    # One question: its chart is in the page itself.
    _visit(page, live_server.url, results + "?question=35")
    inline = page.locator("#appendix-35 svg path[fill='#1f4e79']").first
    assert inline.evaluate("(e) => getComputedStyle(e).fill") == CHART_BAR_FILL
    text = page.locator("#appendix-35 svg text").first
    assert "DejaVu Sans" in text.evaluate("(e) => getComputedStyle(e).fontFamily")

    organisation = Organisation.objects.get(code="01")
    _visit(
        page,
        live_server.url,
        reverse("reports:region-profile", args=[region.pk, organisation.code]),
    )


def test_the_admin_works_under_the_policy(live_server, page, national_frame, staff):
    """Django's admin: its list, a form with an autocomplete field (select2)."""
    staff.is_superuser = True
    staff.save()
    _log_in(page, live_server.url, staff)

    _visit(page, live_server.url, reverse("admin:index"))
    _visit(page, live_server.url, reverse("admin:regions_organisation_changelist"))
    _visit(page, live_server.url, reverse("admin:surveys_invitation_add"))
    page.locator(".select2-selection").first.click()
    page.locator(".select2-search__field").fill("Uppl")
    page.locator(".select2-results__option", has_text="Upplands Väsby").wait_for()
