"""Writes of the aggregation app: requesting, running and publishing aggregation runs.

A run is a job row (`AggregationRun`). `aggregation_request` queues at most one run per
questionnaire; the task `aggregation.tasks.aggregate` calls `aggregation_run_execute`, which
is safe to repeat: a retried or duplicated task does nothing once the run has finished, and
the results of a run replace the previous ones in one transaction, so the tables shown are
always one run's results, whole. A run whose message never reached a worker (the broker
was down) or whose worker died is sent again by `aggregation_requeue` (beat, and each
worker on start).

Results kept: the job rows of every run stay (when, why, by whom, from which answers); the
result rows (appendix cells and share rows) of all but the current run and the
`KEEP_RESULTS` newest other complete runs are deleted, so that a cycle with a run after
every submit does not pile up millions of rows.
"""

from __future__ import annotations

import datetime
import itertools
import json
import logging
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.db import connection, models, transaction
from django.db.models import Q
from django.utils import timezone

from aggregation import selectors
from aggregation.compute import (
    Results,
    compiling_questionnaire,
    compute_results,
    results_fingerprint,
)
from aggregation.models import (
    APPENDIX_CELL_FIELDS,
    AggregationRun,
    PublishedUpload,
    PublishedValue,
    ShareRow,
    StoredAppendixTable,
)
from aggregation.published import published_rows
from aggregation.rules.previous import PREVIOUS_SHARE_COLUMNS
from aggregation.selectors import PublishedChanges
from aggregation.signals import run_queued
from surveys.models import Questionnaire
from surveys.models.questionnaire import MUNICIPAL_VIA_RSS_KEY
from surveys.services.imports import ImportFile, import_text

logger = logging.getLogger(__name__)

# Hard time limit of one run (the task's time_limit). A run still "processing" after this
# long is taken to be dead (its worker was killed) and no longer blocks the next one.
RUN_TIME_LIMIT = 15 * 60
RUN_SOFT_TIME_LIMIT = RUN_TIME_LIMIT - 60
# A queued run that has not started after this long is sent to the broker again (the
# message may have been lost); a duplicate message is harmless.
QUEUED_RESEND_AFTER = datetime.timedelta(minutes=5)
# A run whose worker died this many times is failed instead of being sent again.
MAX_WORKERS_LOST = 3
WORKER_LOST = "worker lost"
# Complete runs besides the current one whose result rows are kept.
KEEP_RESULTS = 3
STAFF = "staff"

Status = AggregationRun.Status


class AggregationBusy(Exception):
    """Another run of the same questionnaire is processing; try again later."""


@dataclass(frozen=True)
class AggregationStatus:
    """What the staff page shows about one questionnaire's results."""

    questionnaire: Questionnaire
    current: AggregationRun | None
    # The answers changed since the current results were computed.
    is_stale: bool
    # The run queued or processing, if any (processing first).
    in_flight: AggregationRun | None
    # The newest run, if it failed after the current one.
    failed: AggregationRun | None
    submitted: int


def _compute(questionnaire: Questionnaire) -> Results:
    return compute_results(questionnaire=questionnaire)


def _live_fingerprint(questionnaire: Questionnaire) -> tuple[str, int]:
    """The fingerprint (and submitted responses) a run started now would record."""
    return results_fingerprint(questionnaire=questionnaire)


def _dependants(questionnaire: Questionnaire) -> list[Questionnaire]:
    """Questionnaires whose results are computed from this one's answers too.

    The municipal questionnaire's shares come from the RSS questionnaire's compilations.
    """
    if questionnaire.audience != Questionnaire.Audience.RSS:
        return []
    candidates = Questionnaire.objects.filter(
        cycle_id=questionnaire.cycle_id,
        key=MUNICIPAL_VIA_RSS_KEY,
        is_current=True,
    )
    return [
        candidate
        for candidate in candidates
        if getattr(compiling_questionnaire(questionnaire=candidate), "pk", None)
        == questionnaire.pk
    ]


def aggregation_answers_changed(
    *, questionnaire: Questionnaire, reason: str
) -> list[AggregationRun]:
    """Queue runs for the questionnaire and for those computed from its answers."""
    runs = []
    for affected in [questionnaire, *_dependants(questionnaire)]:
        run = aggregation_request(questionnaire=affected, reason=reason)
        if run is not None:
            runs.append(run)
    return runs


