"""Measure aggregation, pages and the appendix PDF beside baselines of the same run.

Works on its own databases (a temporary SQLite file, PostgreSQL gnv_bench), never on the
project's. BENCHMARKS.md says what each figure is and holds a full run's output.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from benchmarks import NATIONAL_FRAME, table
from benchmarks.databases import ENGINES
from benchmarks.runner import Options, run
from benchmarks.web import default_workers


def _sizes(value: str) -> list[int]:
    try:
        sizes = [int(part) for part in value.split(",") if part.strip()]
    except ValueError as exc:
        raise CommandError(f"--sizes takes whole numbers: {value!r}") from exc
    if not sizes or any(size < 1 for size in sizes):
        raise CommandError("--sizes takes one or more whole numbers of at least 1.")
    return sizes


def _databases(value: str) -> list[str]:
    names = [part.strip() for part in value.split(",") if part.strip()]
    unknown = [name for name in names if name not in ENGINES]
    if not names or unknown:
        raise CommandError(f"--databases takes {', '.join(ENGINES)}; got {value!r}.")
    return names


class Command(BaseCommand):
    help = (
        "Benchmark the aggregation (1×, 10×, 100× the national frame), the section page "
        "and draft save under gunicorn, and the appendix PDF, each beside a baseline."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--sizes",
            default="1,10,100",
            help="multiples of the national frame of 335 organisations (1,10,100)",
        )
        parser.add_argument(
            "--databases",
            default=",".join(ENGINES),
            help="sqlite, postgresql or both (default both)",
        )
        parser.add_argument("--repeat", type=int, default=1, help="runs per figure")
        parser.add_argument(
            "--skip-aggregation",
            action="store_true",
            help="leave the aggregation measurements out (the web and PDF parts only)",
        )
        parser.add_argument("--skip-web", action="store_true")
        parser.add_argument("--skip-pdf", action="store_true")
        parser.add_argument(
            "--frame",
            type=int,
            default=NATIONAL_FRAME,
            help="organisations of size 1 (default 335, the national frame)",
        )
        parser.add_argument(
            "--web-seconds", type=float, default=10.0, help="seconds per web scenario"
        )
        parser.add_argument(
            "--web-warmup",
            type=float,
            default=3.0,
            help="seconds of each web scenario before the measuring starts",
        )
        parser.add_argument(
            "--web-workers",
            type=int,
            default=default_workers(),
            help="gunicorn sync workers (default 2 per core + 1)",
        )

    def handle(self, *args, **options) -> None:
        for name in ("repeat", "frame", "web_workers"):
            if options[name] < 1:
                raise CommandError(
                    f"--{name.replace('_', '-')} takes a whole number of at least 1."
                )
        chosen = Options(
            sizes=_sizes(options["sizes"]),
            databases=_databases(options["databases"]),
            repeat=options["repeat"],
            skip_aggregation=options["skip_aggregation"],
            skip_web=options["skip_web"],
            skip_pdf=options["skip_pdf"],
            frame=options["frame"],
            web_seconds=options["web_seconds"],
            web_warmup=options["web_warmup"],
            web_workers=options["web_workers"],
        )
        report = run(chosen, progress=lambda line: self.stderr.write(line))
        self.stdout.write(table.render(report), ending="")
