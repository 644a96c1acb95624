"""A section page is shown outside a request transaction (on SQLite such a transaction
holds the write lock for the whole page), and still never lets a save be lost: the
version the page's form carries is read before the answers it shows."""

from __future__ import annotations

import pytest
from django.db import connection
from django.urls import reverse

from surveys import services
from surveys.answers import Value
from surveys.models import Response
from surveys.services import answers_map, response_save_answers
from tests.surveys.helpers import attrs, by_id, find_all, page, text, tr

pytestmark = pytest.mark.django_db


def section_url(response: Response, code: str) -> str:
    position = response.questionnaire.questions.get(code=code).section.position
    return reverse("surveys:response-section", args=[response.pk, position])


def version_in(html_page) -> str:
    (field,) = find_all(html_page, "input", name="version")
    return attrs(field)["value"]


def test_showing_a_section_opens_no_transaction_but_saving_it_opens_one(
    respondent_client, region_response, monkeypatch
):
    # The test itself runs in a transaction: count the blocks the request adds.
    outside = len(connection.atomic_blocks)
    seen: dict[str, int] = {}
    read = services.answers_and_confirmations
    save = services.response_save_answers_and_read

    def reading(response):
        seen["read"] = len(connection.atomic_blocks) - outside
        return read(response)

    def saving(**kwargs):
        seen["save_called_in"] = len(connection.atomic_blocks) - outside
        return save(**kwargs)

    monkeypatch.setattr(services, "answers_and_confirmations", reading)
    monkeypatch.setattr(services, "response_save_answers_and_read", saving)
    url = section_url(region_response, "2")

    assert respondent_client.get(url).status_code == 200
    assert seen["read"] == 0
    saved = respondent_client.post(url, {"version": 1, "q_2": "Ja"})
    assert saved.status_code == 302
    # The save's transaction is the service's own, not a savepoint in a request's.
    assert seen["save_called_in"] == 0
    assert answers_map(region_response) == {("2", ""): Value(text="Ja")}


def test_a_save_between_reading_the_response_and_its_answers_is_not_lost(
    respondent_client, region_response, region_colleague, monkeypatch
):
    """The page shows the colleague's answer with the version before it: saving the
    page is refused as stale (the colleague's answer kept), never taken as current."""
    read = services.answers_and_confirmations

    def colleague_saves_first(response):
        response_save_answers(
            response=Response.objects.get(pk=response.pk),
            values={("2", ""): Value(text="Nej")},
            by=region_colleague,
            version=1,
        )
        monkeypatch.setattr(services, "answers_and_confirmations", read)
        return read(response)

    monkeypatch.setattr(services, "answers_and_confirmations", colleague_saves_first)
    url = section_url(region_response, "2")

    opened = page(respondent_client.get(url))
    assert version_in(opened) == "1"
    assert "checked" in attrs(find_all(opened, "input", name="q_2", value="Nej")[0])

    result = respondent_client.post(url, {"version": "1", "q_2": "Ja"})

    assert result.status_code == 409
    html = page(result)
    assert tr("Not saved.") in text(by_id(html, "stale-alert"))
    assert version_in(html) == "2"
    assert answers_map(region_response) == {("2", ""): Value(text="Nej")}
