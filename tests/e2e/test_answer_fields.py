"""The answer fields' scripts in Chromium: cannot-estimate and exclusive alternatives."""

from __future__ import annotations

import pytest
from django.urls import reverse

from surveys.services import response_get_or_create
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NONE_OF_THE_ABOVE = "Inget av ovanstående"


def _open_section_of(page, live_server, questionnaire, respondent, code: str) -> None:
    section = questionnaire.questions.get(code=code).section
    response = response_get_or_create(
        questionnaire=questionnaire, organisation=respondent.membership.organisation
    )
    page.goto(f"{live_server.url}/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(respondent.username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    url = reverse("surveys:response-section", args=[response.pk, section.position])
    page.get_by_role("button", name="Logga in").wait_for(state="detached")
    page.goto(f"{live_server.url}{url}")


def test_ticking_cannot_estimate_empties_and_locks_the_figure_until_unticked(
    live_server, page, cycle_2024, region_respondent
):
    _open_section_of(page, live_server, cycle_2024["region"], region_respondent, "36")
    figure = page.locator("#id_q_36")
    tick = page.get_by_label("Antalet kan inte uppskattas")

    figure.fill("1 600")
    tick.check()
    assert figure.input_value() == ""
    assert figure.is_disabled()

    tick.uncheck()
    assert figure.is_enabled()
    assert figure.input_value() == "1 600"

    tick.check()
    page.get_by_role("button", name="Spara utkast").click()
    page.get_by_text("Dina svar är sparade.").wait_for()
    assert page.get_by_label("Antalet kan inte uppskattas").is_checked()
    assert page.locator("#id_q_36").is_disabled()


def test_none_of_the_above_unticks_the_others_and_their_follow_up(
    live_server, page, cycle_2024, region_respondent
):
    _open_section_of(page, live_server, cycle_2024["region"], region_respondent, "23")
    question = page.locator("#q-23")
    other = question.get_by_label("övriga insatser", exact=True)
    none = question.get_by_label(NONE_OF_THE_ABOVE, exact=True)
    talks = question.get_by_label("riktade hälsosamtal", exact=True)

    talks.check()
    other.check()
    assert page.locator("#q-23b").is_visible()

    none.check()
    assert not talks.is_checked()
    assert not other.is_checked()
    assert page.locator("#q-23b").is_hidden()

    talks.check()
    assert not none.is_checked()
