"""Password reset ("Glömt lösenord?"): the same answer for every address, a link from
SITE_URL that works once and for PASSWORD_RESET_HOURS, limits per address and per client
address, the nightly prune, and the login lockout lifted by a new password."""

from __future__ import annotations

import datetime
import re
from smtplib import SMTPException
from unittest import mock

import pytest
import time_machine
from django.conf import settings as django_settings
from django.contrib.auth import get_user_model
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from config.models import PasswordResetRequest
from config.password_reset import email_digest
from config.tasks import password_reset_prune
from tests.conftest import PASSWORD
from tests.factories import UserFactory
from tests.surveys.helpers import attrs, by_id, find_all, page, text, tr

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "en-helt-ny-fras-2025"
LINK = re.compile(r"https://enkat\.example\.se/konto/nytt-losenord/[^/\s]+/[^/\s]+/")


@pytest.fixture(autouse=True)
def reset_settings(settings):
    settings.SITE_URL = "https://enkat.example.se"
    settings.PASSWORD_RESET_TIMEOUT = 2 * 60 * 60
    settings.PASSWORD_RESET_EMAIL_LIMIT = 3
    settings.PASSWORD_RESET_IP_LIMIT = 20


@pytest.fixture
def person():
    return UserFactory(username="anna@regionstockholm.se", first_name="Anna")


def in_stockholm() -> datetime.datetime:
    """Now in Stockholm time: time_machine sets the process's time zone to that of the
    time travelled to, and the reset tokens count in local time."""
    return timezone.localtime()


def ask(client: Client, email: str, **extra: str):
    return client.post(reverse("password_reset"), {"email": email}, **extra)


def link_in(message) -> str:
    (link,) = set(LINK.findall(message.body))
    return link


def path_of(link: str) -> str:
    return link.removeprefix("https://enkat.example.se")


def set_password(client: Client, link: str, password: str = NEW_PASSWORD):
    """Open the link, then post the new password on the page it leads to."""
    opened = client.get(path_of(link))
    assert opened.status_code == 302
    return client.post(
        opened["Location"],
        {"new_password1": password, "new_password2": password},
    )


def test_the_login_page_links_to_the_reset_form(client):
    html = page(client.get(reverse("login")))

    (link,) = find_all(html, "a", href=reverse("password_reset"))
    assert text(link) == "Glömt lösenord?"


def test_the_form_asks_for_the_address_with_its_label_and_autocomplete(client):
    html = page(client.get(reverse("password_reset")))

    (field,) = find_all(html, "input", name="email")
    assert attrs(field)["type"] == "email"
    assert attrs(field)["autocomplete"] == "email"
    (label,) = find_all(html, "label", **{"for": attrs(field)["id"]})
    assert text(label) == "E-postadress"


def test_a_known_address_gets_an_email_with_a_link_from_the_site_url(client, person):
    result = ask(client, "anna@regionstockholm.se", HTTP_HOST="localhost")

    assert result.status_code == 302
    assert result["Location"] == reverse("password_reset_done")
    (message,) = mail.outbox
    assert message.to == ["anna@regionstockholm.se"]
    assert message.subject == ("Nytt lösenord till uppföljningen av god och nära vård")
    link = link_in(message)
    assert "anna@regionstockholm.se" in message.body
    assert "2 timmar" in message.body
    (html, mimetype) = message.alternatives[0]
    assert mimetype == "text/html"
    assert f'href="{link}"' in html


def test_an_unknown_address_gets_the_same_answer_and_no_email(client, person):
    known = ask(client, "anna@regionstockholm.se")
    unknown = ask(Client(), "ingen@example.se")

    assert (unknown.status_code, unknown["Location"]) == (
        known.status_code,
        known["Location"],
    )
    assert len(mail.outbox) == 1
    done = client.get(known["Location"])
    assert (
        "Om adressen finns hos oss har vi skickat ett e-postmeddelande"
        in done.content.decode()
    )


def test_the_address_is_found_whatever_its_letter_case(client, person):
    ask(client, "Anna@RegionStockholm.se")

    (message,) = mail.outbox
    assert message.to == ["anna@regionstockholm.se"]


def test_an_inactive_account_gets_no_email(client, person):
    person.is_active = False
    person.save(update_fields=["is_active"])

    result = ask(client, "anna@regionstockholm.se")

    assert result["Location"] == reverse("password_reset_done")
    assert mail.outbox == []


def test_a_malformed_address_is_refused_with_the_error_at_the_field(client):
    result = ask(client, "inte-en-adress")

    assert result.status_code == 200
    html = page(result)
    (field,) = find_all(html, "input", name="email")
    error_id = attrs(field)["aria-describedby"]
    assert attrs(field)["aria-invalid"] == "true"
    assert attrs(field)["value"] == "inte-en-adress"
    assert text(by_id(html, error_id)) == tr("Enter a valid email address.")
    assert not PasswordResetRequest.objects.exists()


