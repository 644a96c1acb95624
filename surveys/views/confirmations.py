"""The confirmation page shown before an action on many organisations."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.http import HttpResponse
from django.shortcuts import render

from surveys.permissions import AuthenticatedHttpRequest
from surveys.services.confirmations import confirmation_create, confirmation_use

# Up to this many organisations are named on the page; more are counted only.
NAMES_SHOWN = 25
CONFIRMATION_FIELD = "confirmation"


def render_confirmation(
    request: AuthenticatedHttpRequest,
    *,
    action: str,
    payload: Any,
    title: str,
    lead: str,
    names: Sequence[str] = (),
    count: int | None = None,
    count_text: str = "",
    back_url: str,
) -> HttpResponse:
    """The page that shows what an action will do and asks for an explicit confirmation.

    It posts the same fields again, with a one-time key bound to `payload` (see
    surveys.services.confirmations); `back_url` leaves without doing anything.
    """
    confirmation = confirmation_create(
        user=request.user, action=action, payload=payload
    )
    fields = [
        (name, value)
        for name in request.POST
        if name not in {"csrfmiddlewaretoken", CONFIRMATION_FIELD}
        for value in request.POST.getlist(name)
    ]
    names = list(names)
    return render(
        request,
        "surveys/confirm.html",
        {
            "title": title,
            "lead": lead,
            "count": len(names) if count is None else count,
            "count_text": count_text,
            "names": names[:NAMES_SHOWN],
            "more": max(0, len(names) - NAMES_SHOWN),
            "fields": fields,
            "key": confirmation.key,
            "field_name": CONFIRMATION_FIELD,
            "action_url": request.get_full_path(),
            "back_url": back_url,
        },
    )


def confirm_or_page(
    request: AuthenticatedHttpRequest, *, action: str, payload: Any, **page: Any
) -> HttpResponse | None:
    """None when the POST carries a key for exactly this action (the key is spent now);
    the confirmation page (render_confirmation with `page`) when it carries none.

    Raises ValidationError when the key is refused (used, old, another user's, or the
    action would now do something else than what was shown).
    """
    key = request.POST.get(CONFIRMATION_FIELD)
    if key is None:
        return render_confirmation(request, action=action, payload=payload, **page)
    confirmation_use(key=key, user=request.user, action=action, payload=payload)
    return None
