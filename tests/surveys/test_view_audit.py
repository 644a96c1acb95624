from __future__ import annotations

import datetime

import pytest
import time_machine
from django.urls import reverse

from regions.models import Organisation
from surveys.answers import Value
from surveys.models import AnswerChange, QuestionType, Response, ResponseEvent
from surveys.services import response_save_answers, response_submit
from surveys.services.imports import responses_import
from surveys.services.transitions import response_reopen
from tests.factories import (
    QuestionFactory,
    QuestionnaireFactory,
    SectionFactory,
    UserFactory,
)
from tests.surveys.helpers import find_all, page, text

pytestmark = pytest.mark.django_db


def at(day: int, hour: int = 12) -> datetime.datetime:
    return datetime.datetime(2025, 1, day, hour, 0, tzinfo=datetime.UTC)


@pytest.fixture
def municipal(national_frame):
    section = SectionFactory(
        questionnaire=QuestionnaireFactory(
            audience="municipality", title="Kommunenkät"
        ),
        position=1,
    )
    QuestionFactory(section=section, position=1, code="K01", type=QuestionType.YES_NO)
    QuestionFactory(
        section=section, position=2, code="K02", type=QuestionType.FREE_TEXT
    )
    return section.questionnaire


@pytest.fixture
def response(municipal):
    return Response.objects.create(
        questionnaire=municipal, organisation=Organisation.objects.get(code="0114")
    )


def save(response, by, values, source=AnswerChange.Source.WEB):
    response.refresh_from_db()
    return response_save_answers(
        response=response, values=values, by=by, version=response.version, source=source
    )


@pytest.fixture
def history(response, municipality_respondent, rss_coordinator, staff):
    """Every kind of change, one day apart: web, paper, system, submit, reopen,
    import, extension."""
    with time_machine.travel(at(2), tick=False):
        save(response, municipality_respondent, {("K01", ""): Value(text="Ja")})
    with time_machine.travel(at(3), tick=False):
        save(
            response,
            rss_coordinator,
            {("K02", ""): Value(text="Från pappersenkäten")},
            AnswerChange.Source.PAPER,
        )
    with time_machine.travel(at(4), tick=False):
        save(response, None, {("K02", ""): None}, AnswerChange.Source.SYSTEM)
    with time_machine.travel(at(5), tick=False):
        save(response, municipality_respondent, {("K02", ""): Value(text="Svar")})
        response.refresh_from_db()
        response_submit(
            response=response, by=municipality_respondent, version=response.version
        )
    with time_machine.travel(at(6), tick=False):
        response_reopen(response=response, by=staff, reason="Fel svar på K01")
    with time_machine.travel(at(7), tick=False):
        responses_import(
            questionnaire=response.questionnaire,
            file="organisation,question,item,answer\n0114,K01,,Nej\n",
            by=staff,
        )
    with time_machine.travel(at(8), tick=False):
        ResponseEvent.objects.create(
            response=response,
            kind=ResponseEvent.Kind.EXTENDED,
            reason="Sjukdom",
            by=staff,
        )
    return response


def audit_url(response) -> str:
    return reverse("surveys:response-audit", args=[response.pk])


def test_the_audit_lists_every_kind_of_change_newest_first(client, staff, history):
    client.force_login(staff)

    result = client.get(audit_url(history))

    assert result.status_code == 200
    rows = [
        (e.at.day, e.what, e.question, e.old, e.new, e.source, e.reason, e.who)
        for e in result.context["page"]
    ]
    changed = "Svar ändrat"
    assert rows == [
        (8, "Svarstiden förlängd", "", None, None, "", "Sjukdom", staff.username),
        (7, "Importerat", "", None, None, "", "", staff.username),
        (7, changed, "K01", "Ja", "Nej", "Import", "", staff.username),
        (
            6,
            "Öppnad igen",
            "",
            None,
            None,
            "",
            "Fel svar på K01 (hade skickats in 2025-01-05 12:00)",
            staff.username,
        ),
        (5, "Inskickad", "", None, None, "", "", "dan@upplandsvasby.se"),
        (5, changed, "K02", None, "Svar", "Webbformulär", "", "dan@upplandsvasby.se"),
        (4, changed, "K02", "Från pappersenkäten", None, "System", "", ""),
        (
            3,
            changed,
            "K02",
            None,
            "Från pappersenkäten",
            "Inmatat av RSS",
            "",
            "frida@rss01.se",
        ),
        (2, changed, "K01", None, "Ja", "Webbformulär", "", "dan@upplandsvasby.se"),
    ]