def _enqueue(run: AggregationRun) -> None:
    """Announce the run once the current transaction has committed.

    aggregation.receivers sends it to the workers (the tasks import this module, so it
    does not import them back).
    """
    pk = run.pk
    # robust: nothing raised while sending fails the submit that asked for the run.
    transaction.on_commit(
        lambda: run_queued.send(sender=AggregationRun, run_id=pk), robust=True
    )


def _alive_since() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(seconds=RUN_TIME_LIMIT)


def aggregation_requeue(
    *, older_than: datetime.timedelta = QUEUED_RESEND_AFTER
) -> list[int]:
    """Send again the runs that no worker will otherwise start; return their ids.

    For a broker that was down when a run was requested (the submit went through, the
    message did not: the run stays queued) and for a worker that died in the middle of
    a run. Celery beat calls it every few minutes, and each worker once on start.

    - A queued run requested more than `older_than` ago is sent again (a duplicate
      message is harmless: the second finds the run done).
    - A run still processing past the time limit lost its worker. It is queued again,
      unless another run of the questionnaire is already queued (then it is marked
      failed: the queued one computes the same answers) or it has lost its worker
      MAX_WORKERS_LOST times already (failed too, so that a run that kills its
      worker does not kill worker after worker).
    """
    now = timezone.now()
    dead = list(
        AggregationRun.objects.filter(
            status=Status.PROCESSING, started_at__lt=_alive_since()
        ).values_list("pk", flat=True)
    )
    revived = [pk for pk in dead if _requeue_dead(pk, now)]
    due = AggregationRun.objects.filter(status=Status.CREATED).filter(
        Q(requested_at__lte=now - older_than) | Q(pk__in=revived)
    )
    sent = []
    for run in due.order_by("requested_at", "pk"):
        _enqueue(run)
        sent.append(run.pk)
    return sent


def _requeue_dead(pk: int, now: datetime.datetime) -> bool:
    """Queue again (True) or fail a run whose worker died while it was processing."""
    with transaction.atomic():
        questionnaire_id = (
            AggregationRun.objects.filter(pk=pk)
            .values_list("questionnaire_id", flat=True)
            .get()
        )
        Questionnaire.objects.select_for_update().filter(pk=questionnaire_id).first()
        run = AggregationRun.objects.select_for_update().get(pk=pk)
        started = run.started_at
        if (
            run.status != Status.PROCESSING
            or started is None
            or started >= _alive_since()
        ):
            return False  # finished or taken over meanwhile
        lost = sum(1 for m in run.messages if str(m).startswith(WORKER_LOST))
        note = f"{WORKER_LOST} (started {started.isoformat()})"
        queued = (
            AggregationRun.objects.filter(
                questionnaire_id=questionnaire_id, status=Status.CREATED
            )
            .exclude(pk=pk)
            .first()
        )
        if queued is not None or lost + 1 >= MAX_WORKERS_LOST:
            why = (
                f"superseded by run {queued.pk}"
                if queued is not None
                else f"worker lost {lost + 1} times, not sent again"
            )
            run.status = Status.ERROR
            run.finished_at = now
            run.messages = [*run.messages, note, why]
        else:
            run.status = Status.CREATED
            run.started_at = None
            run.messages = [*run.messages, note]
        run.save(update_fields=["status", "started_at", "finished_at", "messages"])
        logger.warning("Aggregation run %s lost its worker: %s", pk, run.status)
        return run.status == Status.CREATED


def _processing(questionnaire_id: int):
    """Runs of the questionnaire that are processing and not yet past the time limit."""
    return AggregationRun.objects.filter(
        questionnaire_id=questionnaire_id,
        status=Status.PROCESSING,
        started_at__gte=_alive_since(),
    )


def aggregation_request(
    *,
    questionnaire: Questionnaire,
    reason: str,
    by: User | AnonymousUser | None = None,
) -> AggregationRun | None:
    """Ask for the questionnaire's tables to be computed again; None if they are current.

    At most one run waits per questionnaire: while one is queued, it is returned (it reads
    the answers when it starts). A change while a run is processing queues one more. Staff
    (reason "staff") always get a run, even when the answers have not changed.
    """
    with transaction.atomic():
        # Serialises concurrent requests for the same questionnaire (PostgreSQL).
        Questionnaire.objects.select_for_update().filter(pk=questionnaire.pk).first()
        queued = (
            AggregationRun.objects.filter(
                questionnaire=questionnaire, status=Status.CREATED
            )
            .order_by("requested_at", "pk")
            .first()
        )
        if queued is not None:
            if reason == STAFF or queued.requested_at < (
                timezone.now() - QUEUED_RESEND_AFTER
            ):
                _enqueue(queued)
            return queued
        if reason != STAFF:
            current = AggregationRun.objects.filter(
                questionnaire=questionnaire, is_current=True
            ).first()
            live, _count = _live_fingerprint(questionnaire)
            if current is not None and current.fingerprint == live:
                return None
        run = AggregationRun.objects.create(
            questionnaire=questionnaire,
            reason=reason[:50],
            requested_by=by if isinstance(by, User) else None,
        )
        _enqueue(run)
        return run


