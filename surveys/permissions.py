"""Who may see what: the one place that answers it for the views of every app.

- Anonymous users: every page but the login and an invitation link sends them to the login.
- A staff-only page (`staff_required`, `require_staff`) answers a logged-in user who is not
  national staff with 403: the page is no secret, and PermissionDenied renders the Swedish
  403 page.
- An object that belongs to another organisation (a response, a region's profile, an
  organisation's contact persons, an RSS area) answers 404, as if it did not exist: its
  existence is not revealed. The `get_*_for_user` functions below raise Http404 for it.

tests/security/test_permission_sweep.py requests every URL as every role and
test_staff_only_sweep.py walks every `staff_required` view of the urlconf.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponseBase
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from regions.models import Organisation
from surveys.models import Membership, Questionnaire, Response


class AuthenticatedHttpRequest(HttpRequest):
    """The request of a view behind `login_required` (or `staff_required`): its user is
    logged in, so `request.user` is a User, never AnonymousUser (django-stubs' pattern)."""

    user: User


def is_staff(user: User | AnonymousUser | None) -> bool:
    """National staff (Socialstyrelsen): they see every organisation and the staff pages."""
    return bool(user is not None and user.is_authenticated and user.is_staff)


def membership_of(user: User | AnonymousUser) -> Membership | None:
    """The user's membership with its organisation, read once per request (one query).

    Kept where `user.membership` keeps it, so the page's header
    (`user.membership.organisation`) reads nothing more.
    """
    if not user.is_authenticated:
        return None
    related = Membership.user.field.remote_field  # User.membership
    if not related.is_cached(user):
        try:
            membership: Membership | None = Membership.objects.select_related(
                "organisation"
            ).get(user_id=user.pk)
        except Membership.DoesNotExist:
            membership = None
        related.set_cached_value(user, membership)
    try:
        return user.membership
    except Membership.DoesNotExist:
        return None


def organisations_for_user(user: User | AnonymousUser) -> QuerySet[Organisation]:
    """The organisations whose responses the user may see and change.

    Staff: all. A respondent: their own organisation. An RSS coordinator: the RSS and the
    municipalities of its area (the paper path of the hjälpenkät).
    """
    if is_staff(user):
        return Organisation.objects.all()
    condition = _own_organisations(user, "")
    if condition is None:
        return Organisation.objects.none()
    return Organisation.objects.filter(condition)


def _own_organisations(user: User | AnonymousUser, prefix: str) -> Q | None:
    """organisations_for_user() for a user who is not staff, as a condition on the
    organisation at `prefix` ("" the organisation itself, "organisation__" that of a
    response); None: none at all."""
    membership = membership_of(user)
    if membership is None:
        return None
    own = Q(**{f"{prefix}pk": membership.organisation_id})
    if membership.is_coordinator:
        return own | Q(**{f"{prefix}rss_id": membership.organisation_id})
    return own


def can_access_organisation(
    user: User | AnonymousUser, organisation: Organisation
) -> bool:
    return organisations_for_user(user).filter(pk=organisation.pk).exists()


# What the response pages show of a response besides its own fields.
RESPONSE_RELATED = (
    "questionnaire__cycle",
    "organisation__rss",
    "submitted_by",
    "updated_by",
)


def get_response_for_user(
    user: User | AnonymousUser, pk: int, *, related: tuple[str, ...] = RESPONSE_RELATED
) -> Response:
    """The response if the user may see it; 404 otherwise (no hint that it exists).

    `related`: the relations read with it in the same query (a page that shows fewer
    names fewer: each is a join and a model instance built on every request).
    """
    # get(), not first(): no ORDER BY to build for a lookup by primary key (every
    # response page reads it). The user's organisations as a condition on the joined
    # organisation, not a subquery (organisations_for_user).
    responses = Response.objects.all()
    own = None  # the response's organisation, when already read
    if not is_staff(user):
        condition = _own_organisations(user, "organisation__")
        if condition is None:
            raise Http404("No such response")
        responses = responses.filter(condition)
        membership = membership_of(user)
        if (
            "organisation" in related
            and membership is not None
            and not membership.is_coordinator
        ):
            # A respondent sees only their own organisation's responses: the
            # organisation read with the membership, not joined again.
            own = membership.organisation
            related = tuple(r for r in related if r != "organisation")
    try:
        response = responses.select_related(*related).get(pk=pk)
    except Response.DoesNotExist:
        raise Http404("No such response") from None
    if own is not None:
        response.organisation = own
    return response


def is_entering_on_behalf(
    user: User | AnonymousUser, organisation: Organisation
) -> bool:
    """An RSS coordinator entering a municipality's answers (from paper)."""
    membership = membership_of(user)
    return bool(
        membership
        and membership.is_coordinator
        and organisation.rss_id == membership.organisation_id
    )


def require_staff(user: User | AnonymousUser | None) -> None:
    """National staff only: PermissionDenied (403) for everyone else.

    The one staff check of the views and of the services that only staff may call
    (`by` None, e.g. a command without a user, is not staff).
    """
    if not is_staff(user):
        raise PermissionDenied(_("Only national staff may do this."))


def get_questionnaire_for_staff(user: User | AnonymousUser, pk: int) -> Questionnaire:
    """The questionnaire (with its cycle) for national staff; 403 for everyone else."""
    require_staff(user)
    return get_object_or_404(Questionnaire.objects.select_related("cycle"), pk=pk)


def get_questionnaire_for_audience(
    user: User | AnonymousUser, pk: int
) -> Questionnaire:
    """The questionnaire for its frame's members, their RSS coordinator, and staff.

    404 for everyone else (an extra question sent to others is not shown, not even
    blank). The frame is surveys.frames' rule.
    """
    from surveys.frames import frame_organisations

    questionnaire = get_object_or_404(
        Questionnaire.objects.select_related("cycle"), pk=pk
    )
    if is_staff(user):
        return questionnaire
    mine = organisations_for_user(user)
    if not frame_organisations(questionnaire).filter(pk__in=mine.values("pk")).exists():
        raise Http404("No such questionnaire")
    return questionnaire


View = Callable[..., HttpResponseBase]


def staff_required(view: View) -> View:
    """A staff-only view: the login for anonymous users, 403 for everyone else.

    Checked before the view looks anything up, so the answer does not depend on the URL's
    objects. The sweep test finds the staff-only views by the `staff_only` mark.
    """

    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        require_staff(request.user)
        return view(request, *args, **kwargs)

    checked = login_required(wrapper)
    # A mark on the function object; mypy does not model attributes set on functions.
    checked.staff_only = True  # type: ignore[attr-defined]
    return checked


def get_organisation_for_member(user: User | AnonymousUser, code: str) -> Organisation:
    """The organisation for its own members and staff; 404 otherwise (contacts are
    personal)."""
    organisation = get_object_or_404(Organisation, code=code)
    if is_staff(user):
        return organisation
    membership = membership_of(user)
    if membership is None or membership.organisation_id != organisation.pk:
        raise Http404("No such organisation")
    return organisation


def get_area_for_user(user: User | AnonymousUser, code: str) -> Organisation:
    """The RSS whose municipalities the user follows: staff, or the RSS's own
    coordinator; 404 otherwise."""
    rss = get_object_or_404(Organisation, kind=Organisation.Kind.RSS, code=code)
    if is_staff(user):
        return rss
    membership = membership_of(user)
    if membership is None or not (
        membership.is_coordinator and membership.organisation_id == rss.pk
    ):
        raise Http404("No such area")
    return rss


def get_region_for_user(user: User | AnonymousUser, code: str) -> Organisation:
    """A region for staff and the region's own users; 404 otherwise."""
    region = get_object_or_404(Organisation, kind=Organisation.Kind.REGION, code=code)
    if is_staff(user):
        return region
    membership = membership_of(user)
    if membership is None or membership.organisation_id != region.pk:
        raise Http404("No such region")
    return region


def get_rss_response_for_user(user: User | AnonymousUser, pk: int) -> Response:
    """An RSS's response to the RSS questionnaire, which compiles its municipalities'
    answers: 404 if the user may not see it, 403 if it is not an RSS's.

    Whoever sees an RSS's response is one of its own people or staff; a coordinator also
    sees the area's municipal responses, which compile nothing.
    """
    response = get_response_for_user(user, pk)
    if (
        response.questionnaire.audience != Questionnaire.Audience.RSS
        or response.organisation.kind != Organisation.Kind.RSS
    ):
        raise PermissionDenied("Only an RSS response compiles municipal answers.")
    return response
