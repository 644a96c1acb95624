"""The aggregation measurements: the app's run and the plain pandas baseline.

Each measurement runs in its own fresh process (benchmarks.worker), after Django is
set up and the database connection is open, so the figures hold only the work measured:
- wall time: time.perf_counter around the call;
- peak memory: the process's peak resident set size (getrusage ru_maxrss) at the end,
  less its resident set size just before the call. This counts everything the work
  allocates, pandas' and NumPy's buffers and the database driver's rows included, and
  costs nothing while it runs (tracemalloc would slow the run it measures and miss
  memory allocated outside Python's allocator).

What is measured, on the 2024 region questionnaire (see benchmarks.synthetic):
- run: aggregation.services.aggregation_run_execute, what the Celery task does for a
  run: reads the submitted answers from the database, computes the appendix tables
  and the shares (aggregation.compute.compute_results), stores the result rows, swaps
  them in and prunes older result rows;
- compute: aggregation.compute.compute_results alone (reading and computing, no writes);
- baseline: the same answers read with one SQL query (cursor.fetchall into a DataFrame),
  then a pandas groupby per question, item and county, and per question and item for the
  whole country: the number of answers, of answers "Ja", and the mean and sum of the
  figures. The least any aggregation of these answers can cost on this stack.
"""

from __future__ import annotations

import gc
import os
import resource
import time
from collections.abc import Callable
from typing import TypedDict, TypeVar

import pandas as pd
from django.db import connection

from aggregation.compute import compute_results
from aggregation.models import AggregationRun
from aggregation.services import aggregation_run_execute
from benchmarks.synthetic import region_questionnaire
from regions.models import County, Organisation
from surveys.models import Answer, Question, Response

_R = TypeVar("_R")


class Timing(TypedDict):
    """One measurement, as the worker process reports it (JSON) to the runner."""

    seconds: float
    peak_bytes: int
    rows: int


BASELINE_COLUMNS = [
    "organisation",
    "county",
    "question",
    "item",
    "text",
    "number",
    "cannot_estimate",
]


def _baseline_sql() -> str:
    answer, response = Answer._meta.db_table, Response._meta.db_table
    organisation, county = Organisation._meta.db_table, County._meta.db_table
    question = Question._meta.db_table
    return (
        f"SELECT o.code, c.code, q.code, a.item, a.text, a.number, a.cannot_estimate "  # noqa: S608
        f"FROM {answer} a "
        f"JOIN {response} r ON r.id = a.response_id "
        f"JOIN {organisation} o ON o.id = r.organisation_id "
        f"JOIN {county} c ON c.id = o.county_id "
        f"JOIN {question} q ON q.id = a.question_id "
        f"WHERE r.questionnaire_id = %s AND r.status = %s"
    )


def baseline(questionnaire_id: int) -> int:
    """One query, then counts and means per question, item and county; rows computed."""
    with connection.cursor() as cursor:
        cursor.execute(_baseline_sql(), [questionnaire_id, Response.Status.SUBMITTED])
        rows = cursor.fetchall()
    frame = pd.DataFrame.from_records(rows, columns=BASELINE_COLUMNS)
    frame["number"] = pd.to_numeric(frame["number"])
    frame["yes"] = frame["text"] == "Ja"
    aggregations = {
        "answers": ("organisation", "size"),
        "yes": ("yes", "sum"),
        "mean": ("number", "mean"),
        "total": ("number", "sum"),
    }
    by_county = frame.groupby(["question", "item", "county"]).agg(**aggregations)
    national = frame.groupby(["question", "item"]).agg(**aggregations)
    return len(by_county) + len(national)


def _rss_bytes() -> int:
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _peak_bytes() -> int:
    # Linux reports ru_maxrss in kilobytes.
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def timed(call: Callable[[], _R], rows: Callable[[_R], int]) -> Timing:
    """Time and peak memory of call(); rows(result) is counted after the clock stops."""
    gc.collect()
    before = _rss_bytes()
    start = time.perf_counter()
    result = call()
    seconds = time.perf_counter() - start
    peak = max(_peak_bytes() - before, 0)
    return {"seconds": seconds, "peak_bytes": peak, "rows": rows(result)}


def _run_rows(run: AggregationRun) -> int:
    if run.status != AggregationRun.Status.COMPLETE:
        raise RuntimeError(f"The aggregation run failed: {run.messages}")
    return run.appendix_cells.count() + run.share_rows.count()


def measure(kind: str) -> Timing:
    """Time and peak memory of one kind of aggregation on the benchmark database."""
    questionnaire = region_questionnaire()
    if kind == "baseline":
        return timed(lambda: baseline(questionnaire.pk), int)
    if kind == "compute":
        return timed(
            lambda: compute_results(questionnaire=questionnaire),
            lambda results: len(results.appendix) + len(results.shares),
        )
    if kind == "run":
        run = AggregationRun.objects.create(
            questionnaire=questionnaire, reason="benchmark"
        )
        return timed(lambda: aggregation_run_execute(run=run), _run_rows)
    raise ValueError(f"unknown kind {kind!r}")
