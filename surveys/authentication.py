"""Who is logged in: the user read with their membership and its organisation.

Every page shows the user's organisation in its header, and every response page checks
access against it, so the membership is read with the user, in one query per request
instead of two. The authentication itself (password, inactive users) is ModelBackend's.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth import BACKEND_SESSION_KEY, get_user_model
from django.contrib.auth.backends import ModelBackend
from django.http import HttpRequest, HttpResponse

# The backend's path, as AUTHENTICATION_BACKENDS and the session name it.
MEMBERSHIP_BACKEND = "surveys.authentication.MembershipBackend"
# What sessions from before this backend name; they are carried over, not logged out.
FORMER_BACKEND = "django.contrib.auth.backends.ModelBackend"


class MembershipBackend(ModelBackend):
    """ModelBackend whose user comes with `user.membership` and its organisation, or
    with no membership (read as None by surveys.permissions.membership_of)."""

    def get_user(self, user_id: Any) -> Any:
        users = get_user_model()._default_manager.select_related(
            "membership__organisation"
        )
        try:
            user = users.get(pk=user_id)
        except get_user_model().DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None


class FormerBackendSessionMiddleware:
    """Sessions logged in before MembershipBackend name ModelBackend, which is no longer
    in AUTHENTICATION_BACKENDS: Django would treat them as logged out, and a respondent
    in the middle of a section would lose what is not saved. They are moved to the new
    backend (same passwords, same users) on their next request. Between SessionMiddleware
    and AuthenticationMiddleware. Once every session from before is gone (the idle
    timeout ends them after SESSION_IDLE_TIMEOUT_MINUTES), it does nothing."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = request.session
        if session.get(BACKEND_SESSION_KEY) == FORMER_BACKEND:
            session[BACKEND_SESSION_KEY] = MEMBERSHIP_BACKEND
        return self.get_response(request)
