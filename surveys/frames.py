"""Who a questionnaire is for (its frame): one home for the rule.

A questionnaire goes to every organisation of its audience's kind, except one sent to a
chosen set (an extra question with invitations), which is for the chosen organisations
only. Every entry point that lists, counts, invites, shows, prints or accepts answers for
organisations asks here: the start page, the response rates, the invitations page, the
imports and the blank PDF.
"""

from __future__ import annotations

from django.db.models import QuerySet

from regions.models import Organisation
from surveys.models import Participation, Questionnaire


def is_sent_to_chosen_set(questionnaire: Questionnaire) -> bool:
    """Sent to a chosen set: only the chosen organisations see, answer and count."""
    return (
        questionnaire.invited_only
        and Participation.objects.filter(questionnaire=questionnaire).exists()
    )


def frame_organisations(questionnaire: Questionnaire) -> QuerySet[Organisation]:
    """The organisations this questionnaire is for."""
    organisations = Organisation.objects.filter(kind=questionnaire.organisation_kind)
    if is_sent_to_chosen_set(questionnaire):
        organisations = organisations.filter(
            participations__questionnaire=questionnaire
        )
    return organisations


def frame_size(questionnaire: Questionnaire) -> int:
    """How many organisations the questionnaire is for."""
    return frame_organisations(questionnaire).count()


def questionnaire_is_for(
    questionnaire: Questionnaire, organisation: Organisation
) -> bool:
    """Whether this organisation is in the questionnaire's frame."""
    if organisation.kind != questionnaire.organisation_kind:
        return False
    if not is_sent_to_chosen_set(questionnaire):
        return True
    return Participation.objects.filter(
        questionnaire=questionnaire, organisation=organisation
    ).exists()
