"""Running the fieldwork: contact persons, invitation and reminder e-mails, extensions.

Every e-mail goes through surveys.services.emails.email_send, which commits its log row
with the send (the order is explained there). So the functions that send many e-mails
(invitations_send, reminders_send) are not one transaction: each e-mail commits on its
own, and a crash in the middle keeps what was sent.
"""

from __future__ import annotations

import datetime
import logging
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import get_connection
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from regions.models import Organisation
from surveys import deadlines
from surveys.deadlines import effective_deadline
from surveys.frames import frame_ids, frame_organisations, questionnaire_is_for
from surveys.models import (
    ContactPerson,
    EmailLog,
    InvitationBatch,
    Membership,
    Participation,
    Questionnaire,
    Response,
    ResponseEvent,
)
from surveys.permissions import is_staff
from surveys.services.dispatch import task_enqueue
from surveys.services.emails import email_send_to_one_of_many
from surveys.services.invitations import invitation_create
from surveys.services.links import site_url
from surveys.signals import announce_questionnaire_published

logger = logging.getLogger(__name__)

# An invitation batch not done after this long is sent to the broker again (its message
# may never have arrived); a duplicate sends nothing twice.
INVITATIONS_RESEND_AFTER = datetime.timedelta(minutes=5)


def _codes(organisations: Iterable[Organisation]) -> str:
    return ", ".join(sorted(o.code for o in organisations))


# --- Contact persons -------------------------------------------------------------------


@transaction.atomic
def contact_add(
    *,
    organisation: Organisation,
    name: str,
    email: str,
    phone: str = "",
    by: User | None = None,
) -> ContactPerson:
    """Add a contact person to an organisation (personal data: staff and the organisation)."""
    email = email.strip().lower()
    if ContactPerson.objects.filter(organisation=organisation, email=email).exists():
        raise ValidationError(
            {
                "email": _("%(email)s is already a contact person of %(org)s.")
                % {"email": email, "org": organisation.full_name}
            }
        )
    contact = ContactPerson(
        organisation=organisation,
        name=name.strip(),
        email=email,
        phone=phone.strip(),
    )
    contact.full_clean()
    contact.save()
    return contact


@transaction.atomic
def contact_remove(*, contact: ContactPerson, by: User | None) -> None:
    """Delete a contact person (on request, GDPR).

    The EmailLog rows keep the address the agency's e-mails went to: they are the record of
    what was sent and when (visible to staff only) and they keep a reminder from going out
    twice. The contact's name and phone number are gone with the row.
    """
    logger.info(
        "contact person %s of %s removed by %s", contact.pk, contact.organisation, by
    )
    contact.delete()


# --- E-mail --------------------------------------------------------------------------


@dataclass
class Recipient:
    """Who an organisation's e-mails go to, and whether that address has an account there."""

    email: str
    name: str
    has_account: bool


def recipients_by_organisation(
    organisations: Iterable[Organisation],
) -> dict[int, list[Recipient]]:
    """The contact persons of each organisation; where it has none, its members' accounts.

    Two queries, whatever the number of organisations.
    """
    ids = [o.pk for o in organisations]
    accounts: dict[int, dict[str, str]] = defaultdict(dict)
    for membership in Membership.objects.filter(organisation_id__in=ids).select_related(
        "user"
    ):
        user = membership.user
        if not user.is_active:
            continue
        name = user.get_full_name()
        for address in (user.email, user.username):
            if address and "@" in address:
                accounts[membership.organisation_id].setdefault(
                    address.strip().lower(), name
                )
    result: dict[int, list[Recipient]] = defaultdict(list)
    for contact in ContactPerson.objects.filter(organisation_id__in=ids).order_by(
        "email"
    ):
        result[contact.organisation_id].append(
            Recipient(
                email=contact.email,
                name=contact.name,
                has_account=contact.email.lower() in accounts[contact.organisation_id],
            )
        )
    for organisation_id in ids:
        if organisation_id not in result and accounts[organisation_id]:
            result[organisation_id] = [
                Recipient(email=address, name=name, has_account=True)
                for address, name in sorted(accounts[organisation_id].items())
            ]
    return result


