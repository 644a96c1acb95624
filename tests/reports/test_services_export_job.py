"""Export jobs: asked for, run at commit (Celery eager), stored, repeated, failed, pruned."""

from __future__ import annotations

import datetime
import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from regions.models import Organisation
from reports import documents, jobs
from reports.formats import DocumentError
from reports.jobs import EXPORT_TIME_LIMIT, export_job_run, export_jobs_prune
from reports.models import ExportJob
from reports.services import export_job_request

pytestmark = pytest.mark.django_db

Status = ExportJob.Status


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def stored_files(root) -> list:
    return [path for path in root.rglob("*") if path.is_file()]


def request_and_run(capture, **kwargs) -> ExportJob:
    with capture(execute=True):
        job = export_job_request(**kwargs)
    job.refresh_from_db()
    return job


def test_an_appendix_pdf_is_built_at_commit_and_stored_as_the_jobs_file(
    region_results, staff, media, django_capture_on_commit_callbacks
):
    region = region_results.questionnaire

    job = request_and_run(
        django_capture_on_commit_callbacks,
        document="appendix",
        fmt="pdf",
        questionnaire=region,
        by=staff,
    )

    assert job.status == Status.COMPLETE
    assert job.progress == 100
    assert job.requested_by == staff
    assert job.filename == "bilaga-region-2024.pdf"
    assert job.started_at <= job.finished_at
    data = job.file.read()
    assert data.startswith(b"%PDF")
    assert job.size == len(data)
    assert stored_files(media) == [media / job.file.name]
    text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)
    assert "Bilaga 3" in text
    assert "59 %" in text


def test_an_appendix_xlsx_opens_as_a_workbook(
    region_results, staff, django_capture_on_commit_callbacks
):
    job = request_and_run(
        django_capture_on_commit_callbacks,
        document="appendix",
        fmt="xlsx",
        questionnaire=region_results.questionnaire,
        by=staff,
    )

    assert job.status == Status.COMPLETE
    assert job.filename == "bilaga-region-2024.xlsx"
    workbook = load_workbook(io.BytesIO(job.file.read()))
    values = {
        cell.value
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
    }
    assert "Riket" in values
    assert "2/3" in values


def test_a_region_profile_is_built_for_the_region_asked_for(
    region_results, staff, django_capture_on_commit_callbacks
):
    uppsala = Organisation.objects.get(code="03")

    job = request_and_run(
        django_capture_on_commit_callbacks,
        document="region_profile",
        fmt="pdf",
        questionnaire=region_results.questionnaire,
        organisation=uppsala,
        by=staff,
    )

    assert job.status == Status.COMPLETE, job.message
    assert job.organisation == uppsala
    assert job.filename == "regionprofil-region-2024-uppsala.pdf"
    text = "\n".join(
        page.extract_text() for page in PdfReader(io.BytesIO(job.file.read())).pages
    )
    assert "Uppsala" in text


