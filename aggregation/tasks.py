"""Background work of the aggregation app: thin tasks that take ids (see services)."""

from __future__ import annotations

import logging

from celery import shared_task

from aggregation.services import (
    RUN_SOFT_TIME_LIMIT,
    RUN_TIME_LIMIT,
    AggregationBusy,
    published_uploads_discard_stale,
)

logger = logging.getLogger(__name__)


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(AggregationBusy,),
    retry_backoff=2,
    retry_backoff_max=60,
    retry_jitter=False,
    # About an hour of retries: longer than a run may take (RUN_TIME_LIMIT).
    max_retries=80,
    time_limit=RUN_TIME_LIMIT,
    soft_time_limit=RUN_SOFT_TIME_LIMIT,
)
def aggregate(self, run_id: int) -> None:
    """Compute and publish one aggregation run (AggregationRun.pk); safe to repeat."""
    from aggregation.models import AggregationRun
    from aggregation.services import aggregation_run_execute

    run = AggregationRun.objects.filter(pk=run_id).first()
    if run is None:
        logger.warning("Aggregation run %s does not exist", run_id)
        return
    try:
        aggregation_run_execute(run=run)
    except AggregationBusy:
        if self.request.is_eager:
            # No worker to retry later: the run in progress starts this one when done.
            logger.info("Aggregation run %s waits for the run in progress", run_id)
            return
        raise


# Celery beat sends this every few minutes (CELERY_BEAT_SCHEDULE); each worker also
# sends it once on start (config/celery.py). It expires so that beat's messages do not
# pile up while no worker runs.
REQUEUE_EXPIRES = 4 * 60


@shared_task(ignore_result=True, expires=REQUEUE_EXPIRES)
def requeue(older_than_seconds: int | None = None) -> list[int]:
    """Send again the runs no worker will otherwise start (services.aggregation_requeue).

    older_than_seconds: resend queued runs requested at least this long ago (default
    services.QUEUED_RESEND_AFTER; 0 on worker start).
    """
    import datetime

    from aggregation.services import aggregation_requeue

    if older_than_seconds is None:
        sent = aggregation_requeue()
    else:
        sent = aggregation_requeue(
            older_than=datetime.timedelta(seconds=older_than_seconds)
        )
    if sent:
        logger.info("Aggregation runs sent again: %s", sent)
    return sent


@shared_task(ignore_result=True)
def housekeeping() -> dict[str, int]:
    """Nightly: discard uploads of published figures left waiting for their
    confirmation (aggregation.services.published_uploads_discard_stale)."""
    return {"published_uploads_discarded": published_uploads_discard_stale()}
