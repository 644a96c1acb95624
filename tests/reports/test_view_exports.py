"""The staff export page: start an export, follow it, download the file."""

from __future__ import annotations

import io
import json

import pytest
from django.urls import reverse
from pypdf import PdfReader

from reports.models import ExportJob
from tests.surveys.helpers import by_id, find_all, page, text, tr

pytestmark = pytest.mark.django_db

Status = ExportJob.Status


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def region(cycle_2024):
    return cycle_2024["region"]


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


@pytest.fixture
def done_job(region, staff, django_capture_on_commit_callbacks) -> ExportJob:
    from reports.services import export_job_request

    with django_capture_on_commit_callbacks(execute=True):
        job = export_job_request(
            document="questionnaire", fmt="pdf", questionnaire=region, by=staff
        )
    job.refresh_from_db()
    assert job.status == Status.COMPLETE
    return job


def _urls(region, job_pk: int) -> list[tuple[str, str]]:
    return [
        ("get", reverse("reports:index")),
        ("post", reverse("reports:export-start", args=[region.pk])),
        ("get", reverse("reports:job-status", args=[job_pk])),
        ("get", reverse("reports:job-download", args=[job_pk])),
    ]


def test_anonymous_visitors_are_sent_to_the_login_page(client, region, done_job):
    for method, url in _urls(region, done_job.pk):
        response = getattr(client, method)(url)

        assert response.status_code == 302, url
        assert response.url.startswith(reverse("login")), url


@pytest.mark.parametrize(
    "actor", ["region_respondent", "municipality_respondent", "rss_coordinator"]
)
def test_respondents_may_not_export_or_download(
    client, request, actor, region, done_job
):
    client.force_login(request.getfixturevalue(actor))

    for method, url in _urls(region, done_job.pk):
        response = getattr(client, method)(
            url, {"document": "questionnaire", "format": "pdf"}
        )

        assert response.status_code == 403, url
    assert ExportJob.objects.count() == 1


def test_the_export_page_offers_each_questionnaire_its_documents_and_formats(
    staff_client, cycle_2024
):
    response = staff_client.get(reverse("reports:index"))

    assert response.status_code == 200
    html = page(response)
    region_section = by_id(html, f"questionnaire-{cycle_2024['region'].pk}")
    buttons = {
        (attrs_value(b, "value"), text(b))
        for b in find_all(region_section, "button", name="format")
    }
    assert ("pdf", f"PDF – {tr('Appendix tables')}") in buttons
    assert ("xlsx", f"Excel (XLSX) – {tr('Appendix tables')}") in buttons
    assert ("pdf", f"PDF – {tr('Region profile')}") in buttons
    assert find_all(region_section, "select", name="region")
    extra_section = by_id(html, f"questionnaire-{cycle_2024['extra'].pk}")
    labels = text(extra_section)
    assert tr("Appendix tables") not in labels
    assert tr("Region profile") not in labels
    assert tr("Raw answers") in labels


def attrs_value(element, name: str) -> str | None:
    return dict(element.attributes).get(name)


