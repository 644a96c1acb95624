"""At a phone's 390 px the pages fit the screen: nothing scrolls sideways."""

from __future__ import annotations

import pytest

from tests.conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE_WIDTH = 390


def test_the_staff_menu_wraps_instead_of_widening_the_page(
    live_server, page, cycle_2024, staff
):
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 844})
    page.goto(f"{live_server.url}/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(staff.username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"{live_server.url}/")
    page.goto(live_server.url + "/personal/import/")
    header = page.evaluate("document.querySelector('header').scrollWidth")
    assert header <= PHONE_WIDTH, f"the menu is {header} px wide"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE_WIDTH, f"the import page is {width} px wide"
    assert page.get_by_role("button", name="Logga ut").is_visible()
