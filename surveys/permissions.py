"""Who may see and change which organisation's responses."""

from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from regions.models import Organisation
from surveys.models import Membership, Questionnaire, Response


def membership_of(user: AbstractBaseUser | AnonymousUser) -> Membership | None:
    if not user.is_authenticated:
        return None
    try:
        return user.membership  # type: ignore[union-attr]
    except Membership.DoesNotExist:
        return None


def organisations_for_user(user: AbstractBaseUser | AnonymousUser) -> QuerySet:
    """The organisations whose responses the user may see and change.

    Staff: all. A respondent: their own organisation. An RSS coordinator: the RSS and the
    municipalities of its area (the paper path of the hjälpenkät).
    """
    if user.is_authenticated and user.is_staff:
        return Organisation.objects.all()
    membership = membership_of(user)
    if membership is None:
        return Organisation.objects.none()
    if membership.is_coordinator:
        return Organisation.objects.filter(
            Q(pk=membership.organisation_id) | Q(rss_id=membership.organisation_id)
        )
    return Organisation.objects.filter(pk=membership.organisation_id)


def can_access_organisation(
    user: AbstractBaseUser | AnonymousUser, organisation: Organisation
) -> bool:
    return organisations_for_user(user).filter(pk=organisation.pk).exists()


def get_response_for_user(user: AbstractBaseUser | AnonymousUser, pk: int) -> Response:
    """The response if the user may see it; 404 otherwise (no hint that it exists)."""
    response = (
        Response.objects.select_related(
            "questionnaire__cycle", "organisation__rss", "submitted_by", "updated_by"
        )
        .filter(pk=pk, organisation__in=organisations_for_user(user))
        .first()
    )
    if response is None:
        raise Http404("No such response")
    return response


def is_entering_on_behalf(
    user: AbstractBaseUser | AnonymousUser, organisation: Organisation
) -> bool:
    """An RSS coordinator entering a municipality's answers (from paper)."""
    membership = membership_of(user)
    return bool(
        membership
        and membership.is_coordinator
        and organisation.rss_id == membership.organisation_id
    )


def require_staff(user: AbstractBaseUser | AnonymousUser | None) -> None:
    """National staff only: PermissionDenied (403) for everyone else.

    The one staff check of the views and of the services that only staff may call
    (`by` None, e.g. a command without a user, is not staff).
    """
    if user is None or not getattr(user, "is_staff", False):
        raise PermissionDenied(_("Only national staff may do this."))


def get_questionnaire_for_staff(
    user: AbstractBaseUser | AnonymousUser, pk: int
) -> Questionnaire:
    """The questionnaire (with its cycle) for national staff; 403 for everyone else."""
    require_staff(user)
    return get_object_or_404(Questionnaire.objects.select_related("cycle"), pk=pk)


def get_questionnaire_for_audience(
    user: AbstractBaseUser | AnonymousUser, pk: int
) -> Questionnaire:
    """The questionnaire for its frame's members, their RSS coordinator, and staff.

    404 for everyone else (an extra question sent to others is not shown, not even
    blank). The frame is surveys.frames' rule.
    """
    from surveys.frames import frame_organisations

    questionnaire = get_object_or_404(
        Questionnaire.objects.select_related("cycle"), pk=pk
    )
    if user.is_authenticated and user.is_staff:
        return questionnaire
    mine = organisations_for_user(user)
    if not frame_organisations(questionnaire).filter(pk__in=mine.values("pk")).exists():
        raise Http404("No such questionnaire")
    return questionnaire
