"""Background work of the aggregation app: thin tasks that take ids (see services)."""

from __future__ import annotations

import logging

from celery import shared_task

from aggregation.services import (
    RUN_SOFT_TIME_LIMIT,
    RUN_TIME_LIMIT,
    AggregationBusy,
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
