"""Receivers of other apps' signals: answers changed → queue the tables computed from them.

Connected in AggregationConfig.ready.
"""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)


def on_responses_changed(
    sender: object, *, questionnaire_id: int, reason: str, **kwargs: object
) -> None:
    """Submitted answers changed: queue runs of the tables computed from them."""
    from aggregation.services import aggregation_answers_changed
    from surveys.models import Questionnaire

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
