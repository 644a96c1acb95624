"""Background work of the reports app: thin tasks that take ids (see services)."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings

from reports.services import EXPORT_SOFT_TIME_LIMIT, EXPORT_TIME_LIMIT

logger = logging.getLogger(__name__)


@shared_task(
    acks_late=True,
    time_limit=EXPORT_TIME_LIMIT,
    soft_time_limit=EXPORT_SOFT_TIME_LIMIT,
)
def export(job_id: int) -> None:
    """Build one export job's document (ExportJob.pk); safe to repeat."""
    from reports.models import ExportJob
    from reports.services import export_job_run

    job = ExportJob.objects.filter(pk=job_id).first()
    if job is None:
        logger.warning("Export job %s does not exist", job_id)
        return
    export_job_run(job=job)


@shared_task(acks_late=True)
def exports_prune() -> int:
    """Delete the export jobs and files older than EXPORT_KEEP_DAYS; how many."""
    from reports.services import export_jobs_prune

    return export_jobs_prune(keep_days=settings.EXPORT_KEEP_DAYS)


@shared_task(acks_late=True)
def exports_requeue(older_than_seconds: int = 300) -> list[int]:
    """Send again the export jobs left queued or whose worker died (see services)."""
    import datetime

    from reports.services import export_jobs_requeue

    return export_jobs_requeue(
        older_than=datetime.timedelta(seconds=older_than_seconds)
    )
