"""Two confirmations of one import preview at the same time import the file once.

On PostgreSQL the two run at the same time, each on its own connection: the second
waits for the first's lock on the upload row, then finds it imported.
"""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from surveys.models import AnswerChange, ImportUpload, ResponseEvent
from surveys.services import imports as imports_service
from surveys.services.imports import import_upload_create

# Holds the first import inside its transaction, so that the second arrives meanwhile.
HOLD_SECONDS = 0.5
FILE = b"organisation,question,item,answer\r\n01,2,,Ja\r\n03,2,,Nej\r\n"


@pytest.mark.django_db(transaction=True)
def test_two_confirmations_at_the_same_time_import_once(cycle_2024, staff, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip(
            "concurrent confirmations need PostgreSQL (DATABASE_URL): row locks"
        )
    upload = import_upload_create(
        questionnaire=cycle_2024["region"],
        file=FILE,
        file_name="svar.csv",
        draft=False,
        by=staff,
    )
    plan = imports_service.import_plan

    def slow_plan(**kwargs):
        time.sleep(HOLD_SECONDS)
        return plan(**kwargs)

    monkeypatch.setattr(imports_service, "import_plan", slow_plan)
    url = reverse("surveys:staff-import-preview", args=[upload.pk])
    clients = [Client(), Client()]
    for client in clients:
        client.force_login(staff)
    barrier = threading.Barrier(2)
    replies: list = [None, None]
    spans: list = [None, None]

    def click(index: int) -> None:
        try:
            barrier.wait()
            started = time.monotonic()
            replies[index] = clients[index].post(url, {"action": "import"})
            spans[index] = (started, time.monotonic())
        finally:
            connection.close()

    threads = [threading.Thread(target=click, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert max(s[0] for s in spans) < min(s[1] for s in spans)
    assert [(r.status_code, r.url) for r in replies] == [(302, url), (302, url)]
    assert ImportUpload.objects.get().status == ImportUpload.Status.IMPORTED
    assert AnswerChange.objects.filter(source=AnswerChange.Source.IMPORT).count() == 2
    assert ResponseEvent.objects.filter(kind=ResponseEvent.Kind.IMPORTED).count() == 2
