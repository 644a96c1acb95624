"""The coding pages over HTTP: staff only, ticks by form and by script, export."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from coding.models import CodedAnswer, CodingChange, Resolution, ThemeCoding
from coding.services import coding_change
from tests.coding.conftest import answer
from tests.reports.conftest import document_get

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def test_coding_pages_answer_403_to_a_respondent_and_a_coordinator(
    client, cycle_2024, region_codebook, region_respondent, rss_coordinator
):
    response = answer(cycle_2024["region"], "01", "3", "Text.")
    urls = [
        reverse("coding:index"),
        reverse("coding:code", args=[region_codebook.pk]),
        reverse("coding:agreement", args=[region_codebook.pk]),
        reverse("reports:theme-counts", args=[region_codebook.pk]),
        reverse("reports:codings-export", args=[cycle_2024["region"].pk, "csv"]),
    ]
    for user in (region_respondent, rss_coordinator):
        client.force_login(user)
        for url in urls:
            assert client.get(url).status_code == 403, url
        posted = client.post(
            reverse("coding:code-answer", args=[region_codebook.pk, response.pk]),
            {"theme": [str(region_codebook.themes.first().pk)]},
        )
        assert posted.status_code == 403
    assert not ThemeCoding.objects.exists()


def test_the_form_applies_only_what_changed_since_the_page_was_drawn(
    staff_client, staff, cycle_2024, region_codebook
):
    samverkan, bemanning = region_codebook.themes.all()
    response = answer(cycle_2024["region"], "01", "3", "Text.")
    url = reverse("coding:code-answer", args=[region_codebook.pk, response.pk])
    page = reverse("coding:code", args=[region_codebook.pk])
    # The page was drawn with nothing ticked; another window ticked Bemanning since.
    coding_change(
        codebook=region_codebook, response=response, coder=staff, add=[bemanning]
    )
    answered = staff_client.post(url, {"theme": [str(samverkan.pk)], "next": page})
    assert answered.status_code == 302 and answered["Location"] == page
    ticked = set(ThemeCoding.objects.values_list("theme__name", flat=True))
    assert ticked == {"Samverkan", "Bemanning"}
    # Unticking sends the theme as ticked before and not now.
    staff_client.post(
        url, {"before": [str(bemanning.pk)], "next": "https://evil.example/"}
    )
    assert set(ThemeCoding.objects.values_list("theme__name", flat=True)) == {
        "Samverkan"
    }


def test_the_script_ticks_one_theme_and_gets_the_coders_themes_back(
    staff_client, cycle_2024, region_codebook
):
    samverkan = region_codebook.themes.get(name="Samverkan")
    response = answer(cycle_2024["region"], "01", "3", "Text.")
    url = reverse("coding:code-answer", args=[region_codebook.pk, response.pk])
    answered = staff_client.post(
        url,
        json.dumps({"add": [samverkan.pk]}),
        content_type="application/json",
        headers={"Accept": "application/json"},
    )
    assert answered.json() == {"themes": [samverkan.pk], "coded": True}
    # A theme of no codebook of this question: 404, nothing written.
    missing = staff_client.post(
        url,
        json.dumps({"add": [999999]}),
        content_type="application/json",
        headers={"Accept": "application/json"},
    )
    assert missing.status_code == 404


def test_a_response_of_another_questionnaire_is_404(
    staff_client, cycle_2024, region_codebook
):
    municipal = answer(cycle_2024["municipality"], "0114", "K02", "Text.")
    url = reverse("coding:code-answer", args=[region_codebook.pk, municipal.pk])
    assert staff_client.post(url, {}).status_code == 404
    assert not CodedAnswer.objects.exists()


def test_the_coding_page_escapes_answers_and_documents_the_shortcuts(
    staff_client, cycle_2024, region_codebook
):
    answer(cycle_2024["region"], "01", "3", '<script>alert("x")</script> samverkan')
    page = staff_client.get(
        reverse("coding:code", args=[region_codebook.pk]), {"sok": "alert"}
    )
    html = page.content.decode()
    assert "<script>alert" not in html
    assert "&lt;script&gt;<mark>alert</mark>" in html
    assert "<kbd>j</kbd>" in html and "<kbd>q</kbd>" in html


def test_codings_export_as_csv_and_xlsx(
    staff_client,
    staff,
    second_staff,
    cycle_2024,
    region_codebook,
    django_capture_on_commit_callbacks,
):
    samverkan, bemanning = region_codebook.themes.all()
    response = answer(cycle_2024["region"], "03", "3", "Text.")
    coding_change(
        codebook=region_codebook,
        response=response,
        coder=staff,
        add=[samverkan, bemanning],
    )
    coding_change(
        codebook=region_codebook, response=response, coder=second_staff, add=[bemanning]
    )
    questionnaire = cycle_2024["region"]
    # Built by a worker (eager here, at the request's commit), then downloaded.
    got = document_get(
        staff_client,
        reverse("reports:codings-export", args=[questionnaire.pk, "csv"]),
        django_capture_on_commit_callbacks,
    )
    rows = list(csv.reader(io.StringIO(got.content.decode())))
    assert rows == [
        ["question", "item", "organisation", "theme", "coder"],
        ["3", "", "03", "Samverkan", "staff@socialstyrelsen.se"],
        ["3", "", "03", "Bemanning", "second@socialstyrelsen.se"],
        ["3", "", "03", "Bemanning", "staff@socialstyrelsen.se"],
    ]
    assert (
        got["Content-Disposition"] == 'attachment; filename="kodning-region-2024.csv"'
    )
    book = document_get(
        staff_client,
        reverse("reports:codings-export", args=[questionnaire.pk, "xlsx"]),
        django_capture_on_commit_callbacks,
    )
    sheet = load_workbook(io.BytesIO(book.content)).active
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert ["3", None, "03", "Samverkan", "staff@socialstyrelsen.se"] in values


def test_theme_counts_page_shows_phrase_and_chart(
    staff_client, staff, cycle_2024, region_codebook
):
    samverkan = region_codebook.themes.get(name="Samverkan")
    for code in ("01", "03"):
        response = answer(cycle_2024["region"], code, "3", "Samverkan.")
        coding_change(
            codebook=region_codebook, response=response, coder=staff, add=[samverkan]
        )
    answer(cycle_2024["region"], "04", "3", "Annat.")
    page = staff_client.get(reverse("reports:theme-counts", args=[region_codebook.pk]))
    html = page.content.decode()
    assert "2 av 3 regioner" in html
    assert "<svg" in html and "Andel regioner (%) per tema, fråga 3" in html


def test_resolving_a_disagreement_is_recorded(
    staff_client, staff, second_staff, cycle_2024, region_codebook
):
    samverkan = region_codebook.themes.get(name="Samverkan")
    response = answer(cycle_2024["region"], "01", "3", "Samverkan.")
    coding_change(
        codebook=region_codebook, response=response, coder=staff, add=[samverkan]
    )
    coding_change(codebook=region_codebook, response=response, coder=second_staff)
    url = reverse("coding:agreement", args=[region_codebook.pk])
    assert "Samverkan" in staff_client.get(url).content.decode()
    staff_client.post(
        url, {"response": response.pk, "theme": samverkan.pk, "applies": "1"}
    )
    resolution = Resolution.objects.get(response=response, theme=samverkan)
    assert (resolution.applies, resolution.resolved_by) == (True, staff)
    assert CodingChange.objects.filter(
        codebook=region_codebook, action="resolved", by=staff, theme="Samverkan"
    ).exists()


def test_the_staff_free_text_page_links_to_theme_coding(
    client, staff, rss_coordinator, cycle_2024
):
    url = reverse("reports:area-free-text", args=["RSS-01"])
    coding = reverse("coding:index")
    client.force_login(staff)
    assert coding in client.get(url).content.decode()

    client.force_login(rss_coordinator)
    response = client.get(url)
    assert response.status_code == 200
    assert coding not in response.content.decode()


def test_the_coding_pages_speak_swedish(
    staff_client, staff, second_staff, cycle_2024, region_codebook
):
    samverkan = region_codebook.themes.get(name="Samverkan")
    response = answer(cycle_2024["region"], "01", "3", "Samverkan.")
    coding_change(
        codebook=region_codebook, response=response, coder=staff, add=[samverkan]
    )
    coding_change(codebook=region_codebook, response=response, coder=second_staff)
    pages = {
        "coding:index": ([], ["Temakodning", "Fritextfrågor"]),
        "coding:code": (
            [region_codebook.pk],
            ["Koda svar", "Kortkommandon", "Kodat av mig", "Kodarna är oeniga"],
        ),
        "coding:codebook": ([region_codebook.pk], ["Kodbok", "Lägg till ett tema"]),
        "coding:agreement": (
            [region_codebook.pk],
            [
                "Överensstämmelse per tema",
                "Cohens kappa",
                "Oenigheter",
                "Första kodaren",
            ],
        ),
        "coding:history": ([region_codebook.pk], ["Historik", "Tema markerat"]),
        "reports:theme-counts": (
            [region_codebook.pk],
            ["Antal per tema", "Som i rapporten", "Nyckeltalens namn"],
        ),
    }
    for name, (args, words) in pages.items():
        html = staff_client.get(reverse(name, args=args)).content.decode()
        for word in words:
            assert word in html, (name, word)
        for english in ("Codebook", "Theme", "Agreement", "Coded by me", "Counts"):
            assert f">{english}<" not in html, (name, english)
