"""Transitions after submitting: reopening a response, locking a questionnaire."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from surveys.models import Questionnaire, QuestionnaireEvent, Response, ResponseEvent
from surveys.permissions import require_staff
from surveys.signals import announce_responses_changed


@transaction.atomic
def response_reopen(*, response: Response, by: User, reason: str) -> Response:
    """Put a submitted response back to draft so its organisation can change it.

    Staff only; the reason is required. The event keeps when it had been submitted, and
    the aggregation is told that the submitted answers changed.
    """
    require_staff(by)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Give a reason")})
    locked = (
        Response.objects.select_for_update(of=("self",))
        .select_related("questionnaire", "organisation")
        .get(pk=response.pk)
    )
    if locked.questionnaire.locked_at is not None:
        raise ValidationError(
            _(
                "%(title)s is locked for the final aggregation: unlock it before "
                "reopening the response of %(organisation)s."
            )
            % {"title": locked.questionnaire.title, "organisation": locked.organisation}
        )
    if not locked.is_submitted:
        raise ValidationError(
            _("The response of %(organisation)s to %(title)s is not submitted.")
            % {"organisation": locked.organisation, "title": locked.questionnaire.title}
        )
    response_return_to_draft(response=locked, by=by, reason=reason)
    locked.refresh_from_db()
    announce_responses_changed(
        questionnaire_id=locked.questionnaire_id, reason="reopen"
    )
    return locked


def response_return_to_draft(
    *, response: Response, by: User | None, reason: str
) -> None:
    """The status write of a reopening: back to draft, with an event saying why.

    No checks: callers hold the row lock and decide (response_reopen, the import).
    """
    ResponseEvent.objects.create(
        response=response,
        kind=ResponseEvent.Kind.REOPENED,
        reason=reason,
        by=by,
        submitted_at=response.submitted_at,
    )
    # A new version: a page opened before the reopening cannot save over it.
    Response.objects.filter(pk=response.pk).update(
        status=Response.Status.DRAFT,
        submitted_at=None,
        submitted_by=None,
        version=F("version") + 1,
    )


@transaction.atomic
def questionnaire_lock(*, questionnaire: Questionnaire, by: User) -> Questionnaire:
    """Lock a questionnaire for the final aggregation: nobody changes answers any more."""
    require_staff(by)
    locked = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    if locked.locked_at is not None:
        raise ValidationError(
            _("%(title)s is already locked.") % {"title": locked.title}
        )
    locked.locked_at = timezone.now()
    locked.save(update_fields=["locked_at"])
    QuestionnaireEvent.objects.create(
        questionnaire=locked, kind=QuestionnaireEvent.Kind.LOCKED, by=by
    )
    return locked


@transaction.atomic
def questionnaire_unlock(
    *, questionnaire: Questionnaire, by: User, reason: str = ""
) -> Questionnaire:
    """Unlock a locked questionnaire (answers may change again); recorded with a reason."""
    require_staff(by)
    unlocked = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    if unlocked.locked_at is None:
        raise ValidationError(_("%(title)s is not locked.") % {"title": unlocked.title})
    unlocked.locked_at = None
    unlocked.save(update_fields=["locked_at"])
    QuestionnaireEvent.objects.create(
        questionnaire=unlocked,
        kind=QuestionnaireEvent.Kind.UNLOCKED,
        detail=(reason or "").strip(),
        by=by,
    )
    return unlocked