def _account_url(
    organisation: Organisation,
    recipient: Recipient,
    by: User | None,
    base_url: str,
) -> str | None:
    """A single-use link to create an account, for a contact person without one."""
    if recipient.has_account:
        return None
    role = (
        Membership.Role.COORDINATOR
        if organisation.kind == Organisation.Kind.RSS
        else Membership.Role.RESPONDENT
    )
    _invitation, url = invitation_create(
        organisation=organisation,
        email=recipient.email,
        role=role,
        by=by,
        base_url=base_url,
        send_email=False,
    )
    return url


def _sender(by: User | None) -> tuple[str, list[str] | None]:
    """Who the e-mail says it is from, and where replies go (an RSS coordinator's address)."""
    membership = getattr(by, "membership", None) if by is not None else None
    if membership is not None and membership.is_coordinator and not is_staff(by):
        email = getattr(by, "email", "") or ""
        return membership.organisation.full_name, [email] if email else None
    return "Socialstyrelsen", None


# --- Invitations ---------------------------------------------------------------------


@dataclass
class InvitationReport:
    """What participations_invite did: new invitations, and which organisations get e-mail."""

    questionnaire: Questionnaire
    invited: list[Organisation] = field(default_factory=list)
    already_invited: list[Organisation] = field(default_factory=list)
    to_email: list[Organisation] = field(default_factory=list)
    already_emailed: list[Organisation] = field(default_factory=list)
    without_recipients: list[Organisation] = field(default_factory=list)


def _check_may_invite(
    questionnaire: Questionnaire,
    organisations: list[Organisation],
    by: User | None,
) -> None:
    if questionnaire.locked_at is not None:
        raise ValidationError(
            _("%(title)s is locked; nobody can be invited to it.")
            % {"title": questionnaire.title}
        )
    if not organisations:
        raise ValidationError(_("Choose at least one organisation."))
    # Inviting never widens the frame (an extra question sent to a chosen set).
    frame = frame_ids(questionnaire)
    wrong = [o for o in organisations if o.pk not in frame]
    if wrong:
        raise ValidationError(
            _("%(codes)s do not answer %(title)s.")
            % {"codes": _codes(wrong), "title": questionnaire.title}
        )
    if by is None or is_staff(by):
        return
    membership = getattr(by, "membership", None)
    if membership is None or not membership.is_coordinator:
        raise PermissionDenied("only staff and RSS coordinators invite organisations")
    if not questionnaire.via_rss:
        raise PermissionDenied("an RSS coordinator invites only to the municipal one")
    outside = [o for o in organisations if o.rss_id != membership.organisation_id]
    if outside:
        raise ValidationError(
            _("%(codes)s are not municipalities of the area of %(rss)s.")
            % {"codes": _codes(outside), "rss": membership.organisation.full_name}
        )


@transaction.atomic
def participations_invite(
    *,
    questionnaire: Questionnaire,
    organisations: Iterable[Organisation],
    by: User | None,
    base_url: str = "",
    resend: bool = False,
) -> InvitationReport:
    """Invite organisations to a questionnaire and have the invitation e-mailed to them.

    Creates the Participation rows (the frame of the response rate). The e-mails go out
    once the transaction commits, in a Celery task: to the organisations that have not
    had an invitation to this questionnaire yet, or to all of them with resend. Staff
    invite any organisation of the audience; an RSS coordinator only the municipalities
    of the area, to the municipal questionnaire (the hjälpenkät).
    """
    chosen = sorted({o.pk: o for o in organisations}.values(), key=lambda o: o.code)
    _check_may_invite(questionnaire, chosen, by)
    report = InvitationReport(questionnaire=questionnaire)
    existing = set(
        Participation.objects.filter(
            questionnaire=questionnaire, organisation__in=chosen
        ).values_list("organisation_id", flat=True)
    )
    Participation.objects.bulk_create(
        [
            Participation(questionnaire=questionnaire, organisation=o, invited_by=by)
            for o in chosen
            if o.pk not in existing
        ],
        ignore_conflicts=True,
    )
    emailed = set(
        EmailLog.objects.filter(
            kind=EmailLog.Kind.INVITATION,
            questionnaire=questionnaire,
            organisation__in=chosen,
        ).values_list("organisation_id", flat=True)
    )
    recipients = recipients_by_organisation(chosen)
    for organisation in chosen:
        if organisation.pk in existing:
            report.already_invited.append(organisation)
        else:
            report.invited.append(organisation)
        if organisation.pk in emailed and not resend:
            report.already_emailed.append(organisation)
        elif not recipients.get(organisation.pk):
            report.without_recipients.append(organisation)
        else:
            report.to_email.append(organisation)
    if report.to_email:
        batch = InvitationBatch.objects.create(
            questionnaire=questionnaire,
            organisation_ids=[o.pk for o in report.to_email],
            requested_by=by if by is not None and by.is_authenticated else None,
            base_url=base_url or site_url(),
        )
        invitation_batch_enqueue(batch_id=batch.pk)
    return report


