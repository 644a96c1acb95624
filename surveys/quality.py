"""Plausibility checks of one organisation's answers: warnings, never blocks.

Pure functions over Question objects and answer Values. The section page shows the
warnings to the respondent and surveys.selectors.quality lists them for national staff.
Nothing here changes an answer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import Protocol

from django.utils.translation import gettext as _

from surveys.answers import Value
from surveys.models import Question
from surveys.numbers import format_thousands, round_half_up

Key = tuple[str, str]
# Shorter runs of nines are ordinary values (99 % is a plausible share).
ALL_NINES_MIN_DIGITS = 3


class HasPopulation(Protocol):
    population: int | None


@dataclass(frozen=True)
class Warning:
    """One implausible answer cell: where, the value as shown, why, and which check."""

    question: str
    item: str
    value: str
    reason: str
    check: str


@dataclass(frozen=True)
class Reference:
    """An organisation's reference figure (the statsbidrag's allocation) and its label."""

    label: str
    value: int


@dataclass(frozen=True)
class _Cell:
    """The cell being checked and what its check may refer to."""

    number: int
    shown: str
    answers: Mapping[Key, Value]
    population: int | None
    question: Question
    references: Mapping[str, Reference]


def _shown(cell: _Cell, number: int) -> str:
    """Another figure written as the checked question writes its own ("1 000 kr")."""
    return cell.question.answer_display(text="", number=number, cannot_estimate=False)


def _check_at_most(spec: dict, cell: _Cell) -> str | None:
    given = cell.answers.get((spec["question"], ""))
    if given is None or given.cannot_estimate or given.number is None:
        return None
    if cell.number <= given.number:
        return None
    return _(
        "%(value)s is more than the answer to question %(question)s (%(other)s)."
    ) % {
        "value": cell.shown,
        "question": spec["question"],
        "other": _shown(cell, given.number),
    }


def _check_at_most_reference(spec: dict, cell: _Cell) -> str | None:
    reference = cell.references.get(spec["reference"])
    if reference is None or cell.number <= reference.value:
        return None
    return _("%(value)s is more than %(label)s (%(reference)s).") % {
        "value": cell.shown,
        "label": reference.label,
        "reference": _shown(cell, reference.value),
    }


def _share(count: int, population: int) -> str:
    """A count as a share of a population, one decimal rounded half up: '0,1 %'."""
    tenths = round_half_up(Fraction(1000 * count, population))
    if tenths == 0 and count > 0:
        return _("under 0.1 %")
    whole, tenth = divmod(abs(tenths), 10)
    sign = "-" if tenths < 0 else ""
    return f"{sign}{format_thousands(whole)},{tenth} %"


def _percentage_given(spec: dict, cell: _Cell) -> int | None:
    """The figure of the percentage question a check refers to, if one was given."""
    given = cell.answers.get((spec["question"], ""))
    if given is None or given.cannot_estimate or given.number is None:
        return None
    return given.number


def _check_range(spec: dict, cell: _Cell) -> str | None:
    if "min" in spec and cell.number < spec["min"]:
        return _("%(value)s is less than %(min)s, the lowest plausible value.") % {
            "value": cell.shown,
            "min": format_thousands(spec["min"]),
        }
    if "max" in spec and cell.number > spec["max"]:
        return _("%(value)s is more than %(max)s, the highest plausible value.") % {
            "value": cell.shown,
            "max": format_thousands(spec["max"]),
        }
    return None


def _check_all_nines(spec: dict, cell: _Cell) -> str | None:
    digits = str(cell.number)
    if len(digits) < ALL_NINES_MIN_DIGITS or set(digits) != {"9"}:
        return None
    return _(
        "%(value)s is only nines: is it a placeholder rather than the real figure?"
    ) % {"value": cell.shown}


def _check_matches_percentage(spec: dict, cell: _Cell) -> str | None:
    percent = _percentage_given(spec, cell)
    if percent is None or not cell.population:
        return None
    implied = Decimal(100 * cell.number) / cell.population
    if abs(implied - percent) <= Decimal(str(spec["tolerance_pp"])):
        return None
    return _(
        "The count %(value)s is %(share)s of the population (%(population)s), but "
        "question %(question)s gives %(percent)s %%."
    ) % {
        "value": cell.shown,
        "share": _share(cell.number, cell.population),
        "population": format_thousands(cell.population),
        "question": spec["question"],
        "percent": percent,
    }


def _check_far_below_percentage(spec: dict, cell: _Cell) -> str | None:
    percent = _percentage_given(spec, cell)
    if percent is None or not cell.population:
        return None
    expected = Decimal(percent * cell.population) / 100
    factor = Decimal(str(spec["factor"]))
    if expected == 0 or cell.number * factor >= expected:
        return None
    return _(
        "The count %(value)s is less than 1/%(factor)s of the about %(expected)s "
        "persons that %(percent)s %% of the population (%(population)s) in question "
        "%(question)s gives. Was it given in thousands, or as a percentage?"
    ) % {
        "value": cell.shown,
        "factor": f"{factor.normalize():f}".replace(".", ","),
        "expected": format_thousands(round_half_up(expected)),
        "percent": percent,
        "population": format_thousands(cell.population),
        "question": spec["question"],
    }


# The check kinds of surveys.services.questionnaires.CHECK_KINDS.
CHECKS: dict[str, Callable[[dict, _Cell], str | None]] = {
    "range": _check_range,
    "all_nines": _check_all_nines,
    "matches_percentage": _check_matches_percentage,
    "far_below_percentage": _check_far_below_percentage,
    "at_most": _check_at_most,
    "at_most_reference": _check_at_most_reference,
}


def answer_warnings(
    *,
    questions: Iterable[Question],
    answers: Mapping[Key, Value],
    organisation: HasPopulation,
    references: Mapping[str, Reference] | None = None,
) -> list[Warning]:
    """The warnings of the questions' declared checks on one organisation's answers.

    In question and check order. Unanswered cells and "cannot be estimated" are not
    checked; a check against a percentage is skipped while that percentage or the
    organisation's population is unknown.
    """
    warnings: list[Warning] = []
    for question in questions:
        if not question.checks:
            continue
        for item in question.answer_items:
            value = answers.get((question.code, item))
            if value is None or value.cannot_estimate or value.number is None:
                continue
            cell = _Cell(
                number=value.number,
                shown=value.display(question),
                answers=answers,
                population=organisation.population,
                question=question,
                references=references or {},
            )
            for spec in question.checks:
                reason = CHECKS[spec["check"]](spec, cell)
                if reason:
                    warnings.append(
                        Warning(
                            question=question.code,
                            item=item,
                            value=cell.shown,
                            reason=reason,
                            check=spec["check"],
                        )
                    )
    return warnings
