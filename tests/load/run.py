"""The load test: N respondents save and submit at once against gunicorn; then every
answer in the database is compared with what its respondent sent.

`bin/loadtest` runs it on a fresh PostgreSQL database and prints the figures;
tests/load/test_load.py runs it in CI. Both call `prepare`, `load` and `verify`.
"""

from __future__ import annotations

import argparse
import datetime
import math
import os
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

RESPONDENTS = 50
SEED = 2024
# The bound on the whole run (login to the last submit) on a 2-core machine.
MAX_SECONDS = 120
PASSWORD = "load-test-password-2024"
# gunicorn: a process per core and one more, each with 4 threads (a request waits
# for PostgreSQL part of its time).
WEB_WORKERS = (os.cpu_count() or 2) + 1
WEB_THREADS = 4
# How long the tables may take to catch up with the last submit.
TABLES_SECONDS = 120


@dataclass
class Figures:
    respondents: int
    failed: int
    requests: int
    errors: int
    seconds: float
    p50: float
    p95: float
    slowest: float
    # Per kind of request ("POST section"): count, p50 and p95 in seconds.
    kinds: dict[str, tuple[int, float, float]]
    # Where the aggregations ran, the CPU time of gunicorn (all its workers) and of the
    # Celery worker, and how long after the last submit the tables were current.
    tasks: str = ""
    web_cpu: float = 0.0
    worker_cpu: float = 0.0
    tables_after: float | None = None

    def lines(self) -> list[str]:
        rate = self.requests / self.seconds if self.seconds else 0.0
        return [
            f"respondents          {self.respondents} ({self.failed} failed)",
            f"total time           {self.seconds:.1f} s",
            f"requests             {self.requests} ({self.errors} not 2xx/3xx), "
            f"{rate:.1f} per second",
            f"latency p50 / p95    {self.p50 * 1000:.0f} ms / {self.p95 * 1000:.0f} ms "
            f"(slowest {self.slowest * 1000:.0f} ms)",
            f"web CPU time         {self.web_cpu:.1f} s "
            f"({self.web_cpu / max(self.requests, 1) * 1000:.0f} ms per request)",
            f"aggregations         {self.tasks}"
            + (f", worker CPU time {self.worker_cpu:.1f} s" if self.worker_cpu else ""),
            "tables current       "
            + (
                f"{self.tables_after:.1f} s after the last submit"
                if self.tables_after is not None
                else "not within the wait"
            ),
            *(
                f"  {kind:<18} {count:>5} x, p50 {p50 * 1000:>5.0f} ms, "
                f"p95 {p95 * 1000:>6.0f} ms"
                for kind, (count, p50, p95) in self.kinds.items()
            ),
        ]


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (share 0.95 for p95); 0 for no values."""
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[max(0, math.ceil(share * len(ordered)) - 1)]


PAGES = {
    "/konto/logga-in/": "login",
    "/avsnitt/": "section",
    "/starta/": "start",
    "/granska/": "review",
    "/skicka-in/": "submit",
    "/sammanfattning/": "summary",
}


def request_kind(timing) -> str:
    """ "POST section", "GET login", ...: the method and which page."""
    page = next((name for part, name in PAGES.items() if part in timing.path), None)
    return (
        f"{timing.method} {page or ('start page' if timing.path == '/' else 'other')}"
    )


def organisation_codes(count: int) -> list[str]:
    """Every region (up to half the respondents), the rest municipalities, by code."""
    from regions.models import Organisation

    kinds = Organisation.Kind
    regions = list(
        Organisation.objects.filter(kind=kinds.REGION)
        .order_by("code")
        .values_list("code", flat=True)[: min(21, count // 2)]
    )
    municipalities = list(
        Organisation.objects.filter(kind=kinds.MUNICIPALITY)
        .order_by("code")
        .values_list("code", flat=True)[: count - len(regions)]
    )
    return regions + municipalities


def prepare(*, count: int = RESPONDENTS, seed: int = SEED) -> list[tuple]:
    """Users of `count` organisations, deadlines open, and each one's answers to send.

    Needs the reference data and the 2024 questionnaires loaded. Returns (username,
    password, Plan) per respondent.
    """
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import PBKDF2PasswordHasher
    from django.utils import timezone

    from regions.models import Organisation
    from surveys.models import Membership, Participation, Questionnaire
    from tests.load.answers import plan_for

    hasher = PBKDF2PasswordHasher()
    # One hash for all: the web process checks each login at full cost.
    encoded = hasher.encode(PASSWORD, hasher.salt())
    User = get_user_model()
    # The real date, not the tests' fieldwork day: gunicorn runs on the real clock.
    until = timezone.localdate() + datetime.timedelta(days=60)
    respondents = []
    codes = organisation_codes(count)
    organisations = Organisation.objects.in_bulk(codes, field_name="code")
    audiences = [Questionnaire.Audience.REGION, Questionnaire.Audience.MUNICIPALITY]
    questionnaires = {
        q.organisation_kind: q
        for q in Questionnaire.objects.filter(
            is_current=True, cycle__year=2024, audience__in=audiences
        )
    }
    for questionnaire in questionnaires.values():
        Participation.objects.bulk_create(
            [
                Participation(questionnaire=questionnaire, organisation=o)
                for o in Organisation.objects.filter(
                    kind=questionnaire.organisation_kind
                )
            ],
            ignore_conflicts=True,
        )
        Participation.objects.filter(questionnaire=questionnaire).update(
            closes_on=until
        )
    for code in codes:
        organisation = organisations[code]
        username = f"load-{code.lower()}@example.se"
        user = User.objects.create(username=username, email=username, password=encoded)
        Membership.objects.create(
            user=user, organisation=organisation, role=Membership.Role.RESPONDENT
        )
        questionnaire = questionnaires[organisation.kind]
        plan = plan_for(questionnaire=questionnaire, organisation_code=code, seed=seed)
        respondents.append((username, PASSWORD, plan))
    return respondents


def load(base_url: str, respondents: list[tuple]) -> tuple[list, Figures]:
    """All respondents at once against the server; their outcomes and the figures."""
    from tests.load.respondents import run_all

    outcomes, seconds = run_all(base_url, respondents)
    timings = [t for o in outcomes for t in o.timings]
    durations = [t.seconds for t in timings]
    by_kind: dict[str, list[float]] = {}
    for timing in timings:
        by_kind.setdefault(request_kind(timing), []).append(timing.seconds)
    figures = Figures(
        respondents=len(outcomes),
        failed=sum(1 for o in outcomes if o.error),
        requests=len(timings),
        errors=sum(1 for t in timings if t.status >= 400),
        seconds=seconds,
        p50=statistics.median(durations) if durations else 0.0,
        p95=percentile(durations, 0.95),
        slowest=max(durations, default=0.0),
        kinds={
            kind: (len(values), statistics.median(values), percentile(values, 0.95))
            for kind, values in by_kind.items()
        },
    )
    return outcomes, figures


def verify(respondents: list[tuple], outcomes: list) -> list[str]:
    """Every way the database differs from what the respondents sent (empty: none).

    Each response is submitted once, holds exactly the answers its respondent sent
    (no answer missing, changed, extra or another organisation's), and no other
    response holds answers.
    """
    from surveys.models import Answer, Response, ResponseEvent
    from surveys.services import answers_map

    problems = [f"{o.organisation_code}: {o.error}" for o in outcomes if o.error]
    ours = []
    for _username, _password, plan in respondents:
        response = Response.objects.filter(
            questionnaire_id=plan.questionnaire_pk,
            organisation__code=plan.organisation_code,
        ).first()
        if response is None:
            problems.append(f"{plan.organisation_code}: no response stored")
            continue
        ours.append(response.pk)
        if not response.is_submitted:
            problems.append(f"{plan.organisation_code}: not submitted")
        submits = ResponseEvent.objects.filter(
            response=response, kind=ResponseEvent.Kind.SUBMITTED
        ).count()
        if submits != 1:
            problems.append(f"{plan.organisation_code}: {submits} submissions")
        stored = answers_map(response)
        if stored != plan.expected:
            wrong = sorted(
                key
                for key in stored.keys() | plan.expected.keys()
                if stored.get(key) != plan.expected.get(key)
            )
            first = wrong[0]
            problems.append(
                f"{plan.organisation_code}: {len(wrong)} answers differ, e.g. {first}: "
                f"stored {stored.get(first)}, sent {plan.expected.get(first)}"
            )
    strays = Answer.objects.exclude(response_id__in=ours).count()
    if strays:
        problems.append(f"{strays} answers stored in responses nobody here sent")
    return problems


def wait_for_tables(questionnaire_pks: set[int], seconds: float) -> float | None:
    """Seconds until every questionnaire's tables are current and no run is due."""
    from aggregation.models import AggregationRun

    started = time.monotonic()
    while time.monotonic() - started < seconds:
        due = AggregationRun.objects.filter(
            questionnaire_id__in=questionnaire_pks,
            status__in=[
                AggregationRun.Status.CREATED,
                AggregationRun.Status.PROCESSING,
            ],
        ).exists()
        if not due and not verify_tables(questionnaire_pks):
            return time.monotonic() - started
        time.sleep(0.5)
    return None


def verify_tables(questionnaire_pks: set[int]) -> list[str]:
    """The tables of each questionnaire are computed from all its submitted answers."""
    from aggregation.services import aggregation_statuses
    from surveys.models import Questionnaire

    problems = []
    questionnaires = list(Questionnaire.objects.filter(pk__in=questionnaire_pks))
    for status in aggregation_statuses(questionnaires=questionnaires):
        title = status.questionnaire.title
        if status.current is None:
            problems.append(f"{title}: no tables computed")
        elif status.is_stale or status.current.responses != status.submitted:
            problems.append(
                f"{title}: tables from {status.current.responses} of "
                f"{status.submitted} submitted responses"
            )
        if status.failed is not None:
            problems.append(f"{title}: run {status.failed.pk} failed")
    return problems


def run_load(
    *,
    database_url: str,
    respondents: list[tuple],
    workers: int,
    threads: int,
    log_dir: Path,
    redis_url: str = "",
) -> tuple[Figures, list[str]]:
    """Serve the site, run the respondents, wait for the tables; figures and problems."""
    from tests.load.server import site

    questionnaires = {plan.questionnaire_pk for _u, _p, plan in respondents}
    with site(
        database_url=database_url,
        workers=workers,
        threads=threads,
        log_dir=log_dir,
        redis_url=redis_url,
    ) as served:
        outcomes, figures = load(served.base_url, respondents)
        figures.tables_after = wait_for_tables(questionnaires, TABLES_SECONDS)
    figures.tasks = served.tasks
    figures.web_cpu, figures.worker_cpu = served.web_cpu, served.worker_cpu
    problems = verify(respondents, outcomes) + verify_tables(questionnaires)
    return figures, problems


# --- bin/loadtest ---------------------------------------------------------------------


def _database_urls(name: str) -> tuple[str, str]:
    """(URL of the server's maintenance database, URL of the database `name`)."""
    from urllib.parse import urlsplit, urlunsplit

    base = os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/postgres")
    parts = urlsplit(base)
    if not parts.scheme.startswith("postgres"):
        sys.exit(f"DATABASE_URL must name a PostgreSQL server, not {parts.scheme}")
    return (
        urlunsplit(parts._replace(path="/postgres")),
        urlunsplit(parts._replace(path=f"/{name}")),
    )


def _recreate(maintenance_url: str, name: str, *, drop_only: bool = False) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(maintenance_url, autocommit=True) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(name)
            )
        )
        if not drop_only:
            connection.execute(
                sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name))
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="bin/loadtest",
        description="N respondents log in, save drafts and submit at once against "
        "gunicorn on a fresh PostgreSQL database; then every stored answer is checked.",
    )
    parser.add_argument("--respondents", type=int, default=RESPONDENTS)
    parser.add_argument(
        "--workers", type=int, default=WEB_WORKERS, help="gunicorn worker processes"
    )
    parser.add_argument(
        "--threads", type=int, default=WEB_THREADS, help="threads per gunicorn worker"
    )
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument("--database", default="gnv_loadtest")
    parser.add_argument(
        "--max-seconds",
        type=float,
        default=MAX_SECONDS,
        help="fail when the respondents take longer (default %(default)s)",
    )
    parser.add_argument(
        "--keep", action="store_true", help="keep the database afterwards"
    )
    parser.add_argument(
        "--no-redis",
        action="store_true",
        help="run the aggregations inside the submit requests even if REDIS_URL is set",
    )
    args = parser.parse_args(argv)

    maintenance_url, url = _database_urls(args.database)
    print(f"Creating database {args.database} ...", flush=True)
    _recreate(maintenance_url, args.database)
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from regions.services import reference_data_load
    from surveys.services import questionnaires_load

    try:
        call_command("migrate", verbosity=0)
        reference_data_load()
        questionnaires_load(year=2024)
        respondents = prepare(count=args.respondents, seed=args.seed)
        redis_url = "" if args.no_redis else os.environ.get("REDIS_URL", "")
        print(
            f"{len(respondents)} respondents; gunicorn with {args.workers} workers x "
            f"{args.threads} threads on {os.cpu_count()} cores"
            f"{'; a Celery worker on ' + redis_url if redis_url else ''} ...",
            flush=True,
        )
        log_dir = Path(tempfile.mkdtemp(prefix=f"{args.database}-"))
        figures, problems = run_load(
            database_url=url,
            respondents=respondents,
            workers=args.workers,
            threads=args.threads,
            log_dir=log_dir,
            redis_url=redis_url,
        )
    finally:
        connections.close_all()
        if not args.keep:
            _recreate(maintenance_url, args.database, drop_only=True)
    print("\n".join(figures.lines()))
    checked = sum(len(plan.expected) for _u, _p, plan in respondents)
    if problems:
        print(f"\n{len(problems)} problems:", *problems[:20], sep="\n  ")
        return 1
    print(f"answers checked      {checked}, all exactly as sent")
    if figures.seconds > args.max_seconds:
        print(f"\nToo slow: {figures.seconds:.1f} s > {args.max_seconds} s")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
