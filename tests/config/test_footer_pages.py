"""The footer on every page (support contact, personal data, accessibility statement)
and its two pages, open to everyone."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from tests.config.test_deploy_checks import production_environment, run
from tests.surveys.helpers import attrs, find_all, page, text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def contacts(settings):
    settings.SUPPORT_EMAIL = "support@example.se"
    settings.SUPPORT_PHONE = "075-247 30 00"
    settings.DATA_PROTECTION_EMAIL = "dso@example.se"


def footer(response):
    (element,) = find_all(page(response), "footer")
    return element


@pytest.mark.parametrize(
    "name", ["login", "password_reset", "personal-data", "accessibility"]
)
def test_the_public_pages_have_the_footer(client, name):
    element = footer(client.get(reverse(name)))

    hrefs = [attrs(a)["href"] for a in find_all(element, "a")]
    assert hrefs == [
        "mailto:support@example.se",
        "tel:075-2473000",
        "/personuppgifter/",
        "/tillganglighet/",
    ]
    assert "Personuppgifter" in text(element)
    assert "Tillgänglighetsredogörelse" in text(element)


def test_the_pages_of_a_logged_in_person_have_the_footer(client, region_respondent):
    client.force_login(region_respondent)

    element = footer(client.get(reverse("surveys:home")))

    assert find_all(element, "a", href="mailto:support@example.se")
    assert find_all(element, "a", href=reverse("accessibility"))


def test_the_telephone_is_left_out_without_a_number(client, settings):
    settings.SUPPORT_PHONE = ""

    element = footer(client.get(reverse("login")))

    assert not [
        a for a in find_all(element, "a") if attrs(a)["href"].startswith("tel:")
    ]
    assert "telefon" not in text(element)


def test_the_footer_links_are_a_named_navigation(client):
    (nav,) = find_all(footer(client.get(reverse("login"))), "nav")

    assert attrs(nav)["aria-label"] == "Om tjänsten"


def test_the_personal_data_page_says_what_why_how_long_and_where_to_complain(
    client,
):
    result = client.get(reverse("personal-data"))

    assert result.status_code == 200
    html = page(result)
    headings = [text(h) for h in find_all(html, "h2")]
    assert headings == [
        "Vilka personuppgifter vi sparar",
        "Varför vi behandlar dem",
        "Hur länge vi sparar dem",
        "Dina rättigheter",
        "Kontakt",
        "Klagomål",
    ]
    (main,) = find_all(html, "main")
    assert find_all(main, "a", href="mailto:dso@example.se")
    assert find_all(main, "a", href="https://www.imy.se/")
    assert "artikel 6.1 e" in text(main)


def test_the_accessibility_statement_follows_diggs_model(client, settings):
    settings.ACCESSIBILITY_REVIEWED = datetime.date(2026, 11, 30)

    result = client.get(reverse("accessibility"))

    assert result.status_code == 200
    html = page(result)
    (main,) = find_all(html, "main")
    assert [text(h) for h in find_all(main, "h2")] == [
        "Hur tillgänglig är tjänsten?",
        "Vad kan du göra om du inte kan använda delar av tjänsten?",
        "Rapportera brister i tjänstens tillgänglighet",
        "Tillsyn",
        "Teknisk information om tjänstens tillgänglighet",
        "Hur vi har testat tjänsten",
    ]
    assert find_all(main, "a", href="https://www.digg.se/tdosanmalan")
    assert find_all(main, "a", href="mailto:support@example.se")
    assert "30 november 2026" in text(main)


def test_a_malformed_review_date_stops_the_site_with_the_reason():
    result = run(
        ["manage.py", "check"],
        production_environment(ACCESSIBILITY_REVIEWED="30/11/2026"),
    )

    assert result.returncode != 0
    assert "ACCESSIBILITY_REVIEWED='30/11/2026' is no date" in result.stderr
    assert "YYYY-MM-DD" in result.stderr


def test_the_footer_marks_the_page_shown(client):
    element = footer(client.get(reverse("accessibility")))

    (current,) = [a for a in find_all(element, "a") if "aria-current" in attrs(a)]
    assert attrs(current) == {"href": "/tillganglighet/", "aria-current": "page"}
