"""Never losing work, in Chromium: autosave, the leave warning, the error summary."""

from __future__ import annotations

import re

import pytest

from surveys.answers import Value
from surveys.models import Response
from surveys.services import answers_map, response_get_or_create, response_save_answers
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

SAVED = re.compile(r"Sparat \d\d\.\d\d")


@pytest.fixture
def response(cycle_2024, region_respondent) -> Response:
    return response_get_or_create(
        questionnaire=cycle_2024["region"],
        organisation=region_respondent.membership.organisation,
    )


def log_in(page, live_server, user) -> None:
    page.goto(f"{live_server.url}/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(user.username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"{live_server.url}/")


def open_section(page, live_server, response: Response, code: str) -> None:
    position = response.questionnaire.questions.get(code=code).section.position
    page.goto(f"{live_server.url}/svar/{response.pk}/avsnitt/{position}/")


def autosaves(page) -> list:
    """The autosave requests the page sends, as they are sent."""
    sent: list = []
    page.on(
        "request",
        lambda request: (
            sent.append(request) if request.headers.get("x-autosave") == "1" else None
        ),
    )
    return sent


def expected_failures(browser_problems, marker: str) -> None:
    """The browser logs the refused autosave request the test provoked: no problem."""
    browser_problems.console_errors = [
        e for e in browser_problems.console_errors if marker not in e
    ]


def test_typing_is_saved_after_a_pause_with_the_time_shown_and_one_request(
    live_server, page, response, region_respondent
):
    log_in(page, live_server, region_respondent)
    open_section(page, live_server, response, "36")
    sent = autosaves(page)
    status = page.locator("#autosave-status")
    assert "sparas automatiskt" in status.inner_text()

    page.locator("#id_q_36").press_sequentially("1600000", delay=40)
    page.get_by_text(SAVED).wait_for()

    assert SAVED.search(status.inner_text())
    assert status.get_attribute("aria-live") == "polite"
    assert len(sent) == 1  # the keystrokes were debounced into one save
    assert answers_map(response) == {("36", ""): Value(number=1600000)}
    # The page carries the new version: the button's save is no conflict.
    page.locator("#id_q_36").fill("1700000")
    page.get_by_role("button", name="Spara utkast").click()
    page.get_by_text("Dina svar är sparade.").wait_for()
    assert answers_map(response) == {("36", ""): Value(number=1700000)}
    assert page.locator("#stale-alert").count() == 0


def test_leaving_a_field_saves_at_once_and_a_saved_page_leaves_without_warning(
    live_server, page, response, region_respondent
):
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.accept()))
    log_in(page, live_server, region_respondent)
    open_section(page, live_server, response, "36")

    page.locator("#id_q_36").fill("4 245 026")
    page.locator("#id_q_36").blur()
    page.get_by_text(SAVED).wait_for(timeout=1500)  # before the typing pause is over
    page.get_by_role("link", name="Granska och skicka in").click()
    page.wait_for_url("**/granska/")

    assert dialogs == []
    assert answers_map(response) == {("36", ""): Value(number=4245026)}


def test_a_change_that_removes_follow_up_answers_says_so_is_not_autosaved_and_warns_on_leaving(
    live_server, page, response, region_respondent
):
    response_save_answers(
        response=response,
        values={
            ("29", ""): Value(text="Ja"),
            ("29b", "Legitimerad läkare"): Value(text="Ja"),
        },
        by=region_respondent,
        version=None,
    )
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    log_in(page, live_server, region_respondent)
    open_section(page, live_server, response, "29")

    page.locator("#q-29").get_by_label("Nej", exact=True).check()

    note = page.locator("#q-29 .followup-note")
    note.wait_for()
    assert "29b" in note.inner_text()
    page.get_by_text("Inte sparat ännu").wait_for(timeout=5000)
    assert answers_map(response)[("29b", "Legitimerad läkare")] == Value(text="Ja")
    # Leaving by a link asks first; staying keeps the page as it was.
    page.get_by_role("link", name="Granska och skicka in").click()
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]
    assert "/avsnitt/" in page.url
    assert page.locator("#q-29").get_by_label("Nej", exact=True).is_checked()
    # Saving on purpose removes them, and says so.
    page.get_by_role("button", name="Spara utkast").click()
    page.get_by_text("Dina svar är sparade.").wait_for()
    assert page.get_by_text("Svaret på fråga 29b togs bort").is_visible()
    assert not any(code == "29b" for code, _item in answers_map(response))


