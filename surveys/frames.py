"""Who a questionnaire is for (its frame): one home for the rule.

A questionnaire goes to every organisation of its audience's kind, except one sent to a
chosen set (an extra question made on the staff pages), which is for the organisations
chosen when it was created (Questionnaire.for_chosen_set, chosen_organisations) and for
no one else. Invitations (Participation rows) never change the frame: they say who was
e-mailed, and inviting someone outside the frame is refused.

Every entry point that lists, counts, invites, reminds, shows, prints or accepts answers
for organisations asks here: the start page, the response rates, the invitations page,
the reminders, the imports and the blank PDF. A questionnaire is moreover neither listed
as answerable nor open for respondents before its opening date (questionnaire_has_opened).
"""

from __future__ import annotations

import datetime

from django.db.models import Exists, OuterRef, Q, QuerySet

from regions.models import Organisation
from surveys import deadlines
from surveys.models import Questionnaire


def is_sent_to_chosen_set(questionnaire: Questionnaire) -> bool:
    """Sent to a chosen set: only the chosen organisations see, answer and count."""
    return questionnaire.for_chosen_set


def frame_organisations(questionnaire: Questionnaire) -> QuerySet[Organisation]:
    """The organisations this questionnaire is for."""
    organisations = Organisation.objects.filter(kind=questionnaire.organisation_kind)
    if is_sent_to_chosen_set(questionnaire):
        organisations = organisations.filter(chosen_for=questionnaire)
    return organisations


def frame_size(questionnaire: Questionnaire) -> int:
    """How many organisations the questionnaire is for."""
    return frame_organisations(questionnaire).count()


def frame_ids(questionnaire: Questionnaire) -> set[int]:
    """The primary keys of the frame's organisations (one query)."""
    return set(frame_organisations(questionnaire).values_list("pk", flat=True))


def questionnaire_is_for(
    questionnaire: Questionnaire, organisation: Organisation
) -> bool:
    """Whether this organisation is in the questionnaire's frame."""
    if organisation.kind != questionnaire.organisation_kind:
        return False
    if not is_sent_to_chosen_set(questionnaire):
        return True
    return questionnaire.chosen_organisations.filter(pk=organisation.pk).exists()


def questionnaires_for(
    questionnaires: QuerySet[Questionnaire], organisation: Organisation
) -> QuerySet[Questionnaire]:
    """Of these questionnaires, those whose frame holds the organisation (one query)."""
    chosen = Questionnaire.chosen_organisations.through.objects.filter(
        questionnaire_id=OuterRef("pk"), organisation_id=organisation.pk
    )
    return questionnaires.filter(Q(for_chosen_set=False) | Exists(chosen))


def questionnaire_has_opened(
    questionnaire: Questionnaire, today: datetime.date | None = None
) -> bool:
    """Whether the opening date (a Swedish calendar day) has come."""
    return (today or deadlines.stockholm_today()) >= questionnaire.opens_on


def newest_opened(questionnaires: QuerySet[Questionnaire]) -> Questionnaire | None:
    """The newest cycle's questionnaire that has opened, else the newest one.

    A cycle copied for next year does not take the place of the one in the field.
    """
    candidates = list(questionnaires.select_related("cycle").order_by("-cycle__year"))
    today = deadlines.stockholm_today()
    return next(
        (q for q in candidates if questionnaire_has_opened(q, today)),
        candidates[0] if candidates else None,
    )
