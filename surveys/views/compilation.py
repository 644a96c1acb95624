"""The RSS coordinator's "Hämta kommunernas svar": prefill the counts per option."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from surveys.models import QuestionType, Response
from surveys.permissions import AuthenticatedHttpRequest, get_rss_response_for_user
from surveys.services.compilation import (
    CountsWouldBeOverwritten,
    rss_compilation_prefill,
)
from surveys.services.responses import ResponseLockedError


def _count_section(response: Response, requested: str | None) -> int:
    """The section to return to: the one posted from if it has counts, else the first."""
    positions = list(
        response.questionnaire.questions.filter(type=QuestionType.COUNT_PER_OPTION)
        .order_by("position")
        .values_list("section__position", flat=True)
    )
    if requested and requested.isdigit() and int(requested) in positions:
        return int(requested)
    return positions[0] if positions else 1


@require_POST
@login_required
def response_prefill(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Fill the RSS's counts per option from the area's submitted municipal answers."""
    response = get_rss_response_for_user(request.user, pk)
    position = _count_section(response, request.POST.get("position"))
    target = reverse("surveys:response-section", args=[response.pk, position])
    try:
        report = rss_compilation_prefill(
            response=response,
            by=request.user,
            confirmed=request.POST.get("confirm") == "1",
        )
    except CountsWouldBeOverwritten as exc:
        # Counts the RSS typed itself would change: show them and ask first.
        return render(
            request,
            "surveys/compilation_confirm.html",
            {
                "response": response,
                "position": position,
                "changes": exc.changes,
                "back": target,
            },
        )
    except ResponseLockedError as exc:
        messages.error(request, str(exc))
        return redirect("surveys:response-summary", pk=response.pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(target)
    if report.missing:
        message = _(
            "The counts were filled in from %(n)s submitted municipal responses; "
            "%(m)s municipalities have not submitted: %(names)s."
        ) % {
            "n": report.responses_used,
            "m": len(report.missing),
            "names": ", ".join(m.name for m in report.missing),
        }
    else:
        message = _(
            "The counts were filled in from %(n)s submitted municipal responses; every "
            "municipality of the area has submitted."
        ) % {"n": report.responses_used}
    messages.success(request, message)
    return redirect(target)
