"""Receivers: a response submitted → its receipt built by a worker and kept; a
questionnaire version loaded or changed (or a deadline) → its blank forms built ahead.

Connected in ReportsConfig.ready.
"""

from __future__ import annotations

import logging

from reports.services import blank_forms_queue, receipt_job_request
from surveys.models import Questionnaire, Response

logger = logging.getLogger(__name__)


def on_response_submitted(
    sender: object, *, response_id: int, **kwargs: object
) -> None:
    """Queue the receipt of the submission; never fail the submit over it (the receipt
    is then built when first asked for)."""
    response = (
        Response.objects.select_related("questionnaire", "organisation")
        .filter(pk=response_id)
        .first()
    )
    if response is None or not response.is_submitted:
        return
    try:
        receipt_job_request(response=response, by=response.submitted_by)
    except Exception:
        logger.exception("Could not queue the receipt of response %s", response_id)


def on_questionnaire_published(
    sender: object, *, questionnaire_id: int, **kwargs: object
) -> None:
    """Queue the blank forms of the questionnaire, so that the first respondent finds
    them ready; never fail the load or the page over it (a form not queued is built when
    first asked for, a job not sent stays queued for the requeue)."""
    questionnaire = (
        Questionnaire.objects.select_related("cycle")
        .filter(pk=questionnaire_id)
        .first()
    )
    if questionnaire is None:
        return
    try:
        blank_forms_queue(questionnaire=questionnaire)
    except Exception:
        logger.exception(
            "Could not queue the blank forms of questionnaire %s", questionnaire_id
        )
