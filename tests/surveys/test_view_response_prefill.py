from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from regions.models import Organisation
from surveys.answers import Value
from surveys.models import AnswerChange, Membership, Response
from surveys.services import (
    answers_map,
    response_get_or_create,
    response_submit,
)
from tests.factories import MembershipFactory, UserFactory
from tests.surveys.helpers import by_id, fill_response, find_all, page, text, tr

pytestmark = pytest.mark.django_db

FILLED = (
    "The counts were filled in from %(n)s submitted municipal responses; "
    "%(m)s municipalities have not submitted: %(names)s."
)
FILLED_ALL = (
    "The counts were filled in from %(n)s submitted municipal responses; every "
    "municipality of the area has submitted."
)
NOBODY = (
    "No municipality of the area has submitted the municipal questionnaire yet; the "
    "counts were not changed."
)
STATUS = (
    "%(submitted)s of the area's %(total)s municipalities have submitted the "
    "municipal questionnaire."
)


@pytest.fixture(autouse=True)
def _within_fieldwork(time_machine):
    """Answers are saved inside the 2024 fieldwork window."""
    time_machine.move_to(
        datetime.datetime(2025, 2, 3, 10, 0, tzinfo=ZoneInfo("Europe/Stockholm"))
    )


def member(code: str, username: str, role: str = Membership.Role.RESPONDENT):
    user = UserFactory(username=username)
    MembershipFactory(
        user=user, organisation=Organisation.objects.get(code=code), role=role
    )
    return user


@pytest.fixture
def coordinator(national_frame):
    """The coordinator of RSS Blekinge län (RSS-10: five municipalities)."""
    return member("RSS-10", "hanna@rss10.se", Membership.Role.COORDINATOR)


def submit_municipal(cycle_2024, code: str, k06: str) -> Response:
    response = response_get_or_create(
        questionnaire=cycle_2024["municipality"],
        organisation=Organisation.objects.get(code=code),
    )
    fill_response(response, by=None, overrides={("K06", ""): Value(text=k06)})
    return response_submit(response=response, by=None, version=None)


@pytest.fixture
def rss_response(cycle_2024):
    """RSS Blekinge's draft; Olofström (Ja) and Karlskrona (Nej) submitted K06."""
    submit_municipal(cycle_2024, "1060", "Ja")
    submit_municipal(cycle_2024, "1080", "Nej")
    return response_get_or_create(
        questionnaire=cycle_2024["rss"],
        organisation=Organisation.objects.get(code="RSS-10"),
    )


def count_section(response: Response, code: str = "S03-K06") -> int:
    return response.questionnaire.questions.get(code=code).section.position


def prefill_url(response: Response) -> str:
    return reverse("surveys:response-prefill", args=[response.pk])


def section_url(response: Response, position: int) -> str:
    return reverse("surveys:response-section", args=[response.pk, position])


def flashed(result) -> list[str]:
    return [str(m) for m in get_messages(result.wsgi_request)]


def test_the_coordinator_fills_the_counts_and_returns_to_the_count_section(
    client, coordinator, rss_response
):
    client.force_login(coordinator)
    position = count_section(rss_response)

    result = client.post(prefill_url(rss_response), {"position": position})

    assert result.status_code == 302
    assert result["Location"] == section_url(rss_response, position)
    answers = answers_map(rss_response)
    assert answers[("S03-K06", "Ja")] == Value(number=1)
    assert answers[("S03-K06", "Nej")] == Value(number=1)
    assert flashed(result) == [
        tr(FILLED) % {"n": 2, "m": 3, "names": "Ronneby, Karlshamn, Sölvesborg"}
    ]
    change = AnswerChange.objects.get(
        response=rss_response, question__code="S03-K06", item="Ja"
    )
    assert (change.changed_by, change.source) == (
        coordinator,
        AnswerChange.Source.SYSTEM,
    )


def test_the_message_says_when_every_municipality_has_submitted(
    client, cycle_2024, coordinator, rss_response
):
    for code in ("1081", "1082", "1083"):
        submit_municipal(cycle_2024, code, "Nej")
    client.force_login(coordinator)

    result = client.post(prefill_url(rss_response))

    assert flashed(result) == [tr(FILLED_ALL) % {"n": 5}]
    assert answers_map(rss_response)[("S03-K06", "Nej")] == Value(number=4)


def test_without_a_valid_position_it_returns_to_the_first_count_section(
    client, coordinator, rss_response
):
    client.force_login(coordinator)

    result = client.post(prefill_url(rss_response), {"position": "1"})

    assert result["Location"] == section_url(rss_response, count_section(rss_response))


def test_a_colleague_at_the_rss_and_staff_may_fill_the_counts(
    client, staff, rss_response
):
    colleague = member("RSS-10", "ivar@rss10.se")
    for user in (colleague, staff):
        client.force_login(user)

        result = client.post(prefill_url(rss_response))

        assert result.status_code == 302
    assert answers_map(rss_response)[("S03-K06", "Ja")] == Value(number=1)


@pytest.mark.parametrize(
    ("code", "username"),
    [("RSS-01", "frida@rss01.se"), ("1060", "olle@olofstrom.se"), ("10", "rut@rb.se")],
)
def test_an_outsider_gets_404_and_nothing_changes(client, rss_response, code, username):
    client.force_login(member(code, username, Membership.Role.COORDINATOR))

    result = client.post(prefill_url(rss_response))

    assert result.status_code == 404
    assert answers_map(rss_response) == {}


def test_a_municipal_response_of_the_area_is_403_for_the_coordinator(
    client, coordinator, rss_response
):
    municipal = Response.objects.get(organisation__code="1060")
    before = answers_map(municipal)
    client.force_login(coordinator)

    result = client.post(prefill_url(municipal))

    assert result.status_code == 403
    assert answers_map(municipal) == before


def test_get_is_not_allowed_and_anonymous_users_are_sent_to_log_in(
    client, coordinator, rss_response
):
    anonymous = client.post(prefill_url(rss_response))
    assert anonymous["Location"].startswith(reverse("login"))
    client.force_login(coordinator)

    assert client.get(prefill_url(rss_response)).status_code == 405
    assert answers_map(rss_response) == {}


def test_a_submitted_response_is_not_changed(client, coordinator, rss_response):
    fill_response(rss_response, by=coordinator)
    response_submit(response=rss_response, by=coordinator, version=None)
    before = answers_map(rss_response)
    client.force_login(coordinator)

    result = client.post(prefill_url(rss_response))

    assert result["Location"] == reverse(
        "surveys:response-summary", args=[rss_response.pk]
    )
    assert answers_map(rss_response) == before


def test_an_area_where_nobody_submitted_is_told_and_keeps_its_counts(
    client, cycle_2024, national_frame
):
    coordinator = member("RSS-09", "jon@rss09.se", Membership.Role.COORDINATOR)
    gotland = response_get_or_create(
        questionnaire=cycle_2024["rss"],
        organisation=Organisation.objects.get(code="RSS-09"),
    )
    client.force_login(coordinator)

    result = client.post(prefill_url(gotland))

    assert result["Location"] == section_url(gotland, count_section(gotland))
    assert flashed(result) == [tr(NOBODY)]
    assert answers_map(gotland) == {}


def test_the_count_section_shows_the_area_status_and_the_button(
    client, coordinator, rss_response
):
    client.force_login(coordinator)

    html = page(client.get(section_url(rss_response, count_section(rss_response))))

    card = by_id(html, "compilation")
    assert tr(STATUS) % {"submitted": 2, "total": 5} in text(card)
    assert "Ronneby, Karlshamn, Sölvesborg" in text(by_id(card, "compilation-missing"))
    (form,) = find_all(card, "form", id="compilation-form")
    assert dict(form.attributes)["action"] == prefill_url(rss_response)
    assert find_all(form, "input", name="csrfmiddlewaretoken")
    assert tr("Fetch the municipalities' answers") in text(form)


def test_the_card_has_no_button_while_nobody_has_submitted(
    client, cycle_2024, national_frame
):
    coordinator = member("RSS-09", "jon@rss09.se", Membership.Role.COORDINATOR)
    gotland = response_get_or_create(
        questionnaire=cycle_2024["rss"],
        organisation=Organisation.objects.get(code="RSS-09"),
    )
    client.force_login(coordinator)

    html = page(client.get(section_url(gotland, count_section(gotland))))

    card = by_id(html, "compilation")
    assert tr(STATUS) % {"submitted": 0, "total": 1} in text(card)
    assert not find_all(card, "form")


def test_sections_without_counts_and_other_questionnaires_have_no_card(
    client, cycle_2024, coordinator, rss_response, region_respondent
):
    client.force_login(coordinator)
    own = count_section(rss_response, "S02")
    assert (
        by_id(page(client.get(section_url(rss_response, own))), "compilation") is None
    )

    region = response_get_or_create(
        questionnaire=cycle_2024["region"],
        organisation=Organisation.objects.get(code="01"),
    )
    client.force_login(region_respondent)
    assert by_id(page(client.get(section_url(region, 1))), "compilation") is None