def test_starting_an_export_builds_it_and_the_page_offers_the_download(
    staff_client, region, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = staff_client.post(
            reverse("reports:export-start", args=[region.pk]),
            {"document": "questionnaire", "format": "pdf"},
        )

    assert response.status_code == 302
    assert response.url == f"{reverse('reports:index')}#questionnaire-{region.pk}"
    job = ExportJob.objects.get()
    assert (job.document, job.format, job.questionnaire, job.requested_by) == (
        "questionnaire",
        "pdf",
        region,
        staff,
    )
    assert job.status == Status.COMPLETE
    listing = staff_client.get(response.url)
    row = by_id(page(listing), f"job-{job.pk}")
    assert tr("Ready") in text(row)
    assert find_all(row, "a", href=reverse("reports:job-download", args=[job.pk]))
    assert b"reports.js" not in listing.content  # nothing in flight to follow


def test_an_export_that_cannot_be_made_is_refused_with_a_message(staff_client, region):
    response = staff_client.post(
        reverse("reports:export-start", args=[region.pk]),
        {"document": "region_profile", "format": "pdf", "region": ""},
        follow=True,
    )

    assert "Välj en region" in response.content.decode()
    assert not ExportJob.objects.exists()


def test_a_region_profile_export_takes_the_region_chosen(
    staff_client, region, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        staff_client.post(
            reverse("reports:export-start", args=[region.pk]),
            {"document": "region_profile", "format": "pdf", "region": "03"},
        )

    assert ExportJob.objects.get().organisation.code == "03"


def test_a_job_in_flight_shows_its_progress_and_the_page_follows_it(
    staff_client, region
):
    job = ExportJob.objects.create(
        document="appendix",
        format="pdf",
        questionnaire=region,
        status=Status.PROCESSING,
        progress=42,
    )

    response = staff_client.get(reverse("reports:index"))

    row = by_id(page(response), f"job-{job.pk}")
    bar = find_all(row, "div", role="progressbar")[0]
    assert attrs_value(bar, "aria-valuenow") == "42"
    assert "42 %" in text(row)
    assert attrs_value(row, "data-status-url") == reverse(
        "reports:job-status", args=[job.pk]
    )
    assert b"js/reports.js" in response.content


def test_a_failed_job_shows_its_message(staff_client, region):
    job = ExportJob.objects.create(
        document="appendix",
        format="pdf",
        questionnaire=region,
        status=Status.ERROR,
        message="Exporten av ”Bilagetabeller” (pdf) misslyckades: OSError: disk.",
    )

    response = staff_client.get(reverse("reports:index"))

    row = by_id(page(response), f"job-{job.pk}")
    assert "misslyckades: OSError: disk." in text(row)
    assert not find_all(row, "a", href=reverse("reports:job-download", args=[job.pk]))


def test_the_status_endpoint_reports_progress_and_the_download_link(
    staff_client, region, done_job
):
    running = ExportJob.objects.create(
        document="appendix",
        format="pdf",
        questionnaire=region,
        status=Status.PROCESSING,
        progress=17,
    )

    busy = json.loads(
        staff_client.get(reverse("reports:job-status", args=[running.pk])).content
    )
    done = json.loads(
        staff_client.get(reverse("reports:job-status", args=[done_job.pk])).content
    )

    assert busy["status"] == "processing"
    assert busy["progress"] == 17
    assert busy["in_flight"] is True
    assert busy["download_url"] is None
    assert done["status"] == "complete"
    assert done["progress"] == 100
    assert done["in_flight"] is False
    assert done["download_url"] == reverse("reports:job-download", args=[done_job.pk])


def test_the_download_is_an_attachment_under_the_documents_name(staff_client, done_job):
    response = staff_client.get(reverse("reports:job-download", args=[done_job.pk]))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="blankett-region-2024.pdf"'
    )
    data = b"".join(response.streaming_content)
    assert len(data) == done_job.size
    assert PdfReader(io.BytesIO(data)).pages


def test_a_job_without_a_file_has_no_download(staff_client, region, done_job, media):
    running = ExportJob.objects.create(
        document="appendix", format="pdf", questionnaire=region
    )
    (media / done_job.file.name).unlink()

    assert (
        staff_client.get(reverse("reports:job-download", args=[running.pk])).status_code
        == 404
    )
    assert (
        staff_client.get(
            reverse("reports:job-download", args=[done_job.pk])
        ).status_code
        == 404
    )
    assert (
        staff_client.get(reverse("reports:job-status", args=[999])).status_code == 404
    )


def test_the_export_page_reads_the_jobs_in_a_fixed_number_of_queries(
    staff_client, region, cycle_2024, django_assert_max_num_queries
):
    for questionnaire in cycle_2024.values():
        for _ in range(12):
            ExportJob.objects.create(
                document="questionnaire", format="pdf", questionnaire=questionnaire
            )

    with django_assert_max_num_queries(12):
        response = staff_client.get(reverse("reports:index"))

    assert response.status_code == 200
    assert len(find_all(by_id(page(response), f"jobs-{region.pk}"), "tr")) == 11