def invitation_batch_enqueue(*, batch_id: int) -> None:
    """Send the batch to the workers once the transaction commits; never fails the caller.

    A broker that is down or hangs leaves the batch not done: invitation_batches_requeue
    sends it later.
    """
    task_enqueue(
        name="surveys.tasks.invitations_send",
        args=[batch_id],
        what=f"Invitation batch {batch_id}",
    )


def invitation_batches_requeue(
    *, older_than: datetime.timedelta = INVITATIONS_RESEND_AFTER
) -> list[int]:
    """Send again the invitation batches not done after older_than; return their ids."""
    due = InvitationBatch.objects.filter(
        done_at__isnull=True, requested_at__lte=timezone.now() - older_than
    ).values_list("pk", flat=True)
    sent = []
    for pk in due:
        invitation_batch_enqueue(batch_id=pk)
        sent.append(pk)
    return sent


def invitation_batch_send(*, batch: InvitationBatch) -> SendReport:
    """E-mail one batch's invitations and mark it done; safe to run again."""
    if batch.done_at is not None:
        return SendReport()
    report = invitations_send(
        questionnaire=batch.questionnaire,
        organisations=Organisation.objects.filter(
            pk__in=batch.organisation_ids
        ).order_by("code"),
        by=batch.requested_by,
        base_url=batch.base_url,
        since=batch.requested_at,
    )
    InvitationBatch.objects.filter(pk=batch.pk, done_at__isnull=True).update(
        done_at=timezone.now()
    )
    return report


@dataclass
class SendReport:
    """E-mails sent by one run, and the addresses that failed."""

    sent: int = 0
    skipped: int = 0
    failed: list[str] = field(default_factory=list)


def _context(
    questionnaire: Questionnaire,
    organisation: Organisation,
    recipient: Recipient,
    deadline: datetime.date,
    base_url: str,
    by: User | None,
) -> dict:
    sender, _reply_to = _sender(by)
    return {
        "questionnaire": questionnaire,
        "organisation": organisation,
        "recipient": recipient,
        "deadline": deadline,
        "start_url": base_url + reverse("surveys:home"),
        "account_url": _account_url(organisation, recipient, by, base_url),
        "days": settings.INVITATION_MAX_AGE_DAYS,
        "sender": sender,
    }


def invitations_send(
    *,
    questionnaire: Questionnaire,
    organisations: Iterable[Organisation],
    by: User | None,
    base_url: str = "",
    since: datetime.datetime | None = None,
) -> SendReport:
    """E-mail the invitation to every recipient of each organisation (contact persons).

    A recipient without an account also gets a single-use link to create one. Recipients
    already sent this invitation at or after `since` are skipped, so a task run again
    (a worker lost mid-way) does not send twice. Each e-mail commits on its own.
    """
    base_url = base_url or site_url()
    organisations = list(organisations)
    deadlines = dict(
        Participation.objects.filter(
            questionnaire=questionnaire, organisation__in=organisations
        ).values_list("organisation_id", "closes_on")
    )
    done: set[tuple[int, str]] = set()
    if since is not None:
        done = set(
            EmailLog.objects.filter(
                kind=EmailLog.Kind.INVITATION,
                questionnaire=questionnaire,
                organisation__in=organisations,
                sent_at__gte=since,
            ).values_list("organisation_id", "recipient")
        )
    _sender_name, reply_to = _sender(by)
    recipients = recipients_by_organisation(organisations)
    report = SendReport()
    with get_connection() as connection:
        for organisation in organisations:
            deadline = effective_deadline(
                questionnaire.closes_on, deadlines.get(organisation.pk)
            )
            for recipient in recipients.get(organisation.pk, []):
                if (organisation.pk, recipient.email) in done:
                    report.skipped += 1
                    continue
                outcome = email_send_to_one_of_many(
                    kind=EmailLog.Kind.INVITATION,
                    template="invitation",
                    context=_context(
                        questionnaire, organisation, recipient, deadline, base_url, by
                    ),
                    organisation=organisation,
                    recipient=recipient.email,
                    questionnaire=questionnaire,
                    by=by,
                    reply_to=reply_to,
                    connection=connection,
                )
                if outcome == "failed":
                    report.failed.append(recipient.email)
                else:
                    report.sent += 1
    return report


