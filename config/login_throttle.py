"""Login throttling with django-axes: the backend that refuses locked-out logins and the
page a locked-out person sees (settings: AXES_*)."""

from __future__ import annotations

from axes.backends import AxesStandaloneBackend
from axes.helpers import get_cool_off
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
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
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
