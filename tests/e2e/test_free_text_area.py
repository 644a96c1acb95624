"""The coordinator's page of the area's free-text answers in Chromium: at 1280 and 390 px
(screenshots kept in the test's folder), filtered from the form, and printed."""

from __future__ import annotations

import pytest
from django.urls import reverse

from regions.models import Organisation
from surveys.answers import Value
from surveys.services import response_get_or_create, response_submit
from tests.conftest import PASSWORD
from tests.surveys.helpers import fill_response

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

LONG_WORD = "https://www.example.se/" + "mycket-lang-adress-" * 12
WIDTHS = (1280, 390)


def _log_in(page, base_url: str, user) -> None:
    page.goto(f"{base_url}/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(user.username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"{base_url}/")


def _submit(questionnaire, code: str, by, text: str) -> None:
    response = response_get_or_create(
        questionnaire=questionnaire, organisation=Organisation.objects.get(code=code)
    )
    filled = fill_response(
        response,
        by=by,
        overrides={("K05", "barn och unga"): Value(text=text)},
    )
    response_submit(response=filled, by=by, version=filled.version)


def test_the_area_page_fits_both_widths_filters_and_prints(
    live_server, page, cycle_2024, rss_coordinator, staff, tmp_path
):
    municipal = cycle_2024["municipality"]
    _submit(municipal, "0114", staff, f"Familjecentraler i hela kommunen.\n{LONG_WORD}")
    _submit(municipal, "0115", staff, "Skolhälsovården samverkar med regionen.")
    url = live_server.url + reverse(
        "reports:area-free-text-question", args=["RSS-01", municipal.pk, "K05"]
    )
    _log_in(page, live_server.url, rss_coordinator)

    for width in WIDTHS:
        page.set_viewport_size({"width": width, "height": 900})
        page.goto(url)
        shot = tmp_path / f"fritext-{width}.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width, f"{width} px: the page is {scroll} px wide"
        assert page.locator("article.free-text-answer").count() == 26

    page.set_viewport_size({"width": 390, "height": 900})
    page.get_by_label("Sök i svaren").fill("skolhälsovården")
    page.get_by_role("button", name="Filtrera").click()
    page.wait_for_url("**sok=*")
    assert page.locator("article.free-text-answer").count() == 1
    assert page.locator("#kommun-0115 mark").inner_text() == "Skolhälsovården"

    page.emulate_media(media="print")
    assert page.locator("#free-text-filters").is_hidden()
    assert page.locator("#free-text-exports").is_hidden()
    assert page.locator("#kommun-0115").is_visible()
