"""Staff pages: the aggregation runs of the questionnaires and their stored tables."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aggregation.models import AggregationRun, AppendixCell, ShareRow
from aggregation.services import (
    STAFF,
    aggregation_request,
    aggregation_status,
    aggregation_statuses,
)
from regions.models import County, Organisation
from surveys.models import Questionnaire


def _require_staff(request: HttpRequest) -> None:
    if not request.user.is_staff:
        raise PermissionDenied


def _get_questionnaire_for_staff(
    request: HttpRequest, questionnaire_pk: int
) -> Questionnaire:
    """The questionnaire for national staff; 403 for everyone else."""
    _require_staff(request)
    return get_object_or_404(
        Questionnaire.objects.select_related("cycle"), pk=questionnaire_pk
    )


@login_required
def runs(request: HttpRequest) -> HttpResponse:
    """Every current questionnaire with its results: when, from what, stale or not."""
    _require_staff(request)
    questionnaires = list(
        Questionnaire.objects.filter(is_current=True)
        .select_related("cycle")
        .order_by("-cycle__year", "audience")
    )
    statuses = aggregation_statuses(questionnaires=questionnaires)
    return render(
        request,
        "aggregation/runs.html",
        {
            "statuses": statuses,
            "in_flight": any(s.in_flight for s in statuses),
        },
    )


@require_POST
@login_required
def run_request(request: HttpRequest, questionnaire_pk: int) -> HttpResponse:
    """Staff ask for a questionnaire's tables to be computed now."""
    questionnaire = _get_questionnaire_for_staff(request, questionnaire_pk)
    aggregation_request(questionnaire=questionnaire, reason=STAFF, by=request.user)
    messages.success(
        request,
        _(
            "The tables of “%(questionnaire)s” will be computed again. This page "
            "shows when they are ready."
        )
        % {"questionnaire": questionnaire.title},
    )
    return redirect("aggregation:runs")


@dataclass
class AppendixTable:
    """One question's appendix table: items as columns, Riket and regions as rows."""

    code: str
    text: str
    columns: list[str] = field(default_factory=list)
    # (organisation as printed, values in column order)
    rows: list[tuple[str, list[str]]] = field(default_factory=list)


@dataclass
class ShareTable:
    """One question's (and item's) shares: options as columns, units as rows."""

    code: str
    text: str
    item: str
    counted: str
    options: list[str] = field(default_factory=list)
    # (level, unit name, cells in option order: ShareRow or None)
    rows: list[tuple[str, str, list[ShareRow | None]]] = field(default_factory=list)


def _appendix_tables(
    cells: list[AppendixCell], texts: dict[str, str]
) -> list[AppendixTable]:
    tables: dict[str, AppendixTable] = {}
    values: dict[tuple[str, str, str], str] = {}
    organisations: dict[str, list[str]] = {}
    for cell in cells:
        table = tables.setdefault(
            cell.question_code,
            AppendixTable(cell.question_code, texts.get(cell.question_code, "")),
        )
        if cell.item not in table.columns:
            table.columns.append(cell.item)
        names = organisations.setdefault(cell.question_code, [])
        if cell.organisation not in names:
            names.append(cell.organisation)
        values[(cell.question_code, cell.organisation, cell.item)] = cell.value
    for code, table in tables.items():
        table.rows = [
            (name, [values.get((code, name, item), "") for item in table.columns])
            for name in organisations[code]
        ]
    return list(tables.values())


def _share_tables(
    rows: list[ShareRow], texts: dict[str, str], unit_names: dict[str, str]
) -> list[ShareTable]:
    tables: dict[tuple[str, str], ShareTable] = {}
    by_cell: dict[tuple[str, str, str, str, str], ShareRow] = {}
    units: dict[tuple[str, str], list[tuple[str, str]]] = {}
    for row in rows:
        key = (row.question_code, row.item)
        table = tables.setdefault(
            key,
            ShareTable(
                row.question_code,
                texts.get(row.question_code, ""),
                row.item,
                row.counted,
            ),
        )
        if row.option not in table.options:
            table.options.append(row.option)
        seen = units.setdefault(key, [])
        if (row.level, row.unit) not in seen:
            seen.append((row.level, row.unit))
        by_cell[(*key, row.level, row.unit, row.option)] = row
    for key, table in tables.items():
        table.rows = [
            (
                level,
                unit_names.get(unit, unit),
                [by_cell.get((*key, level, unit, option)) for option in table.options],
            )
            for level, unit in units[key]
        ]
    return list(tables.values())


def _unit_names() -> dict[str, str]:
    """County codes and RSS codes to names (2 queries)."""
    names = {"SE": _("Sweden")}
    names.update(dict(County.objects.values_list("code", "name")))
    names.update(
        dict(
            Organisation.objects.filter(kind=Organisation.Kind.RSS).values_list(
                "code", "name"
            )
        )
    )
    return names


@login_required
def tables(request: HttpRequest, questionnaire_pk: int) -> HttpResponse:
    """The stored tables of a questionnaire's current run, with a banner if stale."""
    questionnaire = _get_questionnaire_for_staff(request, questionnaire_pk)
    status = aggregation_status(questionnaire=questionnaire)
    appendix: list[AppendixTable] = []
    shares: list[ShareTable] = []
    run: AggregationRun | None = status.current
    if run is not None:
        texts = dict(questionnaire.questions.values_list("code", "text"))
        appendix = _appendix_tables(
            list(run.appendix_cells.order_by("position")), texts
        )
        shares = _share_tables(
            list(run.share_rows.order_by("position")), texts, _unit_names()
        )
    return render(
        request,
        "aggregation/tables.html",
        {
            "questionnaire": questionnaire,
            "status": status,
            "run": run,
            "appendix": appendix,
            "shares": shares,
        },
    )