def test_a_failed_send_is_logged_and_not_shown(client, person, caplog):
    with mock.patch(
        "django.core.mail.EmailMultiAlternatives.send",
        side_effect=SMTPException("refused"),
    ):
        result = ask(client, "anna@regionstockholm.se")

    assert result["Location"] == reverse("password_reset_done")
    assert "Failed to send password reset email" in caplog.text


def test_the_link_sets_a_new_password_once(client, person):
    ask(client, "anna@regionstockholm.se")
    link = link_in(mail.outbox[0])

    result = set_password(client, link)

    assert result.status_code == 302
    assert result["Location"] == reverse("password_reset_complete")
    person.refresh_from_db()
    assert person.check_password(NEW_PASSWORD)
    assert not person.check_password(PASSWORD)
    assert Client().login(username=person.username, password=NEW_PASSWORD)
    # The second time, the link is refused: the password it was made for is gone.
    again = Client().get(path_of(link), follow=True)
    assert "Länken fungerar inte" in again.content.decode()
    assert not find_all(page(again), "input", name="new_password1")
    assert find_all(page(again), "a", href=reverse("password_reset"))


def test_the_new_password_page_asks_for_a_new_password_twice(client, person):
    ask(client, "anna@regionstockholm.se")
    opened = client.get(path_of(link_in(mail.outbox[0])), follow=True)

    html = page(opened)
    fields = [
        *find_all(html, "input", name="new_password1"),
        *find_all(html, "input", name="new_password2"),
    ]
    assert [attrs(f)["autocomplete"] for f in fields] == ["new-password"] * 2
    assert [attrs(f)["type"] for f in fields] == ["password"] * 2
    assert "anna@regionstockholm.se" in text(html)


def test_a_weak_or_mistyped_password_is_refused_at_its_field(client, person):
    ask(client, "anna@regionstockholm.se")
    opened = client.get(path_of(link_in(mail.outbox[0])))

    short = client.post(
        opened["Location"], {"new_password1": "kort", "new_password2": "kort"}
    )
    differ = client.post(
        opened["Location"],
        {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD + "x"},
    )

    (field,) = find_all(page(short), "input", name="new_password2")
    described = attrs(field)["aria-describedby"].split()
    assert "id_new_password2-error" in described
    assert "minst 12 tecken" in text(by_id(page(short), "id_new_password2-error"))
    (field,) = find_all(page(differ), "input", name="new_password2")
    assert attrs(field)["aria-invalid"] == "true"
    person.refresh_from_db()
    assert person.check_password(PASSWORD)


def test_an_expired_link_is_refused(client, person):
    ask(client, "anna@regionstockholm.se")
    link = link_in(mail.outbox[0])

    later = in_stockholm() + datetime.timedelta(hours=2, minutes=1)
    with time_machine.travel(later, tick=False):
        opened = client.get(path_of(link), follow=True)

    assert "Länken fungerar inte" in opened.content.decode()
    assert "äldre än 2 timmar" in opened.content.decode()
    assert not find_all(page(opened), "input", name="new_password1")


def test_a_link_still_works_just_before_it_expires(client, person):
    ask(client, "anna@regionstockholm.se")
    link = link_in(mail.outbox[0])

    later = in_stockholm() + datetime.timedelta(hours=1, minutes=58)
    with time_machine.travel(later, tick=False):
        result = set_password(client, link)

    assert result["Location"] == reverse("password_reset_complete")


def test_the_address_is_kept_only_as_a_keyed_digest(client, person):
    ask(client, "anna@regionstockholm.se", REMOTE_ADDR="192.0.2.7")

    (row,) = PasswordResetRequest.objects.all()
    assert row.email_digest == email_digest("anna@regionstockholm.se")
    assert "anna" not in row.email_digest
    assert row.ip_address == "192.0.2.7"


def test_past_the_address_limit_nothing_is_sent_and_the_answer_is_the_same(
    client, person
):
    answers = [ask(client, "anna@regionstockholm.se") for _ in range(4)]

    assert len(mail.outbox) == 3
    assert {(a.status_code, a["Location"]) for a in answers} == {
        (302, reverse("password_reset_done"))
    }


def test_the_address_limit_counts_the_last_hour(client, person):
    for _ in range(3):
        ask(client, "anna@regionstockholm.se")

    with time_machine.travel(
        in_stockholm() + datetime.timedelta(minutes=61), tick=False
    ):
        ask(client, "anna@regionstockholm.se")

    assert len(mail.outbox) == 4


