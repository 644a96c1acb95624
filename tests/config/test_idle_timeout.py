"""A logged-in person is logged out after SESSION_IDLE_TIMEOUT_MINUTES without a request,
is told why on the login page, and keeps what was saved before."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import translation

from surveys.services import response_get_or_create
from tests.surveys.helpers import by_id, find_all, page, text

pytestmark = pytest.mark.django_db

NOW = datetime.datetime(2025, 1, 15, 9, 0, tzinfo=datetime.UTC)
MINUTES = 60


@pytest.fixture(autouse=True)
def idle_timeout(settings):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = MINUTES


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def response(cycle_2024, region_respondent):
    return response_get_or_create(
        questionnaire=cycle_2024["region"],
        organisation=region_respondent.membership.organisation,
    )


def section_url(response) -> str:
    return reverse("surveys:response-section", args=[response.pk, 1])


def sv(message: str) -> str:
    with translation.override("sv"):
        return translation.gettext(message)


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def alerts(result) -> str:
    return " ".join(text(a) for a in find_all(page(result), "div", role="status"))


def test_after_the_idle_time_the_next_page_asks_to_log_in_again_and_says_why(
    client, region_respondent, response, clock
):
    client.force_login(region_respondent)
    assert client.get(reverse("surveys:home")).status_code == 200

    clock.shift(datetime.timedelta(minutes=MINUTES, seconds=1))
    result = client.get(section_url(response))

    assert result.status_code == 302
    assert result["Location"] == f"{reverse('login')}?next={section_url(response)}"
    assert not logged_in(client)
    login = client.get(result["Location"])
    expected = sv(
        "You were logged out after %(minutes)s minutes without activity. "
        "Everything saved before that is kept; log in to go on."
    ) % {"minutes": MINUTES}
    assert expected in alerts(login)


def test_each_page_counts_as_activity(client, region_respondent, response, clock):
    client.force_login(region_respondent)
    for _ in range(3):
        assert client.get(section_url(response)).status_code == 200
        clock.shift(datetime.timedelta(minutes=MINUTES - 1))

    assert client.get(section_url(response)).status_code == 200
    assert logged_in(client)


def test_answers_sent_after_the_timeout_are_not_saved_and_the_message_says_so(
    client, region_respondent, response, clock
):
    client.force_login(region_respondent)
    form = page(client.get(section_url(response)))
    version = dict(find_all(form, "input", name="version")[0].attributes)["value"]

    clock.shift(datetime.timedelta(minutes=MINUTES + 5))
    result = client.post(
        section_url(response), {"version": version, "action": "save"}, follow=True
    )

    response.refresh_from_db()
    assert str(response.version) == version
    shown = alerts(result)
    assert (
        sv("What you sent just now was not saved: enter it again after logging in.")
        in shown
    )


def test_the_section_form_tells_the_idle_time(client, region_respondent, response):
    client.force_login(region_respondent)

    note = by_id(page(client.get(section_url(response))), "idle-timeout-note")

    assert note is not None and str(MINUTES) in text(note)


def test_zero_minutes_turns_the_timeout_off(
    client, region_respondent, response, clock, settings
):
    settings.SESSION_IDLE_TIMEOUT_MINUTES = 0
    client.force_login(region_respondent)
    client.get(reverse("surveys:home"))

    clock.shift(datetime.timedelta(days=1))

    assert client.get(section_url(response)).status_code == 200
