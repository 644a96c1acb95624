"""The Celery worker and beat refuse the development SECRET_KEY with DEBUG off, as the
web process does (config/wsgi.py): a worker signs invitation links and e-mails them."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from config.celery import refuse_development_key
from config.checks import DEV_KEY_REFUSAL
from tests.config.test_deploy_checks import CONTROLLED, PROJECT

CELERY = os.path.join(os.path.dirname(sys.executable), "celery")


def _start(command: str, schedule, **env: str) -> subprocess.CompletedProcess:
    environment = {k: v for k, v in os.environ.items() if k not in CONTROLLED}
    environment.pop("REDIS_URL", None)  # the in-memory broker: nothing to reach
    environment.update(env)
    return subprocess.run(  # noqa: S603 (celery of our own venv)
        [CELERY, "-A", "config", command, "--loglevel", "INFO"]
        # beat's schedule file in the test's own directory, not the project's.
        + (
            ["--schedule", str(schedule / "beat-schedule")] if command == "beat" else []
        ),
        cwd=PROJECT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize("command", ["worker", "beat"])
def test_the_process_refuses_to_start_with_the_development_key(command, tmp_path):
    refused = _start(command, tmp_path, DEBUG="false")

    assert refused.returncode != 0
    assert DEV_KEY_REFUSAL in refused.stdout + refused.stderr


def test_a_proper_key_or_debug_lets_them_start(settings):
    settings.DEBUG = False
    settings.SECRET_KEY = "a-production-key-" + "x" * 50
    assert refuse_development_key() is None

    settings.SECRET_KEY = settings.DEV_SECRET_KEY
    settings.DEBUG = True
    assert refuse_development_key() is None

    settings.DEBUG = False
    with pytest.raises(SystemExit, match="development key"):
        refuse_development_key()
