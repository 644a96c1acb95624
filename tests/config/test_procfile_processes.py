"""The Procfile as production runs it: web (gunicorn), worker and beat, started by honcho
as separate processes on PostgreSQL and Redis. A respondent logs in over HTTP, fills in
every section of the region questionnaire through the real forms and submits; the
aggregation the submit queues is done by the worker process, not the web process.

Runs where REDIS_URL names a Redis server and the tests run on PostgreSQL (CI sets
both); skipped otherwise, except with CI=true, where it fails. The processes use the
test's own database and a queue of their own on the Redis database of REDIS_URL.
"""

from __future__ import annotations

import datetime
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser
from http.cookiejar import CookieJar
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode, urlsplit, urlunsplit
from urllib.request import HTTPCookieProcessor, build_opener

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection

from aggregation.models import AggregationRun, AppendixCell
from surveys.models import Questionnaire, Response
from tests.conftest import PASSWORD

REDIS_URL = os.environ.get("REDIS_URL", "")
IN_CI = os.environ.get("CI") == "true"

pytestmark = [
    pytest.mark.celery_worker,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        not REDIS_URL and not IN_CI,
        reason="needs a real Redis and PostgreSQL: set REDIS_URL and DATABASE_URL "
        "(CI sets both)",
    ),
]

PROJECT = Path(django_settings.BASE_DIR)
BIN = Path(sys.executable).parent
BOOT_SECONDS = 30
AGGREGATION_SECONDS = 45
# Variables of this process that the env file replaces for the three processes.
REPLACED = {
    "DATABASE_URL",
    "REDIS_URL",
    "DEBUG",
    "SECRET_KEY",
    "PORT",
    "CELERY_QUEUE",
    "DJANGO_SETTINGS_MODULE",
}


@dataclass
class Stack:
    """The three processes under honcho, and what they print (prefixed web.1 | ...)."""

    process: subprocess.Popen
    log: Path
    url: str
    queue: str
    timings: dict[str, float] = field(default_factory=dict)

    def output(self) -> str:
        return self.log.read_text(errors="replace")

    def lines_of(self, name: str) -> list[str]:
        return [line for line in self.output().splitlines() if f" {name}.1 " in line]

    def assert_running(self) -> None:
        assert self.process.poll() is None, f"honcho stopped:\n{self.output()}"

    def wait_ready(self) -> None:
        """Until the web answers and the worker and beat say they started."""
        started = time.monotonic()
        deadline = started + BOOT_SECONDS
        while time.monotonic() < deadline:
            self.assert_running()
            worker_ready = any("ready." in line for line in self.lines_of("worker"))
            beat_ready = any("beat: Starting" in line for line in self.lines_of("beat"))
            if worker_ready and beat_ready and _answers(self.url + "/konto/logga-in/"):
                self.timings["boot"] = time.monotonic() - started
                return
            time.sleep(0.2)
        pytest.fail(
            f"The processes did not start in {BOOT_SECONDS} s:\n{self.output()}"
        )