def aggregation_run_execute(*, run: AggregationRun) -> AggregationRun:
    """Compute the run's results and publish them; safe to call again for the same run.

    Returns at once when the run has finished (complete or error). Raises AggregationBusy
    while a run of the same questionnaire is processing. A failure marks the run as an
    error and leaves the previous results in place.
    """
    questionnaire_id = (
        AggregationRun.objects.filter(pk=run.pk)
        .values_list("questionnaire_id", flat=True)
        .get()
    )
    with transaction.atomic():
        Questionnaire.objects.select_for_update().filter(pk=questionnaire_id).first()
        locked = AggregationRun.objects.select_for_update().get(pk=run.pk)
        if locked.status in (Status.COMPLETE, Status.ERROR):
            return locked
        if _processing(questionnaire_id).exists():
            raise AggregationBusy(
                f"A run of questionnaire {questionnaire_id} is processing."
            )
        locked.status = Status.PROCESSING
        locked.started_at = timezone.now()
        locked.save(update_fields=["status", "started_at"])

    # Outside any transaction: reading and computing may take a while.
    try:
        results = _compute(locked.questionnaire)
        published = _publish(locked, results)
    except Exception as exc:
        logger.exception("Aggregation run %s failed", locked.pk)
        AggregationRun.objects.filter(pk=locked.pk, status=Status.PROCESSING).update(
            status=Status.ERROR,
            finished_at=timezone.now(),
            messages=_failure_messages(locked.questionnaire, exc),
        )
        locked.refresh_from_db()
        return locked
    try:
        _prune(questionnaire_id)
    except Exception:
        # The new results are published; old rows are pruned again after the next run.
        logger.exception(
            "Pruning old results of questionnaire %s failed", questionnaire_id
        )
    return published


def _failure_messages(questionnaire: Questionnaire, exc: Exception) -> list[str]:
    """What a failed run stores: the error, and the stored answers that may be its cause.

    Each answer with an implausibly large number is named (question, organisation,
    value) among the answers the results are computed from.
    """
    messages = [f"{type(exc).__name__}: {exc}"]
    try:
        sources = [questionnaire]
        compiling = compiling_questionnaire(questionnaire=questionnaire)
        if compiling is not None:
            sources.append(compiling)
        messages.extend(selectors.implausible_numbers(questionnaires=sources))
    except Exception:  # the message of a failure must not fail itself
        logger.exception("Naming the cause of a failed run failed")
    return messages


def _publish(run: AggregationRun, results: Results) -> AggregationRun:
    """Store the results and make them the current ones, in one transaction."""
    with transaction.atomic():
        Questionnaire.objects.select_for_update().filter(
            pk=run.questionnaire_id
        ).first()
        locked = AggregationRun.objects.select_for_update().get(pk=run.pk)
        if locked.status != Status.PROCESSING:
            # Finished meanwhile by a duplicate of the task: keep what it stored.
            return locked
        current = (
            AggregationRun.objects.select_for_update()
            .filter(questionnaire_id=run.questionnaire_id, is_current=True)
            .first()
        )
        newer_published = (
            current is not None
            and current.started_at is not None
            and locked.started_at is not None
            and current.started_at > locked.started_at
        )
        locked.status = Status.COMPLETE
        locked.finished_at = timezone.now()
        locked.fingerprint = results.fingerprint
        locked.responses = results.responses
        if newer_published:
            # A run that started later has already published newer answers.
            locked.messages = [*locked.messages, "superseded"]
            locked.save()
            return locked
        _insert_rows(_appendix_rows(locked, results.appendix))
        _insert_rows(_share_rows(locked, results.shares))
        if current is not None:
            AggregationRun.objects.filter(pk=current.pk).update(is_current=False)
        locked.is_current = True
        locked.save()
        # Start the run that waited for this one now rather than at its next retry.
        for queued in AggregationRun.objects.filter(
            questionnaire_id=run.questionnaire_id, status=Status.CREATED
        ):
            _enqueue(queued)
        return locked


