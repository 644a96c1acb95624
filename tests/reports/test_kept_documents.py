"""The documents the pages offer are built by workers and kept: a receipt once per
submission (at the submit), a blank form once per questionnaire version and deadline, a
region profile once per results run; the page of a document follows its job."""

from __future__ import annotations

import pytest
from django.urls import reverse

from reports.jobs import export_job_run
from reports.models import ExportJob
from reports.selectors import export_overview
from surveys.answers import Value
from surveys.services import response_submit
from surveys.services.transitions import response_reopen
from tests.reports.conftest import document_get, submit
from tests.surveys.helpers import (
    attrs,
    by_id,
    fill_response,
    find_all,
    page,
    text,
    tr,
)

pytestmark = pytest.mark.django_db

Status = ExportJob.Status


@pytest.fixture
def submitted(cycle_2024, region_respondent, django_capture_on_commit_callbacks):
    """Region Stockholm's region response, submitted (what commits with it run)."""
    with django_capture_on_commit_callbacks(execute=True):
        return submit(
            cycle_2024["region"],
            "01",
            region_respondent,
            {("35", ""): Value(number=59)},
        )


def receipts(response) -> list[ExportJob]:
    return list(ExportJob.objects.filter(document="receipt", response=response))


def test_the_receipt_is_built_when_the_response_is_submitted(submitted):
    [job] = receipts(submitted)

    assert job.status == Status.COMPLETE
    assert job.file.read().startswith(b"%PDF")


def test_the_receipt_is_served_as_the_kept_file_without_building_it_again(
    client,
    region_respondent,
    submitted,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    def no_rendering(*args, **kwargs):
        raise AssertionError("the receipt was built again")

    monkeypatch.setattr("reports.documents.receipt.html_to_pdf", no_rendering)
    client.force_login(region_respondent)

    response = document_get(
        client,
        reverse("reports:receipt-pdf", args=[submitted.pk]),
        django_capture_on_commit_callbacks,
    )

    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert len(receipts(submitted)) == 1


def test_a_reopened_and_resubmitted_response_gets_a_new_receipt(
    submitted, staff, region_respondent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        reopened = response_reopen(response=submitted, by=staff, reason="Fel i 35")
    with django_capture_on_commit_callbacks(execute=True):
        filled = fill_response(
            reopened, by=region_respondent, overrides={("35", ""): Value(number=61)}
        )
        response_submit(response=filled, by=region_respondent, version=filled.version)

    first, second = sorted(receipts(submitted), key=lambda job: job.pk)
    assert first.version != second.version
    assert second.status == Status.COMPLETE


def test_the_blank_form_is_built_once_for_everyone_with_the_same_deadline(
    client,
    cycle_2024,
    region_respondent,
    other_region_respondent,
    staff,
    django_capture_on_commit_callbacks,
):
    url = reverse("reports:questionnaire-pdf", args=[cycle_2024["region"].pk])
    for user in (region_respondent, other_region_respondent, staff):
        client.force_login(user)
        response = document_get(client, url, django_capture_on_commit_callbacks)
        assert response.content.startswith(b"%PDF")

    assert ExportJob.objects.filter(document="questionnaire").count() == 1


def test_a_changed_questionnaire_gets_a_new_blank_form(
    client, cycle_2024, staff, django_capture_on_commit_callbacks
):
    region = cycle_2024["region"]
    url = reverse("reports:questionnaire-pdf", args=[region.pk])
    client.force_login(staff)
    document_get(client, url, django_capture_on_commit_callbacks)
    question = region.questions.get(code="35")
    question.text = question.text + " (ändrad)"
    question.save()

    document_get(client, url, django_capture_on_commit_callbacks)

    assert ExportJob.objects.filter(document="questionnaire").count() == 2


def test_the_page_of_a_queued_document_shows_it_waiting_and_follows_it(
    client, cycle_2024, region_respondent
):
    client.force_login(region_respondent)
    # The request's transaction is not committed here: the task is never sent.
    response = client.get(
        reverse("reports:questionnaire-pdf", args=[cycle_2024["region"].pk])
    )
    job = ExportJob.objects.get(document="questionnaire")
    assert response.url == reverse("reports:document", args=[job.pk])

    html = page(client.get(response.url))

    waiting = by_id(html, f"document-{job.pk}")
    assert waiting is not None
    assert attrs(waiting)["data-status-url"] == reverse(
        "reports:document-status", args=[job.pk]
    )
    assert tr("Queued") in text(waiting)
    assert tr("waiting for a worker to take it") in text(waiting)
    status = client.get(reverse("reports:document-status", args=[job.pk])).json()
    assert status["in_flight"] is True
    assert status["status"] == "created"
    # Not ready: the download leads back to the page.
    download = client.get(reverse("reports:document-download", args=[job.pk]))
    assert download.status_code == 302


def test_a_failed_document_says_why_and_offers_to_try_again(
    client, cycle_2024, region_respondent, monkeypatch
):
    client.force_login(region_respondent)
    url = reverse("reports:questionnaire-pdf", args=[cycle_2024["region"].pk])
    client.get(url)
    job = ExportJob.objects.get(document="questionnaire")

    def broken(**kwargs):
        raise OSError("disk full")

    monkeypatch.setattr("reports.jobs.document_build", broken)
    export_job_run(job=job)
    html = page(client.get(reverse("reports:document", args=[job.pk])))

    assert "disk full" in text(html)
    [again] = find_all(html, "a", href=url)
    assert text(again) == tr("Try again")
    # Asked again, a failed job is not reused: a new one is queued.
    client.get(url)
    assert ExportJob.objects.filter(document="questionnaire").count() == 2


def test_the_staff_export_page_lists_only_the_staffs_exports(
    client, cycle_2024, region_respondent, submitted, staff
):
    client.force_login(region_respondent)
    client.get(reverse("reports:questionnaire-pdf", args=[cycle_2024["region"].pk]))
    assert ExportJob.objects.count() == 2  # the receipt and the blank form

    [entry] = export_overview(questionnaires=[cycle_2024["region"]])

    assert entry.jobs == []
