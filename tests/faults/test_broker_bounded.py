"""A refused or hung Redis never fails a request nor holds it up for more than ~2 s.

Against a real redis-server of the module's own (tests/faults/redis_server.py), stopped
(connections refused) or paused with SIGSTOP (connections accepted, never answered).
Each request that sends a task (a submit, "Bjud in kommunerna", the staff invitations,
the extra question) answers at once, saved once; what it asked for waits as a job row
that the requeue sends when the broker is back.
"""

from __future__ import annotations

import time

import pytest
from django.core import mail
from django.urls import reverse

from aggregation.models import AggregationRun
from regions.models import Organisation
from surveys.models import InvitationBatch, Participation, Questionnaire, Response
from surveys.services.fieldwork import contact_add
from surveys.tasks import invitations_requeue
from tests.faults.conftest import run_eagerly
from tests.faults.test_redis_down import answer_and_submit_over_http

pytestmark = pytest.mark.django_db(transaction=True)

# The longest a request may take with the broker refused or hung.
BOUND_SECONDS = 2.0


def org(code: str) -> Organisation:
    return Organisation.objects.get(code=code)


def note(what: str, fault: str, seconds: float) -> None:
    """The figure, printed with `pytest -s tests/faults/test_broker_bounded.py`."""
    print(f"\nTIMING {what} with Redis {fault}: {seconds:.3f} s")


def timed_post(client, url: str, data: dict):
    started = time.monotonic()
    result = client.post(url, data)
    return result, time.monotonic() - started


def test_a_submit_is_saved_and_answers_at_once(
    cycle_2024, broken_redis, other_region_respondent, client
):
    client.force_login(other_region_respondent)

    _sent, slowest = answer_and_submit_over_http(client, cycle_2024["region"], "03")

    note("slowest request of save+submit", broken_redis.fault, slowest)
    assert slowest < BOUND_SECONDS, (broken_redis.fault, slowest)
    assert Response.objects.get(
        questionnaire=cycle_2024["region"], organisation__code="03"
    ).is_submitted
    assert AggregationRun.objects.filter(
        questionnaire=cycle_2024["region"], status=AggregationRun.Status.CREATED
    ).exists()


def test_invite_the_municipalities_saves_once_and_the_requeue_sends_the_mail(
    cycle_2024, broken_redis, rss_coordinator, client, settings
):
    contact_add(organisation=org("0114"), name="Dan", email="dan@uv.se")
    client.force_login(rss_coordinator)
    url = reverse("surveys:area-invitations", args=["RSS-01"])

    result, seconds = timed_post(
        client, url, {"scope": "selected", "organisations": [org("0114").pk]}
    )

    note("Bjud in kommunerna", broken_redis.fault, seconds)
    assert result.status_code == 302, result.content.decode()[:500]
    assert seconds < BOUND_SECONDS, (broken_redis.fault, seconds)
    assert Participation.objects.filter(organisation__code="0114").count() == 1
    batch = InvitationBatch.objects.get()
    assert batch.done_at is None
    assert mail.outbox == []

    broken_redis.resume()  # Redis is back: beat's requeue (eager here) sends the batch
    run_eagerly(settings)
    assert invitations_requeue.delay(older_than_seconds=0).get() == [batch.pk]
    assert [m.to for m in mail.outbox] == [["dan@uv.se"]]
    batch.refresh_from_db()
    assert batch.done_at is not None
    # Sent again, a done batch sends nothing twice.
    assert invitations_requeue.delay(older_than_seconds=0).get() == []
    assert len(mail.outbox) == 1


def test_the_staff_invitations_page_answers_at_once(
    cycle_2024, broken_redis, staff, client
):
    contact_add(organisation=org("01"), name="Ann", email="ann@rs.se")
    client.force_login(staff)
    region = cycle_2024["region"]
    url = reverse("surveys:staff-invitations", args=[region.pk])

    result, seconds = timed_post(
        client, url, {"scope": "selected", "organisations": [org("01").pk]}
    )

    note("staff invitations", broken_redis.fault, seconds)
    assert result.status_code == 302, result.content.decode()[:500]
    assert seconds < BOUND_SECONDS, (broken_redis.fault, seconds)
    assert InvitationBatch.objects.filter(done_at__isnull=True).count() == 1
    assert mail.outbox == []


def test_the_extra_question_sent_twice_is_created_once(
    cycle_2024, broken_redis, staff, client
):
    contact_add(organisation=org("0114"), name="Dan", email="dan@uv.se")
    client.force_login(staff)
    url = reverse("surveys:staff-extra-question")
    form = client.get(url).context["form"]
    data = {
        "once": form.initial["once"],
        "cycle": cycle_2024["extra"].cycle.pk,
        "title": "Extra fråga om hemsjukvård",
        "text": "Hur många besök?",
        "question_type": "free_text",
        "opens_on": "2025-01-07",
        "closes_on": "2025-02-28",
        "reminder_dates": "",
        "municipalities": [org("0114").pk],
    }

    first, seconds = timed_post(client, url, data)
    again, _seconds = timed_post(client, url, data)  # the retry after an error page

    note("extra question", broken_redis.fault, seconds)
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"]
    assert seconds < BOUND_SECONDS, (broken_redis.fault, seconds)
    created = Questionnaire.objects.filter(source_file__startswith="web:")
    assert created.count() == 1
    assert created.get().participations.count() == 1
    assert InvitationBatch.objects.count() == 1
