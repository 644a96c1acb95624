"""With Redis down respondents still save and submit; the aggregation is sent later.

The broker is a real port on which nothing listens (no mock of the broker): the web
requests try to send the task, fail fast, and leave the run queued. When the broker is
back, the requeue sends the run: beat's periodic task (eager here), or a worker that
starts (a real worker on Redis where REDIS_URL is set).
"""

from __future__ import annotations

import datetime
import logging
import time

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from aggregation.models import AggregationRun, AppendixCell
from aggregation.services import QUEUED_RESEND_AFTER, aggregation_status
from aggregation.tasks import requeue as requeue_task
from regions.models import Organisation
from surveys.answers import Value
from surveys.models import Response, ResponseEvent
from surveys.services import answers_map, response_get_or_create, response_submit
from tests.faults.conftest import (
    REDIS_URL,
    needs_redis,
    point_celery_at,
    run_eagerly,
    wait_for,
)
from tests.load.answers import plan_for, section_data
from tests.load.server import free_port
from tests.surveys.helpers import fill_response, tr

pytestmark = pytest.mark.django_db(transaction=True)

Status = AggregationRun.Status
# A web request with the broker down may take this long at most (it gives up in ~1 s).
HANG_SECONDS = 5.0
STALE = "The results are based on answers that have changed since – run again."
QUEUED = "Queued since %(when)s."


def submit(questionnaire, code: str, by, answer: str) -> Response:
    response = response_get_or_create(
        questionnaire=questionnaire, organisation=Organisation.objects.get(code=code)
    )
    response = fill_response(response, by=by, overrides={("2", ""): Value(text=answer)})
    return response_submit(response=response, by=by, version=response.version)


def timed(call):
    started = time.monotonic()
    result = call()
    return result, time.monotonic() - started


def answer_and_submit_over_http(client, questionnaire, code: str):
    """Save every section (a first draft of section 1 too) and submit, as a browser.

    Returns the answers sent and the longest time a request took.
    """
    plan = plan_for(questionnaire=questionnaire, organisation_code=code, seed=6)
    response = response_get_or_create(
        questionnaire=questionnaire, organisation=Organisation.objects.get(code=code)
    )
    slowest = 0.0
    saves = [(plan.sections[0], plan.draft, "save")] + [
        (section, plan.expected, "next") for section in plan.sections
    ]
    for (position, questions), values, action in saves:
        response.refresh_from_db()
        data = {"version": response.version, "action": action}
        for name, value in section_data(questions, values):
            data.setdefault(name, []).append(value)
        url = reverse("surveys:response-section", args=[response.pk, position])
        page, seconds = timed(lambda url=url, data=data: client.post(url, data))
        assert page.status_code == 302, page.content.decode()[:2000]
        slowest = max(slowest, seconds)
    response.refresh_from_db()
    page, seconds = timed(
        lambda: client.post(
            reverse("surveys:response-submit", args=[response.pk]),
            {"version": response.version},
        )
    )
    assert page.url == reverse("surveys:response-summary", args=[response.pk])
    return plan.expected, max(slowest, seconds)


@pytest.fixture
def region(cycle_2024):
    return cycle_2024["region"]


@pytest.fixture
def results_before_the_outage(region, staff) -> AggregationRun:
    """Stockholm has submitted and its results are current (computed eagerly)."""
    submit(region, "01", staff, "Ja")
    return AggregationRun.objects.get(questionnaire=region, is_current=True)


@pytest.fixture
def redis_down(settings) -> str:
    """The broker is a loopback port on which nothing listens."""
    url = f"redis://127.0.0.1:{free_port()}/0"
    point_celery_at(settings, url)
    return url


def test_with_redis_down_a_respondent_saves_and_submits_and_the_run_waits_queued(
    region,
    results_before_the_outage,
    redis_down,
    other_region_respondent,
    staff,
    client,
    caplog,
):
    client.force_login(other_region_respondent)

    with caplog.at_level(logging.WARNING, logger="aggregation.services"):
        sent, slowest = answer_and_submit_over_http(client, region, "03")

    assert slowest < HANG_SECONDS
    response = Response.objects.get(questionnaire=region, organisation__code="03")
    assert response.is_submitted
    assert answers_map(response) == sent
    assert (
        ResponseEvent.objects.filter(
            response=response, kind=ResponseEvent.Kind.SUBMITTED
        ).count()
        == 1
    )
    # The submit tried the broker, failed, and left the run queued.
    assert "stays queued: the broker is unreachable" in caplog.text
    queued = AggregationRun.objects.get(questionnaire=region, status=Status.CREATED)
    current = AggregationRun.objects.get(questionnaire=region, is_current=True)
    assert current == results_before_the_outage
    status = aggregation_status(questionnaire=region)
    assert status.is_stale
    assert status.in_flight == queued
    # Staff see that the tables are stale and that a run waits.
    client.force_login(staff)
    page = client.get(reverse("aggregation:runs")).content.decode()
    assert tr(STALE) in page
    assert tr(QUEUED).split("%(when)s")[0] in page


def test_when_redis_is_back_beats_requeue_sends_the_queued_run(
    region, results_before_the_outage, redis_down, staff, settings
):
    submit(region, "03", staff, "Nej")
    queued = AggregationRun.objects.get(questionnaire=region, status=Status.CREATED)

    run_eagerly(settings)  # the broker is back (tasks run here, as a worker would)
    assert requeue_task.delay().get() == []  # too young: its message may be on its way
    assert AggregationRun.objects.get(pk=queued.pk).status == Status.CREATED
    later = timezone.now() + QUEUED_RESEND_AFTER + datetime.timedelta(seconds=1)
    with time_machine.travel(later, tick=False):
        sent = requeue_task.delay().get()

    assert sent == [queued.pk]
    queued.refresh_from_db()
    assert queued.status == Status.COMPLETE and queued.is_current
    assert queued.responses == 2
    table = dict(
        AppendixCell.objects.filter(run=queued, question_code="2").values_list(
            "organisation", "value"
        )
    )
    assert (table["Riket"], table["Stockholm"], table["Uppsala"]) == (
        "1/2",
        "Ja",
        "Nej",
    )
    assert not aggregation_status(questionnaire=region).is_stale


@needs_redis
@pytest.mark.celery_worker
def test_a_worker_starting_after_the_outage_computes_the_queued_run(
    region,
    results_before_the_outage,
    redis_down,
    staff,
    settings,
    queue,
    start_worker,
):
    submit(region, "03", staff, "Nej")
    queued = AggregationRun.objects.get(questionnaire=region, status=Status.CREATED)

    point_celery_at(settings, REDIS_URL, queue=queue)  # Redis is back
    worker = start_worker()  # on start it sends the requeue (worker_ready)

    wait_for(
        lambda: AggregationRun.objects.filter(
            pk=queued.pk, status=Status.COMPLETE, is_current=True
        ).exists(),
        "the queued run computed by the new worker",
        worker,
    )
    assert AppendixCell.objects.get(
        run=queued, question_code="2", organisation="Riket"
    ).value == ("1/2")
    assert "aggregation.tasks.requeue" in worker.log.read_text()
