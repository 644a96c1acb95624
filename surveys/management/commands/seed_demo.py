from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from surveys.management.commands._demo import DemoReport, demo_seed
from surveys.numbers import format_thousands


def _table(rows: list[list[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  "
        + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))
        for row in rows
    ]


def _right_table(rows: list[list[str]]) -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  "
        + row[0].ljust(widths[0])
        + "".join(
            "  " + cell.rjust(width)
            for cell, width in zip(row[1:], widths[1:], strict=True)
        )
        for row in rows
    ]


class Command(BaseCommand):
    help = (
        "Load reference data and the 2024 questionnaires, write deterministic demo "
        "answers for all organisations and create the demo logins (idempotent)."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--seed", type=int, default=2024, help="Seed of the random answers."
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="Delete every response of the 2024 cycle first and write the demo "
            "answers anew.",
        )
        parser.add_argument(
            "--url",
            default="http://127.0.0.1:8000/",
            help="Address printed with the logins.",
        )

    def handle(self, *args, **options) -> None:
        try:
            report = demo_seed(seed=options["seed"], reset=options["reset"])
        except ValidationError as exc:
            raise CommandError(
                "Demo data refused, nothing written:\n  "
                + "\n  ".join(exc.messages)
                + "\nIf the definitions changed under submitted demo answers, run "
                "`python manage.py seed_demo --reset`."
            ) from exc
        for line in self._lines(report, options["url"]):
            self.stdout.write(line)

    def _lines(self, report: DemoReport, url: str) -> list[str]:
        reference = report.reference
        kinds = ("region", "rss", "municipality")
        lines = [
            "Reference data: "
            + ", ".join(
                f"{kind} {reference.created.get(kind, 0)} created, "
                f"{reference.updated.get(kind, 0)} updated, "
                f"{reference.unchanged.get(kind, 0)} unchanged"
                for kind in kinds
            ),
            "Questionnaires:",
            *(f"  {line}" for line in report.questionnaire_lines),
        ]
        if report.reset:
            mode = "all 2024 responses were deleted and the demo answers written anew."
        else:
            mode = (
                "organisations that already had a response were skipped (kept as they "
                "are); --reset wipes and recreates the demo answers."
            )
        lines.append(f"Demo answers (seed {report.seed}): {mode}")
        rows = [["questionnaire", "submitted", "draft", "not started", "new", "kept"]]
        for audience, statuses in report.statuses.items():
            rows.append(
                [
                    audience,
                    str(statuses["submitted"]),
                    str(statuses["draft"]),
                    str(statuses["not_started"]),
                    str(report.created.get(audience, 0)),
                    str(report.kept.get(audience, 0)),
                ]
            )
        lines += _right_table(rows)
        lines.append(f"{report.answers_created} answers written.")
        if report.traps:
            lines.append("Implausible counts left in for the data-quality checks:")
            for trap in report.traps:
                value = "-" if trap.value is None else format_thousands(trap.value)
                lines.append(
                    f"  {trap.organisation}, question {trap.question}: {value} "
                    f"({trap.explanation})"
                )
        lines.append(f"Done in {report.seconds:.1f} s.")
        lines.append("")
        lines.append(f"Demo logins at {url} (password for all: {report.password})")
        rows = [["login", "role", "organisation", "its questionnaire"]]
        rows += [[x.email, x.role, x.organisation, x.status] for x in report.logins]
        lines += _table(rows)
        return lines
