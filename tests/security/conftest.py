"""The world of the permission sweep: one actor per role and one object of each kind."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile

from aggregation.models import AggregationRun, PublishedUpload
from aggregation.services import aggregation_fresh_run
from coding.models import Codebook, Theme
from coding.services import codebook_get_or_create, theme_create
from regions.models import Organisation
from reports.models import ExportJob
from reports.selectors import receipt_version
from surveys.models import ContactPerson, ImportUpload, Questionnaire, Response
from surveys.services import response_get_or_create
from tests.factories import (
    UserFactory,
    waiting_import_upload,
    waiting_published_upload,
)
from tests.reports.conftest import submit


@dataclass
class World:
    users: dict[str, object]
    questionnaires: dict[str, Questionnaire]
    municipal_response: Response  # Upplands Väsby (0114, RSS-01), draft
    region_response: Response  # Region Stockholm (01), submitted
    rss_response: Response  # RSS-01, draft
    contact: ContactPerson  # of Upplands Väsby
    region_run: AggregationRun  # the region questionnaire's current results
    export_job: ExportJob  # a finished export with its file
    receipt_job: ExportJob  # the built receipt of region_response, with its file
    import_upload: ImportUpload  # staff's uploaded import file, waiting for its preview
    # staff's uploaded file of published figures, waiting for its preview
    published_upload: PublishedUpload
    codebook: Codebook  # of municipal question K02
    theme: Theme  # of that codebook


ROLES = (
    "anonymous",
    "municipality",
    "other_municipality",
    "rss_coordinator",
    "other_rss_coordinator",
    "region",
    "staff",
)


@pytest.fixture
def world(
    settings,
    tmp_path,
    cycle_2024,
    municipality_respondent,
    other_municipality_respondent,
    rss_coordinator,
    other_rss_coordinator,
    region_respondent,
):
    staff = UserFactory(
        username="sweep-staff@socialstyrelsen.se", is_staff=True, is_superuser=True
    )
    users = {
        "anonymous": None,
        "municipality": municipality_respondent,
        "other_municipality": other_municipality_respondent,
        "rss_coordinator": rss_coordinator,
        "other_rss_coordinator": other_rss_coordinator,
        "region": region_respondent,
        "staff": staff,
    }
    organisation = Organisation.objects.get(code="0114")
    municipal = response_get_or_create(
        questionnaire=cycle_2024["municipality"], organisation=organisation
    )
    region = submit(cycle_2024["region"], "01", region_respondent)
    rss = response_get_or_create(
        questionnaire=cycle_2024["rss"],
        organisation=Organisation.objects.get(code="RSS-01"),
    )
    contact = ContactPerson.objects.create(
        organisation=organisation, name="Kim Kontakt", email="kim@upplandsvasby.se"
    )
    settings.MEDIA_ROOT = tmp_path
    job = ExportJob.objects.create(
        document="appendix",
        format="csv",
        questionnaire=cycle_2024["region"],
        status=ExportJob.Status.COMPLETE,
        progress=100,
        requested_by=staff,
        filename="bilaga-region-2024.csv",
    )
    job.file.save("bilaga-region-2024.csv", ContentFile(b"question,item\n"))
    codebook = codebook_get_or_create(
        question=cycle_2024["municipality"].questions.get(code="K02"), item="", by=staff
    )
    theme = theme_create(codebook=codebook, name="Samverkan", by=staff)
    receipt = ExportJob.objects.create(
        document="receipt",
        format="pdf",
        questionnaire=cycle_2024["region"],
        organisation=region.organisation,
        response=region,
        version=receipt_version(region),
        status=ExportJob.Status.COMPLETE,
        progress=100,
        filename="kvitto-region-2024-stockholm.pdf",
    )
    receipt.file.save("kvitto.pdf", ContentFile(b"%PDF-1.7 receipt"))
    return World(
        users=users,
        questionnaires=cycle_2024,
        municipal_response=municipal,
        region_response=region,
        rss_response=rss,
        contact=contact,
        region_run=aggregation_fresh_run(questionnaire=cycle_2024["region"]),
        export_job=job,
        receipt_job=receipt,
        import_upload=waiting_import_upload(cycle_2024, by=staff),
        published_upload=waiting_published_upload(cycle_2024, by=staff),
        codebook=codebook,
        theme=theme,
    )
