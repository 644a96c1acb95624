"""Weak passwords are refused with the validators' messages, wherever a password is chosen:
the invitation link and the admin."""

from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation

from regions.models import Organisation
from surveys.models import Invitation
from surveys.services import invitation_create
from tests.surveys.helpers import page, text

pytestmark = pytest.mark.django_db

# Too short and numeric; too short and common; long enough but common.
WEAK = ["12345678", "password", "qwerty123456"]


def refusals(password: str) -> list[str]:
    """The validators' messages for a password, as the Swedish pages show them."""
    with translation.override("sv"):
        try:
            password_validation.validate_password(password)
        except ValidationError as exc:
            return exc.messages
    return []


def test_the_minimum_length_is_twelve():
    assert len("Kort-ord-11") == 11
    assert len(refusals("Kort-ord-11")) == 1  # too short, nothing else
    assert refusals("Kort-ord-12x") == []
    assert refusals("Vinter-Gotland-2025") == []
    assert refusals("demo-losen-2024") == []  # the demo logins' password


@pytest.fixture
def invitation_path(national_frame, staff):
    _invitation, url = invitation_create(
        organisation=Organisation.objects.get(code="01"),
        email="ny.person@regionstockholm.se",
        by=staff,
        send_email=False,
    )
    return url


@pytest.mark.parametrize("password", WEAK)
def test_the_invitation_refuses_a_weak_password_with_the_reasons(
    client, invitation_path, password
):
    expected = refusals(password)
    assert expected  # the validators refuse it

    result = client.post(
        invitation_path,
        {
            "first_name": "Nina",
            "last_name": "Persson",
            "password1": password,
            "password2": password,
        },
    )

    assert result.status_code == 200
    shown = text(page(result))
    for message in expected:
        assert message in shown
    assert not get_user_model().objects.filter(username__startswith="ny.").exists()
    assert Invitation.objects.get().accepted_at is None


@pytest.fixture
def admin_client_(client, staff):
    staff.is_superuser = True
    staff.save()
    client.force_login(staff)
    return client


@pytest.mark.parametrize("password", WEAK)
def test_the_admin_refuses_a_weak_password_for_a_new_user(admin_client_, password):
    result = admin_client_.post(
        reverse("admin:auth_user_add"),
        {
            "username": "ny@kommun.se",
            "usable_password": "true",
            "password1": password,
            "password2": password,
        },
    )

    assert result.status_code == 200
    shown = text(page(result))
    for message in refusals(password):
        assert message in shown
    assert not get_user_model().objects.filter(username="ny@kommun.se").exists()


def test_the_admin_refuses_a_weak_password_when_changing_one(
    admin_client_, region_respondent
):
    before = region_respondent.password

    result = admin_client_.post(
        reverse("admin:auth_user_password_change", args=[region_respondent.pk]),
        {"usable_password": "true", "password1": "12345678", "password2": "12345678"},
    )

    assert result.status_code == 200
    shown = text(page(result))
    for message in refusals("12345678"):
        assert message in shown
    region_respondent.refresh_from_db()
    assert region_respondent.password == before


def test_the_admin_accepts_a_strong_password(admin_client_):
    result = admin_client_.post(
        reverse("admin:auth_user_add"),
        {
            "username": "ny@kommun.se",
            "usable_password": "true",
            "password1": "Vinter-Gotland-2025",
            "password2": "Vinter-Gotland-2025",
        },
    )

    assert result.status_code == 302
    user = get_user_model().objects.get(username="ny@kommun.se")
    assert user.check_password("Vinter-Gotland-2025")


def test_the_invitation_refuses_a_password_like_the_persons_own_address(
    client, invitation_path
):
    password = "ny.person@regionstockholm"  # long enough, not common, but their address

    result = client.post(
        invitation_path,
        {
            "first_name": "Nina",
            "last_name": "Persson",
            "password1": password,
            "password2": password,
        },
    )

    assert result.status_code == 200
    assert "Ditt lösenord är alltför likt" in text(page(result))
    assert not get_user_model().objects.filter(username__startswith="ny.").exists()
