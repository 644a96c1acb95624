"""A worker killed in the middle of an aggregation leaves the previous results whole.

A real Celery worker process (Redis; skipped without REDIS_URL, run in CI) is stopped
by SIGKILL while it publishes a run's results: its appendix cells are written, in the
transaction that would make them current. The database rolls that transaction back;
the previous run's results stay current and whole. Once the run is past the time limit
(RUN_TIME_LIMIT: then it is taken for dead), a worker that starts takes it over.
"""

from __future__ import annotations

import datetime
import signal

import pytest
from django.db.models import F

from aggregation.models import AggregationRun, AppendixCell, ShareRow
from aggregation.services import RUN_TIME_LIMIT, WORKER_LOST, aggregation_status
from regions.models import Organisation
from surveys.answers import Value
from surveys.services import response_get_or_create, response_submit
from tests.faults.conftest import REDIS_URL, needs_redis, point_celery_at, wait_for
from tests.surveys.helpers import fill_response

pytestmark = [
    needs_redis,
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
]

Status = AggregationRun.Status


def submit(questionnaire, code: str, by, answer: str) -> None:
    response = response_get_or_create(
        questionnaire=questionnaire, organisation=Organisation.objects.get(code=code)
    )
    response = fill_response(response, by=by, overrides={("2", ""): Value(text=answer)})
    response_submit(response=response, by=by, version=response.version)


def results(run: AggregationRun) -> tuple[list, list]:
    """Every appendix cell and share row of the run, in order."""
    cells = AppendixCell.objects.filter(run=run).order_by("position", "pk")
    shares = ShareRow.objects.filter(run=run).order_by("position", "pk")
    return (
        list(cells.values_list("question_code", "item", "organisation", "value")),
        list(shares.values_list("question_code", "option", "unit", "count")),
    )


def test_a_worker_killed_while_publishing_leaves_the_previous_results_current_and_whole(
    cycle_2024, staff, settings, queue, start_worker, tmp_path
):
    region = cycle_2024["region"]
    submit(region, "01", staff, "Ja")  # computed here (eager): the results before
    before = AggregationRun.objects.get(questionnaire=region, is_current=True)
    results_before = results(before)
    assert len(results_before[0]) > 100

    point_celery_at(settings, REDIS_URL, queue=queue)
    pause = tmp_path / "paused"
    slow = start_worker(pause_in_publish=pause)
    submit(region, "03", staff, "Nej")
    killed = AggregationRun.objects.exclude(pk=before.pk).get(questionnaire=region)
    written = wait_for(
        lambda: pause.exists() and pause.read_text(),
        "the worker publishing the run",
        slow,
    )
    slow.send_signal(signal.SIGKILL)
    slow.wait(timeout=10)

    # The worker had written the new cells, inside the transaction it never committed.
    assert int(written) > 100
    killed.refresh_from_db()
    assert killed.status == Status.PROCESSING
    assert not killed.is_current
    assert not AppendixCell.objects.filter(run=killed).exists()
    current = AggregationRun.objects.get(questionnaire=region, is_current=True)
    assert current == before
    assert results(current) == results_before
    assert aggregation_status(questionnaire=region).is_stale

    # Past the time limit the run counts as dead; a worker that starts takes it over.
    AggregationRun.objects.filter(pk=killed.pk).update(
        started_at=F("started_at") - datetime.timedelta(seconds=RUN_TIME_LIMIT + 1)
    )
    fresh = start_worker()
    wait_for(
        lambda: AggregationRun.objects.filter(
            pk=killed.pk, status=Status.COMPLETE, is_current=True
        ).exists(),
        "the killed run taken over by a new worker",
        fresh,
    )
    killed.refresh_from_db()
    assert killed.responses == 2
    assert any(str(m).startswith(WORKER_LOST) for m in killed.messages)
    table = dict(
        AppendixCell.objects.filter(run=killed, question_code="2").values_list(
            "organisation", "value"
        )
    )
    assert (table["Riket"], table["Stockholm"], table["Uppsala"]) == (
        "1/2",
        "Ja",
        "Nej",
    )
    assert results(AggregationRun.objects.get(pk=before.pk)) == results_before
    assert not aggregation_status(questionnaire=region).is_stale
