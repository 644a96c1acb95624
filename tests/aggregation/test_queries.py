"""The queries of an aggregation do not grow with the number of organisations."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aggregation.compute import compute_results
from aggregation.models import AggregationRun
from aggregation.services import aggregation_run_execute
from regions.models import Organisation
from surveys.models import Answer, Questionnaire, Response
from tests.surveys.helpers import complete_values

pytestmark = pytest.mark.django_db


def submitted(questionnaire: Questionnaire, organisations: list[Organisation]) -> None:
    """Complete submitted responses of the organisations, written in bulk."""
    responses = Response.objects.bulk_create(
        Response(
            questionnaire=questionnaire,
            organisation=organisation,
            status=Response.Status.SUBMITTED,
        )
        for organisation in organisations
    )
    questions = {q.code: q for q in questionnaire.questions.all()}
    values = complete_values(responses[0])
    Answer.objects.bulk_create(
        Answer(
            response=response,
            question=questions[code],
            item=item,
            text=value.text,
            number=value.number,
            cannot_estimate=value.cannot_estimate,
        )
        for response in responses
        for (code, item), value in values.items()
    )


def of_kind(kind: str, count: int) -> list[Organisation]:
    return list(Organisation.objects.filter(kind=kind).order_by("code")[:count])


def compute_queries(questionnaire: Questionnaire) -> int:
    with CaptureQueriesContext(connection) as queries:
        compute_results(questionnaire=questionnaire)
    return len(queries)


RESULT_INSERTS = (
    'INSERT INTO "aggregation_appendixcell"',
    'INSERT INTO "aggregation_sharerow"',
)


def run_queries(questionnaire: Questionnaire) -> tuple[int, int]:
    """Queries of a run (after a first one) besides the result rows' bulk inserts; the
    batches of those inserts (SQLite takes some hundred rows a statement)."""
    run = AggregationRun.objects.create(questionnaire=questionnaire)
    with CaptureQueriesContext(connection) as queries:
        aggregation_run_execute(run=run)
    run.refresh_from_db()
    assert run.status == AggregationRun.Status.COMPLETE, run.messages
    inserts = [q for q in queries if q["sql"].startswith(RESULT_INSERTS)]
    rows = run.appendix_cells.count() + run.share_rows.count()
    assert len(inserts) <= 2 + rows // 50
    return len(queries) - len(inserts), len(inserts)


def test_the_region_tables_take_as_many_queries_for_3_regions_as_for_21(
    cycle_2024, django_assert_num_queries
):
    region = cycle_2024["region"]
    regions = of_kind(Organisation.Kind.REGION, 21)
    submitted(region, regions[:3])
    few = compute_queries(region)

    submitted(region, regions[3:])
    with django_assert_num_queries(few):
        results = compute_results(questionnaire=region)
    assert results.responses == 21


def test_a_region_run_takes_as_many_queries_for_3_regions_as_for_21(cycle_2024):
    region = cycle_2024["region"]
    regions = of_kind(Organisation.Kind.REGION, 21)
    submitted(region, regions[:3])
    run_queries(region)
    few, _inserts = run_queries(region)

    submitted(region, regions[3:])
    many, _inserts = run_queries(region)
    assert many == few


def test_the_municipal_shares_take_as_many_queries_for_10_municipalities_as_for_290(
    cycle_2024, django_assert_num_queries
):
    municipal, rss = cycle_2024["municipality"], cycle_2024["rss"]
    municipalities = of_kind(Organisation.Kind.MUNICIPALITY, 290)
    compilers = of_kind(Organisation.Kind.RSS, 24)
    submitted(municipal, municipalities[:10])
    submitted(rss, compilers[:2])
    few = compute_queries(municipal)

    submitted(municipal, municipalities[10:])
    submitted(rss, compilers[2:])
    with django_assert_num_queries(few):
        results = compute_results(questionnaire=municipal)
    assert results.responses == 290
    assert set(results.shares["unit"]) >= {"SE", "RSS-01", "RSS-25"}


def test_an_rss_run_takes_as_many_queries_for_2_rss_as_for_24(cycle_2024):
    rss = cycle_2024["rss"]
    compilers = of_kind(Organisation.Kind.RSS, 24)
    submitted(rss, compilers[:2])
    run_queries(rss)
    few, _inserts = run_queries(rss)

    submitted(rss, compilers[2:])
    many, _inserts = run_queries(rss)
    assert many == few
