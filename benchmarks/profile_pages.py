"""A profile of the respondent's pages: one GET of the largest section of the region
questionnaire and one draft-save POST of it, through Django's test client.

    python -m benchmarks.profile_pages [--repeat N] [--top N] [--sort cumulative|tottime]
        [--queries] [--postgres NAME]

Works on a temporary SQLite database of its own, or with --postgres on a PostgreSQL
database of that name on the benchmark's server (BENCHMARK_POSTGRES_URL, default the
local server), dropped and made again: migrated, reference data, the 2024
questionnaires, one respondent with a complete draft, as the benchmark's web part
prepares them. Each request is made once unprofiled (the templates compiled, the
caches of the questionnaire's version filled), then `repeat` times timed and `repeat`
times under cProfile; the output is the CPU time per request (median, not profiled: steadier than the wall
time on a shared machine)
and the top entries of each profile.
docs/profile-section-page.md has a run.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[1]


def _prepare_database(url: str) -> None:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    env.pop("REDIS_URL", None)
    for arguments in (
        ["migrate", "--noinput"],
        ["load_reference_data"],
        ["load_questionnaires", "2024"],
    ):
        subprocess.run(  # noqa: S603
            [sys.executable, "manage.py", *arguments],
            cwd=PROJECT_DIR,
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )


def _fresh_postgres(name: str) -> str:
    """An empty PostgreSQL database of this name (replacing any) and its URL."""
    from benchmarks.databases import _admin_execute, postgres_server

    if not name.replace("_", "").isalnum():
        raise SystemExit(f"--postgres: {name!r} is not a plain database name.")
    _admin_execute(
        f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)', f'CREATE DATABASE "{name}"'
    )
    return f"{postgres_server()}/{name}"


def _profile(label: str, request, repeat: int, top: int, sort: str) -> str:
    request()  # compile the templates, fill the per-version caches
    times = []
    for _ in range(repeat):
        began = time.process_time()
        request()
        times.append(time.process_time() - began)
    profiler = cProfile.Profile()
    for _ in range(repeat):
        profiler.enable()
        request()
        profiler.disable()
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.strip_dirs().sort_stats(sort).print_stats(top)
    return (
        f"## {label}: {1000 * statistics.median(times):.1f} ms per request "
        f"(CPU time, median of {repeat}, not profiled; the least "
        f"{1000 * min(times):.1f} ms)\n{out.getvalue()}"
    )


def _queries(label: str, request) -> str:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        request()
    lines = [f"## {label}: {len(queries)} queries"]
    lines += [f"- {query['sql'][:240]}" for query in queries.captured_queries]
    return "\n".join(lines) + "\n\n"


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sort", default="cumulative")
    parser.add_argument(
        "--queries", action="store_true", help="also list each request's SQL queries"
    )
    parser.add_argument(
        "--postgres",
        metavar="NAME",
        help="profile on this PostgreSQL database (dropped and made again) instead "
        "of a temporary SQLite file",
    )
    options = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="gnv-profile-") as workdir:
        if options.postgres:
            url = _fresh_postgres(options.postgres)
        else:
            url = f"sqlite:///{Path(workdir) / 'profile.sqlite3'}"
        _prepare_database(url)
        os.environ["DATABASE_URL"] = url
        os.environ["DJANGO_SETTINGS_MODULE"] = "benchmarks.settings"
        os.environ.setdefault("DEBUG", "false")
        os.environ.pop("REDIS_URL", None)
        import django

        django.setup()
        from django.conf import settings
        from django.test import Client

        from benchmarks import web

        settings.ALLOWED_HOSTS = ["testserver"]
        prepared = web.prepare(clients=1)
        spec = prepared["clients"][0]
        client = Client()
        for part in spec["cookie"].split("; "):
            name, _equals, value = part.partition("=")
            client.cookies[name] = value
        csrf = client.cookies[settings.CSRF_COOKIE_NAME].value
        page = spec["post"]["path"]
        version = {"value": int(spec["post"]["version"])}
        turn = {"value": 0}

        def get() -> None:
            reply = client.get(page)
            if reply.status_code != 200:
                raise RuntimeError(f"The page answered {reply.status_code}.")

        def save() -> None:
            body = spec["post"]["bodies"][turn["value"] % 2]
            data: dict[str, list[str]] = {}
            for name, value in [*body, ["version", str(version["value"])]]:
                data.setdefault(name, []).append(value)
            data["csrfmiddlewaretoken"] = [csrf]
            reply = client.post(page, data)
            if reply.status_code != 302:
                raise RuntimeError(f"The save answered {reply.status_code}.")
            version["value"] += 1
            turn["value"] += 1

        sys.stdout.write(
            f"Largest section: {prepared['largest_questions']} questions of "
            f"{prepared['questions']}\n\n"
        )

        def trivial() -> None:
            reply = client.get(web.TRIVIAL_PATH)
            if reply.status_code != 200:
                raise RuntimeError(f"The trivial view answered {reply.status_code}.")

        trivial()
        times = []
        for _ in range(options.repeat):
            began = time.process_time()
            trivial()
            times.append(time.process_time() - began)
        sys.stdout.write(
            f"## GET trivial view (the benchmark's baseline): "
            f"{1000 * statistics.median(times):.1f} ms per request "
            f"(CPU time, median of {options.repeat}, not profiled)\n\n"
        )
        for label, request in (("GET section page", get), ("POST draft save", save)):
            if options.queries:
                sys.stdout.write(_queries(label, request))
            sys.stdout.write(
                _profile(label, request, options.repeat, options.top, options.sort)
            )


if __name__ == "__main__":
    main(sys.argv[1:])