def test_the_audit_page_shows_old_and_new_values(client, staff, history):
    client.force_login(staff)

    table = find_all(page(client.get(audit_url(history))), "table", id="audit")[0]

    assert "Fel svar på K01" in text(table)
    assert "Från pappersenkäten" in text(table)


def test_the_audit_is_paginated(client, staff, response, municipality_respondent):
    for n in range(60):
        save(response, municipality_respondent, {("K02", ""): Value(text=f"v{n}")})
    client.force_login(staff)

    first = client.get(audit_url(response))
    second = client.get(audit_url(response) + "?sida=2")

    assert len(first.context["page"]) == 50
    assert first.context["page"][0].new == "v59"
    assert len(second.context["page"]) == 10
    assert second.context["page"][-1].new == "v0"


def test_the_audit_page_takes_the_same_queries_for_a_long_history(
    client, staff, response, municipality_respondent, django_assert_num_queries
):
    save(response, municipality_respondent, {("K02", ""): Value(text="a")})
    client.force_login(staff)
    client.get(audit_url(response))
    with django_assert_num_queries(7) as short:
        client.get(audit_url(response))
    for n in range(20):
        save(response, UserFactory(), {("K02", ""): Value(text=f"v{n}")})

    with django_assert_num_queries(len(short.captured_queries)):
        client.get(audit_url(response))


@pytest.mark.parametrize(
    "actor",
    ["staff", "municipality_respondent", "rss_coordinator"],
)
def test_staff_the_organisation_and_its_coordinator_see_the_audit(
    client, request, response, actor
):
    client.force_login(request.getfixturevalue(actor))

    assert client.get(audit_url(response)).status_code == 200


@pytest.mark.parametrize(
    "actor",
    ["other_municipality_respondent", "other_rss_coordinator", "region_respondent"],
)
def test_others_get_404_for_the_audit(client, request, response, actor):
    client.force_login(request.getfixturevalue(actor))

    assert client.get(audit_url(response)).status_code == 404


def test_a_coordinator_gets_404_for_a_region_audit(client, rss_coordinator):
    region = Response.objects.create(
        questionnaire=QuestionnaireFactory(audience="region"),
        organisation=Organisation.objects.get(code="01"),
    )
    client.force_login(rss_coordinator)

    assert client.get(audit_url(region)).status_code == 404


# Reopening from the page


def submitted_response(response, by):
    save(response, by, {("K01", ""): Value(text="Ja"), ("K02", ""): Value(text="Text")})
    response.refresh_from_db()
    return response_submit(response=response, by=by, version=response.version)


def test_staff_reopen_with_a_reason(client, staff, response, municipality_respondent):
    submitted = submitted_response(response, municipality_respondent)
    client.force_login(staff)

    result = client.post(
        reverse("surveys:response-reopen", args=[submitted.pk]),
        {"reason": "Kommunen bad om det"},
    )

    assert result.status_code == 302
    submitted.refresh_from_db()
    assert submitted.status == Response.Status.DRAFT
    assert submitted.events.get(kind="reopened").reason == "Kommunen bad om det"


def test_reopening_without_a_reason_shows_the_error_at_the_field(
    client, staff, response, municipality_respondent
):
    submitted = submitted_response(response, municipality_respondent)
    client.force_login(staff)

    result = client.post(
        reverse("surveys:response-reopen", args=[submitted.pk]), {"reason": " "}
    )

    assert result.status_code == 400
    assert result.context["form"].errors == {"reason": ["Ange ett skäl"]}
    submitted.refresh_from_db()
    assert submitted.status == Response.Status.SUBMITTED


@pytest.mark.parametrize("actor", ["municipality_respondent", "rss_coordinator"])
def test_only_staff_reopen(client, request, response, actor):
    user = request.getfixturevalue(actor)
    submitted = submitted_response(response, user)
    client.force_login(user)

    result = client.post(
        reverse("surveys:response-reopen", args=[submitted.pk]), {"reason": "Ändra"}
    )

    assert result.status_code == 403
    submitted.refresh_from_db()
    assert submitted.status == Response.Status.SUBMITTED
