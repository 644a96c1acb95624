"""The aggregation job row: requesting, running, publishing, staleness, failures."""

from __future__ import annotations

import datetime

import pytest
from django.db import IntegrityError
from django.utils import timezone

from aggregation import services
from aggregation.models import AggregationRun, AppendixCell, ShareRow
from aggregation.services import (
    AggregationBusy,
    aggregation_fresh_run,
    aggregation_request,
    aggregation_run_execute,
    aggregation_status,
)
from regions.models import Organisation
from surveys.answers import Value
from surveys.models import Questionnaire, Response
from surveys.services import response_get_or_create, response_submit
from surveys.signals import announce_responses_changed
from tests.surveys.helpers import fill_response

pytestmark = pytest.mark.django_db

Status = AggregationRun.Status


def submit(questionnaire: Questionnaire, code: str, by, **answers: str) -> Response:
    """Submit a complete response of the organisation; answers by question code."""
    response = response_get_or_create(
        questionnaire=questionnaire, organisation=Organisation.objects.get(code=code)
    )
    overrides = {(q, ""): Value(text=text) for q, text in answers.items()}
    response = fill_response(response, by=by, overrides=overrides)
    return response_submit(response=response, by=by, version=response.version)


def cells(run: AggregationRun, question: str = "2") -> dict[str, str]:
    return dict(
        AppendixCell.objects.filter(run=run, question_code=question).values_list(
            "organisation", "value"
        )
    )


@pytest.fixture
def region(cycle_2024) -> Questionnaire:
    return cycle_2024["region"]


@pytest.fixture
def published(region, staff, django_capture_on_commit_callbacks) -> AggregationRun:
    """Stockholm (Ja) and Uppsala (Nej) submitted on question 2, and aggregated."""
    with django_capture_on_commit_callbacks(execute=True):
        submit(region, "01", staff, **{"2": "Ja"})
        submit(region, "03", staff, **{"2": "Nej"})
    return AggregationRun.objects.get(questionnaire=region, is_current=True)


def test_a_submit_computes_and_publishes_the_questionnaires_tables(published):
    assert published.status == Status.COMPLETE
    assert published.reason == "submit"
    assert published.responses == 2
    assert published.finished_at is not None
    table = cells(published)
    assert table["Riket"] == "1/2"
    assert table["Stockholm"] == "Ja"
    assert table["Uppsala"] == "Nej"
    assert table["Norrbotten"] == ""
    assert ShareRow.objects.filter(run=published).exists()


def test_submits_in_one_go_share_one_run(published, region):
    assert AggregationRun.objects.filter(questionnaire=region).count() == 1


