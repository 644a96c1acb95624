"""At a phone's 390 px the pages fit the screen: nothing scrolls sideways."""

from __future__ import annotations

import pytest

from surveys.models import Response
from surveys.services import response_check
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 390, "height": 844}

# What a hurried respondent types: a share, a number, a few words.
PERCENT = "61"
NUMBER = "1200"
TEXT = "Ett svar."


def _log_in(page, base_url: str, user) -> None:
    page.goto(f"{base_url}/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(user.username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"{base_url}/")


def _assert_fits(page, where: str) -> None:
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= PHONE["width"], f"{where} is {width} px wide"


def _open_menu(page) -> None:
    toggler = page.get_by_role("button", name="Meny")
    assert toggler.get_attribute("aria-expanded") == "false"
    assert page.get_by_role("button", name="Logga ut").is_hidden()
    toggler.click()
    page.get_by_role("button", name="Logga ut").wait_for()
    assert toggler.get_attribute("aria-expanded") == "true"


def test_the_staff_menu_folds_behind_a_button_instead_of_widening_the_page(
    live_server, page, cycle_2024, staff
):
    page.set_viewport_size(PHONE)
    _log_in(page, live_server.url, staff)
    page.goto(live_server.url + "/personal/import/")
    header = page.evaluate("document.querySelector('header').scrollWidth")
    assert header <= PHONE["width"], f"the menu is {header} px wide"
    _assert_fits(page, "the import page")

    _open_menu(page)

    _assert_fits(page, "the import page with the menu open")
    page.get_by_role("link", name="Aggregering").click()
    page.wait_for_url(f"{live_server.url}/personal/aggregering/")


def test_the_wide_screen_shows_the_menu_without_a_button(
    live_server, page, cycle_2024, staff
):
    _log_in(page, live_server.url, staff)

    assert page.get_by_role("button", name="Meny").is_hidden()
    assert page.get_by_role("button", name="Logga ut").is_visible()
    assert page.get_by_role("link", name="Aggregering").is_visible()


def _fill_shown_questions(page) -> None:
    """Answer every question shown in the section as a respondent would, by tapping.

    The first option of each choice, the first item of each tick list, a figure in each
    number field (never "cannot be estimated"), a few words in each text field, an e-mail
    address and a telephone number in the contact fields. An answer
    may open a follow-up question; it is answered in the next round.
    """
    for _round in range(3):
        questions = page.locator("fieldset.question:visible")
        for index in range(questions.count()):
            question = questions.nth(index)
            numbers = question.locator("input[inputmode=numeric]")
            for field_index in range(numbers.count()):
                field = numbers.nth(field_index)
                if not field.input_value():
                    percent = field.locator("xpath=..").locator(".input-group-text")
                    field.fill(PERCENT if percent.count() else NUMBER)
            texts = question.locator("textarea, input[type=text]:not([inputmode])")
            for field_index in range(texts.count()):
                if not texts.nth(field_index).input_value():
                    texts.nth(field_index).fill(TEXT)
            for selector, typed in (
                ("input[type=email]", "anna.andersson@exempel.se"),
                ("input[type=tel]", "070-174 06 50"),
            ):
                fields = question.locator(selector)
                for field_index in range(fields.count()):
                    if not fields.nth(field_index).input_value():
                        fields.nth(field_index).fill(typed)
            kinds = ["radio"] if numbers.count() else ["radio", "checkbox"]
            for kind in kinds:
                names = question.locator(f"input[type={kind}]").evaluate_all(
                    "(inputs) => [...new Set(inputs.map((i) => i.name))]"
                )
                for name in names:
                    group = question.locator(f"input[type={kind}][name='{name}']")
                    if not group.evaluate_all(
                        "(inputs) => inputs.some((i) => i.checked)"
                    ):
                        group.first.check()


def test_a_region_respondent_answers_and_submits_the_whole_questionnaire_on_a_phone(
    live_server, page, cycle_2024, region_respondent
):
    questionnaire = cycle_2024["region"]
    page.set_viewport_size(PHONE)
    _log_in(page, live_server.url, region_respondent)
    _assert_fits(page, "the start page")
    # The questionnaire's row is a block in which each value shows its column's heading.
    shown = page.locator("table.table-stack td").evaluate_all(
        "(cells) => cells.map((c) => getComputedStyle(c, '::before').content)"
    )
    assert '"Sista svarsdag: "' in shown, shown
    page.get_by_role("button", name="Starta").first.click()

    titles = list(questionnaire.sections.values_list("title", flat=True))
    for position, title in enumerate(titles, start=1):
        page.get_by_role(
            "heading", name=f"Avsnitt {position} av {len(titles)}"
        ).wait_for()
        assert title in page.get_by_role("heading", level=2).first.inner_text()
        _assert_fits(page, f"section {position}")
        _fill_shown_questions(page)
        _assert_fits(page, f"section {position}, answered")
        last = position == len(titles)
        page.get_by_role(
            "button", name="Spara och granska" if last else "Spara och fortsätt"
        ).click()

    page.get_by_role("button", name="Skicka in enkäten").wait_for()
    _assert_fits(page, "the review page")
    response = Response.objects.get(
        questionnaire=questionnaire, organisation__code="01"
    )
    assert response_check(response=response) == {}
    page.get_by_role("button", name="Skicka in enkäten").click()
    page.get_by_text("Tack! Enkäten är inskickad.").wait_for()
    _assert_fits(page, "the summary")

    with page.expect_download() as download:
        page.get_by_role("link", name="Ladda ner kvitto (PDF)").click()
    with open(download.value.path(), "rb") as receipt:
        assert receipt.read(5) == b"%PDF-"
    response.refresh_from_db()
    assert response.status == Response.Status.SUBMITTED
    assert response.submitted_by == region_respondent

    _open_menu(page)
    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_url(f"{live_server.url}/konto/logga-in/**")
