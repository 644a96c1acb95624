"""Deadlines and invitations on the respondents' pages, without changing their views."""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.contrib.auth.models import AnonymousUser, User

from surveys.deadlines import response_is_open
from surveys.models import Response
from surveys.selectors.fieldwork import deadline_infos

register = template.Library()


@register.simple_tag
def fieldwork_annotate(rows: list) -> str:
    """Give each status row its deadline, whether it has passed, and its invitation.

    Sets row.fieldwork (a DeadlineInfo) on the start page's rows; two queries per table.
    """
    infos = deadline_infos(
        (
            row.questionnaire,
            row.organisation,
            row.response is not None and row.response.is_submitted,
        )
        for row in rows
    )
    for row in rows:
        row.fieldwork = infos.get((row.questionnaire.pk, row.organisation.pk))
    return ""


@dataclass
class OpenState:
    is_open: bool
    reason: str


@register.simple_tag
def response_open_state(response: Response, user: User | AnonymousUser) -> OpenState:
    """Whether the user may still change the response (deadline, lock), and why not."""
    is_open, reason = response_is_open(
        response=response, by=user if user.is_authenticated else None
    )
    return OpenState(is_open, reason)
