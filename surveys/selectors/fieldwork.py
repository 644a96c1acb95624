"""Reads for the fieldwork pages: who is invited, e-mailed, reminded, and their deadlines."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypedDict

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery

from regions.models import Organisation
from surveys import deadlines
from surveys.frames import frame_size, newest_opened
from surveys.models import (
    Answer,
    ContactPerson,
    EmailLog,
    Membership,
    Participation,
    Questionnaire,
    Response,
)
from surveys.models.questionnaire import MUNICIPAL_VIA_RSS_KEY

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations


def municipal_questionnaire() -> Questionnaire | None:
    """The hjälpenkät: the current municipal questionnaire of the newest cycle."""
    return newest_opened(
        Questionnaire.objects.filter(is_current=True, key=MUNICIPAL_VIA_RSS_KEY)
    )


def contacts_of(organisation: Organisation) -> QuerySet[ContactPerson]:
    return ContactPerson.objects.filter(organisation=organisation).order_by("name")


class FieldworkOverviewRow(TypedDict):
    # Annotated with the number of organisations `invited` and `emailed`.
    questionnaire: Questionnaire
    # How many organisations it is for.
    audience: int
    # ISO dates, the next one still to come (None after the last).
    reminders: list[str]
    next_reminder: str | None


class _ResponseAnnotations(TypedDict):
    has_answers: bool


@dataclass
class FieldworkRow:
    """An organisation of a questionnaire's audience: invitation, e-mails, deadline, status."""

    organisation: Organisation
    participation: Participation | None
    response: WithAnnotations[Response, _ResponseAnnotations] | None
    contacts: int
    accounts: int
    last_email: EmailLog | None
    questionnaire_closes_on: datetime.date
    today: datetime.date

    @property
    def status(self) -> str:
        if self.response is None:
            return "not_started"
        if not self.response.is_submitted and not self.response.has_answers:
            return "not_started"
        return self.response.status

    @property
    def deadline(self) -> datetime.date:
        return deadlines.effective_deadline(
            self.questionnaire_closes_on,
            self.participation.closes_on if self.participation else None,
        )

    @property
    def extended(self) -> bool:
        return self.deadline > self.questionnaire_closes_on

    @property
    def deadline_passed(self) -> bool:
        return self.status != "submitted" and self.today > self.deadline

    @property
    def reachable(self) -> bool:
        """Whether e-mails have anybody to go to (contact persons, else accounts)."""
        return bool(self.contacts or self.accounts)


def fieldwork_rows(
    *, questionnaire: Questionnaire, organisations: QuerySet
) -> list[FieldworkRow]:
    """Each organisation with its invitation, latest e-mail, deadline and status.

    Six queries, whatever the number of organisations.
    """
    listed = list(organisations.select_related("county", "rss").order_by("code"))
    participations = {
        p.organisation_id: p
        for p in Participation.objects.filter(
            questionnaire=questionnaire, organisation__in=listed
        )
    }
    responses = {
        r.organisation_id: r
        for r in Response.objects.filter(
            questionnaire=questionnaire, organisation__in=listed
        ).annotate(has_answers=Exists(Answer.objects.filter(response=OuterRef("pk"))))
    }
    contacts = dict(
        ContactPerson.objects.filter(organisation__in=listed)
        .values("organisation_id")
        .annotate(n=Count("id"))
        .values_list("organisation_id", "n")
    )
    accounts = dict(
        Membership.objects.filter(organisation__in=listed, user__is_active=True)
        .values("organisation_id")
        .annotate(n=Count("id"))
        .values_list("organisation_id", "n")
    )
    last_email: dict[int, EmailLog] = {}
    for log in EmailLog.objects.filter(
        questionnaire=questionnaire, organisation__in=listed
    ).only("organisation_id", "kind", "sent_at"):
        # Newest first (the model's ordering): keep the first per organisation.
        last_email.setdefault(log.organisation_id, log)
    today = deadlines.stockholm_today()
    return [
        FieldworkRow(
            organisation=o,
            participation=participations.get(o.pk),
            response=responses.get(o.pk),
            contacts=contacts.get(o.pk, 0),
            accounts=accounts.get(o.pk, 0),
            last_email=last_email.get(o.pk),
            questionnaire_closes_on=questionnaire.closes_on,
            today=today,
        )
        for o in listed
    ]


