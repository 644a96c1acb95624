"""Sending one e-mail of the fieldwork (an invitation, a reminder) and logging it.

Every e-mail goes through email_send, which writes its EmailLog row in the same transaction
as it hands the message to the mail backend:

- a send that fails rolls its log row back, so the next run tries that e-mail again;
- a reminder already logged under the same key (questionnaire, organisation, recipient and
  date), or a confirmation under the same submission, is never sent again: the unique
  constraint refuses the second row, also when two runs overlap (on PostgreSQL the
  second insert waits for the first transaction);
- the one window left is a crash after the SMTP server accepted the message and before the
  commit: then the e-mail was sent but not logged, and a later run sends it once more. We
  prefer that rare duplicate to the opposite order (commit the log, then send), where a
  failed send would leave a log of an e-mail that nobody got and that is never retried.
"""

from __future__ import annotations

import logging
from typing import Any, Literal, cast

from django.conf import settings
from django.contrib.auth.models import User
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.template import Context
from django.template.backends.django import Template as DjangoTemplate
from django.template.loader import get_template, render_to_string
from django.utils import translation

from regions.models import Organisation
from surveys.models import EmailLog, Questionnaire

logger = logging.getLogger(__name__)

# The kinds sent at most once per key (EmailLog's conditional unique constraints).
ONCE_PER_KEY = (EmailLog.Kind.REMINDER, EmailLog.Kind.CONFIRMATION)


def render_plain_text(template_name: str, context: dict) -> str:
    """Render a plain-text template (an e-mail's subject or text body) without HTML
    autoescaping, so that `&` and `'` stay as they are (not `&amp;`, `&#x27;`)."""
    # The project renders with Django's template engine only.
    template = cast(DjangoTemplate, get_template(template_name))
    return template.template.render(Context(context, autoescape=False))


def email_send(
    *,
    kind: str,
    template: str,
    context: dict,
    organisation: Organisation,
    recipient: str,
    questionnaire: Questionnaire | None = None,
    key: str = "",
    by: User | None = None,
    reply_to: list[str] | None = None,
    connection=None,
) -> EmailLog | None:
    """Render templates/emails/<template>_{subject.txt,body.txt,body.html}, log it, send it.

    Returns the log row; None when a reminder or a confirmation with the same key was
    logged before (then nothing is sent). An error of the mail backend is raised after the log row is rolled
    back. See the module's docstring for the order of logging and sending.
    """
    with translation.override(settings.LANGUAGE_CODE):
        subject = " ".join(
            render_plain_text(f"emails/{template}_subject.txt", context).split()
        )
        body = render_plain_text(f"emails/{template}_body.txt", context)
        html = render_to_string(f"emails/{template}_body.html", context)
    try:
        with transaction.atomic():
            log = EmailLog.objects.create(
                kind=kind,
                questionnaire=questionnaire,
                organisation=organisation,
                recipient=recipient,
                key=key,
                subject=subject[:300],
                sent_by=by,
            )
            message = EmailMultiAlternatives(
                subject,
                body,
                to=[recipient],
                reply_to=reply_to or None,
                connection=connection,
            )
            message.attach_alternative(html, "text/html")
            message.send()
    except IntegrityError:
        if kind not in ONCE_PER_KEY:
            raise
        return None
    return log


def email_send_to_one_of_many(**arguments: Any) -> Literal["sent", "skipped", "failed"]:
    """email_send for one recipient of a mailing: "sent", "skipped" (logged before) or
    "failed" (the mail backend's error is logged, and the mailing goes on with the next)."""
    try:
        log = email_send(**arguments)
    except OSError:  # smtplib.SMTPException and socket errors
        logger.exception(
            "%s e-mail to %s not sent", arguments["kind"], arguments["recipient"]
        )
        return "failed"
    return "skipped" if log is None else "sent"
