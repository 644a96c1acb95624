"""Shared fixtures: test settings, the national frame, the 2024 questionnaires, actors."""

from __future__ import annotations

import datetime
import os
import sqlite3
import zoneinfo
from collections.abc import Iterator
from unittest import mock
from urllib.parse import urlsplit, urlunsplit

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection, connections

from regions.models import County, Organisation
from regions.services import reference_data_load
from surveys.models import Cycle, Membership, Question, Questionnaire
from surveys.selectors.questionnaires import forget_structures
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


# The 2024 questionnaires of the fixtures close on 2025-03-31. Every test runs on this day
# of the 2024 fieldwork (time_machine, the clock ticking from 10:00 Stockholm time), so that
# the tests do not depend on today's date. Tests of the deadlines take the real_clock fixture
# and set the day themselves with time_machine.
FIELDWORK_DAY = datetime.date(2025, 1, 15)
FIELDWORK_NOW = datetime.datetime(
    2025, 1, 15, 10, 0, tzinfo=zoneinfo.ZoneInfo("Europe/Stockholm")
)


@pytest.fixture(autouse=True)
def _fieldwork_day(request) -> Iterator[None]:
    if "real_clock" in request.fixturenames:
        yield
        return
    with time_machine.travel(FIELDWORK_NOW, tick=True):
        yield


@pytest.fixture
def real_clock() -> None:
    """The test runs on the real clock (or its own time_machine travel), not FIELDWORK_DAY."""


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """No test sees what another cached (the clock starts at the same instant in each)."""
    cache.clear()
    forget_structures()


# The national frame and the 2024 questionnaires are loaded once per test database (each
# xdist worker has its own) and committed, so every test starts with them: a test runs in
# a transaction that is rolled back. A transactional test (transaction=True, live_server)
# ends with a flush of every table; the frame is then loaded again before the next test.
# Tests that need a database without them take the empty_frame marker.
_preloaded: dict[str, object] = {}


def _frame_load() -> None:
    reference_data_load()
    # Without their blank forms built ahead (a PDF each, at every reload of the frame):
    # the tests of that (tests/reports/test_blank_forms_ahead.py) load their own.
    with mock.patch("surveys.services.questionnaires.announce_questionnaire_published"):
        questionnaires_load(year=2024)


def _frame_counts() -> tuple[int, int, int]:
    return (
        County.objects.count(),
        Organisation.objects.count(),
        Questionnaire.objects.count(),
    )


def _frame_remove() -> None:
    """Delete the preloaded rows (inside the test's transaction for empty_frame)."""
    _questionnaires_remove()
    Organisation.objects.filter(kind=Organisation.Kind.MUNICIPALITY).delete()
    Organisation.objects.all().delete()
    County.objects.all().delete()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker) -> Iterator[None]:
    with django_db_blocker.unblock():
        _frame_load()
        _preloaded["counts"] = _frame_counts()
    _preloaded["blocker"] = django_db_blocker
    yield
    _preloaded.clear()


@pytest.hookimpl(wrapper=True)
def pytest_runtest_teardown(item, nextitem):
    """After a test and its fixtures: the frame again, if a flush or a wipe removed it."""
    try:
        return (yield)
    finally:
        blocker = _preloaded.get("blocker")
        if blocker is not None:
            with blocker.unblock():
                if _frame_counts() != _preloaded["counts"]:
                    _frame_remove()
                    _frame_load()


@pytest.fixture
def empty_frame(db) -> None:
    """The test starts without the preloaded frame and questionnaires (it builds its own)."""
    _frame_remove()


@pytest.fixture(autouse=True)
def _empty_frame_marker(request) -> None:
    """Tests marked empty_frame get the empty_frame fixture before any other."""
    if request.node.get_closest_marker("empty_frame") is not None:
        request.getfixturevalue("empty_frame")


def _questionnaires_remove() -> None:
    Question.objects.filter(source__isnull=False).delete()
    Questionnaire.objects.all().delete()
    Cycle.objects.all().delete()


@pytest.fixture
def national_frame(request, db) -> None:
    """The 21 regions, 24 RSS and 290 municipalities from the shipped CSV files.

    Preloaded; without cycle_2024 the test builds its own questionnaires, so the
    preloaded ones are removed (inside the test's transaction).
    """
    if "cycle_2024" not in request.fixturenames:
        _questionnaires_remove()


@pytest.fixture
def cycle_2024(national_frame) -> dict[str, Questionnaire]:
    """The real 2024 questionnaires, by audience (preloaded)."""
    if not Questionnaire.objects.filter(cycle__year=2024).exists():
        questionnaires_load(year=2024)
    return {q.key: q for q in Questionnaire.objects.filter(cycle__year=2024)}


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
