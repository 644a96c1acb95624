"""The clock of the fieldwork: today in Sweden, an organisation's deadline, and whether
a response is open for changes.

Deadlines, opening days and reminder dates are Swedish calendar days, whatever the
server's zone. Selectors, services, tasks and pages all read them here (the selectors
need not import the services). Callers ask `deadlines.stockholm_today()` through the
module, so that one patch of the clock reaches them all.
"""

from __future__ import annotations

import datetime
import re
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.translation import gettext as _

from surveys.models import Participation, Questionnaire, Response

# Deadlines and reminder dates are Swedish calendar days, whatever the server's zone.
STOCKHOLM = ZoneInfo("Europe/Stockholm")
MONTHS = [
    "januari",
    "februari",
    "mars",
    "april",
    "maj",
    "juni",
    "juli",
    "augusti",
    "september",
    "oktober",
    "november",
    "december",
]


def swedish_date(value: datetime.date) -> str:
    """A date as Swedish prose: "31 mars 2025" (the PDFs, introduction texts)."""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


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
    # One row at most (unique per questionnaire and organisation): ordered by its key,
    # not by Participation's default ordering, which joins the questionnaire's cycle
    # and the organisation.
    extended = (
        Participation.objects.filter(
            questionnaire=questionnaire, organisation_id=organisation_id
        )
        .values_list("closes_on", flat=True)
        .order_by("pk")
        .first()
    )
    return effective_deadline(questionnaire.closes_on, extended)


def deadline_in_text(
    text: str, *, closes_on: datetime.date, deadline: datetime.date
) -> str:
    """The text (a questionnaire's introduction) with its closing date, where the text
    names it, changed to the organisation's deadline: "31 mars 2025" and "2025-03-31"
    become the extended date written the same way. Other dates are left as they are."""
    if not text or deadline == closes_on:
        return text
    for old, new in (
        (swedish_date(closes_on), swedish_date(deadline)),
        (closes_on.isoformat(), deadline.isoformat()),
    ):
        # Not inside a longer number ("131 mars 2025", "2025-03-310").
        text = re.sub(rf"(?<![\d-]){re.escape(old)}(?!\d)", new, text)
    return text


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
