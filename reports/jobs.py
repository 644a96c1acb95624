"""The export jobs as the workers run them: building a job's document and storing it,
the time limits and the lease that tell a running job from a dead one, and pruning.

export_job_run is safe to repeat: a job that is complete (with its file) or failed is
left alone, and a job another worker is building is not built twice. A failure marks the
job as failed, with a message in Swedish, and leaves no file behind. Asking for a job is
reports.services; sending it to the workers is reports.tasks.
"""

from __future__ import annotations

import datetime
import logging
import threading
from collections.abc import Callable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import connections, transaction
from django.db.models import Q
from django.utils import timezone

from aggregation.services import RUN_TIME_LIMIT
from reports.documents import DOCUMENTS, document_build, document_filename
from reports.formats import DocumentError
from reports.models import ExportJob

logger = logging.getLogger(__name__)

# Hard time limit of one export (the task's time_limit): a document built from results
# that must first be computed waits for at most one aggregation run (RUN_TIME_LIMIT).
# A job still "processing" after this long is taken to be dead (its worker was killed).
EXPORT_TIME_LIMIT = RUN_TIME_LIMIT + 15 * 60
EXPORT_SOFT_TIME_LIMIT = EXPORT_TIME_LIMIT - 60

Status = ExportJob.Status


def _alive_since() -> datetime.datetime:
    return timezone.now() - datetime.timedelta(seconds=EXPORT_TIME_LIMIT)


def _dead() -> Q:
    """Processing jobs whose worker died: past the time limit, or silent past the lease."""
    lease_since = timezone.now() - datetime.timedelta(
        seconds=settings.EXPORT_LEASE_SECONDS
    )
    return Q(status=Status.PROCESSING) & (
        Q(started_at__lt=_alive_since()) | Q(heartbeat_at__lt=lease_since)
    )


def export_job_is_alive(job: ExportJob) -> bool:
    """A processing job whose worker still shows signs of life."""
    if job.status != Status.PROCESSING or job.started_at is None:
        return False
    if job.started_at < _alive_since():
        return False
    lease_since = timezone.now() - datetime.timedelta(
        seconds=settings.EXPORT_LEASE_SECONDS
    )
    return job.heartbeat_at is None or job.heartbeat_at >= lease_since


WORKER_DIED = (
    "Exporten avbröts: arbetsprocessen som byggde den slutade svara (senaste "
    "livstecken %(when)s). Beställ exporten igen."
)


def export_jobs_fail_dead(jobs) -> None:
    """Mark the dead jobs among these failed, with a message; they can be asked again."""
    for job in jobs.filter(_dead()):
        when = timezone.localtime(job.heartbeat_at or job.started_at)
        ExportJob.objects.filter(pk=job.pk, status=Status.PROCESSING).filter(
            _dead()
        ).update(
            status=Status.ERROR,
            finished_at=timezone.now(),
            message=WORKER_DIED % {"when": when.strftime("%Y-%m-%d %H:%M:%S")},
        )


class _Heartbeat:
    """Writes the job's heartbeat every EXPORT_HEARTBEAT_SECONDS while a build runs.

    A thread of its own (with its own database connection), so that a long step of the
    build without progress calls still shows the worker alive.
    """

    def __init__(self, job_pk: int, started_at: datetime.datetime) -> None:
        self.job_pk = job_pk
        self.started_at = started_at
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._beat, daemon=True)

    def _beat(self) -> None:
        try:
            while not self.stopped.wait(settings.EXPORT_HEARTBEAT_SECONDS):
                ExportJob.objects.filter(
                    pk=self.job_pk,
                    status=Status.PROCESSING,
                    started_at=self.started_at,
                ).update(heartbeat_at=timezone.now())
        except Exception:
            logger.exception("Heartbeat of export %s failed", self.job_pk)
        finally:
            connections.close_all()

    def __enter__(self) -> _Heartbeat:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stopped.set()
        self.thread.join(timeout=5)


def export_jobs_waiting(*, older_than: datetime.timedelta) -> list[int]:
    """The jobs no worker will otherwise run: queued for longer than older_than (the
    message may have been lost), or processing with a dead worker."""
    return list(
        ExportJob.objects.filter(
            Q(status=Status.CREATED, requested_at__lt=timezone.now() - older_than)
            | _dead()
        ).values_list("pk", flat=True)
    )


def _progress_writer(job_pk: int, started_at: datetime.datetime) -> Callable:
    """A progress callback that writes the percent to the row when it changes."""
    last = {"percent": -1}

    def progress(done: int, total: int) -> None:
        # 100 is written with the file: a finished build is not yet a stored file.
        percent = min(99, int(100 * done / total)) if total else 0
        if percent == last["percent"]:
            return
        last["percent"] = percent
        ExportJob.objects.filter(
            pk=job_pk, status=Status.PROCESSING, started_at=started_at
        ).update(progress=percent)

    return progress


