"""The requeue (beat every 5 minutes, and each worker on start) of runs left behind.

Tasks run eagerly here; the real worker on Redis is in test_redis_down.py and
test_worker_killed.py.
"""

from __future__ import annotations

import datetime

import pytest
from django.conf import settings
from django.utils import timezone

from aggregation.models import AggregationRun
from aggregation.services import RUN_TIME_LIMIT, WORKER_LOST
from aggregation.tasks import requeue as requeue_task
from config import celery_app

pytestmark = pytest.mark.django_db(transaction=True)

Status = AggregationRun.Status


@pytest.fixture
def region(cycle_2024):
    return cycle_2024["region"]


def processing_since(questionnaire, seconds: int, messages=()) -> AggregationRun:
    """A run a worker started `seconds` ago and has not finished."""
    started = timezone.now() - datetime.timedelta(seconds=seconds)
    return AggregationRun.objects.create(
        questionnaire=questionnaire,
        status=Status.PROCESSING,
        started_at=started,
        messages=list(messages),
    )


def test_a_run_processing_past_the_time_limit_is_taken_over_and_computed(region):
    dead = processing_since(region, RUN_TIME_LIMIT + 1)

    sent = requeue_task.delay().get()

    assert sent == [dead.pk]
    dead.refresh_from_db()
    assert dead.status == Status.COMPLETE and dead.is_current
    assert [m for m in dead.messages if m.startswith(WORKER_LOST)]


def test_a_run_within_the_time_limit_is_left_to_its_worker(region):
    running = processing_since(region, RUN_TIME_LIMIT - 60)

    assert requeue_task.delay().get() == []

    running.refresh_from_db()
    assert running.status == Status.PROCESSING
    assert running.messages == []


def test_a_dead_run_gives_way_to_the_run_already_queued(region):
    dead = processing_since(region, RUN_TIME_LIMIT + 1)
    queued = AggregationRun.objects.create(questionnaire=region)
    AggregationRun.objects.filter(pk=queued.pk).update(
        requested_at=timezone.now() - datetime.timedelta(hours=1)
    )

    sent = requeue_task.delay().get()

    assert sent == [queued.pk]
    dead.refresh_from_db()
    queued.refresh_from_db()
    assert dead.status == Status.ERROR and not dead.is_current
    assert dead.messages[-1] == f"superseded by run {queued.pk}"
    assert queued.status == Status.COMPLETE and queued.is_current


def test_a_run_that_lost_its_worker_three_times_is_failed_not_sent_again(region):
    earlier = [f"{WORKER_LOST} (started then)", f"{WORKER_LOST} (started later)"]
    dead = processing_since(region, RUN_TIME_LIMIT + 1, messages=earlier)

    assert requeue_task.delay().get() == []

    dead.refresh_from_db()
    assert dead.status == Status.ERROR
    assert dead.messages[-1] == "worker lost 3 times, not sent again"
    assert dead.finished_at is not None


def test_on_worker_start_every_queued_run_is_sent_whatever_its_age(region):
    queued = AggregationRun.objects.create(questionnaire=region)

    assert requeue_task.delay().get() == []  # beat: only runs older than 5 minutes
    sent = requeue_task.delay(older_than_seconds=0).get()  # a worker's start

    assert sent == [queued.pk]
    queued.refresh_from_db()
    assert queued.status == Status.COMPLETE


@pytest.mark.django_db
def test_beat_sends_the_requeue_every_five_minutes_and_it_expires_before_the_next():
    entry = settings.CELERY_BEAT_SCHEDULE["aggregation-requeue"]

    assert entry["task"] == "aggregation.tasks.requeue"
    assert entry["task"] in celery_app.tasks
    assert entry["schedule"].minute == set(range(0, 60, 5))
    assert entry["options"]["expires"] < 5 * 60
