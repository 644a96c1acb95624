"""Invitations: signed, expiring, single-use links with which a new person sets a password."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import User
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from regions.models import Organisation
from surveys.models import EmailLog, Invitation, Membership
from surveys.services.emails import email_send
from surveys.services.links import site_url

SALT = "surveys.invitation"


def invitation_token(invitation: Invitation) -> str:
    """The signed token of the link; it carries only the invitation's random nonce."""
    return signing.TimestampSigner(salt=SALT).sign(invitation.nonce)


@transaction.atomic
def invitation_create(
    *,
    organisation: Organisation,
    email: str,
    role: str = Membership.Role.RESPONDENT,
    by: User | None = None,
    base_url: str = "",
    send_email: bool = True,
) -> tuple[Invitation, str]:
    """Create an invitation, e-mail its link (unless send_email is false) and return both.

    The invitation e-mail of a questionnaire carries the link itself (send_email=False).
    """
    if (
        role == Membership.Role.COORDINATOR
        and organisation.kind != Organisation.Kind.RSS
    ):
        raise ValidationError(_("Only an RSS has coordinators."))
    invitation = Invitation.objects.create(
        organisation=organisation,
        email=email.strip().lower(),
        role=role,
        nonce=secrets.token_urlsafe(32),
        created_by=by,
    )
    url = (base_url or site_url()) + reverse(
        "surveys:invitation-accept", args=[invitation_token(invitation)]
    )
    if send_email:
        transaction.on_commit(lambda: _email_account_link(invitation, url, by))
    return invitation, url


def _email_account_link(invitation: Invitation, url: str, by: User | None) -> None:
    email_send(
        kind=EmailLog.Kind.ACCOUNT,
        template="account_invitation",
        context={
            "organisation": invitation.organisation,
            "url": url,
            "days": settings.INVITATION_MAX_AGE_DAYS,
        },
        organisation=invitation.organisation,
        recipient=invitation.email,
        by=by,
    )


def invitation_from_token(token: str) -> Invitation:
    """The open invitation of a link; ValidationError says why a link is no good."""
    max_age = settings.INVITATION_MAX_AGE_DAYS * 24 * 3600
    try:
        nonce = signing.TimestampSigner(salt=SALT).unsign(token, max_age=max_age)
    except signing.SignatureExpired as exc:
        raise ValidationError(
            _("The invitation link has expired. Ask for a new invitation.")
        ) from exc
    except signing.BadSignature as exc:
        raise ValidationError(_("The invitation link is not valid.")) from exc
    invitation = (
        Invitation.objects.select_related("organisation").filter(nonce=nonce).first()
    )
    if invitation is None:
        raise ValidationError(_("The invitation link is not valid."))
    if invitation.accepted_at is not None:
        raise ValidationError(
            _("The invitation link has already been used. Log in with your password.")
        )
    return invitation


def invitation_account(invitation: Invitation) -> User | None:
    """The existing account the invitation is addressed to, if any."""
    return (
        get_user_model()
        .objects.filter(username__iexact=invitation.email)
        .select_related("membership")
        .first()
    )


def _open_invitation(token: str) -> Invitation:
    invitation = invitation_from_token(token)
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at is not None:
        raise ValidationError(_("The invitation link has already been used."))
    return invitation


def _check_other_organisation(user: User, invitation: Invitation) -> None:
    membership = getattr(user, "membership", None)
    if (
        membership is not None
        and membership.organisation_id != invitation.organisation_id
    ):
        raise ValidationError(
            _("This e-mail address already belongs to another organisation.")
        )


@transaction.atomic
def invitation_accept(
    *, token: str, first_name: str, last_name: str, password: str
) -> User:
    """Create the invited person's account with the chosen password; use up the link.

    Only for an address without an account: an existing account's password and
    memberships are never changed from a link (see invitation_accept_existing).
    """
    invitation = _open_invitation(token)
    existing = invitation_account(invitation)
    if existing is not None:
        _check_other_organisation(existing, invitation)
        raise ValidationError(
            _(
                "There is already an account for %(email)s. Log in with your own "
                "password and then accept the invitation."
            )
            % {"email": invitation.email}
        )
    user = get_user_model()(username=invitation.email, email=invitation.email)
    user.first_name, user.last_name = first_name, last_name
    user.set_password(password)
    user.save()
    Membership.objects.create(
        user=user, organisation=invitation.organisation, role=invitation.role
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return user


@transaction.atomic
def invitation_accept_existing(*, token: str, user: User) -> Membership:
    """The logged-in holder of the invited account accepts: membership, link used up.

    Refused for any other account than the one the invitation is addressed to, and for
    an account that already belongs to another organisation. The password is untouched.
    """
    invitation = _open_invitation(token)
    account = invitation_account(invitation)
    if account is None or account.pk != user.pk:
        raise ValidationError(
            _(
                "This invitation is for %(email)s. Log in with that account to accept it."
            )
            % {"email": invitation.email}
        )
    _check_other_organisation(account, invitation)
    membership, _created = Membership.objects.update_or_create(
        user=account,
        defaults={"organisation": invitation.organisation, "role": invitation.role},
    )
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = account
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership
