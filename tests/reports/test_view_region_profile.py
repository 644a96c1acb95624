"""The region profile: one region beside Riket, for staff and the region's own users."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from tests.reports.conftest import document_get
from tests.surveys.helpers import by_id, find_all, page, text, tr

pytestmark = pytest.mark.django_db


def profile_url(region_results, code: str = "01", pdf: bool = False) -> str:
    name = "reports:region-profile-pdf" if pdf else "reports:region-profile"
    return reverse(name, args=[region_results.questionnaire.pk, code])


@pytest.mark.parametrize("pdf", [False, True])
def test_anonymous_visitors_are_sent_to_the_login_page(client, region_results, pdf):
    response = client.get(profile_url(region_results, pdf=pdf))

    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


@pytest.mark.parametrize("pdf", [False, True])
@pytest.mark.parametrize(
    "actor",
    [
        "other_region_respondent",
        "municipality_respondent",
        "rss_coordinator",
    ],
)
def test_others_than_the_regions_users_may_not_see_its_profile(
    client, request, region_results, actor, pdf
):
    client.force_login(request.getfixturevalue(actor))

    # Another organisation's profile is not found, not refused (surveys.permissions).
    assert client.get(profile_url(region_results, pdf=pdf)).status_code == 404


@pytest.mark.parametrize("actor", ["staff", "region_respondent"])
def test_staff_and_the_regions_users_see_its_values_beside_riket(
    client, request, region_results, actor
):
    client.force_login(request.getfixturevalue(actor))

    response = client.get(profile_url(region_results))

    assert response.status_code == 200
    html = page(response)
    assert "Region Stockholm" in text(html)
    table = find_all(by_id(html, "profile-35"), "table")[0]
    header = [text(th) for th in find_all(table, "th", scope="col")]
    assert header == ["Stockholm", "Riket"]
    # Staff also see each figure's name under it ("region. 35. riket" as read here).
    values = [text(td).split(" region.")[0] for td in find_all(table, "td")]
    # Riket: the mean of 59 and 60, Norrbotten could not estimate.
    assert values == ["59 %", "60 %"]
    assert find_all(
        html,
        "a",
        href=profile_url(region_results, pdf=True),
        **{"class": "btn btn-primary"},
    )


def test_the_profile_pdf_is_an_attachment_with_the_regions_values(
    client, region_respondent, region_results, django_capture_on_commit_callbacks
):
    client.force_login(region_respondent)

    response = document_get(
        client,
        profile_url(region_results, pdf=True),
        django_capture_on_commit_callbacks,
    )

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="regionprofil-region-2024-stockholm.pdf"'
    )
    pdf_text = "\n".join(
        p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages
    )
    assert "Stockholm" in pdf_text
    assert "59 %" in pdf_text


def test_the_profile_of_an_unknown_region_or_another_questionnaire_is_not_found(
    client, staff, region_results, cycle_2024
):
    client.force_login(staff)

    assert client.get(profile_url(region_results, code="0114")).status_code == 404
    assert (
        client.get(
            reverse(
                "reports:region-profile", args=[cycle_2024["municipality"].pk, "01"]
            )
        ).status_code
        == 404
    )


def test_a_profile_before_any_results_says_so(client, staff, cycle_2024):
    client.force_login(staff)
    region = cycle_2024["region"]

    response = client.get(reverse("reports:region-profile", args=[region.pk, "01"]))
    pdf = client.get(reverse("reports:region-profile-pdf", args=[region.pk, "01"]))

    assert tr("The tables have not been computed yet.") in text(page(response))
    assert pdf.status_code == 302
    assert pdf.url == reverse("reports:region-profile", args=[region.pk, "01"])


def test_the_start_page_of_a_region_user_links_to_the_regions_profile(
    client, region_respondent, cycle_2024, municipality_respondent
):
    client.force_login(region_respondent)
    profile = reverse("reports:region-profile", args=[cycle_2024["region"].pk, "01"])

    html = page(client.get(reverse("surveys:home")))

    assert find_all(by_id(html, "blank-questionnaires"), "a", href=profile)
    client.force_login(municipality_respondent)
    assert profile.encode() not in client.get(reverse("surveys:home")).content
