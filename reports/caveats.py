"""The caveats the published documents print beside their figures.

- a unit with no answer is printed "..", the sign Swedish official statistics use for a
  missing figure ("uppgift saknas"), never a blank cell;
- a value flagged by a plausibility check (surveys.quality) and not confirmed by the
  respondent is marked with FLAG, and so is every national figure computed from it (a sum
  or mean that includes it), with a footnote naming the values.

The appendix, the shares and the region profile (reports.documents) print these marks and
legends; the results pages show the same signs.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils import translation

from reports.charts import MISSING as CHART_MISSING
from surveys.models import Questionnaire
from surveys.selectors.quality import QualityRow, quality_rows

# "Uppgift saknas": the unit has not answered (or the figure cannot be computed).
MISSING = CHART_MISSING
MISSING_LEGEND = ".. = uppgift saknas"
# The mark of a flagged value that the respondent has not confirmed.
FLAG = "*"
FLAG_LEGEND = (
    "* = värdet har flaggats av en rimlighetskontroll och har inte bekräftats av "
    "uppgiftslämnaren; det publiceras som det lämnats"
)


def missing_if_blank(value: str | None) -> str:
    """The printed cell: the value, or ".." where there is none."""
    if value is None or not str(value).strip():
        return MISSING
    return str(value)


@dataclass(frozen=True)
class PrintedCell:
    """A cell as printed: its text and whether it carries the flag mark."""

    text: str
    flagged: bool = False

    def __str__(self) -> str:
        return f"{self.text} {FLAG}" if self.flagged else self.text


@dataclass
class Flags:
    """The unconfirmed warnings of a questionnaire's submitted answers, by cell."""

    # (organisation code, question code, item) → the warnings on that answer.
    by_cell: dict[tuple[str, str, str], list[QualityRow]] = field(default_factory=dict)

    def of(self, organisation_code: str, question: str, item: str) -> list[QualityRow]:
        return self.by_cell.get((organisation_code, question, item), [])

    def question(self, question: str) -> list[QualityRow]:
        """Every flagged answer to a question, in organisation order."""
        return [
            warning
            for (_code, code, _item), warnings in self.by_cell.items()
            if code == question
            for warning in warnings
        ]

    def __bool__(self) -> bool:
        return bool(self.by_cell)


def unconfirmed_flags(*, questionnaire: Questionnaire) -> Flags:
    """The plausibility warnings on submitted answers that the respondent has not
    confirmed (2 queries), their reasons in Swedish. A confirmed value is printed
    unmarked."""
    by_cell: dict[tuple[str, str, str], list[QualityRow]] = defaultdict(list)
    with translation.override("sv"):
        warnings = quality_rows(questionnaire=questionnaire)
    for warning in warnings:
        if warning.confirmed or not warning.submitted:
            continue
        by_cell[(warning.organisation_code, warning.question, warning.item)].append(
            warning
        )
    return Flags(dict(by_cell))


def flag_note(warnings: list[QualityRow], *, national: bool) -> str:
    """The footnote of a table's flagged values, in Swedish.

    "* Flaggade värden som inte bekräftats: Region Gävleborg 999 999 (…). Raden Riket
    innehåller dessa värden." One mention per value, however many checks it failed.
    """
    seen: dict[tuple[str, str, str], list[str]] = {}
    for warning in warnings:
        key = (warning.organisation, warning.item, warning.value)
        reasons = seen.setdefault(key, [])
        if warning.reason not in reasons:
            reasons.append(warning.reason)
    parts = []
    for (organisation, item, value), reasons in seen.items():
        where = f"{organisation}{f' ({item})' if item else ''}"
        why = " ".join(reasons).rstrip(".")
        parts.append(f"{where} {value} ({why})")
    note = (
        f"{FLAG} Värden som flaggats av en rimlighetskontroll och inte bekräftats av "
        f"uppgiftslämnaren: {'; '.join(parts)}."
    )
    if national:
        note += f" Riket är beräknat med dessa värden och är därför också markerat med {FLAG}."
    return note
