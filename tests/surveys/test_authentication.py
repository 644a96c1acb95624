"""The logged-in user is read with their membership and its organisation
(surveys/authentication.py), and sessions from before keep working."""

from __future__ import annotations

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.urls import reverse

from surveys.authentication import (
    FORMER_BACKEND,
    MEMBERSHIP_BACKEND,
    MembershipBackend,
)
from surveys.permissions import membership_of

pytestmark = pytest.mark.django_db


def test_the_user_comes_with_the_membership_and_its_organisation(
    region_respondent, django_assert_num_queries
):
    with django_assert_num_queries(1):
        user = MembershipBackend().get_user(region_respondent.pk)
    with django_assert_num_queries(0):
        membership = membership_of(user)
        assert membership is not None
        assert membership.organisation.code == "01"
        assert user.membership.organisation.full_name == "Region Stockholm"


def test_a_user_without_a_membership_needs_no_further_query(
    staff, django_assert_num_queries
):
    user = MembershipBackend().get_user(staff.pk)
    with django_assert_num_queries(0):
        assert membership_of(user) is None


def test_an_inactive_or_deleted_user_is_not_logged_in(region_respondent):
    region_respondent.is_active = False
    region_respondent.save()
    assert MembershipBackend().get_user(region_respondent.pk) is None
    assert MembershipBackend().get_user(10**9) is None


def test_the_login_form_logs_in_with_the_membership_backend(client, region_respondent):
    reply = client.post(
        reverse("login"),
        {"username": region_respondent.username, "password": "test-password-123"},
    )
    assert reply.status_code == 302
    assert client.session[BACKEND_SESSION_KEY] == MEMBERSHIP_BACKEND


def test_a_session_from_before_the_membership_backend_stays_logged_in(
    client, region_respondent
):
    """A respondent logged in before the change is not logged out by it: their next
    request moves the session to the new backend."""
    client.force_login(region_respondent, backend=FORMER_BACKEND)
    assert client.session[BACKEND_SESSION_KEY] == FORMER_BACKEND

    home = client.get(reverse("surveys:home"))

    assert home.status_code == 200
    assert home.context["user"] == region_respondent
    assert client.session[BACKEND_SESSION_KEY] == MEMBERSHIP_BACKEND
    assert client.get(reverse("surveys:home")).context["user"].is_authenticated
