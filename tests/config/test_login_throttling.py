"""Login throttling (django-axes): AXES_FAILURE_LIMIT failed logins for one username
from one address lock that pair out for the cool-off time, on the site's login page and
the admin's; AXES_IP_FAILURE_LIMIT failed logins from one address over all usernames lock
the address out (password spraying)."""

from __future__ import annotations

import datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from surveys.services import invitation_create
from tests.conftest import PASSWORD
from tests.surveys.helpers import find_all, page, text, tr

pytestmark = pytest.mark.django_db

LIMIT = 5
IP_LIMIT = 20
COOLOFF = datetime.timedelta(minutes=15)
NOW = datetime.datetime(2025, 1, 15, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def throttle(settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = LIMIT
    settings.AXES_COOLOFF_TIME = COOLOFF
    settings.AXES_IP_FAILURE_LIMIT = IP_LIMIT


@pytest.fixture
def clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def lockout_message(minutes: int) -> str:
    with translation.override("sv"):
        return translation.ngettext(
            "Too many failed login attempts. Wait %(minutes)s minute before you try again.",
            "Too many failed login attempts. Wait %(minutes)s minutes before you try again.",
            minutes,
        ) % {"minutes": minutes}


def log_in(
    client: Client, username: str, password: str, *, url: str = "", **extra: str
):
    return client.post(
        url or reverse("login"), {"username": username, "password": password}, **extra
    )


def fail(client: Client, username: str, times: int, **extra: str) -> None:
    for _ in range(times):
        result = log_in(client, username, "wrong-password-1", **extra)
        assert result.status_code in (200, 429)


def alert(result) -> str:
    (element,) = find_all(page(result), "div", role="alert")
    return text(element)


def logged_in(client: Client) -> bool:
    return "_auth_user_id" in client.session


def test_the_right_password_is_refused_after_five_wrong_ones(
    client, region_respondent, clock
):
    fail(client, region_respondent.username, LIMIT)

    result = log_in(client, region_respondent.username, PASSWORD)

    assert result.status_code == 429
    assert lockout_message(15) in alert(result)
    assert not logged_in(client)


def test_the_fifth_failure_already_shows_the_lockout(client, region_respondent, clock):
    fail(client, region_respondent.username, LIMIT - 1)

    fifth = log_in(client, region_respondent.username, "wrong-password-1")

    assert fifth.status_code == 429
    assert lockout_message(15) in alert(fifth)


def test_fewer_failures_than_the_limit_still_let_the_person_in(
    client, region_respondent, clock
):
    fail(client, region_respondent.username, LIMIT - 1)

    result = log_in(client, region_respondent.username, PASSWORD)

    assert result.status_code == 302
    assert logged_in(client)


def test_a_success_starts_the_count_again(region_respondent, clock):
    fail(Client(), region_respondent.username, LIMIT - 1)
    assert log_in(Client(), region_respondent.username, PASSWORD).status_code == 302

    fail(Client(), region_respondent.username, LIMIT - 1)
    result = log_in(Client(), region_respondent.username, PASSWORD)

    assert result.status_code == 302


def test_another_user_from_the_same_address_is_not_affected(
    region_respondent, region_colleague, clock
):
    fail(Client(), region_respondent.username, LIMIT)
    client = Client()

    result = log_in(client, region_colleague.username, PASSWORD)

    assert result.status_code == 302
    assert logged_in(client)


def test_the_same_user_from_another_address_is_not_affected(region_respondent, clock):
    fail(Client(), region_respondent.username, LIMIT, REMOTE_ADDR="192.0.2.10")
    client = Client()

    result = log_in(
        client, region_respondent.username, PASSWORD, REMOTE_ADDR="192.0.2.20"
    )

    assert result.status_code == 302
    assert logged_in(client)


SPRAYER = "198.51.100.7"


def spray(usernames: int, **extra: str) -> None:
    """IP_LIMIT failures from one address: a few passwords on each of many usernames,
    never LIMIT on one."""
    for index in range(IP_LIMIT):
        fail(Client(), f"person{index % usernames}@kommun.se", 1, **extra)


def test_password_spraying_from_one_address_locks_the_address_out(
    region_respondent, clock
):
    spray(usernames=IP_LIMIT // (LIMIT - 1), REMOTE_ADDR=SPRAYER)
    client = Client()

    # Even the right password of a real account, from that address.
    result = log_in(client, region_respondent.username, PASSWORD, REMOTE_ADDR=SPRAYER)

    assert result.status_code == 429
    assert not logged_in(client)
    assert lockout_message(15) in alert(result)


def test_one_failure_fewer_than_the_address_limit_still_lets_a_person_in(
    region_respondent, clock
):
    for index in range(IP_LIMIT - 1):
        fail(Client(), f"person{index}@kommun.se", 1, REMOTE_ADDR=SPRAYER)
    client = Client()

    result = log_in(client, region_respondent.username, PASSWORD, REMOTE_ADDR=SPRAYER)

    assert result.status_code == 302
    assert logged_in(client)


def test_the_address_lockout_spares_other_addresses_and_ends_after_the_cool_off(
    region_respondent, clock
):
    spray(usernames=IP_LIMIT, REMOTE_ADDR=SPRAYER)

    elsewhere = log_in(
        Client(), region_respondent.username, PASSWORD, REMOTE_ADDR="192.0.2.20"
    )
    assert elsewhere.status_code == 302

    clock.shift(COOLOFF + datetime.timedelta(seconds=1))
    again = log_in(Client(), region_respondent.username, PASSWORD, REMOTE_ADDR=SPRAYER)
    assert again.status_code == 302


def test_the_address_limit_can_be_turned_off(region_respondent, clock, settings):
    settings.AXES_IP_FAILURE_LIMIT = 0
    spray(usernames=IP_LIMIT, REMOTE_ADDR=SPRAYER)

    result = log_in(Client(), region_respondent.username, PASSWORD, REMOTE_ADDR=SPRAYER)

    assert result.status_code == 302


def test_the_lockout_ends_after_the_cool_off(client, region_respondent, clock):
    fail(client, region_respondent.username, LIMIT)

    clock.shift(COOLOFF - datetime.timedelta(minutes=1))
    still_locked = log_in(client, region_respondent.username, PASSWORD)
    clock.shift(datetime.timedelta(minutes=2))
    after = log_in(client, region_respondent.username, PASSWORD)

    assert still_locked.status_code == 429
    assert after.status_code == 302
    assert logged_in(client)


def test_axes_reset_lifts_every_lockout(client, region_respondent, clock):
    fail(client, region_respondent.username, LIMIT)

    call_command("axes_reset", verbosity=0)
    result = log_in(client, region_respondent.username, PASSWORD)

    assert result.status_code == 302


def test_the_admin_login_is_throttled_too(staff, clock):
    staff.is_superuser = True
    staff.save()
    admin_login = reverse("admin:login")
    client = Client()
    fail(client, staff.username, LIMIT, url=admin_login)

    result = log_in(client, staff.username, PASSWORD, url=admin_login)

    assert result.status_code == 429
    assert lockout_message(15) in alert(result)
    assert not logged_in(client)
    assert client.get(reverse("admin:index")).status_code == 302


def test_the_lockout_page_keeps_the_username_and_offers_the_form_again(
    client, region_respondent, clock
):
    fail(client, region_respondent.username, LIMIT)

    result = log_in(client, region_respondent.username, PASSWORD)

    html = page(result)
    (username,) = find_all(html, "input", name="username")
    assert dict(username.attributes)["value"] == region_respondent.username
    assert find_all(html, "input", name="password")
    assert tr(
        "If you have forgotten your password, choose a new one through “Forgot your "
        "password?” below; that also lifts the lock."
    ) in alert(result)
    assert find_all(html, "a", href=reverse("password_reset"))


@pytest.fixture
def behind_proxy(settings):
    """One proxy in front that appends the address it saw to X-Forwarded-For."""
    settings.AXES_IPWARE_META_PRECEDENCE_ORDER = [
        "HTTP_X_FORWARDED_FOR",
        "REMOTE_ADDR",
    ]
    settings.AXES_IPWARE_PROXY_ORDER = "right-most"


def test_behind_a_proxy_clients_are_told_apart_by_their_own_address(
    behind_proxy, region_respondent, clock
):
    proxy = {"REMOTE_ADDR": "127.0.0.1"}
    fail(
        Client(),
        region_respondent.username,
        LIMIT,
        HTTP_X_FORWARDED_FOR="203.0.113.5",
        **proxy,
    )

    locked = log_in(
        Client(),
        region_respondent.username,
        PASSWORD,
        HTTP_X_FORWARDED_FOR="203.0.113.5",
        **proxy,
    )
    # A client that writes another address in front of its own is still itself.
    spoofed = log_in(
        Client(),
        region_respondent.username,
        PASSWORD,
        HTTP_X_FORWARDED_FOR="198.51.100.7, 203.0.113.5",
        **proxy,
    )
    other = log_in(
        Client(),
        region_respondent.username,
        PASSWORD,
        HTTP_X_FORWARDED_FOR="198.51.100.7",
        **proxy,
    )

    assert locked.status_code == 429
    assert spoofed.status_code == 429
    assert other.status_code == 302


def test_a_person_who_accepted_an_invitation_logs_in_on_the_login_page(
    client, national_frame, staff, clock, django_capture_on_commit_callbacks
):
    from regions.models import Organisation

    with django_capture_on_commit_callbacks(execute=True):
        _invitation, link = invitation_create(
            organisation=Organisation.objects.get(code="01"),
            email="ny@regionstockholm.se",
            by=staff,
        )
    accepted = client.post(
        link,
        {
            "first_name": "Nina",
            "last_name": "Persson",
            "password1": "Vinter-Gotland-2025",
            "password2": "Vinter-Gotland-2025",
        },
    )
    assert accepted.status_code == 302
    client.post(reverse("logout"))

    result = log_in(client, "ny@regionstockholm.se", "Vinter-Gotland-2025")

    assert result.status_code == 302
    assert logged_in(client)


def test_the_test_client_login_and_force_login_still_work(region_respondent):
    # authenticate() without a request is no web login: the throttle leaves it alone.
    assert Client().login(username=region_respondent.username, password=PASSWORD)
    client = Client()
    client.force_login(region_respondent)
    assert client.get(reverse("surveys:home")).status_code == 200


def test_a_failed_login_is_recorded_for_staff_in_the_admin(client, region_respondent):
    from axes.models import AccessAttempt

    log_in(client, region_respondent.username, "wrong-password-1")

    attempt = AccessAttempt.objects.get(username=region_respondent.username)
    assert attempt.failures_since_start == 1
    assert attempt.ip_address == "127.0.0.1"
    assert attempt.attempt_time <= timezone.now()
    assert get_user_model().objects.filter(username=attempt.username).exists()
