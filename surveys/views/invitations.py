"""Accepting an invitation: a new person chooses a password, an existing one logs in."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from surveys import services
from surveys.authentication import MEMBERSHIP_BACKEND
from surveys.forms.invitations import InvitationAcceptForm


def invitation_accept(request: HttpRequest, token: str) -> HttpResponse:
    """A new person of an organisation chooses a password from an invitation link.

    An invitation to an address that has an account never sets a password: its holder
    logs in with their own and then accepts (_invitation_accept_existing).
    """
    try:
        invitation = services.invitation_from_token(token)
    except ValidationError as exc:
        return render(
            request,
            "surveys/invitation_invalid.html",
            {"reason": exc.messages[0]},
            status=410,
        )
    account = services.invitation_account(invitation)
    if account is not None:
        return _invitation_accept_existing(request, token, invitation, account)
    form = InvitationAcceptForm(request.POST or None, email=invitation.email)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.invitation_accept(
                token=token,
                first_name=form.cleaned_data["first_name"],
                last_name=form.cleaned_data["last_name"],
                password=form.cleaned_data["password1"],
            )
        except ValidationError as exc:
            return render(
                request,
                "surveys/invitation_invalid.html",
                {"reason": exc.messages[0]},
                status=410,
            )
        login(request, user, backend=MEMBERSHIP_BACKEND)
        messages.success(request, _("Welcome! Your account is ready."))
        return redirect("surveys:home")
    return render(
        request,
        "surveys/invitation_accept.html",
        {"form": form, "invitation": invitation},
    )


def _invitation_accept_existing(
    request: HttpRequest, token: str, invitation, account
) -> HttpResponse:
    """Log in first with your own password, then accept with a button (a POST)."""
    context = {"invitation": invitation, "account": account}
    membership = getattr(account, "membership", None)
    if (
        membership is not None
        and membership.organisation_id != invitation.organisation_id
    ):
        return render(
            request,
            "surveys/invitation_invalid.html",
            {
                "reason": _(
                    "This e-mail address already belongs to another organisation."
                )
            },
            status=410,
        )
    if not request.user.is_authenticated:
        context["login_url"] = (
            f"{reverse('login')}?{urlencode({'next': request.get_full_path()})}"
        )
        return render(request, "surveys/invitation_existing.html", context)
    if request.user.pk != account.pk:
        context["wrong_account"] = True
        return render(request, "surveys/invitation_existing.html", context, status=403)
    if request.method == "POST":
        try:
            services.invitation_accept_existing(token=token, user=request.user)
        except ValidationError as exc:
            return render(
                request,
                "surveys/invitation_invalid.html",
                {"reason": exc.messages[0]},
                status=410,
            )
        messages.success(
            request,
            _("You now answer for %(org)s.")
            % {"org": invitation.organisation.full_name},
        )
        return redirect("surveys:home")
    return render(request, "surveys/invitation_existing.html", context)
