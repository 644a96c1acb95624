"""The RSS form's summary questions: how many answers each summarises, whether any arrived
or changed after the summary was saved, and the link to the answers."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from regions.models import Organisation
from surveys.answers import Value
from surveys.models import Membership, Response
from surveys.services import (
    response_get_or_create,
    response_save_answers,
    response_submit,
)
from tests.factories import MembershipFactory, UserFactory
from tests.surveys.helpers import by_id, fill_response, page, text

pytestmark = pytest.mark.django_db

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def _at(time_machine, day: int) -> None:
    time_machine.move_to(
        datetime.datetime(2025, 2, day, 10, 0, tzinfo=STOCKHOLM), tick=False
    )


@pytest.fixture
def coordinator(national_frame):
    user = UserFactory(username="hanna@rss10.se")
    MembershipFactory(
        user=user,
        organisation=Organisation.objects.get(code="RSS-10"),
        role=Membership.Role.COORDINATOR,
    )
    return user


def _response(questionnaire, code: str) -> Response:
    return response_get_or_create(
        questionnaire=questionnaire, organisation=Organisation.objects.get(code=code)
    )


def _save(response: Response, by, values: dict) -> Response:
    response.refresh_from_db()
    return response_save_answers(
        response=response,
        values={key: Value(text=v) for key, v in values.items()},
        by=by,
        version=response.version,
    )


def _submit(questionnaire, code: str, by, k02: str) -> None:
    filled = fill_response(
        _response(questionnaire, code), by=by, overrides={("K02", ""): Value(text=k02)}
    )
    response_submit(response=filled, by=by, version=filled.version)


@pytest.fixture
def rss_response(cycle_2024, coordinator, staff, time_machine) -> Response:
    """Blekinge's RSS response, its K02 summary saved on 4 February; Karlskrona
    submitted K02 before, Ronneby changed its draft after."""
    municipal = cycle_2024["municipality"]
    _at(time_machine, 3)
    _submit(municipal, "1080", staff, "Före")
    _save(_response(municipal, "1081"), staff, {("K02", ""): "Utkast före"})
    _at(time_machine, 4)
    rss = _save(
        _response(cycle_2024["rss"], "RSS-10"),
        coordinator,
        {("S05-K02", ""): "Sammanfattning"},
    )
    _at(time_machine, 5)
    _save(_response(municipal, "1081"), staff, {("K02", ""): "Utkast efter"})
    return rss


def _summary_url(response: Response) -> str:
    position = response.questionnaire.questions.get(code="S05-K02").section.position
    return reverse("surveys:response-section", args=[response.pk, position])


def test_the_summary_question_shows_its_answers_and_what_is_new(
    client, coordinator, rss_response, cycle_2024
):
    client.force_login(coordinator)

    html = page(client.get(_summary_url(rss_response)))

    card = by_id(html, "q-S05-K02-source")
    assert card is not None
    assert text(card).startswith(
        "Sammanfattar fråga K02: 2 av områdets 5 kommuner har svarat "
        "(1 inskickade, 1 i utkast)."
    )
    assert text(by_id(html, "q-S05-K02-new")) == (
        "1 kommuns svar har kommit in eller ändrats sedan sammanfattningen sparades "
        "senast."
    )
    link = reverse(
        "reports:area-free-text-question",
        args=["RSS-10", cycle_2024["municipality"].pk, "K02"],
    )
    assert f'href="{link}"' in client.get(_summary_url(rss_response)).content.decode()
    # A summary not written yet has its counts but no "new" line.
    assert by_id(html, "q-S05-K03-source") is not None
    assert by_id(html, "q-S05-K03-new") is None


def test_staff_see_the_summary_counts_too(client, staff, rss_response):
    client.force_login(staff)

    html = page(client.get(_summary_url(rss_response)))

    assert by_id(html, "q-S05-K02-source") is not None


def test_an_rss_member_who_does_not_follow_the_area_gets_no_counts(
    client, rss_response
):
    member = UserFactory(username="respondent@rss10.se")
    MembershipFactory(
        user=member,
        organisation=Organisation.objects.get(code="RSS-10"),
        role=Membership.Role.RESPONDENT,
    )
    client.force_login(member)

    response = client.get(_summary_url(rss_response))

    assert response.status_code == 200
    assert by_id(page(response), "q-S05-K02-source") is None


def test_the_counts_of_fourteen_summaries_take_a_few_queries(
    client, coordinator, rss_response
):
    """All 14 summaries on one page: a fixed handful of queries, not one per question."""
    client.force_login(coordinator)
    client.get(_summary_url(rss_response))  # the session's first request
    own = reverse("surveys:response-section", args=[rss_response.pk, 1])

    with CaptureQueriesContext(connection) as plain:
        client.get(own)
    with CaptureQueriesContext(connection) as summaries:
        client.get(_summary_url(rss_response))

    assert len(summaries) - len(plain) <= 6, [q["sql"] for q in summaries]