def _text(value: Any) -> str:
    return "" if value is None or pd.isna(value) else str(value)


def _text_column(series: pd.Series) -> list[str]:
    """A column as text: "" for a missing value (None, NaN, NA), else str(value).

    One pass over the values, texts kept as they are (a column-wide isna() on a
    string column took longer than the rest of the conversion).
    """
    return [value if type(value) is str else _text(value) for value in series.tolist()]


def _integer(value: Any) -> int | None:
    return None if value is None or pd.isna(value) else int(value)


def _int_column(series: pd.Series) -> list[int | None]:
    """A column as whole numbers, None for a missing value."""
    if isinstance(series.dtype, np.dtype) and series.dtype.kind in "iu":
        # NumPy integers (not the nullable Int64): no missing value, tolist() gives Python ints.
        return series.tolist()
    return [
        value if type(value) is int else _integer(value) for value in series.tolist()
    ]


# The stored columns (model field names) and the frame column each is taken from, with
# its conversion; "run" is the run's id. Every concrete field but the id is listed
# (tests/aggregation/test_store.py checks this), so no database default is relied upon.
FieldSpec = Mapping[str, tuple[str, Callable[[pd.Series], Sequence[object]]]]
APPENDIX_FIELDS: FieldSpec = {
    "question_code": ("question", _text_column),
    "item": ("item", _text_column),
    "organisation": ("organisation", _text_column),
    "organisation_code": ("organisation_code", _text_column),
    "value": ("value", _text_column),
    "position": ("position", _int_column),
}
SHARE_FIELDS: FieldSpec = {
    "question_code": ("question", _text_column),
    "item": ("item", _text_column),
    "option": ("option", _text_column),
    "level": ("level", _text_column),
    "unit": ("unit", _text_column),
    "counted": ("counted", _text_column),
    "count": ("count", _int_column),
    "denominator": ("denominator", _int_column),
    "percent": ("percent", _int_column),
    "previous_year": ("previous_year", _int_column),
    "previous_percent": ("previous_percent", _int_column),
    "previous_count": ("previous_count", _int_column),
    "previous_denominator": ("previous_denominator", _int_column),
    "position": ("position", _int_column),
    "source": ("source", _text_column),
    "municipalities": ("municipalities", _int_column),
}


@dataclass(frozen=True)
class StoredRows:
    """Result rows ready to be written: the model's fields and one tuple per row."""

    model: type[models.Model]
    fields: list[str]
    rows: list[tuple]

    def __len__(self) -> int:
        return len(self.rows)


def _result_rows(
    model: type[models.Model],
    spec: FieldSpec,
    run: AggregationRun,
    frame: pd.DataFrame,
) -> StoredRows:
    """The frame's rows as tuples (run id first), straight from its columns."""
    columns = [convert(frame[column]) for column, convert in spec.values()]
    run_ids = [run.pk] * len(frame)
    return StoredRows(model, ["run", *spec], list(zip(run_ids, *columns, strict=True)))


def _json(value: object) -> str:
    return json.dumps(value, ensure_ascii=False)


def _json_texts(series: pd.Series) -> list[str]:
    """Each value of a column as JSON, of the text _text_column gives it.

    Each distinct value is encoded once (a column holds few: the organisations' names
    and codes, the items, the formatted values).
    """
    codes, uniques = pd.factorize(series, use_na_sentinel=True)
    if not all(type(value) is str for value in uniques):
        # Values equal as keys but printed apart (1 and 1.0): one at a time.
        return [_json(value) for value in _text_column(series)]
    # A missing value (-1) takes the last entry: "".
    encoded = np.array([*map(_json, uniques), _json("")], dtype=object)
    return encoded[codes].tolist()


def _json_ints(series: pd.Series) -> list[str]:
    """Each value of a column as JSON, of the number _int_column gives it."""
    return ["null" if value is None else str(value) for value in _int_column(series)]


# How each stored cell field is written in the packed JSON.
_CELL_ENCODERS = {"position": _json_ints}


