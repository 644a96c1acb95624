"""The lost-update conflict: one message that says what happened and one thing to do."""

from __future__ import annotations

import pytest
from django.contrib.messages import get_messages
from django.test import Client
from django.urls import reverse

from tests.surveys.helpers import by_id, fill_response, page, text, tr

pytestmark = pytest.mark.django_db

KEEP_YOURS = (
    "Your answers are still in the form; where your colleague's answer differs, it "
    "is shown under the question. Check them and save again to keep your answers."
)
# The old wording told the respondent both to enter the changes again and to save
# again to keep them.
CONTRADICTION = ("enter your changes again", "fyll i dina ändringar igen")


def version_of(response) -> int:
    response.refresh_from_db()
    return response.version


def colleague_saves(region_colleague, response, position, version, data) -> None:
    colleague = Client()
    colleague.force_login(region_colleague)
    url = reverse("surveys:response-section", args=[response.pk, position])
    assert colleague.post(url, {"version": version, **data}).status_code == 302


def test_a_refused_save_names_who_saved_and_asks_only_to_save_again(
    client, region_respondent, region_colleague, region_response
):
    position = region_response.questionnaire.questions.get(code="29").section.position
    url = reverse("surveys:response-section", args=[region_response.pk, position])
    client.force_login(region_respondent)
    opened = version_of(region_response)
    colleague_saves(
        region_colleague, region_response, position, opened, {"q_29": "Nej"}
    )

    result = client.post(url, {"version": opened, "q_29": "Ja"})

    assert result.status_code == 409
    alert = text(by_id(page(result), "stale-alert"))
    assert alert.startswith(tr("Not saved.") + " bo@regionstockholm.se ")
    assert tr(KEEP_YOURS) in alert
    for wording in CONTRADICTION:
        assert wording not in alert


def test_a_refused_submit_says_it_was_not_submitted_and_what_to_do(
    client, region_respondent, region_colleague, region_response
):
    filled = fill_response(region_response, by=region_respondent)
    client.force_login(region_respondent)
    opened = filled.version
    position = region_response.questionnaire.questions.get(code="29").section.position
    colleague_saves(
        region_colleague, region_response, position, opened, {"q_29": "Nej"}
    )

    result = client.post(
        reverse("surveys:response-submit", args=[region_response.pk]),
        {"version": opened},
    )

    assert result.status_code == 302
    (message,) = [str(m) for m in get_messages(result.wsgi_request)]
    assert "bo@regionstockholm.se" in message
    assert message.endswith(
        tr("The questionnaire was not submitted. Check the answers, then submit again.")
    )
    for wording in CONTRADICTION:
        assert wording not in message
    region_response.refresh_from_db()
    assert not region_response.is_submitted