def _failure_message(job: ExportJob, exc: Exception) -> str:
    label = DOCUMENTS[job.document].label if job.document in DOCUMENTS else job.document
    if isinstance(exc, DocumentError | ValidationError):
        reason = (
            "; ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
        )
        return f"Exporten av ”{label}” ({job.format}) gick inte att göra: {reason}"
    return (
        f"Exporten av ”{label}” ({job.format}) misslyckades: "
        f"{type(exc).__name__}: {exc}. Försök igen; kvarstår felet, kontakta "
        "systemförvaltningen med exportens nummer "
        f"{job.pk}."
    )


def export_job_run(*, job: ExportJob) -> ExportJob:
    """Build the job's document and store it as the job's file; safe to repeat.

    Returns at once when the job has failed, is complete with its file, or is being built
    by another worker (processing and within the time limit); a processing job past the
    time limit is built again here. Any exception marks the job as failed with a message
    in Swedish, and no file is kept.
    """
    with transaction.atomic():
        locked = ExportJob.objects.select_for_update().get(pk=job.pk)
        if locked.status == Status.ERROR:
            return locked
        if locked.status == Status.COMPLETE and locked.file:
            if locked.file.storage.exists(locked.file.name):
                return locked
            logger.warning("Export %s lost its file; building it again", locked.pk)
        if export_job_is_alive(locked):
            return locked
        locked.status = Status.PROCESSING
        locked.started_at = timezone.now()
        locked.heartbeat_at = locked.started_at
        locked.finished_at = None
        locked.progress = 0
        locked.message = ""
        locked.file = ""
        locked.size = 0
        locked.save(
            update_fields=[
                "status",
                "started_at",
                "heartbeat_at",
                "finished_at",
                "progress",
                "message",
                "file",
                "size",
            ]
        )
    started_at = locked.started_at
    # Outside any transaction: building may take minutes and writes progress as it goes.
    try:
        with _Heartbeat(locked.pk, started_at):
            return _build_and_store(locked, started_at)
    except Exception as exc:
        logger.exception("Export %s failed", locked.pk)
        ExportJob.objects.filter(
            pk=locked.pk, status=Status.PROCESSING, started_at=started_at
        ).update(
            status=Status.ERROR,
            finished_at=timezone.now(),
            message=_failure_message(locked, exc),
            file="",
            size=0,
        )
        locked.refresh_from_db()
        return locked


def _build_and_store(locked: ExportJob, started_at: datetime.datetime) -> ExportJob:
    """Build the document and store it as the job's file (export_job_run's work)."""
    stored_name = ""
    try:
        filename = document_filename(
            document=locked.document,
            fmt=locked.format,
            questionnaire=locked.questionnaire,
            organisation=locked.organisation,
            params=locked.params,
        )
        data = document_build(
            document=locked.document,
            fmt=locked.format,
            questionnaire=locked.questionnaire,
            organisation=locked.organisation,
            response=locked.response,
            progress=_progress_writer(locked.pk, started_at),
            params=locked.params,
        )
        field = ExportJob._meta.get_field("file")
        stored_name = field.storage.save(
            field.generate_filename(locked, f"{locked.pk}-{filename}"),
            ContentFile(data),
        )
        with transaction.atomic():
            current = ExportJob.objects.select_for_update().get(pk=locked.pk)
            if current.status != Status.PROCESSING or current.started_at != started_at:
                # Taken over (or finished) by another worker meanwhile: keep its result.
                field.storage.delete(stored_name)
                return current
            current.status = Status.COMPLETE
            current.progress = 100
            current.finished_at = timezone.now()
            current.file = stored_name
            current.filename = filename
            current.size = len(data)
            current.save()
            return current
    except Exception:
        if stored_name:
            ExportJob._meta.get_field("file").storage.delete(stored_name)
        raise


def export_jobs_prune(*, keep_days: int) -> int:
    """Delete the export jobs asked for more than keep_days ago, and their files.

    Jobs running (within the time limit) are kept. Returns the number of jobs deleted.
    """
    cutoff = timezone.now() - datetime.timedelta(days=keep_days)
    alive_since = _alive_since()
    deleted = 0
    for job in ExportJob.objects.filter(requested_at__lt=cutoff).iterator():
        if (
            job.status == Status.PROCESSING
            and job.started_at is not None
            and job.started_at >= alive_since
        ):
            continue
        if job.file:
            job.file.storage.delete(job.file.name)
        job.delete()
        deleted += 1
    return deleted
