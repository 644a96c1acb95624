"""The export jobs as the workers run them: building a job's document and storing it,
the time limits and the lease that tell a running job from a dead one, and pruning.

export_job_run is safe to repeat: a job that is complete (with its file) or failed is
left alone, and a job another worker is building is not built twice. A failure marks the
job as failed, with a message in Swedish, and leaves no file behind. A job whose worker
died (killed, its heartbeat older than the lease) is queued again, up to
EXPORT_MAX_ATTEMPTS builds (ExportJob.attempts), then failed. Asking for a job is
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
    "Exporten avbröts: arbetsprocessen som byggde den slutade svara %(attempts)s "
    "gånger (senaste livstecken %(when)s). Beställ exporten igen; kvarstår felet, "
    "kontakta systemförvaltningen med exportens nummer %(pk)s."
)
WORKER_DIED_SENT_AGAIN = (
    "Arbetsprocessen som byggde exporten slutade svara (senaste livstecken "
    "%(when)s); den har skickats igen (försök %(attempt)s av %(attempts)s)."
)


def _last_sign_of_life(job: ExportJob) -> str:
    when = job.heartbeat_at or job.started_at or job.requested_at
    return timezone.localtime(when).strftime("%Y-%m-%d %H:%M:%S")


def _worker_died_message(job: ExportJob) -> str:
    return WORKER_DIED % {
        "attempts": job.attempts,
        "when": _last_sign_of_life(job),
        "pk": job.pk,
    }


def export_jobs_recover_dead(jobs) -> list[int]:
    """Queue the dead jobs among these again, while they have attempts left
    (EXPORT_MAX_ATTEMPTS builds, counted on the row); fail the others with a message.

    Returns the ids queued again: the caller sends them to the workers (reports.tasks).
    A worker that was only slow and comes back finds its job taken: its file is dropped.
    """
    queued = []
    for pk in jobs.filter(_dead()).values_list("pk", flat=True):
        with transaction.atomic():
            job = ExportJob.objects.select_for_update().filter(_dead(), pk=pk).first()
            if job is None:  # taken or finished meanwhile
                continue
            if job.attempts < settings.EXPORT_MAX_ATTEMPTS:
                job.message = WORKER_DIED_SENT_AGAIN % {
                    "when": _last_sign_of_life(job),
                    "attempt": job.attempts + 1,
                    "attempts": settings.EXPORT_MAX_ATTEMPTS,
                }
                job.status = Status.CREATED
                job.progress = 0
                job.save(update_fields=["status", "progress", "message"])
                queued.append(pk)
            else:
                job.status = Status.ERROR
                job.finished_at = timezone.now()
                job.message = _worker_died_message(job)
                job.save(update_fields=["status", "finished_at", "message"])
    return queued


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
    """The jobs no worker will otherwise run: the dead ones queued again (or failed,
    past EXPORT_MAX_ATTEMPTS; export_jobs_recover_dead), and those queued for longer
    than older_than (the message may have been lost). To be sent to the workers."""
    again = export_jobs_recover_dead(ExportJob.objects.all())
    left = ExportJob.objects.filter(
        status=Status.CREATED, requested_at__lt=timezone.now() - older_than
    ).exclude(pk__in=again)
    return again + list(left.order_by("pk").values_list("pk", flat=True))


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
        if locked.status == Status.COMPLETE:
            locked.attempts = 0  # its file is gone: a build of its own
        elif locked.attempts >= settings.EXPORT_MAX_ATTEMPTS:
            # Its worker died as often as a job is tried (a message sent twice).
            locked.status = Status.ERROR
            locked.finished_at = timezone.now()
            locked.message = _worker_died_message(locked)
            locked.save(update_fields=["status", "finished_at", "message"])
            return locked
        locked.status = Status.PROCESSING
        locked.attempts += 1
        locked.started_at = timezone.now()
        locked.heartbeat_at = locked.started_at
        locked.finished_at = None
        locked.progress = 0
        locked.file = ""
        locked.size = 0
        # The message stays: a job sent again after its worker died says so meanwhile.
        locked.save(
            update_fields=[
                "status",
                "attempts",
                "started_at",
                "heartbeat_at",
                "finished_at",
                "progress",
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
            current.message = ""
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