# --- Reminders -----------------------------------------------------------------------


@dataclass
class ReminderReport:
    """What one reminder run did."""

    today: datetime.date
    questionnaires: list[Questionnaire] = field(default_factory=list)
    sent: int = 0
    already_sent: int = 0
    submitted: int = 0
    past_deadline: int = 0
    without_recipients: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {
            "questionnaires": len(self.questionnaires),
            "sent": self.sent,
            "already_sent": self.already_sent,
            "submitted": self.submitted,
            "past_deadline": self.past_deadline,
            "without_recipients": len(self.without_recipients),
            "failed": len(self.failed),
        }


def reminder_due(questionnaire: Questionnaire, today: datetime.date) -> bool:
    """Whether the questionnaire's reminder dates include the day."""
    return today.isoformat() in {str(d)[:10] for d in questionnaire.reminder_dates}


def reminders_send(*, today: datetime.date, base_url: str = "") -> ReminderReport:
    """Send the reminders due today: for every current questionnaire, not locked, whose
    reminder dates include today, to each recipient of every invited organisation that has
    not submitted and whose deadline has not passed.

    Running it again on the same day sends nothing twice (EmailLog's key is the date).
    Organisations that have submitted never get a reminder.
    """
    base_url = base_url or site_url()
    key = today.isoformat()
    report = ReminderReport(today=today)
    questionnaires = _questionnaires_due(today)
    with get_connection() as connection:
        for questionnaire in questionnaires:
            report.questionnaires.append(questionnaire)
            _remind(questionnaire, today, key, base_url, report, connection)
    return report


def _questionnaires_due(today: datetime.date) -> list[Questionnaire]:
    return [
        q
        for q in Questionnaire.objects.filter(
            is_current=True, locked_at__isnull=True
        ).select_related("cycle")
        if reminder_due(q, today)
    ]


def reminders_preview(
    *, today: datetime.date
) -> list[tuple[Questionnaire, list[Organisation]]]:
    """What reminders_send would do on the day: each questionnaire due and the
    organisations it would remind (invited, in the frame, not submitted, in time)."""
    result = []
    for questionnaire in _questionnaires_due(today):
        due, _submitted, _past = _due_participations(questionnaire, today)
        result.append((questionnaire, [p.organisation for p in due]))
    return result


def _due_participations(
    questionnaire: Questionnaire, today: datetime.date
) -> tuple[list[Participation], int, int]:
    """The participations to remind, and how many have submitted or are past deadline."""
    # The invited organisations of the frame (an invitation outside it is ignored).
    participations = list(
        Participation.objects.filter(
            questionnaire=questionnaire,
            organisation__in=frame_organisations(questionnaire),
        )
        .select_related("organisation")
        .order_by("organisation__code")
    )
    submitted = set(
        Response.objects.filter(
            questionnaire=questionnaire, status=Response.Status.SUBMITTED
        ).values_list("organisation_id", flat=True)
    )
    due = []
    n_submitted = past_deadline = 0
    for participation in participations:
        if participation.organisation_id in submitted:
            n_submitted += 1
        elif (
            effective_deadline(questionnaire.closes_on, participation.closes_on) < today
        ):
            past_deadline += 1
        else:
            due.append(participation)
    return due, n_submitted, past_deadline


def _remind(
    questionnaire: Questionnaire,
    today: datetime.date,
    key: str,
    base_url: str,
    report: ReminderReport,
    connection,
) -> None:
    due, n_submitted, past_deadline = _due_participations(questionnaire, today)
    report.submitted += n_submitted
    report.past_deadline += past_deadline
    logged = set(
        EmailLog.objects.filter(
            kind=EmailLog.Kind.REMINDER, questionnaire=questionnaire, key=key
        ).values_list("organisation_id", "recipient")
    )
    recipients = recipients_by_organisation(p.organisation for p in due)
    for participation in due:
        organisation = participation.organisation
        if not recipients.get(organisation.pk):
            report.without_recipients.append(organisation.code)
        deadline = effective_deadline(questionnaire.closes_on, participation.closes_on)
        for recipient in recipients.get(organisation.pk, []):
            if (organisation.pk, recipient.email) in logged:
                report.already_sent += 1
                continue
            outcome = email_send_to_one_of_many(
                kind=EmailLog.Kind.REMINDER,
                template="reminder",
                context=_context(
                    questionnaire, organisation, recipient, deadline, base_url, None
                ),
                organisation=organisation,
                recipient=recipient.email,
                questionnaire=questionnaire,
                key=key,
                connection=connection,
            )
            if outcome == "failed":
                report.failed.append(recipient.email)
            elif outcome == "skipped":
                report.already_sent += 1
            else:
                report.sent += 1


