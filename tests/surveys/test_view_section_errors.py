"""Field errors on the section page: numbers as Swedes write them, the cannot-estimate
pair, exclusive alternatives and the contact block, each with a message saying what to do.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from surveys.answers import Value
from surveys.models import Answer, Response
from surveys.services import answers_map
from tests.surveys.helpers import attrs, by_id, find_all, page, text

pytestmark = pytest.mark.django_db

NONE_OF_THE_ABOVE = "Inget av ovanstående"


def section_url(response: Response, code: str) -> str:
    position = response.questionnaire.questions.get(code=code).section.position
    return reverse("surveys:response-section", args=[response.pk, position])


def post(client, response: Response, code: str, data: dict):
    return client.post(
        section_url(response, code), {"version": response.version, **data}
    )


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1 600 000", 1_600_000),
        ("1600000", 1_600_000),
        ("1\u00a0600\u00a0000", 1_600_000),
        ("1\u202f600\u202f000", 1_600_000),
        (" 1 600 000 ", 1_600_000),
        ("1.600.000", 1_600_000),
        ("1 600 000,00", 1_600_000),
    ],
)
def test_a_count_is_saved_as_swedes_write_it(
    respondent_client, region_response, raw, expected
):
    result = post(respondent_client, region_response, "36", {"q_36": raw})

    assert result.status_code == 302
    assert answers_map(region_response)[("36", "")] == Value(number=expected)


@pytest.mark.parametrize(
    ("code", "raw", "message"),
    [
        (
            "35",
            "72,5",
            "Ange andelen i hela procent utan decimaler, till exempel 73 i stället "
            "för 72,5.",
        ),
        ("35", "140", "Ange en andel mellan 0 och 100, till exempel 45."),
        ("35", "ungefär hälften", "Ange en andel mellan 0 och 100, till exempel 45."),
        (
            "36",
            "1 600,5",
            "Ange antalet som ett heltal utan decimaler, till exempel 1 601 i "
            "stället för 1 600,5.",
        ),
        ("36", "9" * 19, "Ange ett antal som är högst 1 000 000 000 000."),
        ("36", "1" * 200, "Ange antalet med siffror, till exempel 12 500."),
    ],
)
def test_a_number_that_does_not_fit_gets_a_message_with_what_to_write(
    respondent_client, region_response, code, raw, message
):
    result = post(respondent_client, region_response, code, {f"q_{code}": raw})

    assert result.status_code == 400
    html = page(result)
    assert message in text(by_id(html, f"q-{code}-errors"))
    (field,) = find_all(html, "input", name=f"q_{code}")
    assert attrs(field)["value"] == raw  # kept for correcting, not lost
    assert not Answer.objects.filter(response=region_response).exists()


def test_a_figure_and_cannot_estimate_together_are_refused_and_both_kept(
    respondent_client, region_response
):
    result = post(
        respondent_client, region_response, "36", {"q_36": "400", "q_36_ce": "on"}
    )

    assert result.status_code == 400
    html = page(result)
    assert text(by_id(html, "q-36-errors")) == (
        "Fel: Skriv antingen ett tal eller markera ”Antalet kan inte uppskattas”, "
        "inte båda."
    )
    (field,) = find_all(html, "input", name="q_36")
    assert attrs(field)["value"] == "400"
    (tick,) = find_all(html, "input", name="q_36_ce")
    assert "checked" in attrs(tick)
    assert not Answer.objects.filter(response=region_response).exists()


def test_cannot_estimate_alone_is_saved(respondent_client, region_response):
    result = post(respondent_client, region_response, "36", {"q_36_ce": "on"})

    assert result.status_code == 302
    assert answers_map(region_response)[("36", "")] == Value(cannot_estimate=True)


def test_the_cannot_estimate_box_names_the_number_field_it_clears(
    respondent_client, region_response
):
    html = page(respondent_client.get(section_url(region_response, "36")))

    (tick,) = find_all(html, "input", name="q_36_ce")
    (field,) = find_all(html, "input", name="q_36")
    assert attrs(tick)["data-cannot-estimate-for"] == attrs(field)["id"]
    assert "q-36-hint" in attrs(field)["aria-describedby"].split()
    assert "till exempel 12 500" in text(by_id(html, "q-36-hint"))


def test_none_of_the_above_is_offered_last_and_marked_exclusive(
    respondent_client, region_response
):
    html = page(respondent_client.get(section_url(region_response, "23")))

    boxes = find_all(by_id(html, "q-23"), "input", name="q_23")
    assert [attrs(b)["value"] for b in boxes][-1] == NONE_OF_THE_ABOVE
    assert ["data-exclusive" in attrs(b) for b in boxes] == [False, False, False, True]
    assert "eller" in text(by_id(html, "q-23"))


def test_none_of_the_above_alone_is_saved_as_the_only_tick(
    respondent_client, region_response
):
    result = post(respondent_client, region_response, "23", {"q_23": NONE_OF_THE_ABOVE})

    assert result.status_code == 302
    saved = answers_map(region_response)
    assert saved[("23", NONE_OF_THE_ABOVE)] == Value(text="Ja")
    assert saved[("23", "hembesöksprogram")] == Value(text="")


def test_none_of_the_above_with_another_alternative_is_refused(
    respondent_client, region_response
):
    result = post(
        respondent_client,
        region_response,
        "24",
        {"q_24": [NONE_OF_THE_ABOVE, "Andra insatser"]},
    )

    assert result.status_code == 400
    assert text(by_id(page(result), "q-24-errors")) == (
        "Fel: ”Inget av ovanstående” kan inte markeras tillsammans med andra "
        "alternativ. Avmarkera antingen ”Inget av ovanstående” eller de andra."
    )
    assert not Answer.objects.filter(response=region_response).exists()


CONTACT = {"q_kontakt_0": "Anna Berg"}


@pytest.mark.parametrize(
    ("email", "phone", "refused", "messages"),
    [
        (
            "anna.berg",
            "070-174 06 50",
            "E-postadress",
            ["Ange en e-postadress i rätt format, till exempel namn@exempel.se."],
        ),
        (
            "anna.berg@region.se",
            "1234",
            "Telefonnummer",
            [
                "Ange ett telefonnummer som börjar med 0 eller +46, till exempel "
                "070-174 06 50 eller +46 8 123 456 78."
            ],
        ),
    ],
)
def test_the_contact_block_refuses_a_malformed_e_mail_or_phone(
    respondent_client, region_response, email, phone, refused, messages
):
    result = post(
        respondent_client,
        region_response,
        "kontakt",
        {**CONTACT, "q_kontakt_1": email, "q_kontakt_2": phone},
    )

    assert result.status_code == 400
    errors = text(by_id(page(result), "q-kontakt-errors"))
    assert all(f"{refused}: {message}" in errors for message in messages)
    # The draft keeps what is valid; the malformed value is not stored.
    assert ("kontakt", refused) not in answers_map(region_response)


def test_the_contact_block_saves_a_valid_e_mail_and_swedish_phone(
    respondent_client, region_response
):
    result = post(
        respondent_client,
        region_response,
        "kontakt",
        {
            **CONTACT,
            "q_kontakt_1": "anna.berg@region.se",
            "q_kontakt_2": "+46 8-123 45",
        },
    )

    assert result.status_code == 302
    saved = answers_map(region_response)
    assert saved[("kontakt", "E-postadress")] == Value(text="anna.berg@region.se")
    assert saved[("kontakt", "Telefonnummer")] == Value(text="+46 8-123 45")


def test_the_contact_inputs_ask_phones_for_the_right_keyboard(
    respondent_client, region_response
):
    html = page(respondent_client.get(section_url(region_response, "kontakt")))

    (email,) = find_all(html, "input", name="q_kontakt_1")
    (phone,) = find_all(html, "input", name="q_kontakt_2")
    assert (attrs(email)["type"], attrs(email)["autocomplete"]) == ("email", "email")
    assert (attrs(phone)["type"], attrs(phone)["autocomplete"]) == ("tel", "tel")
