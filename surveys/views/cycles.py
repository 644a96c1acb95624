"""Running a cycle: copying it, editing questionnaires, response rates, locking,
reopening, the audit page of a response and the extra question."""

from __future__ import annotations

import datetime
import re
import secrets
from dataclasses import dataclass
from typing import Any

import pandas as pd
from crispy_forms.helper import FormHelper
from crispy_forms.layout import Submit
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Page, Paginator
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy
from django.views.decorators.http import require_POST

from regions.models import County, Organisation
from surveys import rates
from surveys.frames import frame_size
from surveys.models import (
    AnswerChange,
    Cycle,
    Questionnaire,
    QuestionType,
    Response,
    ResponseEvent,
)
from surveys.permissions import (
    get_questionnaire_for_staff,
    get_response_for_user,
    membership_of,
    require_staff,
)
from surveys.services import cycles, transitions
from surveys.services.links import site_url
from surveys.views_confirm import confirm_or_page

AUDIT_PAGE_SIZE = 50
# Where an answer change came from, as the audit page names it.
SOURCE_LABELS = {
    AnswerChange.Source.WEB: pgettext_lazy("answer source", "Web form"),
    AnswerChange.Source.PAPER: pgettext_lazy("answer source", "Entered by the RSS"),
    AnswerChange.Source.IMPORT: pgettext_lazy("answer source", "Import"),
    AnswerChange.Source.SYSTEM: pgettext_lazy("answer source", "System"),
}
STATUS_LABELS = {
    rates.NOT_STARTED: gettext_lazy("Not started"),
    rates.DRAFT: gettext_lazy("Draft"),
    rates.SUBMITTED: gettext_lazy("Submitted"),
}


def _get_area_for_user(request: HttpRequest, code: str) -> Organisation:
    """The RSS whose municipalities the user follows: staff, or its own coordinator."""
    rss = get_object_or_404(Organisation, kind=Organisation.Kind.RSS, code=code)
    if request.user.is_staff:
        return rss
    membership = membership_of(request.user)
    if membership is None or not (
        membership.is_coordinator and membership.organisation_id == rss.pk
    ):
        raise Http404("No such area")
    return rss


# Forms


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(format="%Y-%m-%d", **kwargs)


def _add_errors(form: forms.Form, exc: ValidationError) -> None:
    """Put a service's errors on the form: at their field, or above the form."""
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for field, errors in exc.error_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def _parse_dates(value: str) -> list[datetime.date]:
    dates = []
    for part in re.split(r"[\s,;]+", value.strip()):
        if not part:
            continue
        try:
            dates.append(datetime.date.fromisoformat(part))
        except ValueError as exc:
            raise ValidationError(
                _("%(value)s is not a date written as YYYY-MM-DD.") % {"value": part}
            ) from exc
    return sorted(set(dates))


class _PostForm(forms.Form):
    submit_label = gettext_lazy("Save")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_method = "post"
        self.helper.add_input(Submit("submit", self.submit_label))


