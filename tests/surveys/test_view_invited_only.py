"""Only extra questions sent to a chosen set are limited to the invited organisations."""

from __future__ import annotations

import pytest
from django.urls import reverse

from regions.models import Organisation
from surveys.models import Participation
from tests.surveys.helpers import send_to_chosen_set

pytestmark = pytest.mark.django_db


def _invite(questionnaire, *codes):
    for code in codes:
        Participation.objects.create(
            questionnaire=questionnaire,
            organisation=Organisation.objects.get(code=code),
        )


def test_another_rss_inviting_its_area_does_not_block_the_paper_path(
    client, cycle_2024, rss_coordinator
):
    municipal = cycle_2024["municipality"]
    _invite(municipal, "0381")  # RSS-03 uses the web hjälpenkät for Enköping
    client.force_login(rss_coordinator)
    start = reverse("surveys:response-start", args=[municipal.pk, "0114"])

    assert start in client.get(reverse("surveys:home")).content.decode()
    assert client.post(start).status_code == 302


def test_a_municipality_not_invited_still_sees_and_starts_the_municipal_questionnaire(
    client, cycle_2024, municipality_respondent
):
    municipal = cycle_2024["municipality"]
    _invite(municipal, "0381")
    client.force_login(municipality_respondent)
    start = reverse("surveys:response-start", args=[municipal.pk, "0114"])

    assert start in client.get(reverse("surveys:home")).content.decode()
    assert client.post(start).status_code == 302


def test_an_extra_question_sent_to_others_is_neither_listed_nor_startable(
    client, cycle_2024, municipality_respondent
):
    extra = cycle_2024["extra"]
    send_to_chosen_set(extra, "0381")
    client.force_login(municipality_respondent)
    start = reverse("surveys:response-start", args=[extra.pk, "0114"])

    assert start not in client.get(reverse("surveys:home")).content.decode()
    assert client.post(start).status_code == 404
