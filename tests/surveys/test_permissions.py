from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from regions.models import Organisation
from surveys.models import Membership
from surveys.permissions import (
    can_access_organisation,
    get_response_for_user,
    is_entering_on_behalf,
    membership_of,
    organisations_for_user,
)
from tests.factories import (
    MembershipFactory,
    QuestionnaireFactory,
    ResponseFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def codes(queryset) -> set[str]:
    return set(queryset.values_list("code", flat=True))


def org(code: str) -> Organisation:
    return Organisation.objects.get(code=code)


def test_a_respondent_has_only_their_organisation(region_respondent):
    assert codes(organisations_for_user(region_respondent)) == {"01"}


def test_a_municipality_respondent_has_only_the_municipality(municipality_respondent):
    assert codes(organisations_for_user(municipality_respondent)) == {"0114"}


def test_an_rss_coordinator_has_the_rss_and_the_municipalities_of_its_area(
    rss_coordinator,
):
    area = codes(org("RSS-01").municipalities.all())

    assert len(area) == 26
    assert codes(organisations_for_user(rss_coordinator)) == {"RSS-01"} | area
    assert not can_access_organisation(rss_coordinator, org("0381"))
    assert not can_access_organisation(rss_coordinator, org("01"))


def test_an_rss_respondent_who_is_not_coordinator_has_only_the_rss(national_frame):
    user = UserFactory()
    MembershipFactory(user=user, organisation=org("RSS-01"))

    assert codes(organisations_for_user(user)) == {"RSS-01"}


def test_the_coordinator_role_at_a_region_gives_no_municipalities(national_frame):
    user = UserFactory()
    membership = MembershipFactory(
        user=user, organisation=org("01"), role=Membership.Role.COORDINATOR
    )

    assert not membership.is_coordinator
    assert codes(organisations_for_user(user)) == {"01"}


def test_staff_have_every_organisation(staff, national_frame):
    assert organisations_for_user(staff).count() == Organisation.objects.count()


def test_a_user_without_membership_and_anonymous_have_none(national_frame):
    assert membership_of(UserFactory()) is None
    assert not organisations_for_user(UserFactory()).exists()
    assert membership_of(AnonymousUser()) is None
    assert not organisations_for_user(AnonymousUser()).exists()


def test_get_response_for_user_is_404_for_another_organisations_response(
    region_respondent, other_region_respondent
):
    response = ResponseFactory(
        questionnaire=QuestionnaireFactory(), organisation=org("01")
    )

    assert get_response_for_user(region_respondent, response.pk) == response
    with pytest.raises(Http404):
        get_response_for_user(other_region_respondent, response.pk)
    with pytest.raises(Http404):
        get_response_for_user(AnonymousUser(), response.pk)
    with pytest.raises(Http404):
        get_response_for_user(region_respondent, response.pk + 1000)


def test_only_a_coordinator_enters_a_municipalitys_answers_on_its_behalf(
    rss_coordinator, other_rss_coordinator, municipality_respondent
):
    upplands_vasby = org("0114")

    assert is_entering_on_behalf(rss_coordinator, upplands_vasby)
    assert not is_entering_on_behalf(rss_coordinator, org("RSS-01"))
    assert not is_entering_on_behalf(other_rss_coordinator, upplands_vasby)
    assert not is_entering_on_behalf(municipality_respondent, upplands_vasby)
    assert not is_entering_on_behalf(AnonymousUser(), upplands_vasby)


def test_require_staff_is_the_one_staff_check_of_views_and_services(
    staff, region_respondent
):
    from django.core.exceptions import PermissionDenied

    from surveys.permissions import require_staff
    from surveys.services import cycles, transitions

    require_staff(staff)
    for user in (region_respondent, AnonymousUser(), None):
        with pytest.raises(PermissionDenied):
            require_staff(user)
    assert cycles.require_staff is require_staff
    assert transitions.require_staff is require_staff
