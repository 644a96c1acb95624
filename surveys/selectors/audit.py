"""The history of a response: its answer changes and transitions, newest first."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from surveys.models import (
    AnswerChange,
    Response,
    ResponseEvent,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

# Where an answer change came from, as the audit page names it.
SOURCE_LABELS: dict[str, StrOrPromise] = {
    AnswerChange.Source.WEB: pgettext_lazy("answer source", "Web form"),
    AnswerChange.Source.PAPER: pgettext_lazy("answer source", "Entered by the RSS"),
    AnswerChange.Source.IMPORT: pgettext_lazy("answer source", "Import"),
    AnswerChange.Source.SYSTEM: pgettext_lazy("answer source", "System"),
}


@dataclass
class AuditEntry:
    """One line of a response's history: an answer change or a transition."""

    at: datetime.datetime
    who: str
    what: str
    question: str
    item: str
    old: str | None
    new: str | None
    source: str
    reason: str
    # Changes and transitions at the same moment: the transition is the later one.
    order: tuple[int, int]


def _who(user: Any) -> str:
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def audit_entries(response: Response) -> list[AuditEntry]:
    """Every answer change and transition of the response, newest first (2 queries)."""
    entries = [
        AuditEntry(
            at=c.changed_at,
            who=_who(c.changed_by),
            what=_("Answer changed"),
            question=c.question.code,
            item=c.item,
            old=c.old_value,
            new=c.new_value,
            source=str(SOURCE_LABELS.get(c.source, c.source)),
            reason="",
            order=(0, c.pk),
        )
        for c in AnswerChange.objects.filter(response=response).select_related(
            "question", "changed_by"
        )
    ]
    for event in ResponseEvent.objects.filter(response=response).select_related("by"):
        reason = event.reason
        if event.kind == ResponseEvent.Kind.REOPENED and event.submitted_at:
            reason = _("%(reason)s (had been submitted %(when)s)") % {
                "reason": reason,
                "when": event.submitted_at.strftime("%Y-%m-%d %H:%M"),
            }
        entries.append(
            AuditEntry(
                at=event.at,
                who=_who(event.by),
                what=event.get_kind_display(),
                question="",
                item="",
                old=None,
                new=None,
                source="",
                reason=reason,
                order=(1, event.pk),
            )
        )
    entries.sort(key=lambda e: (e.at, e.order), reverse=True)
    return entries
