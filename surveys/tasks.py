"""Background work of the surveys app: thin tasks that take ids and call one service."""

from __future__ import annotations

import datetime

from celery import shared_task


class RemindersNotAllSent(Exception):
    """Some reminders failed; the retry sends only those (the others are logged)."""


@shared_task(
    autoretry_for=(RemindersNotAllSent, OSError),
    retry_backoff=60,
    max_retries=5,
    acks_late=True,
)
def reminders_send_today(day: str | None = None) -> dict[str, int]:
    """Send the reminders due today (Celery beat runs it every morning).

    Safe to run again: a reminder already logged for the day is not sent twice.
    """
    from surveys import deadlines
    from surveys.services.fieldwork import reminders_send, site_url

    today = datetime.date.fromisoformat(day) if day else deadlines.stockholm_today()
    report = reminders_send(today=today, base_url=site_url())
    if report.failed:
        raise RemindersNotAllSent(", ".join(report.failed))
    return report.counts()


@shared_task
def invitations_send(batch_id: int) -> dict[str, int]:
    """E-mail one invitation batch (asked for by participations_invite); marks it done.

    Not retried automatically: an invitation has no once-only key. A redelivered or
    requeued task skips the recipients the batch already reached.
    """
    from surveys.models import InvitationBatch
    from surveys.services.fieldwork import invitation_batch_send

    batch = (
        InvitationBatch.objects.select_related("questionnaire__cycle", "requested_by")
        .filter(pk=batch_id)
        .first()
    )
    if batch is None:
        return {"sent": 0, "skipped": 0, "failed": 0}
    report = invitation_batch_send(batch=batch)
    return {
        "sent": report.sent,
        "skipped": report.skipped,
        "failed": len(report.failed),
    }


@shared_task
def invitations_requeue(older_than_seconds: int | None = None) -> list[int]:
    """Send again the invitation batches left behind (beat, and each worker on start)."""
    from surveys.services.fieldwork import (
        INVITATIONS_RESEND_AFTER,
        invitation_batches_requeue,
    )

    older_than = (
        INVITATIONS_RESEND_AFTER
        if older_than_seconds is None
        else datetime.timedelta(seconds=older_than_seconds)
    )
    return invitation_batches_requeue(older_than=older_than)


class ConfirmationsNotAllSent(Exception):
    """Some confirmations failed; the retry sends only those (the others are logged)."""


@shared_task(
    autoretry_for=(ConfirmationsNotAllSent, OSError),
    retry_backoff=60,
    max_retries=5,
    acks_late=True,
)
def submission_confirmation_send(confirmation_id: int) -> dict[str, int]:
    """E-mail the confirmation of one submission (asked for by response_submit).

    Safe to run again: a recipient already e-mailed for this submission is skipped.
    """
    from surveys.models import SubmissionConfirmation
    from surveys.services.submissions import submission_confirmation_send as send

    confirmation = (
        SubmissionConfirmation.objects.select_related(
            "event__by",
            "event__response__organisation",
            "event__response__questionnaire",
        )
        .filter(pk=confirmation_id)
        .first()
    )
    if confirmation is None:
        return {"sent": 0, "skipped": 0, "failed": 0}
    report = send(confirmation=confirmation)
    if report.failed:
        raise ConfirmationsNotAllSent(", ".join(report.failed))
    return {"sent": report.sent, "skipped": report.skipped, "failed": 0}


@shared_task
def submission_confirmations_requeue(
    older_than_seconds: int | None = None,
) -> list[int]:
    """Send again the confirmations left behind (beat, and each worker on start)."""
    from surveys.services.submissions import (
        CONFIRMATIONS_RESEND_AFTER,
    )
    from surveys.services.submissions import (
        submission_confirmations_requeue as requeue,
    )

    older_than = (
        CONFIRMATIONS_RESEND_AFTER
        if older_than_seconds is None
        else datetime.timedelta(seconds=older_than_seconds)
    )
    return requeue(older_than=older_than)


@shared_task
def housekeeping() -> dict[str, int]:
    """Discard stale import uploads and old one-time keys (beat runs it every night)."""
    from surveys.services.housekeeping import surveys_housekeeping

    return surveys_housekeeping().counts()
