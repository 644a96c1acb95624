"""The clock of the fieldwork: today in Sweden, an organisation's deadline, and whether
a response is open for changes.

Deadlines, opening days and reminder dates are Swedish calendar days, whatever the
server's zone. Selectors, services, tasks and pages all read them here (the selectors
need not import the services). Callers ask `deadlines.stockholm_today()` through the
module, so that one patch of the clock reaches them all.
"""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.translation import gettext as _

from surveys.models import Participation, Questionnaire, Response

# Deadlines and reminder dates are Swedish calendar days, whatever the server's zone.
STOCKHOLM = ZoneInfo("Europe/Stockholm")


def stockholm_today() -> datetime.date:
    """Today's date in Sweden."""
    return timezone.localdate(timezone=STOCKHOLM)


def effective_deadline(
    closes_on: datetime.date, extended: datetime.date | None
) -> datetime.date:
    """An organisation's last day: its extension counts only when later than closes_on."""
    return max(closes_on, extended) if extended else closes_on


def response_deadline(
    *, questionnaire: Questionnaire, organisation_id: int
) -> datetime.date:
    """The organisation's last day to answer: its extended deadline, else the questionnaire's."""
    extended = (
        Participation.objects.filter(
            questionnaire=questionnaire, organisation_id=organisation_id
        )
        .values_list("closes_on", flat=True)
        .first()
    )
    return effective_deadline(questionnaire.closes_on, extended)


def response_is_open(*, response: Response, by: User | None) -> tuple[bool, str]:
    """Whether `by` may still change the response, and if not why (a message to show).

    A locked questionnaire refuses everybody, staff included. After the deadline (the
    organisation's extension, else the questionnaire's closing date, as a Swedish calendar
    day) and before the opening date respondents are refused; staff and system writes
    (by=None) are exempt.
    """
    questionnaire = response.questionnaire
    if questionnaire.locked_at is not None:
        return False, _(
            "The questionnaire was locked for the final compilation on %(date)s. "
            "The answers can no longer be changed."
        ) % {"date": timezone.localtime(questionnaire.locked_at, STOCKHOLM).date()}
    if by is None or getattr(by, "is_staff", False):
        return True, ""
    today = stockholm_today()
    if today < questionnaire.opens_on:
        return False, _("The questionnaire opens on %(date)s.") % {
            "date": questionnaire.opens_on.isoformat()
        }
    if today <= questionnaire.closes_on:  # an extension only ever moves it later
        return True, ""
    deadline = response_deadline(
        questionnaire=questionnaire, organisation_id=response.organisation_id
    )
    if today > deadline:
        return False, _(
            "The deadline has passed (%(date)s). The answers can no longer be changed; "
            "contact Socialstyrelsen if you need more time."
        ) % {"date": deadline.isoformat()}
    return True, ""
