"""Writes of the surveys app, re-exported by concern."""

from surveys.services.invitations import (
    invitation_accept,
    invitation_accept_existing,
    invitation_account,
    invitation_create,
    invitation_from_token,
)
from surveys.services.questionnaires import questionnaires_load
from surveys.services.responses import (
    ResponseLockedError,
    StaleResponseError,
    answers_and_confirmations,
    answers_map,
    response_check,
    response_get_or_create,
    response_save_answers,
    response_save_answers_and_read,
    response_submit,
)

__all__ = [
    "ResponseLockedError",
    "StaleResponseError",
    "answers_and_confirmations",
    "answers_map",
    "invitation_accept",
    "invitation_accept_existing",
    "invitation_account",
    "invitation_create",
    "invitation_from_token",
    "questionnaires_load",
    "response_check",
    "response_get_or_create",
    "response_save_answers",
    "response_save_answers_and_read",
    "response_submit",
]