def fieldwork_filter(
    rows: list[FieldworkRow],
    *,
    county: str = "",
    rss: str = "",
    status: str = "",
) -> list[FieldworkRow]:
    """The rows of a county (code), an RSS (code) and a state of the fieldwork."""
    tests = {
        "not_invited": lambda r: r.participation is None,
        "invited": lambda r: r.participation is not None,
        "not_emailed": lambda r: r.last_email is None,
        "not_submitted": lambda r: r.status != "submitted",
        "submitted": lambda r: r.status == "submitted",
        "extended": lambda r: r.extended,
        "unreachable": lambda r: not r.reachable,
    }
    test = tests.get(status, lambda r: True)
    return [
        r
        for r in rows
        if (not county or r.organisation.county.code == county)
        and (
            not rss
            or r.organisation.code == rss
            or (r.organisation.rss is not None and r.organisation.rss.code == rss)
        )
        and test(r)
    ]


def fieldwork_overview() -> list[FieldworkOverviewRow]:
    """Staff: each current questionnaire with its audience, invitations and reminders."""
    today = deadlines.stockholm_today()
    rows: list[FieldworkOverviewRow] = []
    for questionnaire in (
        Questionnaire.objects.filter(is_current=True)
        .select_related("cycle")
        .annotate(
            invited=Count("participations", distinct=True),
            emailed=Count(
                "emails__organisation",
                filter=Q(emails__kind=EmailLog.Kind.INVITATION),
                distinct=True,
            ),
        )
        .order_by("-cycle__year", "audience", "pk")
    ):
        dates = sorted(str(d)[:10] for d in questionnaire.reminder_dates)
        rows.append(
            {
                "questionnaire": questionnaire,
                "audience": frame_size(questionnaire),
                "reminders": dates,
                "next_reminder": next(
                    (d for d in dates if d >= today.isoformat()), None
                ),
            }
        )
    return rows


@dataclass
class DeadlineInfo:
    """What the start page shows about a questionnaire's deadline for one organisation."""

    deadline: datetime.date
    extended: bool
    passed: bool
    invited_at: datetime.datetime | None
    emailed_at: datetime.datetime | None


def deadline_infos(
    pairs: Iterable[tuple[Questionnaire, Organisation, bool]],
) -> dict[tuple[int, int], DeadlineInfo]:
    """Per (questionnaire, organisation, submitted): deadline, invitation, latest e-mail.

    One query, whatever the number of pairs.
    """
    pairs = list(pairs)
    if not pairs:
        return {}
    latest_email = (
        EmailLog.objects.filter(
            questionnaire_id=OuterRef("questionnaire_id"),
            organisation_id=OuterRef("organisation_id"),
        )
        .order_by("-sent_at")
        .values("sent_at")[:1]
    )
    participations = {
        (p.questionnaire_id, p.organisation_id): p
        for p in Participation.objects.filter(
            questionnaire_id__in={q.pk for q, _o, _s in pairs},
            organisation_id__in={o.pk for _q, o, _s in pairs},
        ).annotate(emailed_at=Subquery(latest_email))
    }
    today = deadlines.stockholm_today()
    result = {}
    for questionnaire, organisation, submitted in pairs:
        key = (questionnaire.pk, organisation.pk)
        participation = participations.get(key)
        extended = participation.closes_on if participation else None
        deadline = deadlines.effective_deadline(questionnaire.closes_on, extended)
        result[key] = DeadlineInfo(
            deadline=deadline,
            extended=deadline > questionnaire.closes_on,
            passed=not submitted and today > deadline,
            invited_at=participation.invited_at if participation else None,
            emailed_at=participation.emailed_at if participation else None,
        )
    return result