def _appendix_rows(run: AggregationRun, frame: pd.DataFrame) -> StoredRows:
    """One row per appendix table (question code, in first-seen order), its cells
    packed as a JSON array of APPENDIX_CELL_FIELDS (models.StoredAppendixTable).

    The JSON is what json.dumps(cells, ensure_ascii=False, separators=(",", ":"))
    writes, put together from each value's encoding: encoding 1.8 million cells
    (100 × the national frame) value by value took a third of the run's storing.
    """
    question_codes, question_names = pd.factorize(
        frame[APPENDIX_FIELDS["question_code"][0]], use_na_sentinel=True
    )
    # A missing question code (-1) takes the last entry: "".
    questions = [*(_text(name) for name in question_names), ""]
    columns = []
    for name in APPENDIX_CELL_FIELDS:
        column = APPENDIX_FIELDS[name][0]
        columns.append(_CELL_ENCODERS.get(name, _json_texts)(frame[column]))
    pattern = "[" + ",".join(["{}"] * len(columns)) + "]"
    cells = list(map(pattern.format, *columns))
    # A table's cells are consecutive rows; a code seen again (the grant table) adds to
    # its table.
    bounds = [
        0,
        *(np.flatnonzero(question_codes[1:] != question_codes[:-1]) + 1).tolist(),
        len(cells),
    ]
    tables: dict[str, list[str]] = {}
    for start, end in itertools.pairwise(bounds):
        if start < end:
            code = questions[question_codes[start]]
            tables.setdefault(code, []).extend(cells[start:end])
    rows = [
        (run.pk, code, "[" + ",".join(of_table) + "]")
        for code, of_table in tables.items()
    ]
    return StoredRows(StoredAppendixTable, ["run", "question_code", "cells"], rows)


def _share_rows(run: AggregationRun, frame: pd.DataFrame) -> StoredRows:
    # Shares without earlier years (none linked or published) store them empty.
    missing = [c for c in PREVIOUS_SHARE_COLUMNS if c not in frame.columns]
    if missing:
        frame = frame.assign(**dict.fromkeys(missing, None))
    return _result_rows(ShareRow, SHARE_FIELDS, run, frame)


def _column(model: type[models.Model], name: str) -> str:
    """The database column of one of the model's concrete fields."""
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field) or field.column is None:
        raise LookupError(f"{model.__name__}.{name} is not stored in a column")
    return field.column


def _insert_rows(stored: StoredRows) -> None:
    """Write the rows into the model's table in the current transaction.

    Without model instances (bulk_create of 1.8 million AppendixCell objects took most
    of a run: BENCHMARKS.md): COPY on PostgreSQL (psycopg 3), executemany elsewhere.
    Table and column names come from the model's _meta.
    """
    if not stored.rows:
        return
    meta = stored.model._meta
    quote = connection.ops.quote_name
    table = quote(meta.db_table)
    columns = ", ".join(quote(_column(stored.model, name)) for name in stored.fields)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in stored.rows:
                    copy.write_row(row)
            return
        marks = ", ".join(["%s"] * len(stored.fields))
        cursor.executemany(
            f"INSERT INTO {table} ({columns}) VALUES ({marks})",  # noqa: S608
            stored.rows,
        )


def _prune(questionnaire_id: int) -> None:
    """Delete the result rows of all but the current and the KEEP_RESULTS newest runs."""
    runs = AggregationRun.objects.filter(questionnaire_id=questionnaire_id)
    keep = list(runs.filter(is_current=True).values_list("pk", flat=True)) + list(
        runs.filter(status=Status.COMPLETE, is_current=False)
        .order_by("-finished_at", "-pk")
        .values_list("pk", flat=True)[:KEEP_RESULTS]
    )
    with transaction.atomic():
        for model in (StoredAppendixTable, ShareRow):
            model.objects.filter(run__questionnaire_id=questionnaire_id).exclude(
                run_id__in=keep
            ).delete()