def test_the_task_is_queued_only_when_the_transaction_commits(
    cycle_2024, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = export_job_request(
            document="questionnaire",
            fmt="pdf",
            questionnaire=cycle_2024["region"],
            by=staff,
        )

    assert len(callbacks) == 1
    job.refresh_from_db()
    assert job.status == Status.CREATED
    assert job.progress == 0
    assert not job.file


def test_asking_again_while_queued_returns_the_queued_job(
    cycle_2024, staff, django_capture_on_commit_callbacks
):
    kwargs = {
        "document": "questionnaire",
        "fmt": "pdf",
        "questionnaire": cycle_2024["region"],
        "by": staff,
    }
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = export_job_request(**kwargs)
        second = export_job_request(**kwargs)

    assert first.pk == second.pk
    assert ExportJob.objects.count() == 1
    assert len(callbacks) == 1


def test_the_progress_is_written_to_the_row_while_building_and_ends_at_100(
    region_results, staff, monkeypatch, django_capture_on_commit_callbacks
):
    real_build = documents.document_build
    seen: list[int] = []

    def build_and_watch(**kwargs):
        progress = kwargs["progress"]

        def watched(done: int, total: int) -> None:
            progress(done, total)
            seen.append(ExportJob.objects.get().progress)

        return real_build(**{**kwargs, "progress": watched})

    monkeypatch.setattr(jobs, "document_build", build_and_watch)

    job = request_and_run(
        django_capture_on_commit_callbacks,
        document="appendix",
        fmt="pdf",
        questionnaire=region_results.questionnaire,
        by=staff,
    )

    assert job.status == Status.COMPLETE
    assert len(seen) > 1
    assert seen == sorted(seen)
    assert seen[0] < 99 <= seen[-1]
    assert job.progress == 100


def test_the_progress_writer_writes_only_when_the_percent_changes(
    cycle_2024, staff, django_assert_num_queries
):
    started = timezone.now()
    job = ExportJob.objects.create(
        document="appendix",
        format="pdf",
        questionnaire=cycle_2024["region"],
        status=Status.PROCESSING,
        started_at=started,
    )
    progress = jobs._progress_writer(job.pk, started)

    with django_assert_num_queries(2):
        progress(1, 1000)  # 0 %: written
        progress(2, 1000)  # still 0 %
        progress(9, 1000)  # still 0 %
        progress(500, 1000)  # 50 %: written

    job.refresh_from_db()
    assert job.progress == 50


def test_the_progress_writer_stops_at_99_until_the_file_is_stored(cycle_2024):
    started = timezone.now()
    job = ExportJob.objects.create(
        document="appendix",
        format="pdf",
        questionnaire=cycle_2024["region"],
        status=Status.PROCESSING,
        started_at=started,
    )

    jobs._progress_writer(job.pk, started)(10, 10)

    job.refresh_from_db()
    assert job.progress == 99


def test_a_failing_build_marks_the_job_failed_with_a_message_and_keeps_no_file(
    cycle_2024, staff, media, monkeypatch, django_capture_on_commit_callbacks
):
    def broken_build(**kwargs):
        kwargs["progress"](1, 2)
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(jobs, "document_build", broken_build)

    job = request_and_run(
        django_capture_on_commit_callbacks,
        document="questionnaire",
        fmt="pdf",
        questionnaire=cycle_2024["region"],
        by=staff,
    )

    assert job.status == Status.ERROR
    assert job.message.startswith("Exporten av ")
    assert "misslyckades" in job.message
    assert "the disk is full" in job.message
    assert job.finished_at is not None
    assert not job.file
    assert job.size == 0
    assert stored_files(media) == []


def test_a_failure_after_the_file_was_stored_deletes_the_file(
    cycle_2024, staff, media, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(jobs, "document_build", lambda **kwargs: b"%PDF-1.7 x")
    real_save = ExportJob.save

    def failing_save(self, *args, **kwargs):
        if self.status == Status.COMPLETE:
            raise OSError("the database went away")
        return real_save(self, *args, **kwargs)

    monkeypatch.setattr(ExportJob, "save", failing_save)

    job = request_and_run(
        django_capture_on_commit_callbacks,
        document="questionnaire",
        fmt="pdf",
        questionnaire=cycle_2024["region"],
        by=staff,
    )

    assert job.status == Status.ERROR
    assert "the database went away" in job.message
    assert stored_files(media) == []


def test_a_document_error_is_reported_in_its_own_words(
    cycle_2024, staff, monkeypatch, django_capture_on_commit_callbacks
):
    def refused(**kwargs):
        raise DocumentError("Beräkningen misslyckades: ValueError: x")

    monkeypatch.setattr(jobs, "document_build", refused)

    job = request_and_run(
        django_capture_on_commit_callbacks,
        document="appendix",
        fmt="pdf",
        questionnaire=cycle_2024["region"],
        by=staff,
    )

    assert job.status == Status.ERROR
    assert "gick inte att göra: Beräkningen misslyckades: ValueError: x" in job.message


def test_running_a_complete_job_again_changes_nothing(
    cycle_2024, staff, monkeypatch, django_capture_on_commit_callbacks
):
    job = request_and_run(
        django_capture_on_commit_callbacks,
        document="questionnaire",
        fmt="pdf",
        questionnaire=cycle_2024["region"],
        by=staff,
    )
    assert job.status == Status.COMPLETE

    def must_not_build(**kwargs):
        raise AssertionError("built twice")

    monkeypatch.setattr(jobs, "document_build", must_not_build)
    again = export_job_run(job=job)

    assert again.status == Status.COMPLETE
    assert again.file.name == job.file.name
    assert again.finished_at == job.finished_at


def test_running_a_failed_job_again_changes_nothing(cycle_2024, staff, monkeypatch):
    job = ExportJob.objects.create(
        document="questionnaire",
        format="pdf",
        questionnaire=cycle_2024["region"],
        status=Status.ERROR,
        message="Tidigare fel.",
    )

    def must_not_build(**kwargs):
        raise AssertionError("built again")

    monkeypatch.setattr(jobs, "document_build", must_not_build)
    again = export_job_run(job=job)

    assert again.status == Status.ERROR
    assert again.message == "Tidigare fel."


def test_a_job_being_built_by_another_worker_is_not_built_twice(
    cycle_2024, monkeypatch
):
    started = timezone.now() - datetime.timedelta(minutes=2)
    job = ExportJob.objects.create(
        document="questionnaire",
        format="pdf",
        questionnaire=cycle_2024["region"],
        status=Status.PROCESSING,
        started_at=started,
        progress=40,
    )

    def must_not_build(**kwargs):
        raise AssertionError("built twice")

    monkeypatch.setattr(jobs, "document_build", must_not_build)
    again = export_job_run(job=job)

    assert again.status == Status.PROCESSING
    assert again.started_at == started
    assert again.progress == 40


def test_a_job_processing_past_the_time_limit_is_taken_over_and_finished(
    cycle_2024, media
):
    dead = timezone.now() - datetime.timedelta(seconds=EXPORT_TIME_LIMIT + 60)
    job = ExportJob.objects.create(
        document="questionnaire",
        format="pdf",
        questionnaire=cycle_2024["region"],
        status=Status.PROCESSING,
        started_at=dead,
        progress=40,
    )

    done = export_job_run(job=job)

    assert done.status == Status.COMPLETE
    assert done.started_at > dead
    assert done.file.read().startswith(b"%PDF")


def test_a_complete_job_whose_file_is_gone_is_built_again(
    cycle_2024, staff, media, django_capture_on_commit_callbacks
):
    job = request_and_run(
        django_capture_on_commit_callbacks,
        document="questionnaire",
        fmt="pdf",
        questionnaire=cycle_2024["region"],
        by=staff,
    )
    (media / job.file.name).unlink()

    again = export_job_run(job=job)

    assert again.status == Status.COMPLETE
    assert again.file.read().startswith(b"%PDF")


@pytest.mark.parametrize(
    ("document", "fmt", "message"),
    [
        ("budget", "pdf", "Dokumentet ”budget” finns inte."),
        ("questionnaire", "xlsx", "finns inte i formatet ”xlsx”"),
        ("answers", "pdf", "finns inte i formatet ”pdf”"),
        ("appendix", "docx", "finns inte i formatet ”docx”"),
        ("region_profile", "pdf", "Välj en region"),
    ],
)
def test_an_export_that_cannot_be_made_is_refused_in_swedish(
    cycle_2024, staff, document, fmt, message
):
    with pytest.raises(ValidationError) as refused:
        export_job_request(
            document=document,
            fmt=fmt,
            questionnaire=cycle_2024["region"],
            by=staff,
        )

    assert message in " ".join(refused.value.messages)
    assert not ExportJob.objects.exists()


def test_a_region_profile_needs_a_region_not_another_organisation(cycle_2024, staff):
    with pytest.raises(ValidationError, match="Välj en region"):
        export_job_request(
            document="region_profile",
            fmt="pdf",
            questionnaire=cycle_2024["region"],
            organisation=Organisation.objects.get(code="0114"),
            by=staff,
        )


def test_a_region_profile_is_made_of_the_region_questionnaire_only(cycle_2024, staff):
    with pytest.raises(ValidationError, match="bara av regionenkäten"):
        export_job_request(
            document="region_profile",
            fmt="pdf",
            questionnaire=cycle_2024["municipality"],
            organisation=Organisation.objects.get(code="01"),
            by=staff,
        )


def test_an_organisation_given_for_another_document_is_not_kept(
    cycle_2024, staff, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        job = export_job_request(
            document="questionnaire",
            fmt="pdf",
            questionnaire=cycle_2024["region"],
            organisation=Organisation.objects.get(code="01"),
            by=staff,
        )

    assert job.organisation is None


def _job(questionnaire, *, age_days: float, status=Status.COMPLETE, name=""):
    job = ExportJob.objects.create(
        document="questionnaire",
        format="pdf",
        questionnaire=questionnaire,
        status=status,
    )
    if name:
        job.file.save(name, io.BytesIO(b"%PDF-1.7"), save=True)
    when = timezone.now() - datetime.timedelta(days=age_days)
    started = when if status != Status.CREATED else None
    ExportJob.objects.filter(pk=job.pk).update(requested_at=when, started_at=started)
    job.refresh_from_db()
    return job


def test_pruning_deletes_old_jobs_and_their_files_and_keeps_recent_ones(
    cycle_2024, media
):
    region = cycle_2024["region"]
    old = _job(region, age_days=31, name="old.pdf")
    old_failed = _job(region, age_days=40, status=Status.ERROR)
    recent = _job(region, age_days=29, name="recent.pdf")
    old_path = media / old.file.name

    deleted = export_jobs_prune(keep_days=30)

    assert deleted == 2
    assert set(ExportJob.objects.values_list("pk", flat=True)) == {recent.pk}
    assert not old_path.exists()
    assert (media / recent.file.name).exists()
    assert not ExportJob.objects.filter(pk=old_failed.pk).exists()


def test_pruning_keeps_an_old_job_that_is_still_being_built(cycle_2024):
    region = cycle_2024["region"]
    job = _job(region, age_days=31, status=Status.PROCESSING)
    ExportJob.objects.filter(pk=job.pk).update(started_at=timezone.now())

    assert export_jobs_prune(keep_days=30) == 0
    assert ExportJob.objects.filter(pk=job.pk).exists()
