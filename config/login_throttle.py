"""Login throttling with django-axes: the backend that refuses locked-out logins, the
handler that also limits the failures of one address over all usernames, and the page a
locked-out person sees (settings: AXES_*)."""

from __future__ import annotations

from axes.attempts import get_cool_off_threshold
from axes.backends import AxesStandaloneBackend
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_cool_off, get_failure_limit
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.db.models import Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import ngettext


class LoginThrottleBackend(AxesStandaloneBackend):
    """Refuses a login from a locked-out username and address; logs no one in itself.

    django-axes counts the attempts of web logins (the login page, the admin's), which
    always pass their request. authenticate() without a request (a shell, the test
    client's login()) is no attempt from the network: axes cannot place it and would
    raise, so it is left to the next backend.
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username, password, **kwargs)


class LoginThrottleHandler(AxesDatabaseHandler):
    """axes' database handler, with a second limit: AXES_IP_FAILURE_LIMIT failed logins
    from one address, whatever the usernames, lock that address out for the cool-off.

    axes counts per username and address (AXES_LOCKOUT_PARAMETERS), so one address could
    try a few passwords on every username (password spraying) without end. The address
    limit is higher than the per-username one: colleagues behind one office address
    mistype too. 0 turns it off.
    """

    def get_failures(self, request, credentials: dict | None = None) -> int:
        failures = super().get_failures(request, credentials)
        limit = settings.AXES_IP_FAILURE_LIMIT
        address = getattr(request, "axes_ip_address", None)
        if not limit or address is None:
            return failures
        from_address = (
            AccessAttempt.objects.filter(
                ip_address=address,
                attempt_time__gte=get_cool_off_threshold(request),
            ).aggregate(total=Sum("failures_since_start"))["total"]
            or 0
        )
        if from_address >= limit:
            # axes locks out when the failures reach AXES_FAILURE_LIMIT.
            return max(failures, get_failure_limit(request, credentials))
        return failures


def lockout_response(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict | None = None,
) -> HttpResponse:
    """The login page again, with why the login is refused and for how long."""
    minutes = max(1, round(get_cool_off(request).total_seconds() / 60))
    message = ngettext(
        "Too many failed login attempts. Wait %(minutes)s minute before you try again.",
        "Too many failed login attempts. Wait %(minutes)s minutes before you try again.",
        minutes,
    ) % {"minutes": minutes}
    username = (credentials or {}).get("username") or request.POST.get("username", "")
    form = AuthenticationForm(request, initial={"username": username})
    return render(
        request,
        "registration/login.html",
        {
            "form": form,
            "lockout_message": message,
            "next": request.POST.get("next", request.GET.get("next", "")),
        },
        # django-axes' own setting (its defaults), unknown to the settings stub.
        status=settings.AXES_HTTP_RESPONSE_CODE,  # type: ignore[misc]
    )
