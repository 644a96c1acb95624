"""Staff start an export in Chromium, see it finish and download the file."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from pypdf import PdfReader

from reports.models import ExportJob
from surveys.answers import Value
from tests.conftest import PASSWORD
from tests.reports.conftest import submit
from tests.surveys.helpers import tr

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def log_in(page, live_server, user) -> None:
    page.goto(f"{live_server.url}/konto/logga-in/")
    page.get_by_label("Användarnamn").fill(user.username)
    page.get_by_label("Lösenord").fill(PASSWORD)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"{live_server.url}/")


def test_staff_export_the_appendix_as_pdf_and_download_it(
    live_server, page, cycle_2024, staff, tmp_path
):
    region = cycle_2024["region"]
    submit(
        region, "01", staff, {("2", ""): Value(text="Ja"), ("35", ""): Value(number=59)}
    )
    submit(
        region,
        "03",
        staff,
        {("2", ""): Value(text="Nej"), ("35", ""): Value(number=61)},
    )

    log_in(page, live_server, staff)
    page.get_by_role("link", name=tr("Reports"), exact=True).click()
    page.get_by_role("heading", name=tr("Reports and exports")).wait_for()
    section = page.locator(f"#questionnaire-{region.pk}")
    # Without a broker (REDIS_URL) the job runs when the request commits, so the page
    # after the click comes once the PDF is built.
    with page.expect_navigation(timeout=120_000):
        section.get_by_role("button", name=f"PDF – {tr('Appendix tables')}").click(
            no_wait_after=True
        )

    job = ExportJob.objects.get(document="appendix")
    row = page.locator(f"#job-{job.pk}")
    row.get_by_text(tr("Ready")).wait_for()
    with page.expect_download() as download_info:
        row.get_by_role("link", name=tr("Download")).click()
    download = download_info.value

    assert download.suggested_filename == "bilaga-region-2024.pdf"
    saved = tmp_path / "download.pdf"
    download.save_as(saved)
    reader = PdfReader(io.BytesIO(saved.read_bytes()))
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "Bilaga 3" in text
    assert "59 %" in text


def test_the_export_page_follows_a_job_in_flight_until_its_download_appears(
    live_server, page, cycle_2024, staff
):
    job = ExportJob.objects.create(
        document="appendix",
        format="pdf",
        questionnaire=cycle_2024["region"],
        status=ExportJob.Status.PROCESSING,
        started_at=timezone.now(),
        progress=10,
    )

    log_in(page, live_server, staff)
    page.goto(f"{live_server.url}/personal/rapporter/")
    row = page.locator(f"#job-{job.pk}")
    row.get_by_text("10 %").wait_for()

    ExportJob.objects.filter(pk=job.pk).update(progress=60)
    row.get_by_text("60 %").wait_for()
    assert row.get_by_role("progressbar").get_attribute("aria-valuenow") == "60"

    job.refresh_from_db()
    job.file.save("bilaga.pdf", ContentFile(b"%PDF-1.7 test"), save=False)
    ExportJob.objects.filter(pk=job.pk).update(
        status=ExportJob.Status.COMPLETE,
        progress=100,
        file=job.file.name,
        filename="bilaga-region-2024.pdf",
        size=13,
        finished_at=timezone.now() + datetime.timedelta(seconds=1),
    )
    # The page reloads itself and offers the file.
    page.locator(f"#job-{job.pk}").get_by_role("link", name=tr("Download")).wait_for()
