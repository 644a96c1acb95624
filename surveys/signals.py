"""Signals other apps listen to (aggregation re-runs when answers change)."""

from __future__ import annotations

from django.db import transaction
from django.dispatch import Signal

# Sent after the transaction commits, with questionnaire_id and reason
# ("submit", "import", "reopen", ...): the submitted answers of a questionnaire changed.
responses_changed = Signal()


def announce_responses_changed(*, questionnaire_id: int, reason: str) -> None:
    """Send responses_changed once the current transaction has committed."""
    transaction.on_commit(
        lambda: responses_changed.send(
            sender=None, questionnaire_id=questionnaire_id, reason=reason
        )
    )
