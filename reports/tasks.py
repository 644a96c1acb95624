"""Background work of the reports app: thin tasks that take ids, and sending them.

Imports go one way: reports.services asks for an export and sends it with
export_job_send; the tasks run reports.jobs. Nothing here imports the services.
"""

from __future__ import annotations

import datetime
import logging

from celery import shared_task
from django.conf import settings
from django.db import transaction

from config.broker import publish
from reports.jobs import (
    EXPORT_SOFT_TIME_LIMIT,
    EXPORT_TIME_LIMIT,
    export_job_run,
    export_jobs_prune,
    export_jobs_waiting,
)
from reports.models import ExportJob

logger = logging.getLogger(__name__)


@shared_task(
    acks_late=True,
    time_limit=EXPORT_TIME_LIMIT,
    soft_time_limit=EXPORT_SOFT_TIME_LIMIT,
)
def export(job_id: int) -> None:
    """Build one export job's document (ExportJob.pk); safe to repeat."""
    job = ExportJob.objects.filter(pk=job_id).first()
    if job is None:
        logger.warning("Export job %s does not exist", job_id)
        return
    export_job_run(job=job)


@shared_task(acks_late=True)
def exports_prune() -> int:
    """Delete the export jobs and files older than EXPORT_KEEP_DAYS; how many."""
    return export_jobs_prune(keep_days=settings.EXPORT_KEEP_DAYS)


@shared_task(acks_late=True)
def exports_requeue(older_than_seconds: int = 300) -> list[int]:
    """Send again the export jobs left queued or whose worker died (see below)."""
    return export_jobs_requeue(
        older_than=datetime.timedelta(seconds=older_than_seconds)
    )


def export_job_send(pk: int) -> None:
    """Send the job to the workers once the current transaction has committed."""
    # A broker that is down or hangs must not fail or hold up the request: the job stays
    # queued, and the requeue (or asking for the same export again) sends it again.
    transaction.on_commit(
        lambda: publish(export, [pk], what=f"Export job {pk}"),
        robust=True,
    )


def export_jobs_requeue(
    *, older_than: datetime.timedelta = datetime.timedelta(minutes=5)
) -> list[int]:
    """Send again the jobs no worker will otherwise run; return their ids.

    A job queued while the broker was down stays queued (the request went through, the
    message did not), and a job whose worker died stays "running" (with the filesystem
    broker, or Redis, its message is gone once taken): it is queued again, up to
    EXPORT_MAX_ATTEMPTS builds, then failed. Celery beat calls this every few minutes
    and each worker once on start; export_job_run is safe to repeat.
    """
    sent = []
    for pk in export_jobs_waiting(older_than=older_than):
        if not publish(export, [pk], what=f"Export job {pk}"):
            break
        sent.append(pk)
    return sent
