"""The blank forms are built ahead: when a questionnaire version is loaded, made or
changed, or a deadline is given, its blank forms are queued (after the commit), so that
the first respondent who asks finds the file ready. A broker that is down does not fail
the load: the jobs stay queued for the requeue."""

from __future__ import annotations

import datetime
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from regions.models import Organisation
from reports.jobs import export_jobs_waiting
from reports.models import ExportJob
from reports.selectors import questionnaire_form_version
from surveys.deadlines import swedish_date
from surveys.models import Questionnaire
from surveys.services.cycles import questionnaire_update
from surveys.services.fieldwork import participation_extend
from surveys.services.questionnaires import DEFINITIONS_DIR, questionnaires_load
from tests.faults.conftest import point_celery_at
from tests.load.server import free_port
from tests.reports.conftest import document_get
from tests.reports.pdf_checks import pdf_text, squeezed

pytestmark = pytest.mark.django_db

Status = ExportJob.Status


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    """A 2024 definitions folder with the real cycle.yaml and region.yaml."""
    target = tmp_path / "definitions" / "2024"
    target.mkdir(parents=True)
    for name in ("cycle.yaml", "region.yaml"):
        shutil.copy(DEFINITIONS_DIR / "2024" / name, target / name)
    return target


@pytest.fixture
def sent(monkeypatch) -> list[int]:
    """The export jobs sent to the workers (not built: the tests run them as needed)."""
    ids: list[int] = []

    def record(task, args=(), *, what):
        ids.append(args[0])
        return True

    monkeypatch.setattr("reports.tasks.publish", record)
    return ids


def blank_forms(questionnaire: Questionnaire) -> list[ExportJob]:
    return list(
        ExportJob.objects.filter(
            document="questionnaire", questionnaire=questionnaire
        ).order_by("pk")
    )


def test_loading_a_questionnaire_builds_its_blank_form_for_the_first_respondent(
    national_frame,
    folder,
    client,
    region_respondent,
    monkeypatch,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        questionnaires_load(year=2024, directory=folder.parent)
    region = Questionnaire.objects.get(cycle__year=2024, key="region")

    [job] = blank_forms(region)
    assert job.status == Status.COMPLETE
    assert job.version == questionnaire_form_version(
        questionnaire=region, deadline=region.closes_on
    )

    def no_rendering(*args, **kwargs):
        raise AssertionError("the blank form was built in the request")

    monkeypatch.setattr("reports.documents.questionnaire.html_to_pdf", no_rendering)
    client.force_login(region_respondent)
    response = document_get(
        client,
        reverse("reports:questionnaire-pdf", args=[region.pk]),
        django_capture_on_commit_callbacks,
        follow_page=False,
    )

    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert blank_forms(region) == [job]


def test_the_load_command_queues_the_blank_form_of_a_changed_version_only(
    national_frame, folder, sent, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(
        "surveys.services.questionnaires.DEFINITIONS_DIR", folder.parent
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_questionnaires", "2024", stdout=StringIO())
    region = Questionnaire.objects.get(cycle__year=2024, key="region")
    [first] = blank_forms(region)
    assert sent == [first.pk]

    # Unchanged: nothing new. Changed in place (no response yet): a new form.
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_questionnaires", "2024", stdout=StringIO())
    assert blank_forms(region) == [first]
    source = folder / "region.yaml"
    source.write_text(
        source.read_text().replace("closes_on: 2025-", "closes_on: 2026-", 1)
    )
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_questionnaires", "2024", stdout=StringIO())

    region.refresh_from_db()
    first_again, second = blank_forms(region)
    assert first_again == first
    assert second.version == questionnaire_form_version(
        questionnaire=region, deadline=region.closes_on
    )
    assert region.closes_on.year == 2026
    assert sent == [first.pk, second.pk]


def test_a_broker_that_is_down_leaves_the_blank_form_queued_and_the_load_done(
    national_frame, folder, settings, django_capture_on_commit_callbacks
):
    # A port on which nothing listens: the publish is refused at once.
    point_celery_at(settings, f"redis://127.0.0.1:{free_port()}/0")
    settings.BROKER_PUBLISH_TIMEOUT = 0.5

    with django_capture_on_commit_callbacks(execute=True):
        result = questionnaires_load(year=2024, directory=folder.parent)

    assert any("created" in line for line in result.lines)
    region = Questionnaire.objects.get(cycle__year=2024, key="region")
    [job] = blank_forms(region)
    assert job.status == Status.CREATED
    assert job.pk in export_jobs_waiting(older_than=datetime.timedelta(0))


def test_changing_dates_on_the_staff_page_queues_the_form_with_the_new_deadline(
    national_frame, folder, staff, sent, django_capture_on_commit_callbacks
):
    questionnaires_load(year=2024, directory=folder.parent)
    region = Questionnaire.objects.get(cycle__year=2024, key="region")
    later = region.closes_on + datetime.timedelta(days=14)

    with django_capture_on_commit_callbacks(execute=True):
        questionnaire_update(
            questionnaire=region,
            by=staff,
            title=region.title,
            introduction=region.introduction,
            opens_on=region.opens_on,
            closes_on=later,
            reminder_dates=[],
        )

    region.refresh_from_db()
    [job] = blank_forms(region)
    assert sent == [job.pk]
    assert job.params == {}
    assert job.version == questionnaire_form_version(
        questionnaire=region, deadline=later
    )


def test_an_extension_queues_one_form_with_its_deadline_shared_by_its_organisations(
    cycle_2024,
    staff,
    sent,
    client,
    region_respondent,
    other_region_respondent,
    django_capture_on_commit_callbacks,
):
    region = cycle_2024["region"]
    later = region.closes_on + datetime.timedelta(days=30)
    for code in ("01", "03"):
        with django_capture_on_commit_callbacks(execute=True):
            participation_extend(
                questionnaire=region,
                organisation=Organisation.objects.get(code=code),
                closes_on=later,
                reason="Sjukdom",
                by=staff,
            )

    common, extended = blank_forms(region)
    assert common.params == {}
    assert extended.params == {"deadline": later.isoformat()}
    assert extended.organisation is None
    assert sent == [common.pk, extended.pk]
    # Both respondents with the extension ask for the one form queued ahead.
    for user in (region_respondent, other_region_respondent):
        client.force_login(user)
        client.get(reverse("reports:questionnaire-pdf", args=[region.pk]))
    assert blank_forms(region) == [common, extended]


def test_an_extended_form_prints_the_extensions_deadline(
    cycle_2024, staff, django_capture_on_commit_callbacks
):
    region = cycle_2024["region"]
    later = region.closes_on + datetime.timedelta(days=30)
    with django_capture_on_commit_callbacks(execute=True):
        participation_extend(
            questionnaire=region,
            organisation=Organisation.objects.get(code="01"),
            closes_on=later,
            reason="Sjukdom",
            by=staff,
        )

    extended = ExportJob.objects.get(
        document="questionnaire", questionnaire=region, params__deadline=str(later)
    )
    assert extended.status == Status.COMPLETE
    text = squeezed(pdf_text(extended.file.read()))
    assert squeezed(swedish_date(later)) in text
    assert squeezed(swedish_date(region.closes_on)) not in text
