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


# Sent after the transaction commits, with response_id: a response was submitted (its
# receipt is built then, by the reports app).
response_submitted = Signal()


def announce_response_submitted(*, response_id: int) -> None:
    """Send response_submitted once the current transaction has committed."""
    transaction.on_commit(
        lambda: response_submitted.send(sender=None, response_id=response_id)
    )


# Sent after the transaction commits, with questionnaire_id: a questionnaire version was
# loaded, created or changed, or one of its deadlines (the closing date, an extension),
# so that what is printed of it (the blank form, built by the reports app) is made ahead.
questionnaire_published = Signal()


def announce_questionnaire_published(*, questionnaire_id: int) -> None:
    """Send questionnaire_published once the current transaction has committed."""
    transaction.on_commit(
        lambda: questionnaire_published.send(
            sender=None, questionnaire_id=questionnaire_id
        )
    )