def aggregation_fresh_run(
    *, questionnaire: Questionnaire, by: User | AnonymousUser | None = None
) -> AggregationRun:
    """The questionnaire's current run; computed here and now first if stale or missing.

    For exports, whose figures must match the answers at the time of the export. While a
    worker computes the same questionnaire, waits for it. If the computation fails, returns
    the failed run (status error, no results).
    """
    deadline = time.monotonic() + RUN_TIME_LIMIT
    while True:
        current = AggregationRun.objects.filter(
            questionnaire=questionnaire, is_current=True
        ).first()
        live, _count = _live_fingerprint(questionnaire)
        if current is not None and current.fingerprint == live:
            return current
        if time.monotonic() > deadline:
            raise AggregationBusy(f"{questionnaire} is still being computed.")
        if _processing(questionnaire.pk).exists():
            time.sleep(1)
            continue
        # Run the queued run here (its task then finds it done), or a new one.
        run = AggregationRun.objects.filter(
            questionnaire=questionnaire, status=Status.CREATED
        ).first() or AggregationRun.objects.create(
            questionnaire=questionnaire,
            reason="export",
            requested_by=by if isinstance(by, User) else None,
        )
        try:
            run = aggregation_run_execute(run=run)
        except AggregationBusy:
            continue
        if run.status == Status.ERROR or run.is_current:
            return run


def aggregation_statuses(
    *, questionnaires: list[Questionnaire]
) -> list[AggregationStatus]:
    """For each questionnaire: its current results, whether stale, and any run due.

    Three queries for the runs of all the questionnaires, and one fingerprint each.
    """
    ids = [q.pk for q in questionnaires]
    runs = AggregationRun.objects.filter(questionnaire_id__in=ids).select_related(
        "requested_by"
    )
    current = {r.questionnaire_id: r for r in runs.filter(is_current=True)}
    in_flight: dict[int, AggregationRun] = {}
    alive_since = _alive_since()
    for run in runs.filter(
        Q(status=Status.CREATED)
        | Q(status=Status.PROCESSING, started_at__gte=alive_since)
    ).order_by("requested_at", "pk"):
        # A processing run first, else the oldest queued one.
        held = in_flight.get(run.questionnaire_id)
        if held is None or (
            run.status == Status.PROCESSING and held.status != Status.PROCESSING
        ):
            in_flight[run.questionnaire_id] = run
    failed: dict[int, AggregationRun] = {}
    for run in runs.filter(status=Status.ERROR).order_by("-requested_at", "-pk"):
        failed.setdefault(run.questionnaire_id, run)
    statuses = []
    for questionnaire in questionnaires:
        published = current.get(questionnaire.pk)
        error = failed.get(questionnaire.pk)
        if (
            error is not None
            and published is not None
            and error.requested_at < (published.requested_at)
        ):
            error = None
        live, submitted = _live_fingerprint(questionnaire)
        statuses.append(
            AggregationStatus(
                questionnaire=questionnaire,
                current=published,
                is_stale=published is not None and published.fingerprint != live,
                in_flight=in_flight.get(questionnaire.pk),
                failed=error,
                submitted=submitted,
            )
        )
    return statuses


def aggregation_status(*, questionnaire: Questionnaire) -> AggregationStatus:
    """The questionnaire's current results, whether they are stale, and any run due."""
    return aggregation_statuses(questionnaires=[questionnaire])[0]


PUBLISHED = "published values"


class PublishedValuesChanged(Exception):
    """The stored figures of the year changed since the preview; nothing was stored."""

    def __init__(self, changes: PublishedChanges) -> None:
        super().__init__("the stored published values changed since the preview")
        self.changes = changes


def published_values_import(
    *,
    questionnaire: Questionnaire,
    year: int,
    file: ImportFile,
    file_name: str = "",
    by: User | AnonymousUser | None = None,
    expected: str | None = None,
) -> PublishedChanges:
    """Store the published figures of an earlier year for the questionnaire's cycle and
    key; return what it changed (how many figures replaced, added and removed).

    All or nothing: the whole file is checked first (aggregation.published), and a file
    with any bad row raises ValidationError listing every problem and changes nothing.
    A file taken replaces every value of that year for the cycle's questionnaire of that
    key (all its versions). The questionnaire's tables are computed again.

    expected: the state of the year's stored figures a preview was counted from
    (PublishedChanges.stored); when they changed since, PublishedValuesChanged (with the
    changes as they are now) and nothing is stored.
    """
    rows = published_rows(questionnaire=questionnaire, year=year, file=file)
    user = by if isinstance(by, User) else None
    with transaction.atomic():
        # Serialises two imports for the same questionnaire (PostgreSQL).
        Questionnaire.objects.select_for_update().filter(pk=questionnaire.pk).first()
        changes = selectors.published_changes(
            questionnaire=questionnaire, year=year, rows=rows
        )
        if expected is not None and changes.stored != expected:
            raise PublishedValuesChanged(changes)
        PublishedValue.objects.filter(
            question__questionnaire__cycle_id=questionnaire.cycle_id,
            question__questionnaire__key=questionnaire.key,
            year=year,
        ).delete()
        PublishedValue.objects.bulk_create(
            PublishedValue(
                question=row.question,
                year=year,
                item=row.item,
                option=row.option,
                level=row.level,
                unit=row.unit,
                percent=row.percent,
                count=row.count,
                denominator=row.denominator,
                source=file_name[:255],
                row=row.row,
                imported_by=user,
            )
            for row in rows
        )
        aggregation_request(questionnaire=questionnaire, reason=PUBLISHED, by=by)
    logger.info(
        "Imported %s published values of %s for %s (%s replaced, %s added, %s removed)",
        len(rows),
        year,
        questionnaire,
        changes.replaced,
        changes.added,
        changes.removed,
    )
    return changes