def test_the_address_limit_holds_for_every_letter_case(client, person):
    for email in ("anna@regionstockholm.se", "ANNA@regionstockholm.se") * 2:
        ask(client, email)

    assert len(mail.outbox) == 3


def test_past_the_ip_limit_the_form_answers_429_with_the_wait(client, person, settings):
    settings.PASSWORD_RESET_IP_LIMIT = 2
    ask(client, "ingen@example.se", REMOTE_ADDR="192.0.2.7")
    ask(client, "inte-heller@example.se", REMOTE_ADDR="192.0.2.7")

    refused = ask(client, "anna@regionstockholm.se", REMOTE_ADDR="192.0.2.7")

    assert refused.status_code == 429
    assert 3500 <= int(refused["Retry-After"]) <= 3600
    (alert,) = find_all(page(refused), "div", role="alert")
    assert "För många nya lösenord har begärts från ditt nätverk" in text(alert)
    assert "Vänta 60 minuter" in text(alert)
    assert mail.outbox == []
    # Another address is not held back.
    other = ask(client, "anna@regionstockholm.se", REMOTE_ADDR="192.0.2.8")
    assert other.status_code == 302
    assert len(mail.outbox) == 1


def test_the_ip_limit_ends_an_hour_after_the_first_counted_request(
    client, person, settings
):
    settings.PASSWORD_RESET_IP_LIMIT = 1
    ask(client, "ingen@example.se", REMOTE_ADDR="192.0.2.7")

    with time_machine.travel(
        in_stockholm() + datetime.timedelta(minutes=61), tick=False
    ):
        result = ask(client, "anna@regionstockholm.se", REMOTE_ADDR="192.0.2.7")

    assert result.status_code == 302
    assert len(mail.outbox) == 1


def test_the_wait_lasts_until_enough_requests_are_an_hour_old(client, person, settings):
    start = in_stockholm()
    for minutes in (0, 10, 30):
        with time_machine.travel(
            start + datetime.timedelta(minutes=minutes), tick=False
        ):
            ask(client, "ingen@example.se", REMOTE_ADDR="192.0.2.7")
    # The limit lowered to 2: the first two requests must be an hour old.
    settings.PASSWORD_RESET_IP_LIMIT = 2

    with time_machine.travel(start + datetime.timedelta(minutes=40), tick=False):
        refused = ask(client, "anna@regionstockholm.se", REMOTE_ADDR="192.0.2.7")

    assert refused.status_code == 429
    assert refused["Retry-After"] == str(30 * 60)
    assert "Vänta 30 minuter" in text(find_all(page(refused), "div", role="alert")[0])


def test_a_new_password_lifts_the_login_lockout(client, person, settings):
    settings.AXES_ENABLED = True
    settings.AXES_FAILURE_LIMIT = 3
    for _ in range(3):
        client.post(
            reverse("login"),
            {"username": person.username, "password": "wrong-password-1"},
        )
    locked = client.post(
        reverse("login"), {"username": person.username, "password": PASSWORD}
    )
    assert locked.status_code == 429

    ask(client, "anna@regionstockholm.se")
    set_password(client, link_in(mail.outbox[0]))
    result = client.post(
        reverse("login"), {"username": person.username, "password": NEW_PASSWORD}
    )

    assert result.status_code == 302
    assert "_auth_user_id" in client.session


def test_the_prune_deletes_requests_older_than_a_day():
    now = timezone.now()
    old = PasswordResetRequest.objects.create(
        email_digest="a" * 64, created_at=now - datetime.timedelta(hours=25)
    )
    recent = PasswordResetRequest.objects.create(
        email_digest="b" * 64, created_at=now - datetime.timedelta(hours=23)
    )

    deleted = password_reset_prune.delay().get()

    assert deleted == 1
    assert list(PasswordResetRequest.objects.all()) == [recent]
    assert not PasswordResetRequest.objects.filter(pk=old.pk).exists()


def test_the_prune_runs_every_night():
    entries = [
        entry
        for entry in django_settings.CELERY_BEAT_SCHEDULE.values()
        if entry["task"] == password_reset_prune.name
    ]

    assert len(entries) == 1
    assert entries[0]["schedule"].hour == {3}


def test_users_are_told_nothing_about_which_accounts_exist(client, person):
    """The done page is the same page for a known and an unknown address."""
    known = client.get(ask(client, "anna@regionstockholm.se")["Location"])
    unknown = client.get(ask(Client(), "ingen@example.se")["Location"])

    assert known.content == unknown.content
    assert get_user_model().objects.filter(email="ingen@example.se").count() == 0
