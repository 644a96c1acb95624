"""Who a questionnaire is for: a chosen set is fixed when it is created."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from regions.models import Organisation
from surveys import frames
from surveys.models import Participation, QuestionType
from surveys.services.cycles import extra_question_create
from surveys.services.fieldwork import participation_extend, participations_invite
from tests.surveys.helpers import post_confirmed

pytestmark = pytest.mark.django_db

UPPSALA = ["0305", "0319", "0330", "0331", "0360", "0380", "0381", "0382"]


@pytest.fixture
def uppsala_extra(cycle_2024, staff):
    return extra_question_create(
        cycle=cycle_2024["extra"].cycle,
        by=staff,
        title="Extra fråga till Uppsala län",
        text="Hur går det?",
        question_type=QuestionType.FREE_TEXT,
        opens_on=datetime.date(2025, 1, 7),
        closes_on=datetime.date(2025, 2, 28),
        reminder_dates=None,
        organisations=Organisation.objects.filter(code__in=UPPSALA),
    )


def test_the_chosen_set_is_stored_with_the_questionnaire(uppsala_extra):
    assert uppsala_extra.for_chosen_set
    assert (
        sorted(frames.frame_organisations(uppsala_extra).values_list("code", flat=True))
        == UPPSALA
    )
    assert frames.frame_size(uppsala_extra) == 8


def test_the_invitations_page_lists_counts_and_invites_only_the_chosen_set(
    client, uppsala_extra, staff, municipality_respondent
):
    url = reverse("surveys:staff-invitations", args=[uppsala_extra.pk])
    client.force_login(staff)

    page = client.get(url)
    assert page.context["total"] == 8
    assert [r.organisation.code for r in page.context["rows"]] == UPPSALA
    assert "290" not in page.content.decode()

    post_confirmed(client, url, {"scope": "all", "resend": "on"})

    assert (
        sorted(
            Participation.objects.filter(questionnaire=uppsala_extra).values_list(
                "organisation__code", flat=True
            )
        )
        == UPPSALA
    )
    client.force_login(municipality_respondent)  # Upplands Väsby
    start = reverse("surveys:response-start", args=[uppsala_extra.pk, "0114"])
    assert start not in client.get(reverse("surveys:home")).content.decode()
    assert client.post(start).status_code == 404


def test_inviting_never_widens_the_chosen_set(uppsala_extra, staff):
    with pytest.raises(ValidationError, match="0114"):
        participations_invite(
            questionnaire=uppsala_extra,
            organisations=Organisation.objects.filter(code__in=["0114", "0380"]),
            by=staff,
        )

    assert not Participation.objects.filter(
        questionnaire=uppsala_extra, organisation__code="0114"
    ).exists()
    assert not frames.questionnaire_is_for(
        uppsala_extra, Organisation.objects.get(code="0114")
    )


def test_extending_a_deadline_does_not_invite_an_organisation_outside_the_set(
    uppsala_extra, staff
):
    with pytest.raises(ValidationError):
        participation_extend(
            questionnaire=uppsala_extra,
            organisation=Organisation.objects.get(code="0114"),
            closes_on=datetime.date(2025, 3, 31),
            reason="Bad om mer tid",
            by=staff,
        )

    assert frames.frame_size(uppsala_extra) == 8
    assert not Participation.objects.filter(
        questionnaire=uppsala_extra, organisation__code="0114"
    ).exists()


def test_a_stray_invitation_outside_the_set_neither_shows_nor_counts(
    client, uppsala_extra, municipality_respondent
):
    # A row written before the set was fixed (or by hand in the admin).
    Participation.objects.create(
        questionnaire=uppsala_extra, organisation=Organisation.objects.get(code="0114")
    )
    client.force_login(municipality_respondent)

    assert frames.frame_size(uppsala_extra) == 8
    start = reverse("surveys:response-start", args=[uppsala_extra.pk, "0114"])
    assert client.post(start).status_code == 404


def test_reminders_go_only_to_the_chosen_set(uppsala_extra):
    from surveys.services.fieldwork import reminders_preview

    Participation.objects.create(
        questionnaire=uppsala_extra, organisation=Organisation.objects.get(code="0114")
    )
    day = datetime.date.fromisoformat(uppsala_extra.reminder_dates[0])

    (organisations,) = [
        o for q, o in reminders_preview(today=day) if q == uppsala_extra
    ]

    assert sorted(o.code for o in organisations) == UPPSALA
