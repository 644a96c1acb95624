"""The staff's upload page of published figures of earlier years."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from aggregation.models import AggregationRun, PublishedValue
from tests.factories import UserFactory
from tests.surveys.helpers import by_id, page, text, tr

pytestmark = pytest.mark.django_db

URL = "aggregation:published-upload"
GOOD = (
    b"question,item,option,level,unit,percent\n"
    b'S02,,"Ja, alla kommuner",riket,SE,29\n'
    b'S02,,"Ja, vissa kommuner",riket,SE,25\n'
)


def upload(client, questionnaire, data: bytes, name="2023.csv", year="2023"):
    return client.post(
        reverse(URL),
        {
            "questionnaire": questionnaire.pk,
            "year": year,
            "file": SimpleUploadedFile(name, data, content_type="text/csv"),
        },
    )


def preview_url(response) -> str:
    assert response.status_code == 302, response.content.decode()
    return response["Location"]


def confirm(client, url: str, action: str = "import"):
    return client.post(url, {"action": action})


def test_staff_upload_a_file_confirm_it_and_see_the_figures_stored(
    client, staff, cycle_2024
):
    client.force_login(staff)
    rss = cycle_2024["rss"]

    url = preview_url(upload(client, rss, GOOD))

    assert not PublishedValue.objects.exists()
    preview = page(client.get(url))
    assert "2023" in text(preview) and rss.title in text(preview)
    changes = text(by_id(preview, "published-changes"))
    assert "Ersätt sparade siffror: 0" in changes
    assert "Lägg till nya siffror: 2" in changes
    assert "Ta bort sparade siffror som saknas i filen: 0" in changes
    assert by_id(preview, "published-replaces") is None

    done = confirm(client, url)

    assert done.status_code == 302 and done["Location"] == url
    assert PublishedValue.objects.filter(year=2023).count() == 2
    report = text(by_id(page(client.get(url)), "published-report"))
    assert "2 siffror för 2023" in report
    shown = text(page(client.get(reverse(URL))))
    assert rss.title in shown


def test_the_preview_says_how_many_stored_figures_a_file_replaces(
    client, staff, cycle_2024
):
    client.force_login(staff)
    rss = cycle_2024["rss"]
    confirm(client, preview_url(upload(client, rss, GOOD)))
    # One figure again with another value, one new; the other stored one is not in it.
    second = (
        b"question,item,option,level,unit,percent\n"
        b'S02,,"Ja, alla kommuner",riket,SE,30\n'
        b'S02,,"Nej (kommunerna har inte samverkat)",riket,SE,46\n'
    )

    url = preview_url(upload(client, rss, second, name="ny.csv"))

    preview = page(client.get(url))
    changes = text(by_id(preview, "published-changes"))
    assert "Ersätt sparade siffror: 1 (med ett annat värde: 1)" in changes
    assert "Lägg till nya siffror: 1" in changes
    assert "Ta bort sparade siffror som saknas i filen: 1" in changes
    assert "2023" in text(by_id(preview, "published-replaces"))
    assert sorted(
        PublishedValue.objects.filter(year=2023).values_list("percent", flat=True)
    ) == [25, 29]

    confirm(client, url)

    assert sorted(
        PublishedValue.objects.filter(year=2023).values_list("percent", flat=True)
    ) == [30, 46]


def test_a_second_confirm_of_the_same_preview_saves_nothing_more(
    client, staff, cycle_2024
):
    client.force_login(staff)
    url = preview_url(upload(client, cycle_2024["rss"], GOOD))
    confirm(client, url)
    stored = list(PublishedValue.objects.values_list("pk", flat=True))
    runs = AggregationRun.objects.count()

    again = confirm(client, url)

    assert again.status_code == 302
    assert list(PublishedValue.objects.values_list("pk", flat=True)) == stored
    assert AggregationRun.objects.count() == runs


def test_a_stale_preview_saves_nothing_and_shows_the_changes_as_they_are_now(
    client, staff, cycle_2024
):
    client.force_login(staff)
    rss = cycle_2024["rss"]
    first = preview_url(upload(client, rss, GOOD))
    second = preview_url(upload(client, rss, GOOD, name="samma.csv"))
    client.get(second)  # previewed: nothing stored, everything added
    confirm(client, first)
    stored = list(PublishedValue.objects.values_list("pk", flat=True))

    stale = client.post(second, {"action": "import"}, follow=True)

    assert list(PublishedValue.objects.values_list("pk", flat=True)) == stored
    body = text(page(stale))
    assert "ändrades efter att förhandsvisningen visades" in body
    assert "Ersätt sparade siffror: 2" in text(by_id(page(stale), "published-changes"))
    # Confirmed again, now with the counts shown: saved.
    confirm(client, second)
    assert PublishedValue.objects.filter(year=2023).count() == 2
    assert list(PublishedValue.objects.values_list("pk", flat=True)) != stored


def test_a_discarded_file_saves_nothing(client, staff, cycle_2024):
    client.force_login(staff)
    url = preview_url(upload(client, cycle_2024["rss"], GOOD))

    response = confirm(client, url, "discard")

    assert response.status_code == 302 and response["Location"] == reverse(URL)
    assert not PublishedValue.objects.exists()
    confirm(client, url)
    assert not PublishedValue.objects.exists()


def test_only_the_uploader_sees_and_confirms_the_preview(client, staff, cycle_2024):
    client.force_login(staff)
    url = preview_url(upload(client, cycle_2024["rss"], GOOD))
    client.force_login(UserFactory(username="colleague@example.se", is_staff=True))

    assert client.get(url).status_code == 404
    assert confirm(client, url).status_code == 404
    assert not PublishedValue.objects.exists()


def test_a_bad_file_lists_every_error_and_stores_nothing(client, staff, cycle_2024):
    client.force_login(staff)
    bad = GOOD + b"S02,,Kanske,riket,SE,5\nS99,,Ja,riket,SE,5\n"

    response = upload(client, cycle_2024["rss"], bad)

    assert response.status_code == 400
    errors = text(by_id(page(response), "import-errors"))
    assert "Rad 4, option" in errors
    assert "Rad 5, question" in errors
    assert not PublishedValue.objects.exists()


def test_an_excel_workbook_is_refused_with_a_hint(client, staff, cycle_2024):
    client.force_login(staff)

    response = upload(client, cycle_2024["rss"], b"PK\x03\x04rest", name="v.xlsx")

    assert response.status_code == 200
    assert not PublishedValue.objects.exists()
    assert tr("CSV file") in text(page(response))


def test_the_page_is_for_staff_only(client, region_respondent, cycle_2024):
    client.force_login(region_respondent)

    assert client.get(reverse(URL)).status_code == 403
    assert upload(client, cycle_2024["rss"], GOOD).status_code == 403
    assert not PublishedValue.objects.exists()


def test_anonymous_visitors_are_asked_to_log_in(client, cycle_2024):
    response = client.get(reverse(URL))

    assert response.status_code == 302
    assert "/login/" in response["Location"] or "logga-in" in response["Location"]


def test_the_aggregation_and_reports_pages_link_it(client, staff, cycle_2024):
    client.force_login(staff)

    for name in ("aggregation:runs", "reports:index"):
        assert reverse(URL) in client.get(reverse(name)).content.decode()
