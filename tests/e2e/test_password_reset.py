"""A person who forgot the password gets a new one by e-mail and logs in, in Chromium."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from tests.conftest import PASSWORD
from tests.e2e.test_accessibility import Audit, _require_axe
from tests.factories import UserFactory

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NEW_PASSWORD = "en-helt-ny-fras-2025"


def test_a_forgotten_password_is_replaced_through_the_emailed_link(
    live_server, page, settings
):
    _require_axe()
    settings.SITE_URL = live_server.url
    person = UserFactory(username="anna@regionstockholm.se", first_name="Anna")
    audit = Audit(page, live_server.url)

    page.goto(f"{live_server.url}/konto/logga-in/")
    page.get_by_role("link", name="Glömt lösenord?").click()
    page.get_by_label("E-postadress").fill("anna@regionstockholm.se")
    page.get_by_role("button", name="Skicka länk").click()
    page.get_by_role("heading", name="Titta i din e-post").wait_for()

    (message,) = mail.outbox
    (link,) = re.findall(
        rf"{re.escape(live_server.url)}/konto/nytt-losenord/\S+/", message.body
    )
    page.goto(link)
    page.get_by_role("heading", name="Välj ett nytt lösenord").wait_for()
    # A mistyped repetition first: the error is shown at its field, nothing changes.
    page.get_by_label("Nytt lösenord", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Bekräfta nytt lösenord").fill(NEW_PASSWORD + "x")
    page.get_by_role("button", name="Spara det nya lösenordet").click()
    page.locator("#id_new_password2-error").wait_for()
    audit.check()
    page.get_by_label("Nytt lösenord", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Bekräfta nytt lösenord").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Spara det nya lösenordet").click()
    page.get_by_role("heading", name="Ditt lösenord är bytt").wait_for()

    page.get_by_role("main").get_by_role("link", name="Logga in").click()
    page.get_by_label("Användarnamn").fill(person.username)
    page.get_by_label("Lösenord").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"{live_server.url}/")
    person.refresh_from_db()
    assert not person.check_password(PASSWORD)

    # The link works once.
    page.goto(link)
    page.get_by_role("heading", name="Länken fungerar inte").wait_for()
    audit.assert_clean()


def test_the_reset_pages_fit_a_phone(live_server, browser, settings):
    """At 390 px the form, the footer and the statement need no sideways scrolling."""
    context = browser.new_context(
        locale="sv-SE", viewport={"width": 390, "height": 800}
    )
    phone = context.new_page()
    try:
        for path in ("/konto/glomt-losenord/", "/tillganglighet/", "/personuppgifter/"):
            phone.goto(live_server.url + path)
            width = phone.evaluate("document.documentElement.scrollWidth")
            assert width <= 390, f"{path}: {width} px wide"
            assert phone.get_by_role("contentinfo").is_visible()
    finally:
        context.close()
