"""Management commands that e-mail or change many organisations ask first (y/N)."""

from __future__ import annotations

from argparse import ArgumentParser

from django.core.management.base import BaseCommand, CommandError


def add_no_input_argument(parser: ArgumentParser) -> None:
    """--no-input (also --noinput): do it without asking, e.g. from cron or a script."""
    parser.add_argument(
        "--no-input",
        "--noinput",
        action="store_false",
        dest="interactive",
        help="do not ask for confirmation (for scripts and scheduled runs)",
    )


def confirm_or_stop(command: BaseCommand, *, interactive: bool, summary: str) -> None:
    """Write what will be done; unless --no-input, ask y/N and stop on anything but yes.

    Without a terminal to ask on, refuses with a hint to use --no-input.
    """
    command.stdout.write(summary)
    if not interactive:
        return
    try:
        answer = input("Fortsätt? Skriv ja (j/y) för att fortsätta [j/N]: ")
    except EOFError as exc:
        raise CommandError(
            "Ingen bekräftelse kunde läsas; inget gjordes. Använd --no-input för att "
            "köra utan fråga."
        ) from exc
    if answer.strip().lower() not in {"j", "ja", "y", "yes"}:
        raise CommandError("Avbrutet; inget gjordes.")
