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
    from surveys.services.fieldwork import reminders_send, site_url
    from surveys.services.responses import stockholm_today

    today = datetime.date.fromisoformat(day) if day else stockholm_today()
    report = reminders_send(today=today, base_url=site_url())
    if report.failed:
        raise RemindersNotAllSent(", ".join(report.failed))
    return report.counts()


@shared_task
def invitations_send(
    questionnaire_id: int,
    organisation_ids: list[int],
    by_id: int | None,
    base_url: str,
    since: str,
) -> dict[str, int]:
    """E-mail a questionnaire's invitation to the organisations (after participations_invite).

    Not retried automatically: an invitation has no once-only key. A redelivered task
    skips the recipients this batch (since) already reached.
    """
    from django.contrib.auth import get_user_model

    from regions.models import Organisation
    from surveys.models import Questionnaire
    from surveys.services.fieldwork import invitations_send as send

    report = send(
        questionnaire=Questionnaire.objects.select_related("cycle").get(
            pk=questionnaire_id
        ),
        organisations=Organisation.objects.filter(pk__in=organisation_ids).order_by(
            "code"
        ),
        by=get_user_model().objects.filter(pk=by_id).first() if by_id else None,
        base_url=base_url,
        since=datetime.datetime.fromisoformat(since),
    )
    return {
        "sent": report.sent,
        "skipped": report.skipped,
        "failed": len(report.failed),
    }