def test_running_again_gives_identical_results(
    published, region, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        again = aggregation_request(questionnaire=region, reason="staff", by=staff)

    again.refresh_from_db()
    published.refresh_from_db()
    assert again.is_current and not published.is_current
    assert again.requested_by == staff
    assert again.fingerprint == published.fingerprint
    fields = ["question_code", "item", "organisation", "organisation_code", "value"]
    assert list(again.appendix_cells.order_by("position").values_list(*fields)) == list(
        published.appendix_cells.order_by("position").values_list(*fields)
    )
    share_fields = ["question_code", "item", "option", "level", "unit", "count"]
    assert list(
        again.share_rows.order_by("position").values_list(*share_fields, "percent")
    ) == list(
        published.share_rows.order_by("position").values_list(*share_fields, "percent")
    )


def test_unchanged_answers_need_no_new_run(published, region):
    assert aggregation_request(questionnaire=region, reason="import") is None
    assert AggregationRun.objects.filter(questionnaire=region).count() == 1


def test_results_are_stale_after_a_change_until_the_next_run(
    published, region, staff, django_capture_on_commit_callbacks
):
    assert aggregation_status(questionnaire=region).is_stale is False

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        submit(region, "04", staff, **{"2": "Ja"})
    status = aggregation_status(questionnaire=region)
    assert status.is_stale is True
    assert status.current == published

    with django_capture_on_commit_callbacks(execute=True):
        for callback in callbacks:
            callback()
    status = aggregation_status(questionnaire=region)
    assert status.is_stale is False
    assert status.current.responses == 3
    assert cells(status.current)["Riket"] == "2/3"


def test_a_finished_run_is_not_run_again(published):
    before = list(published.appendix_cells.values_list("pk", flat=True))

    again = aggregation_run_execute(run=published)

    assert again.finished_at == published.finished_at
    assert list(again.appendix_cells.values_list("pk", flat=True)) == before


def test_a_failed_run_is_not_run_again(region):
    failed = AggregationRun.objects.create(
        questionnaire=region, status=Status.ERROR, messages=["boom"]
    )

    assert aggregation_run_execute(run=failed).status == Status.ERROR
    assert not failed.appendix_cells.exists()


def test_a_run_waits_while_another_run_of_the_questionnaire_is_processing(region):
    AggregationRun.objects.create(
        questionnaire=region, status=Status.PROCESSING, started_at=timezone.now()
    )
    queued = AggregationRun.objects.create(questionnaire=region)

    with pytest.raises(AggregationBusy):
        aggregation_run_execute(run=queued)
    queued.refresh_from_db()
    assert queued.status == Status.CREATED


def test_a_run_processing_for_longer_than_the_time_limit_no_longer_blocks(region):
    AggregationRun.objects.create(
        questionnaire=region,
        status=Status.PROCESSING,
        started_at=timezone.now()
        - datetime.timedelta(seconds=services.RUN_TIME_LIMIT + 1),
    )
    queued = AggregationRun.objects.create(questionnaire=region)

    assert aggregation_run_execute(run=queued).status == Status.COMPLETE


def test_a_run_of_another_questionnaire_does_not_block(region, cycle_2024):
    AggregationRun.objects.create(
        questionnaire=cycle_2024["rss"],
        status=Status.PROCESSING,
        started_at=timezone.now(),
    )
    queued = AggregationRun.objects.create(questionnaire=region)

    assert aggregation_run_execute(run=queued).status == Status.COMPLETE


def test_a_crash_during_compute_marks_the_run_failed_and_keeps_the_results(
    published, region, monkeypatch
):
    def crash(questionnaire):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(services, "compute_results", crash)
    run = AggregationRun.objects.create(questionnaire=region, reason="staff")

    failed = aggregation_run_execute(run=run)

    assert failed.status == Status.ERROR
    assert failed.messages == ["RuntimeError: the database went away"]
    assert failed.finished_at is not None
    assert not failed.is_current
    published.refresh_from_db()
    assert published.is_current
    assert cells(published)["Riket"] == "1/2"
    assert aggregation_status(questionnaire=region).failed == failed


def test_a_crash_while_storing_leaves_the_previous_results_whole(
    published, region, monkeypatch
):
    stored = AppendixCell.objects.count()
    insert_rows = services._insert_rows
    written = []

    def killed(rows):
        # The appendix cells are written; the worker dies writing the share rows.
        if rows.model is ShareRow:
            written.append(AppendixCell.objects.filter(run=run).count())
            raise IntegrityError("worker killed while writing")
        insert_rows(rows)

    monkeypatch.setattr(services, "_insert_rows", killed)
    run = AggregationRun.objects.create(questionnaire=region, reason="staff")

    assert aggregation_run_execute(run=run).status == Status.ERROR
    assert written and written[0] > 0
    assert AppendixCell.objects.count() == stored
    assert not AppendixCell.objects.filter(run=run).exists()
    assert AggregationRun.objects.get(questionnaire=region, is_current=True) == (
        published
    )


def test_a_queued_run_absorbs_further_requests(region):
    first = aggregation_request(questionnaire=region, reason="submit")
    second = aggregation_request(questionnaire=region, reason="import")

    assert first is not None and first.status == Status.CREATED
    assert second == first
    assert AggregationRun.objects.filter(questionnaire=region).count() == 1


def test_a_change_while_a_run_is_processing_queues_exactly_one_more(
    published, region, staff, monkeypatch, django_capture_on_commit_callbacks
):
    real_compute = services.compute_results
    queued = []

    def compute_while_answers_change(*, questionnaire):
        results = real_compute(questionnaire=questionnaire)
        if not queued:
            # Two submits, and their requests, arrive while the first run computes.
            for code in ("04", "05"):
                submit(region, code, staff, **{"2": "Ja"})
                queued.append(
                    aggregation_request(questionnaire=region, reason="submit")
                )
        return results

    monkeypatch.setattr(services, "compute_results", compute_while_answers_change)
    with django_capture_on_commit_callbacks(execute=True):
        running = aggregation_request(questionnaire=region, reason="staff")

    runs = list(
        AggregationRun.objects.filter(questionnaire=region).order_by("requested_at")
    )
    assert len(runs) == 3
    assert runs[1] == running
    assert queued == [runs[2], runs[2]]
    assert [r.status for r in runs] == [Status.COMPLETE] * 3
    latest = runs[2]
    assert latest.is_current and latest.responses == 4
    assert cells(latest)["Riket"] == "3/4"
    assert aggregation_status(questionnaire=region).is_stale is False


def test_staff_always_get_a_new_run(published, region, staff):
    run = aggregation_request(questionnaire=region, reason="staff", by=staff)

    assert run is not None and run != published


def test_only_the_newest_runs_keep_their_result_rows(
    published, region, staff, django_capture_on_commit_callbacks
):
    for _ in range(services.KEEP_RESULTS + 1):
        with django_capture_on_commit_callbacks(execute=True):
            aggregation_request(questionnaire=region, reason="staff", by=staff)

    runs = list(AggregationRun.objects.filter(questionnaire=region))
    assert len(runs) == services.KEEP_RESULTS + 2
    with_rows = [r for r in runs if r.appendix_cells.exists()]
    assert len(with_rows) == services.KEEP_RESULTS + 1
    assert published not in with_rows
    assert all(r.status == Status.COMPLETE for r in runs)


def test_a_fresh_run_is_the_current_one_while_nothing_changed(published, region):
    assert aggregation_fresh_run(questionnaire=region) == published
    assert AggregationRun.objects.filter(questionnaire=region).count() == 1


def test_a_fresh_run_is_computed_when_the_results_are_stale(
    published, region, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        submit(region, "04", staff, **{"2": "Ja"})

    fresh = aggregation_fresh_run(questionnaire=region, by=staff)

    assert fresh != published
    assert fresh.is_current and fresh.status == Status.COMPLETE
    assert cells(fresh)["Riket"] == "2/3"


def test_an_rss_submit_also_queues_the_municipal_questionnaire(cycle_2024):
    rss, municipal = cycle_2024["rss"], cycle_2024["municipality"]

    runs = services.aggregation_answers_changed(questionnaire=rss, reason="submit")

    assert {run.questionnaire for run in runs} == {rss, municipal}


def test_a_failing_request_never_fails_the_submit(
    region, staff, monkeypatch, django_capture_on_commit_callbacks
):
    def broken(**kwargs):
        raise RuntimeError("broker down")

    monkeypatch.setattr(services, "aggregation_request", broken)
    with django_capture_on_commit_callbacks(execute=True):
        response = submit(region, "01", staff)

    response.refresh_from_db()
    assert response.status == Response.Status.SUBMITTED
    assert not AggregationRun.objects.exists()


def test_a_reopened_response_leaves_the_tables_at_the_next_run(
    published, region, django_capture_on_commit_callbacks
):
    uppsala = Response.objects.get(questionnaire=region, organisation__code="03")
    Response.objects.filter(pk=uppsala.pk).update(
        status=Response.Status.DRAFT, version=uppsala.version + 1
    )
    assert aggregation_status(questionnaire=region).is_stale is True

    with django_capture_on_commit_callbacks(execute=True):
        announce_responses_changed(questionnaire_id=region.pk, reason="reopen")

    current = AggregationRun.objects.get(questionnaire=region, is_current=True)
    assert current.reason == "reopen"
    assert current.responses == 1
    assert cells(current)["Riket"] == "1/1"
    assert cells(current)["Uppsala"] == ""
