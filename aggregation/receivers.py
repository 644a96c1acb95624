"""Receivers: answers changed → queue the tables computed from them; a run queued → send
it to the workers.

Connected in AggregationConfig.ready.
"""

from __future__ import annotations

import logging

from aggregation.services import aggregation_answers_changed
from aggregation.tasks import aggregate as aggregate_task
from config.broker import publish
from surveys.models import Questionnaire

logger = logging.getLogger(__name__)


def on_responses_changed(
    sender: object, *, questionnaire_id: int, reason: str, **kwargs: object
) -> None:
    """Submitted answers changed: queue runs of the tables computed from them."""
    questionnaire = Questionnaire.objects.filter(pk=questionnaire_id).first()
    if questionnaire is None:
        return
    try:
        aggregation_answers_changed(questionnaire=questionnaire, reason=reason)
    except Exception:
        # The answers are saved; never fail a submit or an import over the tables.
        # Staff see the results as stale and can run the aggregation again.
        logger.exception(
            "Could not queue aggregation of questionnaire %s", questionnaire_id
        )


def on_run_queued(sender: object, *, run_id: int, **kwargs: object) -> None:
    """Send one queued run to the broker; if the broker is down or hangs it stays queued.

    config.broker.publish gives up within BROKER_PUBLISH_TIMEOUT, so that a submit
    does not hang; aggregation_requeue sends the run once the broker is back.
    """
    publish(aggregate_task, [run_id], what=f"Aggregation run {run_id}")
