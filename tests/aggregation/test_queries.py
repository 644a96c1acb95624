"""The queries of an aggregation do not grow with the number of organisations."""

from __future__ import annotations

import random

import pandas as pd
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from aggregation import selectors
from aggregation.compute import compute_results
from aggregation.models import AggregationRun
from aggregation.services import aggregation_run_execute
from benchmarks.synthetic import answer_set
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


def varied(questionnaire: Questionnaire, organisations: list[Organisation]) -> None:
    """Submitted responses with different random answers (seeded) per organisation."""
    responses = Response.objects.bulk_create(
        Response(
            questionnaire=questionnaire,
            organisation=organisation,
            status=Response.Status.SUBMITTED,
        )
        for organisation in organisations
    )
    questions = list(questionnaire.questions.order_by("position"))
    by_code = {q.code: q for q in questions}
    Answer.objects.bulk_create(
        Answer(
            response=response,
            question=by_code[code],
            item=item,
            text=value.text,
            number=value.number,
            cannot_estimate=value.cannot_estimate,
        )
        for seed, response in enumerate(responses)
        for (code, item), value in answer_set(questions, random.Random(seed)).items()
    )


def test_the_answers_are_read_without_sorting_them(cycle_2024):
    """Sorting every answer (Answer's default ordering) took most of the read's time."""
    varied(cycle_2024["region"], of_kind(Organisation.Kind.REGION, 2))

    with CaptureQueriesContext(connection) as queries:
        answers = selectors.answers_frame(questionnaire=cycle_2024["region"])

    assert len(answers) > 0
    (query,) = queries.captured_queries
    assert "ORDER BY" not in query["sql"]


@pytest.mark.parametrize("audience", ["region", "rss", "municipality"])
def test_the_results_do_not_depend_on_the_order_the_answers_are_read_in(
    cycle_2024, monkeypatch, audience
):
    varied(cycle_2024["region"], of_kind(Organisation.Kind.REGION, 21))
    varied(cycle_2024["rss"], of_kind(Organisation.Kind.RSS, 24))
    varied(cycle_2024["municipality"], of_kind(Organisation.Kind.MUNICIPALITY, 40))
    questionnaire = cycle_2024[audience]
    expected = compute_results(questionnaire=questionnaire)
    assert len(expected.appendix) + len(expected.shares) > 0
    read = selectors.answers_frame

    for seed in (1, 2, 3):

        def shuffled(*, questionnaire, seed=seed):
            frame = read(questionnaire=questionnaire)
            return frame.sample(frac=1, random_state=seed).reset_index(drop=True)

        monkeypatch.setattr(selectors, "answers_frame", shuffled)
        results = compute_results(questionnaire=questionnaire)

        pd.testing.assert_frame_equal(results.appendix, expected.appendix)
        pd.testing.assert_frame_equal(results.shares, expected.shares)


def test_answer_texts_are_compacted_to_one_object_per_distinct_text():
    # Texts as the database driver gives them: a new object for every row.
    texts = ["".join(["J", "a"]) for _ in range(3)] + ["Nej", None]
    column = pd.Series(texts, dtype="str")

    compacted = selectors._compacted(column)

    pd.testing.assert_series_equal(compacted, column)
    kept = compacted.tolist()
    assert len({id(value) for value in kept[:3]}) == 1
    assert pd.isna(kept[4])
    # A column without any text (all missing) is left as it is.
    empty = pd.Series([None, None], dtype=object)
    assert selectors._compacted(empty) is empty
