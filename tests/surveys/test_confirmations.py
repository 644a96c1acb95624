"""Actions on many organisations are confirmed once, for exactly what was shown."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.contrib.messages import get_messages
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse

from regions.models import Organisation
from surveys.models import Participation
from surveys.services.confirmations import confirmation_create, confirmation_use
from surveys.services.fieldwork import contact_add
from tests.factories import QuestionnaireFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def region_questionnaire(national_frame):
    return QuestionnaireFactory(audience="region", title="Regionenkät")


def url(questionnaire) -> str:
    return reverse("surveys:staff-invitations", args=[questionnaire.pk])


def org(code: str) -> Organisation:
    return Organisation.objects.get(code=code)


def test_send_to_all_first_shows_the_count_and_does_nothing(
    client, region_questionnaire, staff
):
    client.force_login(staff)

    shown = client.post(url(region_questionnaire), {"scope": "all"})

    assert shown.status_code == 200
    assert shown.context["count"] == 21
    assert "Region Stockholm (01)" in shown.context["names"]
    assert not Participation.objects.exists()


def test_a_double_click_on_confirm_acts_once(
    client, region_questionnaire, staff, django_capture_on_commit_callbacks
):
    contact_add(organisation=org("01"), name="A", email="a@rs.se")
    client.force_login(staff)
    data = {"scope": "all", "resend": "on"}
    key = client.post(url(region_questionnaire), data).context["key"]

    with django_capture_on_commit_callbacks(execute=True):
        first = client.post(url(region_questionnaire), {**data, "confirmation": key})
        second = client.post(url(region_questionnaire), {**data, "confirmation": key})

    assert first.status_code == second.status_code == 302
    assert len(mail.outbox) == 1
    refused = [str(m) for m in get_messages(second.wsgi_request)]
    assert any("redan" in m for m in refused), refused


def test_a_confirmation_acts_only_on_what_was_shown(
    client, region_questionnaire, staff
):
    client.force_login(staff)
    shown = {"scope": "selected", "organisations": [org("01").pk, org("03").pk]}
    key = client.post(url(region_questionnaire), shown).context["key"]

    # The back button, then more ticks, posted with the old key.
    more = {
        "scope": "selected",
        "organisations": [org("01").pk, org("03").pk, org("04").pk],
        "confirmation": key,
    }
    result = client.post(url(region_questionnaire), more)

    assert result.status_code == 302
    assert not Participation.objects.exists()
    # Nor does "all" with a key shown for two.
    client.post(url(region_questionnaire), {"scope": "all", "confirmation": key})
    assert not Participation.objects.exists()


def test_one_organisation_needs_no_confirmation(client, region_questionnaire, staff):
    client.force_login(staff)

    result = client.post(
        url(region_questionnaire),
        {"scope": "selected", "organisations": [org("01").pk]},
    )

    assert result.status_code == 302
    assert Participation.objects.count() == 1


def test_a_key_is_for_its_user_action_and_a_short_time(staff, region_respondent):
    payload = {"organisations": [1, 2]}
    key = confirmation_create(user=staff, action="invite", payload=payload).key

    with pytest.raises(ValidationError):
        confirmation_use(
            key=key, user=region_respondent, action="invite", payload=payload
        )
    with pytest.raises(ValidationError):
        confirmation_use(key=key, user=staff, action="lock", payload=payload)
    later = datetime.datetime.now(tz=datetime.UTC) + datetime.timedelta(hours=1)
    with time_machine.travel(later), pytest.raises(ValidationError):
        confirmation_use(key=key, user=staff, action="invite", payload=payload)
    confirmation_use(key=key, user=staff, action="invite", payload=payload)
    with pytest.raises(ValidationError):
        confirmation_use(key=key, user=staff, action="invite", payload=payload)


def test_locking_shows_the_frame_first_and_locks_once(
    client, region_questionnaire, staff
):
    client.force_login(staff)
    lock = reverse("surveys:staff-questionnaire-lock", args=[region_questionnaire.pk])

    shown = client.post(lock)
    region_questionnaire.refresh_from_db()
    assert shown.context["count"] == 21
    assert region_questionnaire.locked_at is None

    client.post(lock, {"confirmation": shown.context["key"]})
    region_questionnaire.refresh_from_db()
    assert region_questionnaire.locked_at is not None


def test_copying_a_cycle_lists_the_questionnaires_and_copies_once(
    client, cycle_2024, staff
):
    from surveys.models import Cycle

    client.force_login(staff)
    copy = reverse("surveys:staff-cycle-copy")
    data = {"from_year": 2024, "to_year": 2025}

    shown = client.post(copy, data)
    assert not Cycle.objects.filter(year=2025).exists()
    assert shown.context["count"] == 5
    assert cycle_2024["region"].title in shown.context["names"]

    key = shown.context["key"]
    client.post(copy, {**data, "confirmation": key})
    again = client.post(copy, {**data, "confirmation": key})
    assert Cycle.objects.filter(year=2025).count() == 1
    assert again.status_code == 200  # the form, with why it refuses


def test_an_extra_question_to_several_municipalities_is_confirmed_first(
    client, cycle_2024, staff
):
    from surveys.models import Questionnaire

    client.force_login(staff)
    data = {
        "cycle": cycle_2024["extra"].cycle.pk,
        "title": "Extra fråga",
        "text": "Hur går det?",
        "question_type": "free_text",
        "opens_on": "2025-01-07",
        "closes_on": "2025-02-28",
        "municipalities": [org("0114").pk, org("0115").pk],
    }

    shown = client.post(reverse("surveys:staff-extra-question"), data)

    assert shown.context["count"] == 2
    assert not Questionnaire.objects.filter(source_file__startswith="web:").exists()


def test_changing_the_dates_is_confirmed_with_the_frame(client, cycle_2024, staff):
    from surveys.services.cycles import cycle_copy

    region = cycle_copy(from_year=2024, to_year=2025, by=staff).questionnaires.get(
        audience="region"
    )
    client.force_login(staff)
    url = reverse("surveys:staff-questionnaire-edit", args=[region.pk])
    data = {
        "title": region.title,
        "introduction": region.introduction,
        "opens_on": "2025-12-01",
        "closes_on": "2026-03-31",
        "reminder_dates": "",
    }

    shown = client.post(url, data)
    region.refresh_from_db()

    assert shown.context["count"] == 21
    assert region.opens_on != datetime.date(2025, 12, 1)
