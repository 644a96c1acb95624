"""Staff code ten free-text answers in Chromium with the keyboard only: j/k to move,
digits to tick and untick themes, 0 for "no theme applies" (unticking what was
ticked), q for a quote. Every key saves at once: after a reload the page, the database
and the counts page agree."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from coding.models import CodedAnswer, Quote, ThemeCoding
from coding.services import codebook_get_or_create, theme_create
from regions.models import Organisation
from tests.coding.conftest import answer
from tests.conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

THEMES = ("Hemsjukvård", "Bemanning", "Samverkan")
# Per answer in page order: the keys pressed on it, its themes after them (by number).
PLAN = [
    (["1"], {1}),
    (["2", "3"], {2, 3}),
    (["1", "0"], set()),
    (["1", "2", "3"], {1, 2, 3}),
    (["q", "2"], {2}),
    (["3"], {3}),
    (["1"], {1}),
    (["1", "1"], set()),
    (["2"], {2}),
    (["1", "3"], {1, 3}),
]
# Answer 6 gets theme 1 as well, coming back to it with k (see the test).
FINAL = {index: set(themes) for index, (_keys, themes) in enumerate(PLAN)}
FINAL[5] = {1, 3}


def _log_in(page, base_url: str, user) -> None:
    page.goto(f"{base_url}/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(user.username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"{base_url}/")


def _current(page, response) -> None:
    expect(page.locator(".coding-answer.current")).to_have_id(f"svar-{response.pk}")


def _press(page, key: str) -> None:
    """A key that saves: wait for the server's answer and the page showing it."""
    path = "/citat/" if key == "q" else "/svar/"
    with page.expect_response(
        lambda r: path in r.url and r.request.method == "POST" and r.ok
    ):
        page.keyboard.press(key)


def _ticked(page, response, themes, expected: set[int]) -> None:
    """The answer's boxes: those of the expected theme numbers ticked, no other."""
    card = page.locator(f"#svar-{response.pk}")
    for number, theme in enumerate(themes, start=1):
        box = card.locator(f"input[name=theme][value='{theme.pk}']")
        assert box.get_attribute("data-key") == str(number)
        if number in expected:
            expect(box).to_be_checked()
        else:
            expect(box).not_to_be_checked()


def test_ten_answers_are_coded_with_the_keyboard_and_saved(
    live_server, page, cycle_2024, staff
):
    municipality = cycle_2024["municipality"]
    codebook = codebook_get_or_create(
        question=municipality.questions.get(code="K02"), item="", by=staff
    )
    themes = [theme_create(codebook=codebook, name=n, by=staff) for n in THEMES]
    codes = list(
        Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY)
        .order_by("code")
        .values_list("code", flat=True)[:12]
    )
    # Twelve answers: ten coded, two left; the page lists them in code order.
    responses = [
        answer(municipality, code, "K02", f"Svar från kommun {code} om vården.")
        for code in codes
    ]
    url = live_server.url + reverse("coding:code", args=[codebook.pk])
    _log_in(page, live_server.url, staff)
    page.goto(url)
    expect(page.locator(".coding-answer")).to_have_count(12)
    # No save buttons with the script: every key saves at once.
    expect(page.locator(".save-button").first).to_be_hidden()

    for index, (keys, _themes) in enumerate(PLAN):
        _current(page, responses[index])
        for key in keys:
            _press(page, key)
        if index == 6:
            # Back to the previous answer with k, tick theme 1 there, then on with j.
            page.keyboard.press("k")
            _current(page, responses[5])
            _press(page, "1")
            page.keyboard.press("j")
            _current(page, responses[6])
        card = page.locator(f"#svar-{responses[index].pk}")
        expect(card.locator(".coded-badge")).to_be_visible()
        if index < len(PLAN) - 1:
            page.keyboard.press("j")
    # The quoted answer shows its badge at once.
    expect(page.locator(f"#svar-{responses[4].pk} .quote-badge")).to_be_visible()

    # In the database: each of the ten answers coded by staff with its themes.
    by_number = {theme.pk: number for number, theme in enumerate(themes, start=1)}
    for index, response in enumerate(responses):
        coded = CodedAnswer.objects.filter(
            codebook=codebook, response=response, coder=staff
        ).first()
        if index >= len(PLAN):
            assert coded is None, response.organisation.code
            continue
        assert coded is not None, response.organisation.code
        saved = {
            by_number[t]
            for t in ThemeCoding.objects.filter(coded=coded).values_list(
                "theme_id", flat=True
            )
        }
        assert saved == FINAL[index], (index, saved)
    quotes = Quote.objects.filter(codebook=codebook)
    assert [(q.response_id, q.show_organisation) for q in quotes] == [
        (responses[4].pk, False)
    ]

    # After a reload the page shows the same.
    page.reload()
    expect(page.locator(".coding-answer")).to_have_count(12)
    for index, response in enumerate(responses):
        card = page.locator(f"#svar-{response.pk}")
        if index >= len(PLAN):
            expect(card.locator(".coded-badge")).to_be_hidden()
            expect(card.locator("input[name=theme]:checked")).to_have_count(0)
            continue
        expect(card.locator(".coded-badge")).to_be_visible()
        _ticked(page, response, themes, FINAL[index])
    expect(page.locator(f"#svar-{responses[4].pk} .quote-badge")).to_be_visible()

    # The counts page: twelve answered, ten coded; theme 1 in 5 of them, 2 and 3 in 4.
    page.goto(live_server.url + reverse("reports:theme-counts", args=[codebook.pk]))
    expect(page.locator("#coverage")).to_contain_text("12")
    expect(page.locator("#coverage")).to_contain_text("10")
    phrases = page.locator(".riket-phrase")
    expect(phrases).to_have_text(
        [
            "42 % av kommunerna (5 av 12)",
            "33 % av kommunerna (4 av 12)",
            "33 % av kommunerna (4 av 12)",
        ]
    )
