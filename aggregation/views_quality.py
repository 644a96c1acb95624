"""Staff page: the data-quality list of a questionnaire."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from aggregation.quality import quality_rows
from surveys.models import Questionnaire
from surveys.services.compilation import rss_compilations_drift

# ?confirmed=… : which warnings to list.
CONFIRMED_FILTERS = {"": None, "no": False, "yes": True}


def _get_questionnaire_for_staff(
    request: HttpRequest, questionnaire_pk: int
) -> Questionnaire:
    """The questionnaire for national staff; 404 for everyone else."""
    if not request.user.is_staff:
        raise Http404
    return get_object_or_404(
        Questionnaire.objects.select_related("cycle"), pk=questionnaire_pk
    )


@login_required
def quality_list(request: HttpRequest, questionnaire_pk: int) -> HttpResponse:
    """Every plausibility warning of a questionnaire's responses, filterable."""
    questionnaire = _get_questionnaire_for_staff(request, questionnaire_pk)
    confirmed = request.GET.get("confirmed", "")
    if confirmed not in CONFIRMED_FILTERS:
        confirmed = ""
    drafts = request.GET.get("drafts") == "1"
    rows = quality_rows(questionnaire=questionnaire, include_drafts=drafts)
    unconfirmed = sum(not row.confirmed for row in rows)
    wanted = CONFIRMED_FILTERS[confirmed]
    if wanted is not None:
        rows = [row for row in rows if row.confirmed == wanted]
    return render(
        request,
        "aggregation/quality.html",
        {
            "questionnaire": questionnaire,
            "rows": rows,
            "confirmed": confirmed,
            "drafts": drafts,
            "unconfirmed": unconfirmed,
            "stale_compilations": (
                rss_compilations_drift(questionnaire=questionnaire)
                if questionnaire.audience == Questionnaire.Audience.RSS
                else []
            ),
        },
    )