def published_upload_create(
    *,
    questionnaire: Questionnaire,
    year: int,
    file: ImportFile,
    file_name: str,
    by: User,
) -> PublishedUpload:
    """Check an uploaded file of published figures and keep it for its preview;
    ValidationError listing every problem if it is bad (nothing is kept then).

    Uploads left waiting longer than IMPORT_UPLOAD_KEEP_DAYS are discarded here too
    (published_uploads_discard_stale()).
    """
    text = import_text(file)
    rows = published_rows(questionnaire=questionnaire, year=year, file=text)
    changes = selectors.published_changes(
        questionnaire=questionnaire, year=year, rows=rows
    )
    published_uploads_discard_stale()
    return PublishedUpload.objects.create(
        questionnaire=questionnaire,
        year=year,
        uploaded_by=by,
        file_name=file_name[:255],
        content=text,
        stored=changes.stored,
    )


def published_uploads_discard_stale(*, now: datetime.datetime | None = None) -> int:
    """Discard the uploads left waiting for their confirmation longer than
    IMPORT_UPLOAD_KEEP_DAYS: the file's content is emptied, the row stays as the record
    of the upload. Every night (aggregation.tasks.housekeeping) and before each new
    upload; safe to run again. Returns how many were discarded."""
    cutoff = (now or timezone.now()) - datetime.timedelta(
        days=settings.IMPORT_UPLOAD_KEEP_DAYS
    )
    return PublishedUpload.objects.filter(
        status=PublishedUpload.Status.PENDING, created_at__lt=cutoff
    ).update(status=PublishedUpload.Status.DISCARDED, content="")


def published_upload_preview(*, upload: PublishedUpload) -> PublishedChanges:
    """What a waiting upload changes, counted now; the confirm must find the same."""
    rows = published_rows(
        questionnaire=upload.questionnaire, year=upload.year, file=upload.content
    )
    changes = selectors.published_changes(
        questionnaire=upload.questionnaire, year=upload.year, rows=rows
    )
    if changes.stored != upload.stored:
        PublishedUpload.objects.filter(pk=upload.pk).update(stored=changes.stored)
        upload.stored = changes.stored
    return changes


@transaction.atomic
def published_upload_confirm(*, upload: PublishedUpload, by: User) -> bool:
    """Import a previewed upload once; False when the stored figures of its year
    changed since the preview (nothing is stored: the page shows the new counts).

    The row lock and the status make a second confirm (a double click, a resent form)
    a no-op. ValidationError when the file no longer passes the checks.
    """
    locked = (
        PublishedUpload.objects.select_for_update()
        .select_related("questionnaire__cycle")
        .get(pk=upload.pk)
    )
    if locked.status != PublishedUpload.Status.PENDING:
        return True
    try:
        changes = published_values_import(
            questionnaire=locked.questionnaire,
            year=locked.year,
            file=locked.content,
            file_name=locked.file_name,
            by=by,
            expected=locked.stored,
        )
    except PublishedValuesChanged as exc:
        locked.stored = exc.changes.stored
        locked.save(update_fields=["stored"])
        return False
    locked.status = PublishedUpload.Status.IMPORTED
    locked.imported_at = timezone.now()
    locked.report = changes.counts()
    locked.content = ""
    locked.save(update_fields=["status", "imported_at", "report", "content"])
    return True


def published_upload_discard(*, upload: PublishedUpload) -> None:
    """Drop a waiting upload without importing it."""
    PublishedUpload.objects.filter(
        pk=upload.pk, status=PublishedUpload.Status.PENDING
    ).update(status=PublishedUpload.Status.DISCARDED, content="")
