"""The e-mail that confirms a submission, to the submitter and the contact persons.

response_submit leaves a SubmissionConfirmation job row with the submission's event and
hands it to the workers once the transaction commits: no e-mail is sent in the request.
The task sends one e-mail per recipient through email_send, logged under the job row's
id, so a double submit (no second submission), a retried task or a requeued one never
sends twice. A reopened and resubmitted response is a new submission and is confirmed
again.

When somebody outside the organisation submits its answers (an RSS coordinator who
entered a municipality's paper form, or national staff), the e-mail says so: the
organisation's contact persons learn that their answers were submitted on their behalf,
and by whom.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.contrib.auth.models import User
from django.core.mail import get_connection
from django.urls import reverse
from django.utils import timezone

from regions.models import Organisation
from surveys.models import EmailLog, ResponseEvent, SubmissionConfirmation
from surveys.permissions import is_staff, membership_of
from surveys.services.dispatch import task_enqueue
from surveys.services.emails import email_send_to_one_of_many
from surveys.services.fieldwork import Recipient, recipients_by_organisation
from surveys.services.links import site_url

# A confirmation not done after this long is sent to the broker again (its message may
# never have arrived); one older than CONFIRMATIONS_GIVE_UP_AFTER is left (an address
# that keeps failing is not tried for ever).
CONFIRMATIONS_RESEND_AFTER = datetime.timedelta(minutes=5)
CONFIRMATIONS_GIVE_UP_AFTER = datetime.timedelta(days=2)


def submission_confirmation_request(*, event: ResponseEvent) -> SubmissionConfirmation:
    """Record that the submission is to be confirmed by e-mail, and queue the e-mails.

    Called inside the submitting transaction: the task is sent once it commits.
    """
    confirmation = SubmissionConfirmation.objects.create(event=event)
    submission_confirmation_enqueue(confirmation_id=confirmation.pk)
    return confirmation


def submission_confirmation_enqueue(*, confirmation_id: int) -> None:
    """Send the confirmation's task once the transaction commits; never fails the caller."""
    task_enqueue(
        name="surveys.tasks.submission_confirmation_send",
        args=[confirmation_id],
        what=f"Submission confirmation {confirmation_id}",
    )


def submission_confirmations_requeue(
    *, older_than: datetime.timedelta = CONFIRMATIONS_RESEND_AFTER
) -> list[int]:
    """Send again the confirmations not done after older_than (within two days)."""
    now = timezone.now()
    due = SubmissionConfirmation.objects.filter(
        done_at__isnull=True,
        requested_at__lte=now - older_than,
        requested_at__gte=now - CONFIRMATIONS_GIVE_UP_AFTER,
    ).values_list("pk", flat=True)
    sent = []
    for pk in due:
        submission_confirmation_enqueue(confirmation_id=pk)
        sent.append(pk)
    return sent


def _address(user: User | None) -> str:
    """A user's e-mail address (the e-mail field, else a username that is one)."""
    if user is None:
        return ""
    for address in (getattr(user, "email", ""), user.get_username()):
        if address and "@" in address:
            return address.strip().lower()
    return ""


def _name(user: User | None) -> str:
    if user is None:
        return ""
    full_name = getattr(user, "get_full_name", lambda: "")()
    return full_name or user.get_username()


def submitted_on_behalf_by(user: User | None, organisation: Organisation) -> str:
    """Who submitted for the organisation from outside it ("" for its own member).

    The RSS (an RSS coordinator entering a municipality's paper form) or Socialstyrelsen
    (national staff); "" when a member of the organisation, or nobody (a script), did.
    """
    if user is None:
        return ""
    own = membership_of(user)
    if own is not None and own.organisation_id == organisation.pk:
        return ""
    if own is not None:
        return own.organisation.full_name or own.organisation.name
    if is_staff(user):
        return "Socialstyrelsen"
    return ""


def submission_recipients(
    *, organisation: Organisation, submitter: User | None
) -> list[Recipient]:
    """The submitter, then the organisation's contact persons (else its members).

    Each address once. The submitter gets it also when submitting for another
    organisation (an RSS coordinator entering a paper form).
    """
    result: list[Recipient] = []
    seen: set[str] = set()
    address = _address(submitter)
    if address:
        result.append(Recipient(email=address, name=_name(submitter), has_account=True))
        seen.add(address)
    for recipient in recipients_by_organisation([organisation]).get(
        organisation.pk, []
    ):
        if recipient.email.lower() not in seen:
            seen.add(recipient.email.lower())
            result.append(recipient)
    return result


@dataclass
class ConfirmationReport:
    """What one run of a confirmation did."""

    sent: int = 0
    skipped: int = 0
    failed: list[str] = field(default_factory=list)


def submission_confirmation_send(
    *, confirmation: SubmissionConfirmation
) -> ConfirmationReport:
    """E-mail the confirmation to each recipient not e-mailed yet; done when none failed.

    Safe to run again: a recipient already logged under this confirmation is skipped
    (and EmailLog's unique constraint refuses a second row when two runs overlap).
    """
    report = ConfirmationReport()
    if confirmation.done_at is not None:
        return report
    event = confirmation.event
    response = event.response
    organisation = response.organisation
    questionnaire = response.questionnaire
    key = str(confirmation.pk)
    logged = set(
        EmailLog.objects.filter(
            kind=EmailLog.Kind.CONFIRMATION,
            questionnaire=questionnaire,
            organisation=organisation,
            key=key,
        ).values_list("recipient", flat=True)
    )
    base_url = site_url()
    context = {
        "organisation": organisation,
        "questionnaire": questionnaire,
        "submitted_at": timezone.localtime(event.at),
        "submitter": _name(event.by) or "–",
        "on_behalf_of": submitted_on_behalf_by(event.by, organisation),
        "receipt_url": base_url + reverse("reports:receipt-pdf", args=[response.pk]),
        "summary_url": base_url
        + reverse("surveys:response-summary", args=[response.pk]),
    }
    recipients = submission_recipients(organisation=organisation, submitter=event.by)
    submitter_address = _address(event.by)
    with get_connection() as connection:
        for recipient in recipients:
            if recipient.email in logged:
                report.skipped += 1
                continue
            outcome = email_send_to_one_of_many(
                kind=EmailLog.Kind.CONFIRMATION,
                template="confirmation",
                context={
                    **context,
                    "recipient": recipient,
                    "is_submitter": recipient.email == submitter_address,
                },
                organisation=organisation,
                recipient=recipient.email,
                questionnaire=questionnaire,
                key=key,
                connection=connection,
            )
            if outcome == "failed":
                report.failed.append(recipient.email)
            elif outcome == "skipped":
                report.skipped += 1
            else:
                report.sent += 1
    if not report.failed:
        SubmissionConfirmation.objects.filter(
            pk=confirmation.pk, done_at__isnull=True
        ).update(done_at=timezone.now())
    return report
