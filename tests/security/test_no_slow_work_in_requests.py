"""No request builds a PDF or a spreadsheet or computes an aggregation: the workers do.

Every URL of the project is requested by every role (anonymous, respondents, RSS
coordinators, a region, staff; the objects of tests/security's world, and each URL also
with ?export=<format>), with the tasks sent to a broker rather than run in the request,
and with the engines made to raise wherever they are bound: the PDF renderer
(reports.pdf.html_to_pdf, and WeasyPrint itself), the spreadsheet writers
(reports.spreadsheets.xlsx_bytes, .csv_bytes, openpyxl's save) and the aggregation's
compute entry (aggregation.compute.compute_results). A view that calls one fails here.
"""

from __future__ import annotations

import importlib
import pkgutil
import sys
from collections.abc import Iterator

import pytest
from django.db import transaction
from django.test import Client
from django.urls import reverse

import aggregation.compute
import reports.pdf
import reports.spreadsheets
from reports.formats import FORMATS
from tests.faults.conftest import drop_broker_pools
from tests.security.conftest import ROLES, World
from tests.security.test_permission_sweep import EXPECTED, url_kwargs

pytestmark = pytest.mark.django_db


class SlowWorkInRequest(AssertionError):
    pass


PACKAGES = ("reports", "aggregation", "surveys", "regions", "config")
# Not views' code: migrations, commands, and the servers' entry points (they check the
# environment as they load).
NOT_IMPORTED = (".migrations", ".management", "config.wsgi", "config.gunicorn")
ENGINES = {
    "the PDF renderer": (reports.pdf, "html_to_pdf"),
    "the XLSX writer": (reports.spreadsheets, "xlsx_bytes"),
    "the CSV writer": (reports.spreadsheets, "csv_bytes"),
    "the aggregation": (aggregation.compute, "compute_results"),
}


@pytest.fixture
def engines_forbidden(monkeypatch) -> Iterator[list[str]]:
    """Every engine raises, in every module of the project that bound it; the calls made
    are listed (a view may catch the error: the list still shows the call)."""
    calls: list[str] = []
    # Every module of the project loaded first: a module imported later, inside a
    # request, would bind the replacement for good (monkeypatch would not undo it).
    for package in PACKAGES:
        for info in pkgutil.walk_packages(
            importlib.import_module(package).__path__, f"{package}."
        ):
            if not any(part in info.name for part in NOT_IMPORTED):
                importlib.import_module(info.name)

    def forbidden(what: str):
        def call(*args, **kwargs):
            calls.append(what)
            raise SlowWorkInRequest(f"{what} was called inside a request")

        return call

    for what, (module, name) in ENGINES.items():
        original = getattr(module, name)
        replacement = forbidden(what)
        for loaded in list(sys.modules.values()):
            if loaded is None or not getattr(loaded, "__name__", "").startswith(
                PACKAGES
            ):
                continue
            for attribute, value in list(vars(loaded).items()):
                if value is original:
                    monkeypatch.setattr(loaded, attribute, replacement)
    import openpyxl
    import weasyprint

    monkeypatch.setattr(weasyprint.HTML, "write_pdf", forbidden("WeasyPrint"))
    monkeypatch.setattr(openpyxl.Workbook, "save", forbidden("openpyxl"))
    yield calls


@pytest.fixture
def tasks_to_a_broker(settings) -> Iterator[None]:
    """Tasks are sent (to memory), not run in the request as the tests' eager default."""
    settings.CELERY_BROKER_URL = "memory://"
    settings.CELERY_TASK_ALWAYS_EAGER = False
    settings.CELERY_TASK_EAGER_PROPAGATES = False
    drop_broker_pools()
    yield
    drop_broker_pools()


def _requests(world: World) -> list[tuple[str, str, str, dict]]:
    """(name, method, url, data): every URL, plainly and with ?export= of each format;
    the export form posted with a document."""
    requests = []
    for name, (method, _statuses) in sorted(EXPECTED.items()):
        url = reverse(name, kwargs=url_kwargs(name, world))
        requests.append((name, method, url, {}))
        if method == "GET":
            requests += [(name, method, f"{url}?export={f}", {}) for f in FORMATS]
    requests.append(
        (
            "reports:export-start",
            "POST",
            reverse(
                "reports:export-start",
                kwargs={"questionnaire_pk": world.questionnaires["region"].pk},
            ),
            {"document": "appendix", "format": "pdf"},
        )
    )
    return requests


def test_no_request_renders_a_pdf_or_spreadsheet_or_computes_an_aggregation(
    world, engines_forbidden, tasks_to_a_broker, django_capture_on_commit_callbacks
):
    made: list[str] = []
    for _name, method, url, data in _requests(world):
        for role in ROLES:
            client = Client(raise_request_exception=False)
            user = world.users[role]
            if user is not None:
                client.force_login(user)
            before = len(engines_forbidden)
            with transaction.atomic():
                # What commits with the request (the tasks it sends) happens too.
                with django_capture_on_commit_callbacks(execute=True):
                    getattr(client, method.lower())(url, data)
                transaction.set_rollback(True)
            if len(engines_forbidden) > before:
                made.append(f"{method} {url} as {role}: {engines_forbidden[before:]}")

    assert made == []


def test_the_check_fails_on_a_view_that_renders(
    rf, world, engines_forbidden, tasks_to_a_broker
):
    """The engines raise where a view would call them (the check above can fail)."""
    from reports.documents import document_build

    with pytest.raises(SlowWorkInRequest):
        document_build(
            document="questionnaire",
            fmt="pdf",
            questionnaire=world.questionnaires["extra"],
        )
    assert engines_forbidden == ["the PDF renderer"]
