"""Staff pages: the aggregation runs of the questionnaires and their stored tables."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aggregation.models import AggregationRun
from aggregation.selectors import (
    AppendixTable,
    ShareTable,
    appendix_tables,
    share_tables,
)
from aggregation.services import (
    STAFF,
    aggregation_request,
    aggregation_status,
    aggregation_statuses,
)
from surveys.models import Questionnaire
from surveys.permissions import get_questionnaire_for_staff, require_staff


@login_required
def runs(request: HttpRequest) -> HttpResponse:
    """Every current questionnaire with its results: when, from what, stale or not."""
    require_staff(request.user)
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
    questionnaire = get_questionnaire_for_staff(request.user, questionnaire_pk)
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


@login_required
def tables(request: HttpRequest, questionnaire_pk: int) -> HttpResponse:
    """The stored tables of a questionnaire's current run, with a banner if stale."""
    questionnaire = get_questionnaire_for_staff(request.user, questionnaire_pk)
    status = aggregation_status(questionnaire=questionnaire)
    appendix: list[AppendixTable] = []
    shares: list[ShareTable] = []
    run: AggregationRun | None = status.current
    if run is not None:
        appendix = appendix_tables(run=run)
        shares = share_tables(run=run)
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