# --- Deadlines -----------------------------------------------------------------------


@transaction.atomic
def participation_extend(
    *,
    questionnaire: Questionnaire,
    organisation: Organisation,
    closes_on: datetime.date,
    reason: str,
    by: User,
) -> Participation:
    """Staff give one organisation a later deadline than the questionnaire's closing date.

    Recorded on the organisation's Participation (created when missing) and, when the
    organisation has a response, as a ResponseEvent "extended" with the reason. When the
    questionnaire has no participations at all (nobody was invited through the site, so
    its frame is the whole audience), the whole audience is recorded as invited first, so
    that the one extension does not shrink the frame to one organisation.
    """
    if not is_staff(by):
        raise PermissionDenied("only staff extend deadlines")
    reason = reason.strip()
    errors = {}
    if not reason:
        errors["reason"] = _("Give a reason for the extension.")
    if closes_on <= questionnaire.closes_on:
        errors["closes_on"] = _(
            "The new deadline must be after the questionnaire's closing date (%(date)s)."
        ) % {"date": questionnaire.closes_on.isoformat()}
    if errors:
        raise ValidationError(errors)
    if questionnaire.locked_at is not None:
        raise ValidationError(
            _("%(title)s is locked; its deadlines can no longer be changed.")
            % {"title": questionnaire.title}
        )
    # An organisation outside the frame is refused: an extension never invites anyone.
    if not questionnaire_is_for(questionnaire, organisation):
        raise ValidationError(
            _("%(codes)s do not answer %(title)s.")
            % {"codes": organisation.code, "title": questionnaire.title}
        )
    if not Participation.objects.filter(questionnaire=questionnaire).exists():
        Participation.objects.bulk_create(
            [
                Participation(questionnaire=questionnaire, organisation=o)
                for o in frame_organisations(questionnaire)
            ],
            ignore_conflicts=True,
        )
    participation, _created = Participation.objects.get_or_create(
        questionnaire=questionnaire,
        organisation=organisation,
        defaults={"invited_by": by},
    )
    participation.closes_on = closes_on
    participation.save(update_fields=["closes_on"])
    announce_questionnaire_published(questionnaire_id=questionnaire.pk)
    response = Response.objects.filter(
        questionnaire=questionnaire, organisation=organisation
    ).first()
    if response is not None:
        ResponseEvent.objects.create(
            response=response,
            kind=ResponseEvent.Kind.EXTENDED,
            reason=_("Deadline extended to %(date)s: %(reason)s")
            % {"date": closes_on.isoformat(), "reason": reason},
            by=by,
        )
    return participation


@transaction.atomic
def fieldwork_keep_open(
    *, questionnaires: Iterable[Questionnaire], days: int = 60
) -> int:
    """Keep questionnaires whose closing day has passed open `days` more days.

    For the demo, a snapshot of a past fieldwork that visitors still try out: every
    invited organisation (the whole audience when nobody was invited) gets the later
    deadline as its extension. Locked questionnaires stay as they are. Returns the
    number of extensions written.
    """
    today = deadlines.stockholm_today()
    until = today + datetime.timedelta(days=days)
    written = 0
    for questionnaire in questionnaires:
        if questionnaire.locked_at is not None or questionnaire.closes_on >= today:
            continue
        if not Participation.objects.filter(questionnaire=questionnaire).exists():
            Participation.objects.bulk_create(
                [
                    Participation(questionnaire=questionnaire, organisation=o)
                    for o in frame_organisations(questionnaire)
                ],
                ignore_conflicts=True,
            )
        extended = (
            Participation.objects.filter(questionnaire=questionnaire)
            .exclude(closes_on__gte=until)
            .update(closes_on=until)
        )
        if extended:
            announce_questionnaire_published(questionnaire_id=questionnaire.pk)
        written += extended
    return written
