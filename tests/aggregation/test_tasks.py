"""The aggregation task, run eagerly (no REDIS_URL): thin, repeatable, retried when busy."""

from __future__ import annotations

import pytest
from celery.exceptions import Retry
from django.utils import timezone

from aggregation import services
from aggregation.models import AggregationRun, AppendixCell
from aggregation.services import AggregationBusy, aggregation_request
from aggregation.tasks import aggregate as aggregate_task
from regions.models import Organisation
from surveys.answers import Value
from surveys.models import Questionnaire
from surveys.services import response_get_or_create, response_submit
from tests.surveys.helpers import fill_response

pytestmark = pytest.mark.django_db

Status = AggregationRun.Status


@pytest.fixture
def region(cycle_2024) -> Questionnaire:
    return cycle_2024["region"]


def submit(questionnaire: Questionnaire, code: str, by, answer: str) -> None:
    response = response_get_or_create(
        questionnaire=questionnaire, organisation=Organisation.objects.get(code=code)
    )
    response = fill_response(response, by=by, overrides={("2", ""): Value(text=answer)})
    response_submit(response=response, by=by, version=response.version)


def test_a_submit_enqueues_the_task_once_the_transaction_commits(
    region, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        submit(region, "01", staff, "Ja")
    assert not AggregationRun.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()

    run = AggregationRun.objects.get()
    assert run.status == Status.COMPLETE and run.is_current
    assert AppendixCell.objects.get(
        run=run, question_code="2", organisation="Riket"
    ).value == ("1/1")


def test_the_task_computes_a_queued_run(
    region, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        submit(region, "01", staff, "Nej")
    run = AggregationRun.objects.create(questionnaire=region, reason="staff")

    aggregate_task.delay(run.pk)

    run.refresh_from_db()
    assert run.status == Status.COMPLETE
    assert AppendixCell.objects.get(
        run=run, question_code="2", organisation="Stockholm"
    ).value == ("Nej")


def test_a_duplicate_task_for_a_complete_run_does_nothing(region):
    run = AggregationRun.objects.create(questionnaire=region)
    aggregate_task.delay(run.pk)
    run.refresh_from_db()
    cells = list(run.appendix_cells.values_list("pk", flat=True))

    aggregate_task.delay(run.pk)

    again = AggregationRun.objects.get(pk=run.pk)
    assert again.finished_at == run.finished_at
    assert list(again.appendix_cells.values_list("pk", flat=True)) == cells


def test_a_task_for_a_run_that_no_longer_exists_does_nothing(region):
    aggregate_task.delay(987654)

    assert not AggregationRun.objects.exists()


def test_a_busy_run_is_retried_later_with_a_growing_countdown(region, monkeypatch):
    AggregationRun.objects.create(
        questionnaire=region, status=Status.PROCESSING, started_at=timezone.now()
    )
    queued = AggregationRun.objects.create(questionnaire=region)
    retries = []

    def retry(**kwargs):
        retries.append(kwargs)
        return Retry(exc=kwargs["exc"], when=kwargs["countdown"])

    monkeypatch.setattr(aggregate_task, "retry", retry)
    for attempt in range(3):
        # As a worker runs it: not eager, the attempt number in the request.
        aggregate_task.push_request(id=f"task-{attempt}", retries=attempt)
        try:
            with pytest.raises(Retry):
                aggregate_task.run(queued.pk)
        finally:
            aggregate_task.pop_request()

    assert [r["countdown"] for r in retries] == [2, 4, 8]
    assert all(isinstance(r["exc"], AggregationBusy) for r in retries)
    queued.refresh_from_db()
    assert queued.status == Status.CREATED


def test_the_task_is_acknowledged_late_and_limited_in_time():
    assert aggregate_task.acks_late is True
    assert aggregate_task.autoretry_for == (AggregationBusy,)
    assert aggregate_task.time_limit == services.RUN_TIME_LIMIT
    assert aggregate_task.soft_time_limit < aggregate_task.time_limit
    # Retries cover at least the time a run may take.
    assert aggregate_task.max_retries * aggregate_task.retry_backoff_max >= (
        services.RUN_TIME_LIMIT
    )


def test_eagerly_a_busy_run_waits_and_starts_when_the_running_one_is_done(
    region, staff, monkeypatch, django_capture_on_commit_callbacks
):
    real_compute = services.compute_results
    waiting = []

    def compute_while_a_staff_member_asks(*, questionnaire):
        if not waiting:
            run = AggregationRun.objects.create(questionnaire=region, reason="staff")
            aggregate_task.delay(run.pk)  # busy: returns at once, still queued
            run.refresh_from_db()
            waiting.append(run)
        return real_compute(questionnaire=questionnaire)

    monkeypatch.setattr(services, "compute_results", compute_while_a_staff_member_asks)
    with django_capture_on_commit_callbacks(execute=True):
        first = aggregation_request(questionnaire=region, reason="staff")

    assert waiting[0].status == Status.CREATED
    first.refresh_from_db()
    second = AggregationRun.objects.get(pk=waiting[0].pk)
    assert first.status == second.status == Status.COMPLETE
    assert second.is_current and not first.is_current
