"""The web measurements: gunicorn on loopback, 20 concurrent clients, three scenarios.

- trivial: GET of benchmarks.urls.trivial (the baseline: the project's settings,
  middleware and database transaction per request, no work);
- page: GET of the region questionnaire's section pages (54 questions over all of its
  sections, each client going through them in turn), a respondent logged in;
- save: POST of the largest section as a draft, every save changing one answer (the two
  bodies alternate), each client on its own response; measured up to the redirect that
  answers a save, not the page the browser loads next.

prepare() runs in a worker process on the benchmark database; serve() and measure() run
in the command's process.
"""

from __future__ import annotations

import json
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

CLIENTS = 20
# The last line of a traceback: "django.db.utils.OperationalError: database is locked".
EXCEPTION_LINE = re.compile(r"^[A-Za-z_][\w.]*(Error|Exception)\b.*")
# The trivial view of benchmarks.urls.
TRIVIAL_PATH = "/benchmark/trivial/"
USERNAME = "benchmark-web-{:02d}"
PROJECT_DIR = Path(__file__).resolve().parents[1]


def prepare(*, clients: int = CLIENTS) -> dict:
    """Respondents with a complete draft each, logged in; what the load client needs."""
    import random

    from django import forms
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client
    from django.urls import reverse
    from django.utils.crypto import get_random_string

    from benchmarks.synthetic import OPEN_UNTIL, answer_set, region_questionnaire
    from regions.models import County, Organisation
    from surveys.authentication import MEMBERSHIP_BACKEND
    from surveys.forms.responses import SectionForm
    from surveys.models import Membership, Questionnaire, QuestionType
    from surveys.services import answers_map, response_get_or_create
    from surveys.services.responses import response_save_answers

    questionnaire = region_questionnaire()
    Questionnaire.objects.filter(pk=questionnaire.pk).update(closes_on=OPEN_UNTIL)
    questionnaire.refresh_from_db()
    questions = list(questionnaire.questions.order_by("position"))
    sections = list(questionnaire.sections.order_by("position"))
    sizes = {s.pk: sum(q.section_id == s.pk for q in questions) for s in sections}
    largest = max(sections, key=lambda s: (sizes[s.pk], -s.position))
    counties = list(County.objects.order_by("code"))
    rng = random.Random(6)  # noqa: S311  (synthetic answers, not secrets)
    users = get_user_model()
    specs = []
    for number in range(clients):
        organisation, _created = Organisation.objects.get_or_create(
            code=f"W{number:05d}",
            defaults={
                "kind": Organisation.Kind.REGION,
                "name": f"Web {number:02d}",
                "full_name": f"Web {number:02d}",
                "county": counties[number % len(counties)],
                "population": 500_000,
            },
        )
        user, _created = users.objects.get_or_create(username=USERNAME.format(number))
        Membership.objects.get_or_create(
            user=user, defaults={"organisation": organisation}
        )
        response = response_get_or_create(
            questionnaire=questionnaire, organisation=organisation
        )
        response = response_save_answers(
            response=response,
            values=answer_set(questions, rng),
            by=user,
            version=response.version,
        )
        client = Client()
        client.force_login(user, backend=MEMBERSHIP_BACKEND)
        session = client.cookies[settings.SESSION_COOKIE_NAME].value
        csrf = get_random_string(32)
        answers = answers_map(response)
        section_questions = [q for q in questions if q.section_id == largest.pk]
        form = SectionForm(questions=section_questions, answers=answers)
        pairs: list[list[str]] = [["csrfmiddlewaretoken", csrf], ["action", "save"]]
        changing = None
        for name, field in form.fields.items():
            if name == "version":
                continue
            value = form[name].value()
            if isinstance(field, forms.MultipleChoiceField):
                pairs += [[name, str(v)] for v in value or []]
            elif isinstance(field, forms.BooleanField):
                if value:
                    pairs.append([name, "on"])
            elif value is not None:
                pairs.append([name, str(value)])
        for spec in form.layout.values():
            # A free text that is no follow-up: shown, so its answer is stored.
            question = spec.question
            if question.type == QuestionType.FREE_TEXT and not question.show_if:
                changing = spec.cells[0].name
                break
        if changing is None:
            raise RuntimeError("The largest section has no free-text question to vary.")
        other = [
            [name, f"{value} (ändrad)" if name == changing else value]
            for name, value in pairs
        ]
        specs.append(
            {
                "cookie": f"{settings.SESSION_COOKIE_NAME}={session}; "
                f"{settings.CSRF_COOKIE_NAME}={csrf}",
                "paths": [
                    reverse("surveys:response-section", args=[response.pk, s.position])
                    for s in sections
                ],
                "post": {
                    "path": reverse(
                        "surveys:response-section",
                        args=[response.pk, largest.position],
                    ),
                    "bodies": [other, pairs],
                    "version": response.version,
                },
            }
        )
    return {
        "clients": specs,
        "sections": len(sections),
        "questions": len(questions),
        "largest_section": largest.position,
        "largest_questions": sizes[largest.pk],
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def default_workers() -> int:
    """gunicorn's advice for sync workers: two per core, plus one."""
    return 2 * (os.cpu_count() or 1) + 1


@contextmanager
def serve(
    env: dict[str, str], *, workers: int, log: Path | None = None
) -> Iterator[int]:
    """gunicorn serving the project (and the trivial view) on a free loopback port.

    `env` is the environment of the benchmark's processes: the same DATABASE_URL and
    SECRET_KEY as prepare() had, so its sessions are valid. Its output (the tracebacks of
    server errors, counted as errors in the table) goes to `log`.
    """
    port = _free_port()
    output = open(log, "ab") if log else subprocess.DEVNULL  # noqa: SIM115
    env = {
        **env,
        "DJANGO_SETTINGS_MODULE": "benchmarks.settings",
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    server = subprocess.Popen(  # noqa: S603
        [
            sys.executable,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--worker-class",
            "sync",
            # Django is set up once in the master, not once per worker.
            "--preload",
            "--backlog",
            "2048",
            "--timeout",
            "60",
            "--log-level",
            "warning",
        ],
        cwd=PROJECT_DIR,
        env=env,
        stdout=output,
        stderr=subprocess.STDOUT,
    )
    try:
        _wait_until_up(port, server)
        yield port
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
        if not isinstance(output, int):
            output.close()


def server_errors(log: Path) -> dict[str, int]:
    """The server errors in gunicorn's log, counted by their final exception line."""
    if not log.exists():
        return {}
    counts: dict[str, int] = {}
    text = log.read_text(errors="replace")
    for block in text.split("Internal Server Error: ")[1:]:
        final = [line for line in block.splitlines() if EXCEPTION_LINE.match(line)]
        if final:
            counts[final[-1]] = counts.get(final[-1], 0) + 1
    return counts


def _wait_until_up(port: int, server: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    url = f"http://127.0.0.1:{port}{TRIVIAL_PATH}"
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn stopped with exit code {server.returncode}.")
        try:
            with urllib.request.urlopen(url, timeout=2) as reply:
                if reply.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("gunicorn did not answer within a minute.")


def scenarios(prepared: dict, port: int, *, seconds: float, warmup: float) -> dict:
    """The three scenarios as the load client takes them."""
    common = {
        "host": "127.0.0.1",
        "port": port,
        "seconds": seconds,
        "warmup": warmup,
        # A bound on the whole run, far above what 2 cores serve in `seconds`.
        "max_requests": int(5000 * (seconds + warmup)),
    }
    clients = prepared["clients"]
    return {
        "trivial": {
            **common,
            "expect": 200,
            "clients": [
                {"cookie": c["cookie"], "paths": [TRIVIAL_PATH]} for c in clients
            ],
        },
        "page": {
            **common,
            "expect": 200,
            "clients": [{"cookie": c["cookie"], "paths": c["paths"]} for c in clients],
        },
        "save": {
            **common,
            "expect": 302,
            "clients": [{"cookie": c["cookie"], "post": c["post"]} for c in clients],
        },
    }


def load(scenario: dict) -> dict:
    """Run the load client in its own process; its result."""
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.load"],
        cwd=PROJECT_DIR,
        input=json.dumps(scenario),
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise RuntimeError(f"The load client failed:\n{done.stderr[-4000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])
