"""Running a cycle: who is invited, contact persons, e-mails sent, deadlines, transitions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from regions.models import Organisation
from surveys.models.questionnaire import Questionnaire
from surveys.models.response import Response


class ContactPerson(models.Model):
    """A named contact of an organisation (personal data: staff and the organisation only)."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="contacts"
    )
    name = models.CharField(_("name"), max_length=200)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["organisation", "name"]
        verbose_name = _("contact person")
        verbose_name_plural = _("contact persons")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "email"], name="contact_unique_email"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>"


class Participation(models.Model):
    """An organisation invited to a questionnaire (the frame of its response rate)."""

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="participations"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="participations"
    )
    invited_at = models.DateTimeField(_("invited"), auto_now_add=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # Staff may give one organisation more time than the questionnaire's closing date.
    closes_on = models.DateField(_("extended deadline"), null=True, blank=True)

    class Meta:
        ordering = ["questionnaire", "organisation__code"]
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "organisation"],
                name="participation_unique",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organisation} → {self.questionnaire}"


class EmailLog(models.Model):
    """Every e-mail sent; the unique key keeps a job run twice from sending twice."""

    class Kind(models.TextChoices):
        INVITATION = "invitation", _("Invitation")
        REMINDER = "reminder", _("Reminder")
        ACCOUNT = "account", _("Account invitation")
        CONFIRMATION = "confirmation", _("Confirmation of a submission")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    questionnaire = models.ForeignKey(
        Questionnaire,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="emails",
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="emails"
    )
    recipient = models.EmailField(_("recipient"))
    # For reminders: the scheduled date it belongs to; for confirmations: the
    # submission's SubmissionConfirmation id ("" for other kinds).
    key = models.CharField(max_length=50, blank=True)
    subject = models.CharField(_("subject"), max_length=300)
    sent_at = models.DateTimeField(_("sent"), auto_now_add=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-sent_at", "-id"]
        verbose_name = _("e-mail sent")
        verbose_name_plural = _("e-mails sent")
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "questionnaire", "organisation", "recipient", "key"],
                condition=models.Q(kind="reminder"),
                name="email_reminder_once",
            ),
            # A confirmation goes once to each recipient of a submission, also when its
            # task runs twice (a retry, a requeue, two workers).
            models.UniqueConstraint(
                fields=["kind", "questionnaire", "organisation", "recipient", "key"],
                condition=models.Q(kind="confirmation"),
                name="email_confirmation_once",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.recipient}"


class ResponseEvent(models.Model):
    """A transition of a response (submitted, reopened, imported, deadline extended)."""

    class Kind(models.TextChoices):
        SUBMITTED = "submitted", _("Submitted")
        REOPENED = "reopened", _("Reopened")
        IMPORTED = "imported", _("Imported")
        EXTENDED = "extended", _("Deadline extended")

    response = models.ForeignKey(
        Response, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    reason = models.TextField(_("reason"), blank=True)
    # Reopened: when the response had been submitted (the response itself forgets it).
    submitted_at = models.DateTimeField(_("was submitted"), null=True, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["response", "-at", "-id"]
        verbose_name = _("response event")
        verbose_name_plural = _("response events")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d}"


class SubmissionConfirmation(models.Model):
    """The e-mail confirming one submission, as a job row.

    response_submit creates it with the submission's event; the task
    surveys.tasks.submission_confirmation_send e-mails the submitter and the
    organisation's contact persons and marks it done. One whose message never reached a
    worker is sent again by surveys.tasks.submission_confirmations_requeue; recipients
    already e-mailed are skipped, so nobody gets a confirmation twice. A reopened and
    resubmitted response is a new submission with its own confirmation.
    """

    event = models.OneToOneField(
        ResponseEvent, on_delete=models.CASCADE, related_name="confirmation"
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "id"]
        verbose_name = _("confirmation of a submission")
        verbose_name_plural = _("confirmations of submissions")
        indexes = [models.Index(fields=["done_at", "requested_at"])]

    def __str__(self) -> str:
        return f"{self.event.response} ({self.requested_at:%Y-%m-%d %H:%M})"


class QuestionnaireEvent(models.Model):
    """A transition of a questionnaire: created, copied, edited, locked, unlocked."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Created")
        COPIED = "copied", _("Copied from the previous cycle")
        EDITED = "edited", _("Edited")
        LOCKED = "locked", _("Locked")
        UNLOCKED = "unlocked", _("Unlocked")

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="events"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    detail = models.TextField(_("detail"), blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    at = models.DateTimeField(_("when"), auto_now_add=True)

    class Meta:
        ordering = ["questionnaire", "-at", "-id"]
        verbose_name = _("questionnaire event")
        verbose_name_plural = _("questionnaire events")

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.at:%Y-%m-%d}"


class InvitationBatch(models.Model):
    """Invitation e-mails asked for at once (participations_invite), as a job row.

    The task surveys.tasks.invitations_send sends them and marks the batch done. A batch
    whose message never reached a worker (the broker was down or hung) or whose worker
    died stays not done, and surveys.tasks.invitations_requeue (beat, each worker on
    start) sends it again; recipients already e-mailed by the batch are skipped.
    """

    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.CASCADE, related_name="invitation_batches"
    )
    organisation_ids = models.JSONField(default=list)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    base_url = models.CharField(max_length=300, blank=True)
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)

    class Meta:
        ordering = ["requested_at", "id"]
        verbose_name = _("invitation batch")
        verbose_name_plural = _("invitation batches")
        indexes = [models.Index(fields=["done_at", "requested_at"])]

    def __str__(self) -> str:
        return f"{self.questionnaire} – {len(self.organisation_ids)} ({self.pk})"


class FormSubmission(models.Model):
    """A one-time token of a form that creates something: a resubmit does not duplicate.

    The form carries a random token; the first submit stores it with what it created,
    a second submit of the same token (double click, back and send again, a retry
    after an error page) finds it and shows what was created.
    """

    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    questionnaire = models.ForeignKey(
        Questionnaire,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
    )

    def __str__(self) -> str:
        return self.token


class CompilationFetch(models.Model):
    """The counts an RSS last fetched from its area's municipal answers ("Hämta").

    Kept to tell when they went stale: another municipality submitted or was reopened
    since, so that counting again gives other numbers. Keys are "question|label".
    """

    response = models.OneToOneField(
        Response, on_delete=models.CASCADE, related_name="compilation_fetch"
    )
    counts = models.JSONField(default=dict)
    fetched_at = models.DateTimeField(_("fetched"), default=timezone.now)
    fetched_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("fetched compilation")
        verbose_name_plural = _("fetched compilations")

    def __str__(self) -> str:
        return f"{self.response} ({self.fetched_at:%Y-%m-%d %H:%M})"


class Confirmation(models.Model):
    """A one-time key for an action on many organisations, bound to what was shown.

    The confirmation page shows what the action will do and carries the key; the action
    runs only with an unused key of the same user whose digest matches the action as it
    would run now (a stale page, the back button or a double click cannot act twice or
    on more). See surveys.services.confirmations.
    """

    key = models.CharField(max_length=64, unique=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    action = models.CharField(_("action"), max_length=50)
    # SHA-256 of the action's parameters as shown (organisations, options).
    digest = models.CharField(max_length=64)
    created_at = models.DateTimeField(auto_now_add=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("confirmation")
        verbose_name_plural = _("confirmations")

    def __str__(self) -> str:
        return f"{self.action} {self.created_at:%Y-%m-%d %H:%M}"