def test_an_autosave_after_a_colleague_saved_shows_the_conflict_and_overwrites_nothing(
    live_server, page, response, region_respondent, region_colleague, browser_problems
):
    log_in(page, live_server, region_respondent)
    open_section(page, live_server, response, "36")
    response_save_answers(
        response=response,
        values={("36", ""): Value(number=1000)},
        by=region_colleague,
        version=1,
    )

    page.locator("#id_q_36").fill("2000")
    page.locator("#id_q_36").blur()

    page.get_by_text("någon annan").wait_for()
    status = page.locator("#autosave-status").inner_text()
    assert (
        "bo@regionstockholm.se" in status or region_colleague.get_full_name() in status
    )
    assert answers_map(response) == {("36", ""): Value(number=1000)}
    assert page.locator("#id_q_36").input_value() == "2000"
    # The button then shows what the colleague saved, with the input kept.
    page.get_by_role("button", name="Spara utkast").click()
    page.locator("#stale-alert").wait_for()
    assert page.locator("#id_q_36").input_value() == "2000"
    expected_failures(browser_problems, "status of 409")


def test_an_expired_session_keeps_the_text_and_saves_after_logging_in_again(
    live_server, page, response, region_respondent
):
    log_in(page, live_server, region_respondent)
    open_section(page, live_server, response, "31")
    page.context.clear_cookies(name="sessionid")

    box = page.locator("#id_q_31")
    box.fill("Vi har infört fast vårdkontakt på alla vårdcentraler.")
    box.blur()

    page.get_by_text("Du har loggats ut").wait_for()
    assert box.input_value().startswith("Vi har infört")
    assert not answers_map(response)
    login = page.get_by_role("link", name="Logga in i en ny flik")
    assert login.get_attribute("target") == "_blank"
    other = page.context.new_page()
    log_in(other, live_server, region_respondent)
    other.close()
    box.press("End")
    box.press_sequentially(" Klart.")
    page.get_by_text(SAVED).wait_for()
    assert answers_map(response) == {
        ("31", ""): Value(
            text="Vi har infört fast vårdkontakt på alla vårdcentraler. Klart."
        )
    }


def test_offline_autosave_keeps_the_text_and_saves_when_back_online(
    live_server, page, response, region_respondent, browser_problems
):
    log_in(page, live_server, region_respondent)
    open_section(page, live_server, response, "36")
    page.context.set_offline(True)

    page.locator("#id_q_36").fill("500")
    page.locator("#id_q_36").blur()
    page.get_by_text("ingen kontakt med servern").wait_for()
    page.context.set_offline(False)

    page.get_by_text(SAVED).wait_for(timeout=20000)
    assert answers_map(response) == {("36", ""): Value(number=500)}
    expected_failures(browser_problems, "ERR_INTERNET_DISCONNECTED")


def test_the_error_summary_is_focused_titled_and_links_to_the_field(
    live_server, page, response, region_respondent
):
    log_in(page, live_server, region_respondent)
    open_section(page, live_server, response, "35")

    page.locator("#id_q_35").fill("150")
    page.locator("#id_q_36").fill("100")
    page.get_by_role("button", name="Spara utkast").click()

    summary = page.get_by_role("alert").filter(has_text="Det finns ett problem")
    summary.wait_for()
    assert page.title().startswith("Fel: ")
    # The page's script moves the focus once it has run (after the alert is shown).
    page.wait_for_function(
        "document.activeElement && document.activeElement.id === 'error-summary'",
        timeout=10_000,
    )
    assert answers_map(response) == {("36", ""): Value(number=100)}
    summary.get_by_role("link", name=re.compile("Fråga 35")).click()
    assert page.evaluate("document.activeElement.id") == "id_q_35"
    assert page.locator("#id_q_35").input_value() == "150"


def test_save_clicked_during_a_background_save_waits_for_it_even_on_a_double_click(
    live_server, page, response, region_respondent
):
    log_in(page, live_server, region_respondent)
    open_section(page, live_server, response, "36")
    posts: list = []
    page.on(
        "request",
        lambda request: (
            posts.append(request)
            if request.method == "POST" and not request.headers.get("x-autosave")
            else None
        ),
    )

    page.locator("#id_q_36").fill("2500")
    page.get_by_role("button", name="Spara utkast").dblclick()

    page.get_by_text("Dina svar är sparade.").wait_for()
    assert len(posts) == 1
    assert page.locator("#stale-alert").count() == 0
    assert answers_map(response) == {("36", ""): Value(number=2500)}
