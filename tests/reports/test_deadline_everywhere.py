"""One deadline everywhere: an organisation's extension on every page, text and PDF."""

from __future__ import annotations

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from regions.models import Organisation
from surveys.deadlines import deadline_in_text
from surveys.services import response_get_or_create
from surveys.services.fieldwork import (
    contact_add,
    invitations_send,
    participation_extend,
)
from tests.reports.conftest import document_get
from tests.reports.pdf_checks import pdf_text
from tests.surveys.helpers import by_id, page, text

pytestmark = pytest.mark.django_db

EXTENDED = datetime.date(2025, 4, 30)


@pytest.fixture
def extended(cycle_2024, staff):
    """Region Stockholm has until 30 April; the region questionnaire closes 31 March."""
    questionnaire = cycle_2024["region"]
    assert questionnaire.closes_on == datetime.date(2025, 3, 31)
    assert "31 mars 2025" in questionnaire.introduction
    stockholm = Organisation.objects.get(code="01")
    response_get_or_create(questionnaire=questionnaire, organisation=stockholm)
    participation_extend(
        questionnaire=questionnaire,
        organisation=stockholm,
        closes_on=EXTENDED,
        reason="Sjukdom",
        by=staff,
    )
    return questionnaire


def test_the_start_page_the_review_page_and_the_introduction_give_the_extension(
    client, extended, region_respondent
):
    client.force_login(region_respondent)
    response = extended.responses.get(organisation__code="01")

    home = text(page(client.get(reverse("surveys:home"))))
    review = page(client.get(reverse("surveys:response-review", args=[response.pk])))
    section = page(
        client.get(reverse("surveys:response-section", args=[response.pk, 1]))
    )

    assert "2025-04-30" in home and "2025-03-31" not in home
    assert text(by_id(review, "review-deadline")).startswith("2025-04-30")
    introduction = text(by_id(section, "introduction"))
    assert "30 april 2025" in introduction
    assert "31 mars 2025" not in introduction


def test_the_blank_form_of_an_organisation_with_an_extension_prints_its_deadline(
    client, extended, region_respondent, django_capture_on_commit_callbacks
):
    client.force_login(region_respondent)

    result = document_get(
        client,
        reverse("reports:questionnaire-pdf", args=[extended.pk]),
        django_capture_on_commit_callbacks,
    )

    printed = pdf_text(result.content)
    assert "Sista svarsdag: 30 april 2025" in printed
    assert "31 mars 2025" not in printed


def test_staff_and_other_organisations_get_the_questionnaires_own_date(
    client, extended, staff, other_region_respondent, django_capture_on_commit_callbacks
):
    for user in (staff, other_region_respondent):
        client.force_login(user)
        result = document_get(
            client,
            reverse("reports:questionnaire-pdf", args=[extended.pk]),
            django_capture_on_commit_callbacks,
        )
        printed = pdf_text(result.content)
        assert "Sista svarsdag: 31 mars 2025" in printed
        assert "30 april 2025" not in printed


def test_the_invitation_gives_the_extended_deadline(extended):
    stockholm = Organisation.objects.get(code="01")
    contact_add(organisation=stockholm, name="Karin", email="karin@rs.se")

    invitations_send(questionnaire=extended, organisations=[stockholm], by=None)

    assert "2025-04-30" in mail.outbox[0].body
    assert "2025-03-31" not in mail.outbox[0].body


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        ("Sista dag är den 31 mars 2025.", "Sista dag är den 30 april 2025."),
        ("Svara senast 2025-03-31.", "Svara senast 2025-04-30."),
        # Other dates, and numbers that only contain the date, are left alone.
        ("Öppnar 29 november 2024.", "Öppnar 29 november 2024."),
        ("Se 131 mars 2025 och 2025-03-310.", "Se 131 mars 2025 och 2025-03-310."),
    ],
)
def test_the_closing_date_in_a_text_becomes_the_extension(written, expected):
    closes_on = datetime.date(2025, 3, 31)

    assert deadline_in_text(written, closes_on=closes_on, deadline=EXTENDED) == expected
    assert deadline_in_text(written, closes_on=closes_on, deadline=closes_on) == (
        written
    )
