"""Shared fixtures: test settings, the national frame, the 2024 questionnaires, actors."""

from __future__ import annotations

import datetime
import os
import sqlite3
from collections.abc import Iterator
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import connection, connections

from regions.models import Organisation
from regions.services import reference_data_load
from surveys.models import Membership, Questionnaire
from surveys.services import questionnaires_load
from tests.factories import MembershipFactory, UserFactory

PASSWORD = "test-password-123"


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.LANGUAGE_CODE = "sv"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.CELERY_TASK_EAGER_PROPAGATES = True


# The 2024 questionnaires of the fixtures close on 2025-03-31. The deadline checks see this
# day of the 2024 fieldwork, so that the tests do not depend on today's date. Tests of the
# deadlines take the real_clock fixture and set the day with time_machine.
FIELDWORK_DAY = datetime.date(2025, 1, 15)
_clock = {"real": False}


@pytest.fixture(scope="session", autouse=True)
def _fieldwork_day():
    from surveys import deadlines

    real_today = deadlines.stockholm_today

    def today() -> datetime.date:
        return real_today() if _clock["real"] else FIELDWORK_DAY

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(deadlines, "stockholm_today", today)
        yield


@pytest.fixture
def real_clock():
    """The deadline checks read the clock (time_machine sets it) instead of FIELDWORK_DAY."""
    _clock["real"] = True
    yield
    _clock["real"] = False


@pytest.fixture
def national_frame(db) -> None:
    """The 21 regions, 24 RSS and 290 municipalities from the shipped CSV files."""
    reference_data_load()


@pytest.fixture
def cycle_2024(national_frame) -> dict[str, Questionnaire]:
    """The real 2024 questionnaires, by audience."""
    questionnaires_load(year=2024)
    return {q.audience: q for q in Questionnaire.objects.filter(cycle__year=2024)}


def _member(
    code: str, role: str = Membership.Role.RESPONDENT, name: str = ""
) -> object:
    organisation = Organisation.objects.get(code=code)
    user = UserFactory(username=name or f"{code.lower()}@example.se")
    MembershipFactory(user=user, organisation=organisation, role=role)
    return user


@pytest.fixture
def region_respondent(national_frame):
    """A respondent at Region Stockholm (county 01)."""
    return _member("01", name="anna@regionstockholm.se")


@pytest.fixture
def region_colleague(national_frame):
    """A second respondent at Region Stockholm."""
    return _member("01", name="bo@regionstockholm.se")


@pytest.fixture
def other_region_respondent(national_frame):
    """A respondent at Region Uppsala (county 03)."""
    return _member("03", name="cilla@regionuppsala.se")


@pytest.fixture
def municipality_respondent(national_frame):
    """A respondent at Upplands Väsby (0114, RSS-01)."""
    return _member("0114", name="dan@upplandsvasby.se")


@pytest.fixture
def other_municipality_respondent(national_frame):
    """A respondent at Enköping (0381, Uppsala county, RSS-03)."""
    return _member("0381", name="eva@enkoping.se")


@pytest.fixture
def rss_coordinator(national_frame):
    """The coordinator of RSS Stockholms län (RSS-01)."""
    return _member("RSS-01", Membership.Role.COORDINATOR, name="frida@rss01.se")


@pytest.fixture
def other_rss_coordinator(national_frame):
    """The coordinator of RSS Uppsala län (RSS-03)."""
    return _member("RSS-03", Membership.Role.COORDINATOR, name="gun@rss03.se")


@pytest.fixture
def staff(db):
    """National staff: sees everything."""
    return UserFactory(username="staff@socialstyrelsen.se", is_staff=True)


@pytest.fixture
def worker_database_url(tmp_path) -> Iterator[str]:
    """The DATABASE_URL of the test database as another process reaches it."""
    if connection.vendor != "sqlite":
        name = connection.settings_dict["NAME"]
        parts = urlsplit(os.environ["DATABASE_URL"])
        yield urlunsplit(parts._replace(path=f"/{name}"))
        return
    # SQLite: the test database lives in this process's memory; give both processes a
    # file with the same schema for the duration of the test.
    path = tmp_path / "worker.sqlite3"
    memory = connections["default"]
    memory.ensure_connection()
    target = sqlite3.connect(path)
    memory.connection.backup(target)
    target.close()
    on_file = memory.__class__({**memory.settings_dict, "NAME": str(path)}, "default")
    connections["default"] = on_file
    try:
        yield f"sqlite:///{path}"
    finally:
        on_file.close()
        connections["default"] = memory
