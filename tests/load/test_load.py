"""50 respondents at once against gunicorn on PostgreSQL; every answer as sent.

Runs where DATABASE_URL names PostgreSQL (CI); gunicorn serves the test database, and
with REDIS_URL a Celery worker computes the tables beside it. The figures are printed
(pytest -s shows them); `bin/loadtest` does the same on a fresh database of its own.
"""

from __future__ import annotations

import os
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.db import connection

from tests.load.run import (
    MAX_SECONDS,
    RESPONDENTS,
    WEB_THREADS,
    WEB_WORKERS,
    prepare,
    run_load,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_respondents_saving_and_submitting_at_once_store_exactly_what_they_sent(
    cycle_2024, tmp_path, real_clock
):
    if connection.vendor != "postgresql":
        pytest.skip(
            "the load test runs gunicorn on PostgreSQL: set DATABASE_URL to a "
            "PostgreSQL server (CI does), or run bin/loadtest"
        )
    name = connection.settings_dict["NAME"]
    database_url = urlunsplit(
        urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{name}")
    )
    respondents = prepare(count=RESPONDENTS)
    assert len(respondents) == RESPONDENTS

    figures, problems = run_load(
        database_url=database_url,
        respondents=respondents,
        workers=WEB_WORKERS,
        threads=WEB_THREADS,
        log_dir=tmp_path,
        redis_url=os.environ.get("REDIS_URL", ""),
    )
    print("\n" + "\n".join(figures.lines()))

    assert problems == []
    assert figures.errors == 0
    assert figures.seconds < MAX_SECONDS
