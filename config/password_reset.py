"""Password reset ("Glömt lösenord?"): Django's four views with the site's templates, a
link built from SITE_URL, and limits per address and per client counted in the database.

The answer to a request is the same whether or not the address has an account: nothing
on the page, in the status or in the redirect tells who has one. A failed send is logged
(by Django's PasswordResetForm.send_mail) and never shown.
"""

from __future__ import annotations

import datetime
import math
from typing import Any
from urllib.parse import urlsplit

from axes.helpers import get_client_ip_address
from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import PasswordResetForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _

from config.models import PasswordResetRequest
from surveys.services.links import site_url

# The limits count the requests of the last hour.
WINDOW = datetime.timedelta(hours=1)
# Rows are kept a day, then pruned every night.
KEEP = datetime.timedelta(days=1)
_DIGEST_SALT = "config.password_reset.email"


def email_digest(email: str) -> str:
    """A keyed digest of the address (SECRET_KEY), the same for any letter case."""
    return salted_hmac(
        _DIGEST_SALT, email.strip().casefold(), algorithm="sha256"
    ).hexdigest()


def client_ip(request: HttpRequest) -> str | None:
    """The client's address as the login throttle sees it (AXES_IPWARE_* settings)."""
    return get_client_ip_address(request)


def password_reset_ip_wait(
    *, ip_address: str | None, now: datetime.datetime | None = None
) -> datetime.timedelta | None:
    """How long the address must wait before it may ask again; None if it may now."""
    if ip_address is None:
        return None
    now = now or timezone.now()
    recent = PasswordResetRequest.objects.filter(
        ip_address=ip_address, created_at__gte=now - WINDOW
    ).order_by("created_at")
    over = recent.count() - settings.PASSWORD_RESET_IP_LIMIT
    if over < 0:
        return None
    # Below the limit again once this many of the counted requests are an hour old.
    freed_at = recent.values_list("created_at", flat=True)[over] + WINDOW
    return max(freed_at - now, datetime.timedelta(0))


def password_reset_request_record(*, email: str, ip_address: str | None) -> bool:
    """Record a request; True if a link may be sent, False past the address's limit."""
    digest = email_digest(email)
    now = timezone.now()
    earlier = PasswordResetRequest.objects.filter(
        email_digest=digest, created_at__gte=now - WINDOW
    ).count()
    PasswordResetRequest.objects.create(
        email_digest=digest, ip_address=ip_address, created_at=now
    )
    return earlier < settings.PASSWORD_RESET_EMAIL_LIMIT


def password_reset_requests_prune(*, now: datetime.datetime | None = None) -> int:
    """Delete the requests older than a day (the limits count only the last hour)."""
    now = now or timezone.now()
    deleted, _by_model = PasswordResetRequest.objects.filter(
        created_at__lt=now - KEEP
    ).delete()
    return deleted


def _hours() -> int:
    """How many hours a link is valid (PASSWORD_RESET_TIMEOUT, in seconds)."""
    return max(1, settings.PASSWORD_RESET_TIMEOUT // 3600)


class PasswordResetRequestForm(PasswordResetForm):
    """The address to send the link to; the link starts with SITE_URL."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["email"].label = _("E-mail address")

    def send_mail(
        self,
        subject_template_name: str,
        email_template_name: str,
        context: dict[str, Any],
        from_email: str | None,
        to_email: str,
        html_email_template_name: str | None = None,
    ) -> None:
        # Never from the request's Host header (surveys.services.links.site_url).
        context["url"] = site_url() + reverse(
            "password_reset_confirm",
            kwargs={"uidb64": context["uid"], "token": context["token"]},
        )
        context["hours"] = _hours()
        super().send_mail(
            subject_template_name,
            email_template_name,
            context,
            from_email,
            to_email,
            html_email_template_name=html_email_template_name,
        )


class _HoursMixin:
    """`hours`: how long a link is valid, for the pages that say so."""

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context: dict[str, Any] = super().get_context_data(**kwargs)  # type: ignore[misc]
        context["hours"] = _hours()
        return context


class PasswordResetView(_HoursMixin, auth_views.PasswordResetView):
    """The form for the address; past PASSWORD_RESET_IP_LIMIT from one client, 429."""

    form_class = PasswordResetRequestForm
    template_name = "registration/password_reset_form.html"
    subject_template_name = "emails/password_reset_subject.txt"
    email_template_name = "emails/password_reset_body.txt"
    html_email_template_name = "emails/password_reset_body.html"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        wait = password_reset_ip_wait(ip_address=client_ip(request))
        if wait is not None:
            minutes = max(1, math.ceil(wait.total_seconds() / 60))
            response = render(
                request,
                "registration/password_reset_limited.html",
                {"minutes": minutes},
                status=429,
            )
            response["Retry-After"] = str(minutes * 60)
            return response
        return super().post(request, *args, **kwargs)

    def form_valid(self, form: PasswordResetForm) -> HttpResponse:
        if password_reset_request_record(
            email=form.cleaned_data["email"], ip_address=client_ip(self.request)
        ):
            base = urlsplit(site_url())
            form.save(
                domain_override=base.netloc,
                use_https=base.scheme == "https",
                from_email=self.from_email,
                request=self.request,
                subject_template_name=self.subject_template_name,
                email_template_name=self.email_template_name,
                html_email_template_name=self.html_email_template_name,
            )
        # The same answer whether a link was sent, held back by the limit, or the
        # address has no account.
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetDoneView(_HoursMixin, auth_views.PasswordResetDoneView):
    """The same page for every address: an e-mail is on its way if the address is ours."""

    template_name = "registration/password_reset_done.html"


class PasswordResetConfirmView(_HoursMixin, auth_views.PasswordResetConfirmView):
    """The new password, from the e-mailed link; a used or expired link is refused."""

    template_name = "registration/password_reset_confirm.html"

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        # A person locked out after wrong guesses may log in with the new password.
        axes_reset(username=form.user.get_username())
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    """The password is changed: on to the login page."""

    template_name = "registration/password_reset_complete.html"
