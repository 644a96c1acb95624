"""What `manage.py benchmark` runs: per database, per size, each measurement in a fresh
process on the benchmark's own database; then the web and PDF measurements."""

from __future__ import annotations

import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from benchmarks import NATIONAL_FRAME, web
from benchmarks.databases import BenchDatabase
from benchmarks.worker import MARKER

PROJECT_DIR = Path(__file__).resolve().parents[1]
# The aggregation measurements (benchmarks.aggregation.measure).
KINDS = ("baseline", "compute", "run")


@dataclass
class Options:
    sizes: list[int]
    databases: list[str]
    repeat: int = 1
    # Organisations of size 1 (the national frame; fewer for a quick trial).
    frame: int = NATIONAL_FRAME
    skip_aggregation: bool = False
    skip_web: bool = False
    skip_pdf: bool = False
    web_seconds: float = 10.0
    # Each worker compiles the templates on its first pages: not measured.
    web_warmup: float = 3.0
    web_workers: int = field(default_factory=web.default_workers)


@dataclass
class Figure:
    """Several measurements of one thing: the median time, the largest peak memory."""

    seconds: list[float] = field(default_factory=list)
    peak_bytes: list[int] = field(default_factory=list)
    rows: int = 0

    def add(self, measured: dict) -> None:
        self.seconds.append(float(measured["seconds"]))
        self.peak_bytes.append(int(measured["peak_bytes"]))
        self.rows = int(measured["rows"])

    @property
    def median_seconds(self) -> float:
        return statistics.median(self.seconds)

    @property
    def peak(self) -> int:
        return max(self.peak_bytes)


@dataclass
class AggregationResult:
    engine: str
    size: int
    organisations: int
    answers: int
    figures: dict[str, Figure]


@dataclass
class Report:
    options: Options
    versions: dict[str, str] = field(default_factory=dict)
    aggregation: list[AggregationResult] = field(default_factory=list)
    # engine -> scenario -> load client's result; plus the page facts under "prepared".
    web: dict[str, dict] = field(default_factory=dict)
    # engine -> {"appendix_pdf": Figure, "weasyprint": Figure, ...}
    pdf: dict[str, dict] = field(default_factory=dict)
    pdf_missing: str = ""
    # The 1-minute load average at the start and the end: other work on the machine.
    load: list[float] = field(default_factory=list)
    machine: dict[str, str] = field(default_factory=dict)


# One secret key for every process of a run: gunicorn accepts the sessions that the
# worker preparing the web clients made.
SECRET_KEY = secrets.token_urlsafe(50)


def _env(database_url: str) -> dict[str, str]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false",
        "SECRET_KEY": SECRET_KEY,
        "LOG_LEVEL": "ERROR",
    }
    # Tasks run in the process: no broker is involved in what is measured.
    env.pop("REDIS_URL", None)
    return env


def manage(database_url: str, *arguments: str) -> None:
    subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", *arguments],
        cwd=PROJECT_DIR,
        env=_env(database_url),
        check=True,
        stdout=subprocess.DEVNULL,
    )