def _answers(url: str) -> bool:
    try:
        with build_opener().open(url, timeout=2) as reply:
            return reply.status == 200
    except (URLError, OSError):
        return False


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _database_url() -> str:
    """The DATABASE_URL of this test's database as another process reaches it."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path=f"/{connection.settings_dict['NAME']}"))


@pytest.fixture
def stack(transactional_db, tmp_path) -> Iterator[Stack]:
    """`honcho start` with the project's Procfile; every process stopped at the end."""
    if not REDIS_URL or connection.vendor != "postgresql":
        message = "the Procfile test needs REDIS_URL and DATABASE_URL on PostgreSQL"
        if IN_CI:
            pytest.fail(f"CI=true: {message}")
        pytest.skip(message)
    port = _free_port()
    queue = f"gnv-procfile-{uuid.uuid4().hex[:12]}"
    env_file = tmp_path / "procfile.env"
    env_file.write_text(
        "\n".join(
            [
                "DEBUG=false",
                f"SECRET_KEY={secrets.token_urlsafe(50)}",
                f"DATABASE_URL={_database_url()}",
                f"REDIS_URL={REDIS_URL}",
                f"CELERY_QUEUE={queue}",
                f"PORT={port}",
                "WEB_CONCURRENCY=2",
                "WORKER_CONCURRENCY=1",
                f"BEAT_SCHEDULE_FILE={tmp_path / 'beat-schedule'}",
                "ALLOWED_HOSTS=127.0.0.1",
                # Plain http on loopback: the cookie jar sends no Secure cookie over it.
                "SESSION_COOKIE_SECURE=false",
                "CSRF_COOKIE_SECURE=false",
                "LOG_LEVEL=INFO",
            ]
        )
        + "\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in REPLACED}
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    env["PYTHONUNBUFFERED"] = "1"
    log = tmp_path / "honcho.log"
    with log.open("w") as output:
        process = subprocess.Popen(  # noqa: S603 (honcho of our venv, our Procfile)
            [
                str(BIN / "honcho"),
                "--no-colour",
                "-e",
                str(env_file),
                "-f",
                str(PROJECT / "Procfile"),
                "-d",
                str(PROJECT),
                "start",
            ],
            cwd=PROJECT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stopped as one below
        )
    try:
        yield Stack(process, log, f"http://127.0.0.1:{port}", queue)
    finally:
        stopping = time.monotonic()
        _stop(process)
        print(f"Procfile test: stopped in {time.monotonic() - stopping:.1f} s")
        import redis

        client = redis.Redis.from_url(REDIS_URL)
        for key in client.scan_iter(match=f"*{queue}*"):
            client.delete(key)
        client.close()


def _stop(process: subprocess.Popen) -> None:
    """SIGTERM to the whole process group (honcho, gunicorn and its workers, celery)."""
    group = os.getpgid(process.pid)
    os.killpg(group, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(group, signal.SIGKILL)
        process.wait(timeout=5)
    # Whatever honcho left behind in the group.
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.killpg(group, 0)
        except ProcessLookupError:
            return
        time.sleep(0.2)
    os.killpg(group, signal.SIGKILL)


class FormParser(HTMLParser):
    """The forms of a page: [(the form's attributes, [(tag, attributes), ...]), ...]."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[tuple[dict[str, str], list[tuple[str, dict[str, str]]]]] = []

    def handle_starttag(self, tag, attrs):
        attributes = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.forms.append((attributes, []))
        elif tag in ("input", "textarea", "select", "button") and self.forms:
            self.forms[-1][1].append((tag, attributes))


class Browser:
    """A cookie-keeping HTTP client that follows redirects, like a person's browser."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.opener = build_opener(HTTPCookieProcessor(CookieJar()))
        self.url = ""
        self.html = ""

    def get(self, path: str) -> str:
        return self._open(path, None)

    def post(self, path: str, data: list[tuple[str, str]]) -> str:
        return self._open(path, urlencode(data).encode())

    def _open(self, path: str, body: bytes | None) -> str:
        url = path if path.startswith("http") else self.base + path
        try:
            with self.opener.open(url, data=body, timeout=30) as reply:
                self.url, self.html = reply.geturl(), reply.read().decode()
        except HTTPError as error:
            content = error.read().decode(errors="replace")
            pytest.fail(f"{error.code} from {url}:\n{content[:3000]}")
        return self.html

    @property
    def path(self) -> str:
        return urlsplit(self.url).path

    def form(
        self, action: str = "", form_id: str = ""
    ) -> list[tuple[str, dict[str, str]]]:
        """The fields of the form with that action (or id) on the current page."""
        parser = FormParser()
        parser.feed(self.html)
        for attributes, fields in parser.forms:
            if (form_id and attributes.get("id") == form_id) or (
                not form_id and attributes.get("action", "") == action
            ):
                return fields
        pytest.fail(f"No form {action or form_id!r} on {self.url}:\n{self.html[:3000]}")


def hidden(fields: list[tuple[str, dict[str, str]]]) -> list[tuple[str, str]]:
    """The hidden fields of a form (the CSRF token, a version)."""
    return [
        (a["name"], a.get("value", ""))
        for tag, a in fields
        if tag == "input" and a.get("type") == "hidden" and a.get("name")
    ]


def section_answers(
    fields: list[tuple[str, dict[str, str]]],
) -> list[tuple[str, str]]:
    """What a person fills in: the first option of every choice, the first alternative
    of every multiple choice, a figure in every number box, a sentence in every text
    box, an e-mail address and a telephone number in the contact boxes; hidden fields as the page gave them. Follow-up questions are answered too; the
    site keeps them only where the answer they depend on shows them."""
    data: list[tuple[str, str]] = []
    chosen: set[str] = set()
    for tag, attributes in fields:
        name = attributes.get("name", "")
        kind = attributes.get("type", "text" if tag == "input" else tag)
        if not name or tag == "button" or name == "action":
            continue
        if kind == "hidden":
            data.append((name, attributes.get("value", "")))
        elif kind in ("radio", "checkbox"):
            # "_ok": the confirmation of a checked value; "_ce": cannot be estimated.
            if name in chosen or name.endswith(("_ok", "_ce")):
                continue
            chosen.add(name)
            data.append((name, attributes["value"]))
        elif attributes.get("inputmode") == "numeric":
            data.append((name, "50"))
        elif kind == "email":
            data.append((name, "anna.andersson@exempel.se"))
        elif kind == "tel":
            data.append((name, "070-174 06 50"))
        elif tag in ("textarea", "input"):
            data.append((name, "Ett svar."))
    return data


def test_the_worker_process_aggregates_a_response_submitted_over_http(
    stack, cycle_2024, region_respondent, real_clock
):
    # The processes boot while the fixtures load the frame and the questionnaires.
    t0 = time.monotonic()
    # A password hash the site verifies (the tests' own settings use MD5 only).
    hasher = PBKDF2PasswordHasher()
    region_respondent.password = hasher.encode(PASSWORD, hasher.salt())
    region_respondent.save(update_fields=["password"])
    questionnaire = cycle_2024["region"]
    # The site's processes read the real clock: the 2024 questionnaire is still open.
    Questionnaire.objects.filter(pk=questionnaire.pk).update(
        closes_on=datetime.date.today() + datetime.timedelta(days=30)  # noqa: DTZ011
    )
    stack.wait_ready()

    t_http = time.monotonic()
    browser = Browser(stack.url)
    browser.get("/konto/logga-in/")
    browser.post(
        "/konto/logga-in/",
        [
            *hidden(browser.form()),  # the login form posts to its own address
            ("username", region_respondent.username),
            ("password", PASSWORD),
        ],
    )
    assert browser.path == "/", browser.html[:2000]
    assert region_respondent.username in browser.html

    start = f"/enkat/{questionnaire.pk}/01/starta/"
    browser.post(start, hidden(browser.form(start)))
    match = re.fullmatch(r"/svar/(\d+)/avsnitt/1/", browser.path)
    assert match, browser.url
    response = Response.objects.get(pk=int(match[1]))
    sections = questionnaire.sections.count()
    for position in range(1, sections + 1):
        here = f"/svar/{response.pk}/avsnitt/{position}/"
        assert browser.path == here
        action = "next" if position < sections else "review"
        browser.post(
            here,
            [
                *section_answers(browser.form(form_id="section-form")),
                ("action", action),
            ],
        )
    assert browser.path == f"/svar/{response.pk}/granska/"

    submit = f"/svar/{response.pk}/skicka-in/"
    browser.post(submit, hidden(browser.form(submit)))
    submitted_at = time.monotonic()
    stack.timings["login, fill and submit over HTTP"] = submitted_at - t_http
    assert browser.path == f"/svar/{response.pk}/sammanfattning/", browser.html[:3000]
    response.refresh_from_db()
    assert response.status == Response.Status.SUBMITTED

    run = wait_for_complete_run(stack, questionnaire)
    stack.timings["submit to complete aggregation"] = time.monotonic() - submitted_at

    assert run.responses == 1
    region_2 = questionnaire.questions.get(code="2").choice_options[0]
    cells = dict(
        AppendixCell.objects.filter(run=run, question_code="2").values_list(
            "organisation", "value"
        )
    )
    assert cells["Stockholm"] == region_2
    assert cells["Uppsala"] == ""
    # Done by the worker process through Redis: the web process only queued it.
    worker = "\n".join(stack.lines_of("worker"))
    assert re.search(r"Task aggregation\.tasks\.aggregate\[[\w-]+\] received", worker)
    assert re.search(r"Task aggregation\.tasks\.aggregate\[[\w-]+\] succeeded", worker)
    assert "aggregation.tasks.aggregate" not in "\n".join(stack.lines_of("web"))
    assert f"POST {submit}" in "\n".join(stack.lines_of("web"))  # gunicorn's access log
    stack.assert_running()  # web, worker and beat all still up
    stack.timings["whole test"] = time.monotonic() - t0
    print(
        "\nProcfile test timings (s):",
        {k: round(v, 1) for k, v in stack.timings.items()},
    )


def wait_for_complete_run(stack: Stack, questionnaire) -> AggregationRun:
    deadline = time.monotonic() + AGGREGATION_SECONDS
    while time.monotonic() < deadline:
        run = AggregationRun.objects.filter(
            questionnaire=questionnaire, is_current=True, responses=1
        ).first()
        if run is not None:
            assert run.status == AggregationRun.Status.COMPLETE
            return run
        failed = AggregationRun.objects.filter(status=AggregationRun.Status.ERROR)
        assert not failed.exists(), list(failed.values_list("messages", flat=True))
        stack.assert_running()
        time.sleep(0.2)
    runs = list(AggregationRun.objects.values_list("pk", "status", "responses"))
    pytest.fail(
        f"No complete run after {AGGREGATION_SECONDS} s; runs {runs}\n{stack.output()}"
    )
