"""A double submit (two clicks, two tabs) gives one submission and no error page.

Both submits carry the version of the page they were sent from. The second finds the
response submitted and says so as the first did: the questionnaire is submitted. On
PostgreSQL the two run at the same time, each on its own connection: the second waits
for the first's row lock.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test import Client
from django.urls import reverse

from regions.models import Organisation
from surveys.models import Response, ResponseEvent
from surveys.services import response_get_or_create
from surveys.services import responses as responses_service
from tests.surveys.helpers import fill_response, tr

SUBMITTED = "Thank you! The questionnaire is submitted."
# Holds the first submit inside its transaction, so that the second arrives meanwhile.
HOLD_SECONDS = 0.5


@pytest.fixture
def complete_draft(cycle_2024, region_respondent) -> Response:
    response = response_get_or_create(
        questionnaire=cycle_2024["region"],
        organisation=Organisation.objects.get(code="01"),
    )
    return fill_response(response, by=region_respondent)


def submit(client: Client, response: Response, version: int):
    return client.post(
        reverse("surveys:response-submit", args=[response.pk]), {"version": version}
    )


def messages_of(reply) -> list[str]:
    return [str(m) for m in get_messages(reply.wsgi_request)]


def submissions(response: Response) -> int:
    return ResponseEvent.objects.filter(
        response=response, kind=ResponseEvent.Kind.SUBMITTED
    ).count()


@pytest.mark.django_db
def test_a_second_submit_of_the_same_page_changes_nothing_and_says_it_is_submitted(
    complete_draft, region_respondent, client
):
    client.force_login(region_respondent)
    version = complete_draft.version
    summary = reverse("surveys:response-summary", args=[complete_draft.pk])

    first = submit(client, complete_draft, version)
    submitted = Response.objects.get(pk=complete_draft.pk)
    second = submit(client, complete_draft, version)  # the second click, or tab

    assert (first.status_code, first.url) == (302, summary)
    assert (second.status_code, second.url) == (302, summary)
    # The same browser: the first's message, unread, and the second's.
    assert messages_of(second) == [tr(SUBMITTED), tr(SUBMITTED)]
    stored = Response.objects.get(pk=complete_draft.pk)
    assert stored.is_submitted
    assert (stored.submitted_at, stored.version) == (
        submitted.submitted_at,
        submitted.version,
    )
    assert submissions(stored) == 1


@pytest.mark.django_db(transaction=True)
def test_two_submits_at_the_same_time_give_one_submission(
    complete_draft, region_respondent, monkeypatch
):
    if connection.vendor != "postgresql":
        pytest.skip("concurrent submits need PostgreSQL (DATABASE_URL): row locks")
    check = responses_service.response_check

    def slow_check(**kwargs):
        time.sleep(HOLD_SECONDS)
        return check(**kwargs)

    monkeypatch.setattr(responses_service, "response_check", slow_check)
    clients = [Client(), Client()]
    for client in clients:
        client.force_login(region_respondent)
    version = complete_draft.version
    barrier = threading.Barrier(2)
    replies: list = [None, None]
    spans: list = [None, None]

    def click(index: int) -> None:
        try:
            barrier.wait()
            started = time.monotonic()
            replies[index] = submit(clients[index], complete_draft, version)
            spans[index] = (started, time.monotonic())
        finally:
            connection.close()

    threads = [threading.Thread(target=click, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    # The two requests overlapped: each started before the other ended.
    assert max(s[0] for s in spans) < min(s[1] for s in spans)
    summary = reverse("surveys:response-summary", args=[complete_draft.pk])
    for reply in replies:
        assert (reply.status_code, reply.url) == (302, summary)
        assert messages_of(reply) == [tr(SUBMITTED)]
    stored = Response.objects.get(pk=complete_draft.pk)
    assert stored.is_submitted
    assert stored.version == version + 1
    assert submissions(stored) == 1
