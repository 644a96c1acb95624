from __future__ import annotations

import datetime
import re

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail, signing
from django.core.exceptions import ValidationError
from django.urls import reverse

from regions.models import Organisation
from surveys.models import Invitation, Membership
from surveys.services import invitation_accept, invitation_create
from surveys.services.invitations import SALT
from tests.factories import MembershipFactory, UserFactory
from tests.surveys.helpers import by_id, find_all, page, text, tr

pytestmark = pytest.mark.django_db

PASSWORD = "Vinter-Gotland-2025"
CREATED_AT = datetime.datetime(2024, 11, 20, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def invite(national_frame, staff, django_capture_on_commit_callbacks):
    """Invite a new respondent of Region Stockholm; return the invitation and its path."""

    def create(email: str = "Ny.Person@RegionStockholm.se", **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            invitation, link = invitation_create(
                organisation=Organisation.objects.get(code="01"),
                email=email,
                by=staff,
                base_url="https://uppfoljning.example.se",
                **kwargs,
            )
        return invitation, link.removeprefix("https://uppfoljning.example.se")

    return create


def accept_form(**overrides: str) -> dict[str, str]:
    return {
        "first_name": "Nina",
        "last_name": "Persson",
        "password1": PASSWORD,
        "password2": PASSWORD,
        **overrides,
    }


def reason(result) -> str:
    """Why the invitation page refused the link."""
    (alert,) = find_all(page(result), "p", role="alert")
    return text(alert)


def test_creating_an_invitation_emails_its_link(invite, staff):
    invitation, path = invite()

    assert invitation.email == "ny.person@regionstockholm.se"
    assert invitation.created_by == staff
    assert invitation.role == Membership.Role.RESPONDENT
    (message,) = mail.outbox
    assert message.to == ["ny.person@regionstockholm.se"]
    links = re.findall(r"https://\S+", message.body)
    assert links == [f"https://uppfoljning.example.se{path}"]
    assert "Region Stockholm" in message.body
    token = path.split("/")[-2]
    assert signing.TimestampSigner(salt=SALT).unsign(token) == invitation.nonce


def test_an_invitation_is_sent_only_when_the_transaction_commits(
    national_frame, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        invitation_create(
            organisation=Organisation.objects.get(code="01"), email="a@b.se"
        )

    assert len(callbacks) == 1
    assert mail.outbox == []


def test_only_an_rss_has_coordinators(national_frame):
    with pytest.raises(ValidationError):
        invitation_create(
            organisation=Organisation.objects.get(code="01"),
            email="a@b.se",
            role=Membership.Role.COORDINATOR,
        )

    assert not Invitation.objects.exists()


def test_the_link_shows_the_form_for_the_invited_organisation(client, invite):
    _invitation, path = invite()

    result = client.get(path)

    assert result.status_code == 200
    content = text(page(result))
    assert "Region Stockholm" in content
    assert "ny.person@regionstockholm.se" in content


def test_accepting_sets_the_password_and_membership_and_logs_in(client, invite):
    with time_machine.travel(CREATED_AT, tick=False):
        invitation, path = invite()

    accepted_at = CREATED_AT + datetime.timedelta(days=1)
    with time_machine.travel(accepted_at, tick=False):
        result = client.post(path, accept_form())
        logged_in_as = client.session.get("_auth_user_id")
        home = client.get(reverse("surveys:home"))

    assert result.status_code == 302
    assert result["Location"] == reverse("surveys:home")
    user = get_user_model().objects.get(username="ny.person@regionstockholm.se")
    assert user.check_password(PASSWORD)
    assert (user.first_name, user.last_name) == ("Nina", "Persson")
    assert user.email == "ny.person@regionstockholm.se"
    assert user.membership.organisation.code == "01"
    assert user.membership.role == Membership.Role.RESPONDENT
    assert logged_in_as == str(user.pk)
    assert home.status_code == 200
    invitation.refresh_from_db()
    assert invitation.accepted_by == user
    assert invitation.accepted_at == accepted_at


def test_an_invited_coordinator_becomes_coordinator_of_the_rss(
    client, national_frame, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _invitation, path = invitation_create(
            organisation=Organisation.objects.get(code="RSS-01"),
            email="samordnare@rss01.se",
            role=Membership.Role.COORDINATOR,
        )

    client.post(path, accept_form())

    membership = Membership.objects.get(user__username="samordnare@rss01.se")
    assert membership.is_coordinator


def test_the_link_works_once(client, invite):
    _invitation, path = invite()
    client.post(path, accept_form())
    client.logout()

    again = client.get(path)
    stolen = client.post(
        path, accept_form(password1="Annat-1234x", password2="Annat-1234x")
    )

    assert again.status_code == 410
    assert reason(again) == tr(
        "The invitation link has already been used. Log in with your password."
    )
    assert stolen.status_code == 410
    user = get_user_model().objects.get(username="ny.person@regionstockholm.se")
    assert user.check_password(PASSWORD)
    assert "_auth_user_id" not in client.session


def test_accepting_the_same_token_twice_in_the_service_is_refused(invite):
    _invitation, path = invite()
    token = path.split("/")[-2]
    invitation_accept(token=token, first_name="A", last_name="B", password=PASSWORD)

    with pytest.raises(ValidationError):
        invitation_accept(token=token, first_name="C", last_name="D", password="x")


def test_an_expired_link_is_refused(client, invite, settings):
    with time_machine.travel(CREATED_AT, tick=False):
        _invitation, path = invite()
    late = CREATED_AT + datetime.timedelta(
        days=settings.INVITATION_MAX_AGE_DAYS, minutes=1
    )

    with time_machine.travel(late, tick=False):
        shown = client.get(path)
        posted = client.post(path, accept_form())

    assert shown.status_code == 410
    assert reason(shown) == tr(
        "The invitation link has expired. Ask for a new invitation."
    )
    assert posted.status_code == 410
    assert (
        not get_user_model()
        .objects.filter(username="ny.person@regionstockholm.se")
        .exists()
    )


def test_a_link_is_valid_until_its_last_day(client, invite, settings):
    with time_machine.travel(CREATED_AT, tick=False):
        _invitation, path = invite()
    last_minute = CREATED_AT + datetime.timedelta(
        days=settings.INVITATION_MAX_AGE_DAYS, minutes=-1
    )

    with time_machine.travel(last_minute, tick=False):
        assert client.get(path).status_code == 200


def test_a_tampered_token_is_refused(client, invite):
    invitation, path = invite()
    token = path.split("/")[-2]
    nonce, timestamp, signature = token.split(":")
    forged = [
        f"{nonce[:-1]}{'A' if nonce[-1] != 'A' else 'B'}:{timestamp}:{signature}",
        f"{nonce}:{timestamp}:{signature[:-1]}{'A' if signature[-1] != 'A' else 'B'}",
        f"{nonce}:{signing.b62_encode(signing.b62_decode(timestamp) + 3600)}:{signature}",
    ]

    for token in forged:
        result = client.get(reverse("surveys:invitation-accept", args=[token]))

        assert result.status_code == 410, token
        assert reason(result) == tr("The invitation link is not valid.")
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_a_guessed_nonce_without_signature_is_refused(client, invite):
    invitation, _path = invite()

    result = client.post(
        reverse("surveys:invitation-accept", args=[invitation.nonce]), accept_form()
    )

    assert result.status_code == 410
    assert reason(result) == tr("The invitation link is not valid.")
    assert (
        not get_user_model()
        .objects.filter(username="ny.person@regionstockholm.se")
        .exists()
    )


def test_a_signed_nonce_of_no_invitation_is_refused(client, national_frame):
    token = signing.TimestampSigner(salt=SALT).sign("no-such-nonce")

    result = client.get(reverse("surveys:invitation-accept", args=[token]))

    assert result.status_code == 410


def test_differing_passwords_keep_the_form_and_create_no_account(client, invite):
    invitation, path = invite()

    result = client.post(path, accept_form(password2="Something-else-99"))

    assert result.status_code == 200
    assert by_id(page(result), "id_password2") is not None
    assert tr("The two passwords differ.") in text(page(result))
    assert (
        not get_user_model()
        .objects.filter(username="ny.person@regionstockholm.se")
        .exists()
    )
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_an_address_of_another_organisation_cannot_be_taken_over(client, invite):
    other = UserFactory(username="ny.person@regionstockholm.se")
    other.set_password("Old-password-1")
    other.save()
    MembershipFactory(user=other, organisation=Organisation.objects.get(code="03"))
    _invitation, path = invite()

    result = client.post(path, accept_form())

    assert result.status_code == 410
    assert reason(result) == tr(
        "This e-mail address already belongs to another organisation."
    )
    other.refresh_from_db()
    assert other.check_password("Old-password-1")
    assert other.membership.organisation.code == "03"


OWN_PASSWORD = "Own-password-2024"


def existing_account():
    user = UserFactory(username="ny.person@regionstockholm.se")
    user.set_password(OWN_PASSWORD)
    user.save()
    return user


def test_an_invitation_to_an_existing_account_never_resets_its_password(client, invite):
    user = existing_account()
    _invitation, path = invite()

    shown = client.get(path)
    posted = client.post(path, accept_form())

    assert shown.status_code == posted.status_code == 200
    assert "surveys/invitation_existing.html" in [t.name for t in posted.templates]
    user.refresh_from_db()
    assert user.check_password(OWN_PASSWORD)
    assert not user.check_password(PASSWORD)
    assert not Membership.objects.filter(user=user).exists()
    assert "_auth_user_id" not in client.session


def test_the_service_refuses_to_set_a_password_for_an_existing_account(invite):
    user = existing_account()
    invitation, path = invite()

    with pytest.raises(ValidationError):
        invitation_accept(
            token=path.rstrip("/").rsplit("/", 1)[-1],
            first_name="Nina",
            last_name="Persson",
            password=PASSWORD,
        )

    user.refresh_from_db()
    assert user.check_password(OWN_PASSWORD)
    invitation.refresh_from_db()
    assert invitation.accepted_at is None


def test_the_holder_logs_in_with_their_own_password_then_accepts(client, invite):
    user = existing_account()
    invitation, path = invite()
    client.force_login(user)

    assert client.get(path).status_code == 200
    assert not Membership.objects.filter(user=user).exists()
    accepted = client.post(path)

    assert accepted.status_code == 302
    user.refresh_from_db()
    assert user.check_password(OWN_PASSWORD)
    assert user.membership.organisation.code == "01"
    invitation.refresh_from_db()
    assert invitation.accepted_by == user


def test_another_logged_in_account_cannot_accept_it(client, invite, region_respondent):
    user = existing_account()
    _invitation, path = invite()
    client.force_login(region_respondent)

    assert client.post(path).status_code == 403
    assert not Membership.objects.filter(user=user).exists()
