"""Receivers: a response submitted → its receipt built by a worker and kept.

Connected in ReportsConfig.ready.
"""

from __future__ import annotations

import logging

from reports.services import receipt_job_request
from surveys.models import Response

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
