"""Deadlines and invitations on the respondents' pages, without changing their views."""

from __future__ import annotations

from dataclasses import dataclass

from django import template
from django.contrib.auth.models import AnonymousUser, User

from surveys.deadlines import deadline_in_text, response_deadline, response_is_open
from surveys.models import Response
from surveys.selectors.fieldwork import DeadlineInfo, deadline_infos

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


@register.simple_tag
def response_deadline_info(response: Response) -> DeadlineInfo:
    """The response's deadline as the start page shows it (extended or not)."""
    key = (response.questionnaire_id, response.organisation_id)
    return deadline_infos(
        [(response.questionnaire, response.organisation, response.is_submitted)]
    )[key]


@register.filter
def with_deadline(text: str, response: Response) -> str:
    """A questionnaire's introduction with the organisation's (extended) deadline in it."""
    questionnaire = response.questionnaire
    return deadline_in_text(
        text,
        closes_on=questionnaire.closes_on,
        deadline=response_deadline(
            questionnaire=questionnaire, organisation_id=response.organisation_id
        ),
    )