def worker(database_url: str, task: str, **arguments) -> dict:
    """One step in a fresh process; its JSON result."""
    done = subprocess.run(  # noqa: S603
        [
            sys.executable,
            "-m",
            "benchmarks.worker",
            task,
            json.dumps(arguments),
        ],
        cwd=PROJECT_DIR,
        env=_env(database_url),
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        raise RuntimeError(f"benchmark step {task} failed:\n{done.stderr[-4000:]}")
    lines = [line for line in done.stdout.splitlines() if line.startswith(MARKER)]
    return json.loads(lines[-1][len(MARKER) :])


def pdf_available() -> str:
    """'' when the appendix PDF functions exist, else what is missing."""
    try:
        from reports.documents import appendix
    except ImportError:
        return "reports.documents.appendix does not exist"
    missing = [
        name
        for name in ("appendix_html", "appendix_pdf")
        if not hasattr(appendix, name)
    ]
    return ", ".join(f"reports.documents.appendix.{name}" for name in missing)


def machine() -> dict[str, str]:
    """CPU, cores, memory, operating system and Python of this machine."""
    import platform

    cpu = platform.processor() or platform.machine()
    memory = ""
    try:
        with open("/proc/cpuinfo") as info:
            names = [line for line in info if line.startswith("model name")]
        if names:
            cpu = names[0].split(":", 1)[1].strip()
        with open("/proc/meminfo") as info:
            total = next(line for line in info if line.startswith("MemTotal"))
        memory = f"{int(total.split()[1]) / 1024 / 1024:.1f} GiB"
    except (OSError, StopIteration):
        pass
    system = platform.platform()
    try:
        with open("/etc/os-release") as release:
            for line in release:
                if line.startswith("PRETTY_NAME="):
                    system = f"{line.split('=', 1)[1].strip().strip(chr(34))}, {system}"
    except OSError:
        pass
    return {
        "cpu": cpu,
        "cores": str(os.cpu_count()),
        "memory": memory,
        "system": system,
        "python": platform.python_version(),
    }


def run(options: Options, progress: Callable[[str], None]) -> Report:
    report = Report(options=options, machine=machine())
    report.load.append(os.getloadavg()[0])
    if not options.skip_pdf:
        report.pdf_missing = pdf_available()
    with tempfile.TemporaryDirectory(prefix="gnv-bench-") as workdir:
        for position, engine in enumerate(options.databases):
            database = BenchDatabase(engine, Path(workdir))
            report.versions[engine] = database.version()
            progress(f"{engine}: migrating the template database")
            database.create_template()
            try:
                manage(database.template_url, "migrate", "--noinput")
                manage(database.template_url, "load_reference_data")
                manage(database.template_url, "load_questionnaires", "2024")
                # The PDF reads a few thousand stored rows: measured on the first
                # database only.
                _engine(report, database, progress, with_pdf=position == 0)
            finally:
                database.drop()
    report.load.append(os.getloadavg()[0])
    return report


def _engine(
    report: Report, database: BenchDatabase, progress, *, with_pdf: bool
) -> None:
    options = report.options
    for index, size in enumerate(options.sizes):
        if options.skip_aggregation and index > 0:
            break  # the web part runs on the first size only
        database.fresh_copy()
        progress(f"{database.engine} {size}×: writing the synthetic answers")
        made = worker(database.url, "populate", scale=size, frame=options.frame)
        figures = {kind: Figure() for kind in KINDS}
        for attempt in range(0 if options.skip_aggregation else options.repeat):
            for kind in KINDS:
                progress(
                    f"{database.engine} {size}×: {kind} "
                    f"({attempt + 1} of {options.repeat})"
                )
                figures[kind].add(worker(database.url, "measure", kind=kind))
        if not options.skip_aggregation:
            report.aggregation.append(
                AggregationResult(
                    engine=database.engine,
                    size=size,
                    organisations=made["organisations"],
                    answers=made["answers"],
                    figures=figures,
                )
            )
        if index == 0 and not options.skip_web:
            report.web[database.engine] = _web(database, options, progress)
    if with_pdf and not options.skip_pdf and not report.pdf_missing:
        report.pdf[database.engine] = _pdf(database, options, progress)


def _web(database: BenchDatabase, options: Options, progress) -> dict:
    progress(f"{database.engine}: preparing {web.CLIENTS} logged-in respondents")
    prepared = worker(database.url, "prepare_web")
    results: dict = {"prepared": {k: v for k, v in prepared.items() if k != "clients"}}
    log = database.workdir / f"gunicorn-{database.engine}.log"
    results["load"] = [os.getloadavg()[0]]
    with web.serve(_env(database.url), workers=options.web_workers, log=log) as port:
        plans = web.scenarios(
            prepared, port, seconds=options.web_seconds, warmup=options.web_warmup
        )
        for name, scenario in plans.items():
            progress(f"{database.engine}: web {name}, {web.CLIENTS} clients")
            results[name] = web.load(scenario)
    results["load"].append(os.getloadavg()[0])
    results["server_errors"] = web.server_errors(log)
    return results


def _pdf(database: BenchDatabase, options: Options, progress) -> dict:
    """The appendix PDF of the 21 regions against WeasyPrint alone on the same HTML."""
    database.fresh_copy()
    progress(f"{database.engine}: the appendix PDF")
    prepared = worker(database.url, "pdf_prepare")
    figures = {"appendix_pdf": Figure(), "weasyprint": Figure()}
    for _attempt in range(options.repeat):
        for kind in figures:
            figures[kind].add(
                worker(database.url, "pdf_measure", kind=kind, run=prepared["run"])
            )
    return {"figures": figures, "prepared": prepared}
