"""The web process of the Procfile (gunicorn with config/gunicorn.py) sends no `Server`
header: nothing tells a visitor which server software answers."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from urllib.request import urlopen

import pytest

from tests.config.test_deploy_checks import CONTROLLED, PROJECT

BOOT_SECONDS = 30


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _web_command() -> str:
    for line in (PROJECT / "Procfile").read_text().splitlines():
        if line.startswith("web:"):
            return line.removeprefix("web:").strip()
    raise AssertionError("the Procfile has no web process")


@pytest.fixture
def web(tmp_path):
    """The Procfile's web command, started as production starts it (a development
    machine's settings: the login page needs no database)."""
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in CONTROLLED}
    env.update(
        {
            "DEBUG": "true",
            "PORT": str(port),
            "WEB_CONCURRENCY": "1",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'web.sqlite3'}",
            # gunicorn of this virtualenv, as bin/demo's PATH has it.
            "PATH": f"{os.path.dirname(sys.executable)}:{env['PATH']}",
        }
    )
    log = (tmp_path / "web.log").open("w")
    process = subprocess.Popen(  # noqa: S603 (the Procfile's own command)
        [shutil.which("bash") or "/bin/bash", "-c", f"exec {_web_command()}"],
        cwd=PROJECT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + BOOT_SECONDS
    try:
        while True:
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail((tmp_path / "web.log").read_text())
                time.sleep(0.2)
        yield base
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        log.close()


def test_the_web_process_sends_no_server_header(web):
    with urlopen(f"{web}/konto/logga-in/", timeout=30) as answer:  # noqa: S310 (our server)
        headers = answer.headers

    assert answer.status == 200
    assert headers.get("Server") is None, headers.get("Server")
    assert "script-src 'self'" in headers["Content-Security-Policy"]
