"""The world of the permission sweep: one actor per role and one object of each kind."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from regions.models import Organisation
from surveys.models import ContactPerson, Questionnaire, Response
from surveys.services import response_get_or_create
from tests.factories import UserFactory
from tests.reports.conftest import submit


@dataclass
class World:
    users: dict[str, object]
    questionnaires: dict[str, Questionnaire]
    municipal_response: Response  # Upplands Väsby (0114, RSS-01), draft
    region_response: Response  # Region Stockholm (01), submitted
    rss_response: Response  # RSS-01, draft
    contact: ContactPerson  # of Upplands Väsby


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
    return World(
        users=users,
        questionnaires=cycle_2024,
        municipal_response=municipal,
        region_response=region,
        rss_response=rss,
        contact=contact,
    )
