"""Confirming an action on many organisations with a one-time key bound to what was shown.

An action that e-mails or changes more than one organisation first shows what it will do
(confirmation_create gives the page its key); it then runs only through confirmation_use,
which accepts the key once, for the same user and action, within CONFIRMATION_MAX_AGE, and
only when the action's parameters, computed again, are those that were shown.
"""

from __future__ import annotations

import datetime
import hashlib
import json
import secrets
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from surveys.models import Confirmation

# A confirmation page left open longer than this is stale: the action is shown again.
CONFIRMATION_MAX_AGE = datetime.timedelta(minutes=30)


def confirmation_digest(action: str, payload: Any) -> str:
    """SHA-256 of the action and its parameters (JSON with sorted keys)."""
    text = json.dumps([action, payload], sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


@transaction.atomic
def confirmation_create(*, user: User, action: str, payload: Any) -> Confirmation:
    """A new one-time key for the action with these parameters, as shown to the user."""
    return Confirmation.objects.create(
        key=secrets.token_urlsafe(32),
        user=user,
        action=action,
        digest=confirmation_digest(action, payload),
    )


@transaction.atomic
def confirmation_use(
    *, key: str, user: User, action: str, payload: Any
) -> Confirmation:
    """Spend the key for the action as it would run now; ValidationError if it may not.

    Refused: an unknown key or one of another user or action, a key already used (a
    double click, the back button), an old one, and one whose action would now do
    something else than what was shown (the list of organisations changed).
    """
    confirmation = (
        Confirmation.objects.select_for_update()
        .filter(key=key or "", user_id=user.pk, action=action)
        .first()
    )
    if confirmation is None:
        raise ValidationError(
            _("The confirmation is not valid. Start again and confirm what is shown.")
        )
    if confirmation.used_at is not None:
        raise ValidationError(
            _("This was already confirmed and done at %(time)s; it is not done again.")
            % {"time": timezone.localtime(confirmation.used_at).strftime("%H:%M:%S")}
        )
    if timezone.now() - confirmation.created_at > CONFIRMATION_MAX_AGE:
        raise ValidationError(
            _(
                "The confirmation page is too old. Start again and confirm what is shown."
            )
        )
    if confirmation.digest != confirmation_digest(action, payload):
        raise ValidationError(
            _(
                "What this would do has changed since the confirmation page was shown "
                "(the organisations or the options). Nothing was done; check again."
            )
        )
    confirmation.used_at = timezone.now()
    confirmation.save(update_fields=["used_at"])
    return confirmation
