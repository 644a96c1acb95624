"""Logging out after a time without activity (SESSION_IDLE_TIMEOUT_MINUTES)."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.utils.translation import gettext as _

# When the session last saw a request, in seconds since the epoch.
LAST_ACTIVITY = "last_activity"
# The time is written at most this often: not a session write on every request.
WRITE_EVERY_SECONDS = 60


def start_at_login(sender, request, user, **kwargs) -> None:
    """The idle time counts from the login; written with the login's own session save,
    so that the pages after it need no session write of their own."""
    if request is not None and hasattr(request, "session"):
        request.session[LAST_ACTIVITY] = time.time()


class IdleTimeoutMiddleware:
    """A logged-in person whose last request is older than the idle timeout is logged
    out and sent to the login page, with a message that says why and that what was saved
    before is kept. A form sent after the timeout is not saved: the message says so.
    Every page counts as activity; 0 minutes turns the timeout off."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        timeout = settings.SESSION_IDLE_TIMEOUT_MINUTES * 60
        # For the pages that tell it (the section form).
        request.idle_timeout_minutes = settings.SESSION_IDLE_TIMEOUT_MINUTES
        if timeout and request.user.is_authenticated:
            now = time.time()
            last = request.session.get(LAST_ACTIVITY)
            if last is not None and now - last > timeout:
                return self._logged_out(request)
            if last is None or now - last >= WRITE_EVERY_SECONDS:
                request.session[LAST_ACTIVITY] = now
        return self.get_response(request)

    def _logged_out(self, request):
        sent_form = request.method == "POST"
        back_to = request.get_full_path()
        logout(request)
        minutes = settings.SESSION_IDLE_TIMEOUT_MINUTES
        message = _(
            "You were logged out after %(minutes)s minutes without activity. "
            "Everything saved before that is kept; log in to go on."
        ) % {"minutes": minutes}
        if sent_form:
            message += " " + _(
                "What you sent just now was not saved: enter it again after logging in."
            )
        messages.warning(request, message)
        return redirect_to_login(back_to)
