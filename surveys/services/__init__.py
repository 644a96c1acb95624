"""Writes of the surveys app, re-exported by concern."""

from surveys.services.questionnaires import questionnaires_load
from surveys.services.responses import (
    ResponseLockedError,
    StaleResponseError,
    answers_map,
    response_check,
    response_get_or_create,
    response_save_answers,
    response_submit,
)

__all__ = [
    "ResponseLockedError",
    "StaleResponseError",
    "answers_map",
    "questionnaires_load",
    "response_check",
    "response_get_or_create",
    "response_save_answers",
    "response_submit",
]
