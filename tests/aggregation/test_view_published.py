"""The staff's upload page of published figures of earlier years."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from aggregation.models import PublishedValue
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


def test_staff_upload_a_file_and_see_the_figures_stored(client, staff, cycle_2024):
    client.force_login(staff)
    rss = cycle_2024["rss"]

    response = upload(client, rss, GOOD)

    assert response.status_code == 302
    assert PublishedValue.objects.filter(year=2023).count() == 2
    shown = client.get(reverse(URL))
    body = text(page(shown))
    assert "2 publicerade siffror för 2023 sparades" in body
    assert rss.title in body


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