class CycleCopyForm(_PostForm):
    submit_label = gettext_lazy("Copy the cycle")
    from_year = forms.TypedChoiceField(label=gettext_lazy("Copy from"), coerce=int)
    to_year = forms.IntegerField(
        label=gettext_lazy("New cycle (data year)"), min_value=2000, max_value=2100
    )

    def __init__(self, *args: Any, years: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["from_year"].choices = [(y, str(y)) for y in years]


class QuestionnaireEditForm(_PostForm):
    title = forms.CharField(label=gettext_lazy("Title"), max_length=300)
    introduction = forms.CharField(
        label=gettext_lazy("Introduction"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    opens_on = forms.DateField(label=gettext_lazy("Opens on"), widget=DateInput())
    closes_on = forms.DateField(label=gettext_lazy("Closes on"), widget=DateInput())
    reminder_dates = forms.CharField(
        label=gettext_lazy("Reminder dates"),
        required=False,
        help_text=gettext_lazy(
            "Dates written as YYYY-MM-DD, separated by commas. Reminders go to the "
            "organisations that have not submitted."
        ),
    )

    def clean_reminder_dates(self) -> list[datetime.date]:
        return _parse_dates(self.cleaned_data["reminder_dates"])


class ReopenForm(_PostForm):
    submit_label = gettext_lazy("Reopen the response")
    reason = forms.CharField(
        label=gettext_lazy("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "Why the response is reopened; the organisation's history shows it."
        ),
    )


class UnlockForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason"), required=False)


class ExtraQuestionForm(_PostForm):
    submit_label = gettext_lazy("Create and invite")
    # A one-time token: the same form sent twice creates one questionnaire.
    once = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)
    cycle = forms.ModelChoiceField(
        label=gettext_lazy("Cycle"), queryset=Cycle.objects.all(), empty_label=None
    )
    title = forms.CharField(label=gettext_lazy("Title"), max_length=300)
    introduction = forms.CharField(
        label=gettext_lazy("Introduction"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    text = forms.CharField(
        label=gettext_lazy("The question"), widget=forms.Textarea(attrs={"rows": 3})
    )
    question_type = forms.ChoiceField(
        label=gettext_lazy("Answer"),
        choices=[
            (QuestionType.FREE_TEXT, gettext_lazy("Free text")),
            (QuestionType.YES_NO, gettext_lazy("Yes/no")),
        ],
        widget=forms.RadioSelect,
        initial=QuestionType.FREE_TEXT,
    )
    opens_on = forms.DateField(label=gettext_lazy("Opens on"), widget=DateInput())
    closes_on = forms.DateField(label=gettext_lazy("Closes on"), widget=DateInput())
    reminder_dates = forms.CharField(
        label=gettext_lazy("Reminder dates"),
        required=False,
        help_text=gettext_lazy(
            "Dates written as YYYY-MM-DD, separated by commas; empty: three weeks and "
            "one week before the closing date."
        ),
    )
    everyone = forms.BooleanField(
        label=gettext_lazy("All municipalities"), required=False
    )
    counties = forms.ModelMultipleChoiceField(
        label=gettext_lazy("All municipalities of these counties"),
        queryset=County.objects.order_by("code"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    rss = forms.ModelMultipleChoiceField(
        label=gettext_lazy("All municipalities of these RSS areas"),
        queryset=Organisation.objects.filter(kind=Organisation.Kind.RSS).order_by(
            "code"
        ),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 8}),
    )
    municipalities = forms.ModelMultipleChoiceField(
        label=gettext_lazy("These municipalities"),
        queryset=Organisation.objects.filter(
            kind=Organisation.Kind.MUNICIPALITY
        ).order_by("name"),
        required=False,
        widget=forms.SelectMultiple(attrs={"size": 12}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("once", secrets.token_urlsafe(24))

    def clean_reminder_dates(self) -> list[datetime.date] | None:
        value = self.cleaned_data["reminder_dates"]
        return _parse_dates(value) if value.strip() else None

    def organisations(self) -> list[Organisation]:
        """The chosen municipalities: everyone, or the union of the three choices."""
        data = self.cleaned_data
        chosen = Q(pk__in=[o.pk for o in data["municipalities"]])
        chosen |= Q(county__in=data["counties"]) | Q(rss__in=data["rss"])
        municipalities = Organisation.objects.filter(
            kind=Organisation.Kind.MUNICIPALITY
        )
        if not data["everyone"]:
            municipalities = municipalities.filter(chosen)
        return list(municipalities.order_by("code"))


# Cycles


@login_required
def cycle_list(request: HttpRequest) -> HttpResponse:
    """Staff: every cycle with its current questionnaires and their response rates."""
    require_staff(request.user)
    cycle_rows = list(Cycle.objects.order_by("-year"))
    questionnaires = list(
        Questionnaire.objects.filter(is_current=True)
        .select_related("cycle")
        .order_by("-cycle__year", "audience", "opens_on", "pk")
    )
    totals = {
        row["questionnaire_id"]: row
        for row in rates.rates_per_questionnaire(
            rates.rates_frame(questionnaires=questionnaires)
        ).to_dict("records")
    }
    by_cycle = [
        {
            "cycle": cycle,
            "rows": [
                {"questionnaire": q, "rates": totals.get(q.pk)}
                for q in questionnaires
                if q.cycle_id == cycle.pk
            ],
        }
        for cycle in cycle_rows
    ]
    return render(request, "surveys/staff/cycles.html", {"cycles": by_cycle})


@login_required
def cycle_copy(request: HttpRequest) -> HttpResponse:
    """Staff: create the next cycle as a copy of an earlier one."""
    require_staff(request.user)
    years = list(Cycle.objects.order_by("-year").values_list("year", flat=True))
    if request.method == "POST":
        form = CycleCopyForm(request.POST, years=years)
        if form.is_valid():
            try:
                from_year = form.cleaned_data["from_year"]
                to_year = form.cleaned_data["to_year"]
                copied = cycles.cycle_copy_preview(from_year=from_year, to_year=to_year)
                page = confirm_or_page(
                    request,
                    action="cycle-copy",
                    payload={"from": from_year, "to": to_year},
                    title=_("Copy cycle %(from)s to %(to)s")
                    % {"from": from_year, "to": to_year},
                    lead=_(
                        "Cycle %(to)s is created with a copy of each of these "
                        "questionnaires, dates and reminders one year on per year "
                        "between. Each goes to every organisation of its audience "
                        "when it opens."
                    )
                    % {"to": to_year},
                    names=[q.title for q in copied],
                    count_text=ngettext(
                        "%(n)s questionnaire", "%(n)s questionnaires", len(copied)
                    )
                    % {"n": len(copied)},
                    back_url=request.get_full_path(),
                )
                if page is not None:
                    return page
                cycle = cycles.cycle_copy(
                    from_year=form.cleaned_data["from_year"],
                    to_year=form.cleaned_data["to_year"],
                    by=request.user,
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(
                    request,
                    _(
                        "Cycle %(year)s is created with %(count)s questionnaires. "
                        "Check their texts and dates before they open."
                    )
                    % {"year": cycle.year, "count": cycle.questionnaires.count()},
                )
                return redirect("surveys:staff-cycles")
    else:
        form = CycleCopyForm(
            years=years,
            initial={"from_year": years[0] if years else None}
            | ({"to_year": years[0] + 1} if years else {}),
        )
    return render(request, "surveys/staff/cycle_copy.html", {"form": form})


@login_required
def questionnaire_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff: change a questionnaire's title, introduction and dates before any response."""
    questionnaire = get_questionnaire_for_staff(request.user, pk)
    responses = questionnaire.responses.count()
    initial = {
        "title": questionnaire.title,
        "introduction": questionnaire.introduction,
        "opens_on": questionnaire.opens_on,
        "closes_on": questionnaire.closes_on,
        "reminder_dates": ", ".join(questionnaire.reminder_dates),
    }
    if request.method == "POST" and not responses:
        form = QuestionnaireEditForm(request.POST, initial=initial)
        if form.is_valid():
            try:
                page = _confirm_date_change(request, questionnaire, form.cleaned_data)
                if page is not None:
                    return page
                saved = cycles.questionnaire_update(
                    questionnaire=questionnaire, by=request.user, **form.cleaned_data
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(
                    request, _("%(title)s is saved.") % {"title": saved.title}
                )
                return redirect("surveys:staff-cycles")
    else:
        form = QuestionnaireEditForm(initial=initial)
    if responses:
        for field in form.fields.values():
            field.disabled = True
        form.helper.inputs = []
    return render(
        request,
        "surveys/staff/questionnaire_edit.html",
        {"questionnaire": questionnaire, "form": form, "responses": responses},
    )


def _confirm_date_change(
    request: HttpRequest, questionnaire: Questionnaire, data: dict[str, Any]
) -> HttpResponse | None:
    """A change of dates concerns every organisation of the frame: confirm it first."""
    new = {
        "opens_on": data["opens_on"].isoformat(),
        "closes_on": data["closes_on"].isoformat(),
        "reminder_dates": sorted(d.isoformat() for d in set(data["reminder_dates"])),
    }
    old = {
        "opens_on": questionnaire.opens_on.isoformat(),
        "closes_on": questionnaire.closes_on.isoformat(),
        "reminder_dates": sorted(str(d)[:10] for d in questionnaire.reminder_dates),
    }
    if new == old:
        return None
    return confirm_or_page(
        request,
        action="questionnaire-dates",
        payload={"questionnaire": questionnaire.pk, **new},
        title=_("Change the dates of %(title)s") % {"title": questionnaire.title},
        lead=_(
            "Opens %(opens)s, last day %(closes)s, reminders %(reminders)s "
            "(before: %(old_opens)s, %(old_closes)s, %(old_reminders)s). "
            "It concerns every organisation it is for."
        )
        % {
            "opens": new["opens_on"],
            "closes": new["closes_on"],
            "reminders": ", ".join(new["reminder_dates"]) or "–",
            "old_opens": old["opens_on"],
            "old_closes": old["closes_on"],
            "old_reminders": ", ".join(old["reminder_dates"]) or "–",
        },
        count=frame_size(questionnaire),
        back_url=request.get_full_path(),
    )


# Response rates


def _csv_response(frame: pd.DataFrame, *, excel: bool, name: str) -> HttpResponse:
    text = rates.organisations_csv(frame, excel=excel)
    response = HttpResponse(
        text.encode("utf-8"), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
    return response


def _rows(frame: pd.DataFrame) -> list[dict]:
    records = frame.to_dict("records")
    for record in records:
        record["status_label"] = STATUS_LABELS[record["status"]]
        for key in ("last_activity", "submitted_at", "rss", "rss_code", "response_id"):
            if pd.isna(record[key]):
                record[key] = None
    return records


def _filters(request: HttpRequest, frame: pd.DataFrame) -> dict[str, Any]:
    """The list filters from the query string, with the choices the frame offers."""
    status = request.GET.get("status") or None
    county = request.GET.get("county") or None
    rss = request.GET.get("rss") or None
    counties = (
        frame[["county_code", "county"]].drop_duplicates().sort_values("county_code")
    )
    areas = (
        frame[["rss_code", "rss"]].dropna().drop_duplicates().sort_values("rss_code")
    )
    return {
        "status": status if status in rates.STATUSES else None,
        "county": county,
        "rss": rss,
        "statuses": list(STATUS_LABELS.items()),
        "counties": list(counties.itertuples(index=False, name=None)),
        "areas": list(areas.itertuples(index=False, name=None)),
    }


def _rates_page(
    request: HttpRequest,
    questionnaire: Questionnaire,
    frame: pd.DataFrame,
    template: str,
    context: dict[str, Any],
    filename: str,
) -> HttpResponse:
    filters = _filters(request, frame)
    listed = rates.filter_rows(
        frame,
        status=filters["status"],
        county_code=filters["county"],
        rss_code=filters["rss"],
    )
    export = request.GET.get("export")
    if export in ("csv", "excel"):
        return _csv_response(listed, excel=export == "excel", name=filename)
    totals = rates.rates_per_questionnaire(frame).to_dict("records")
    query = request.GET.copy()
    query.pop("export", None)
    return render(
        request,
        template,
        {
            "questionnaire": questionnaire,
            "totals": totals[0] if totals else None,
            "per_county": rates.rates_per_county(frame).to_dict("records"),
            "per_rss": rates.rates_per_rss(frame).to_dict("records"),
            "rows": _rows(listed),
            "filters": filters,
            "query": query.urlencode(),
            **context,
        },
    )


@login_required
def questionnaire_rates(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff: invited, started, submitted and rate, per county and RSS, and the list."""
    questionnaire = get_questionnaire_for_staff(request.user, pk)
    frame = rates.rates_frame(questionnaires=[questionnaire])
    events = list(questionnaire.events.select_related("by")[:20])
    return _rates_page(
        request,
        questionnaire,
        frame,
        "surveys/staff/rates.html",
        {"events": events, "invited": questionnaire.participations.exists()},
        f"svarsfrekvens-{questionnaire.cycle.year}-{questionnaire.audience}-{pk}",
    )


@login_required
def area_rates(request: HttpRequest, code: str) -> HttpResponse:
    """An RSS coordinator (or staff): the same figures for the municipalities of the area."""
    rss = _get_area_for_user(request, code)
    choices = list(
        Questionnaire.objects.filter(
            is_current=True,
            audience__in=[
                Questionnaire.Audience.MUNICIPALITY,
                Questionnaire.Audience.EXTRA,
            ],
        )
        .select_related("cycle")
        .order_by("-cycle__year", "audience", "opens_on", "pk")
    )
    if not choices:
        raise Http404("No municipal questionnaire")
    wanted = request.GET.get("enkat")
    questionnaire = next((q for q in choices if str(q.pk) == wanted), choices[0])
    frame = rates.rates_frame(
        questionnaires=[questionnaire], organisations=rss.municipalities.all()
    )
    return _rates_page(
        request,
        questionnaire,
        frame,
        "surveys/staff/area_rates.html",
        {"rss": rss, "choices": choices},
        f"svarsfrekvens-{rss.code}-{questionnaire.cycle.year}-{questionnaire.pk}",
    )


# Locking and reopening


@require_POST
@login_required
def questionnaire_lock(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff: lock the questionnaire for the final aggregation (after a confirmation)."""
    questionnaire = get_questionnaire_for_staff(request.user, pk)
    try:
        page = confirm_or_page(
            request,
            action="questionnaire-lock",
            payload={"questionnaire": questionnaire.pk},
            title=_("Lock %(title)s") % {"title": questionnaire.title},
            lead=_(
                "Nobody, staff included, can change any of its answers until it is "
                "unlocked. It concerns every organisation it is for."
            ),
            count=frame_size(questionnaire),
            back_url=reverse("surveys:staff-rates", args=[pk]),
        )
        if page is not None:
            return page
        transitions.questionnaire_lock(questionnaire=questionnaire, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("%(title)s is locked: nobody can change its answers.")
            % {"title": questionnaire.title},
        )
    return redirect("surveys:staff-rates", pk=pk)


@require_POST
@login_required
def questionnaire_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff: unlock the questionnaire again."""
    questionnaire = get_questionnaire_for_staff(request.user, pk)
    form = UnlockForm(request.POST)
    form.is_valid()
    try:
        page = confirm_or_page(
            request,
            action="questionnaire-unlock",
            payload={
                "questionnaire": questionnaire.pk,
                "reason": form.cleaned_data.get("reason", ""),
            },
            title=_("Unlock %(title)s") % {"title": questionnaire.title},
            lead=_(
                "Its answers can be changed again by every organisation it is for "
                "whose deadline has not passed, and by staff."
            ),
            count=frame_size(questionnaire),
            back_url=reverse("surveys:staff-rates", args=[pk]),
        )
        if page is not None:
            return page
        transitions.questionnaire_unlock(
            questionnaire=questionnaire,
            by=request.user,
            reason=form.cleaned_data.get("reason", ""),
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("%(title)s is unlocked.") % {"title": questionnaire.title}
        )
    return redirect("surveys:staff-rates", pk=pk)


@login_required
def response_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    """Staff: put a submitted response back to draft, with a reason."""
    require_staff(request.user)
    response = get_response_for_user(request.user, pk)
    if request.method == "POST":
        form = ReopenForm(request.POST)
        if form.is_valid():
            try:
                transitions.response_reopen(
                    response=response,
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(
                    request,
                    _(
                        "The response of %(organisation)s is a draft again; the "
                        "organisation can change and submit it."
                    )
                    % {"organisation": response.organisation},
                )
                return redirect("surveys:staff-rates", pk=response.questionnaire_id)
    else:
        form = ReopenForm()
    return render(
        request,
        "surveys/staff/response_reopen.html",
        {"response": response, "form": form},
        status=400 if form.errors else 200,
    )


# The audit page


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


@login_required
def response_audit(request: HttpRequest, pk: int) -> HttpResponse:
    """Who changed what and when in a response, with submissions, imports, reopenings."""
    response = get_response_for_user(request.user, pk)
    page: Page = Paginator(audit_entries(response), AUDIT_PAGE_SIZE).get_page(
        request.GET.get("sida")
    )
    return render(
        request,
        "surveys/staff/response_audit.html",
        {"response": response, "page": page},
    )


# The extra question


@login_required
def extra_question_create(request: HttpRequest) -> HttpResponse:
    """Staff: send one extra question to chosen municipalities as its own questionnaire."""
    require_staff(request.user)
    if request.method == "POST":
        form = ExtraQuestionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                chosen = form.organisations()
                page = len(chosen) > 1 and confirm_or_page(
                    request,
                    action="extra-question",
                    payload={
                        "cycle": data["cycle"].pk,
                        "title": data["title"],
                        "text": data["text"],
                        "type": data["question_type"],
                        "opens_on": data["opens_on"],
                        "closes_on": data["closes_on"],
                        "reminders": data["reminder_dates"],
                        "organisations": [o.pk for o in chosen],
                    },
                    title=_("Send the extra question %(title)s")
                    % {"title": data["title"]},
                    lead=_(
                        "The question is created for these municipalities only, and "
                        "their contact persons are e-mailed the invitation."
                    ),
                    names=[f"{o.full_name} ({o.code})" for o in chosen],
                    back_url=request.get_full_path(),
                )
                if page:
                    return page
                questionnaire = cycles.extra_question_create(
                    once=data["once"],
                    cycle=data["cycle"],
                    by=request.user,
                    title=data["title"],
                    introduction=data["introduction"],
                    text=data["text"],
                    question_type=data["question_type"],
                    opens_on=data["opens_on"],
                    closes_on=data["closes_on"],
                    reminder_dates=data["reminder_dates"],
                    organisations=chosen,
                    base_url=site_url(),
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(
                    request,
                    _(
                        "%(title)s is created for %(count)s municipalities; their "
                        "contact persons are sent the invitation."
                    )
                    % {
                        "title": questionnaire.title,
                        "count": questionnaire.participations.count(),
                    },
                )
                return redirect("surveys:staff-rates", pk=questionnaire.pk)
    else:
        form = ExtraQuestionForm(initial={"cycle": Cycle.objects.first()})
    return render(request, "surveys/staff/extra_question.html", {"form": form})
