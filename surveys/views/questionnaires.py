"""Staff: a questionnaire's organisations and the status of each response."""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render

from surveys.models import Questionnaire
from surveys.permissions import AuthenticatedHttpRequest, staff_required
from surveys.selectors.responses import status_rows_for_questionnaire


@staff_required
def staff_questionnaire(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Staff: every organisation of a questionnaire's audience and its status."""
    questionnaire = get_object_or_404(
        Questionnaire.objects.select_related("cycle"), pk=pk
    )
    rows = status_rows_for_questionnaire(questionnaire)
    return render(
        request,
        "surveys/staff/questionnaire.html",
        {"questionnaire": questionnaire, "rows": rows},
    )
