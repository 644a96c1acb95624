"""Fieldwork pages: contact persons, invitations, the RSS area, deadline extensions."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from regions.models import Organisation
from surveys.forms.fieldwork import ContactForm, ExtendForm, FilterForm, InviteForm
from surveys.frames import frame_organisations
from surveys.models import ContactPerson, Questionnaire
from surveys.permissions import (
    AuthenticatedHttpRequest,
    get_area_for_user,
    get_organisation_for_member,
    staff_required,
)
from surveys.selectors.fieldwork import (
    contacts_of,
    fieldwork_filter,
    fieldwork_overview,
    fieldwork_rows,
    municipal_questionnaire,
)
from surveys.services.fieldwork import (
    InvitationReport,
    contact_add,
    contact_remove,
    participation_extend,
    participations_invite,
)
from surveys.services.links import site_url
from surveys.views.confirmations import confirm_or_page


def _base_url(request: HttpRequest) -> str:
    """Links in e-mails start with SITE_URL, never with the Host the client sent."""
    return site_url()


def _report_messages(request: HttpRequest, report: InvitationReport) -> None:
    if report.to_email:
        messages.success(
            request,
            _(
                "The invitation is being e-mailed to %(n)s organisations "
                "(%(new)s newly invited)."
            )
            % {"n": len(report.to_email), "new": len(report.invited)},
        )
    if report.already_emailed:
        messages.info(
            request,
            _(
                "%(n)s organisations already had the invitation and got no new e-mail "
                "(tick “Send again” to send it once more)."
            )
            % {"n": len(report.already_emailed)},
        )
    if report.without_recipients:
        messages.warning(
            request,
            _("No contact person or account, so no e-mail: %(names)s.")
            % {"names": ", ".join(o.name for o in report.without_recipients)},
        )


def _invite(
    request: AuthenticatedHttpRequest, questionnaire: Questionnaire, audience: QuerySet
) -> HttpResponse | None:
    """Handle the invitation form; a confirmation page first for more than one
    organisation. None when done or refused (the caller redirects)."""
    form = InviteForm(request.POST, audience=audience)
    if not form.is_valid():
        messages.error(request, _("Choose organisations from the list."))
        return None
    chosen = form.chosen()
    resend = form.cleaned_data["resend"]
    payload = {
        "questionnaire": questionnaire.pk,
        "organisations": sorted(o.pk for o in chosen),
        "resend": resend,
    }
    try:
        if len(chosen) > 1:
            page = confirm_or_page(
                request,
                action="invite",
                payload=payload,
                title=_("Send the invitation to %(title)s")
                % {"title": questionnaire.title},
                lead=(
                    _(
                        "These organisations are invited and their contact persons "
                        "e-mailed, also those who already had the invitation."
                    )
                    if resend
                    else _(
                        "These organisations are invited and their contact persons "
                        "e-mailed, except those who already had the invitation."
                    )
                ),
                names=[f"{o.full_name} ({o.code})" for o in chosen],
                back_url=request.get_full_path(),
            )
            if page is not None:
                return page
        report = participations_invite(
            questionnaire=questionnaire,
            organisations=chosen,
            by=request.user,
            base_url=_base_url(request),
            resend=resend,
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return None
    _report_messages(request, report)
    return None


@login_required
def contacts(request: AuthenticatedHttpRequest, org_code: str) -> HttpResponse:
    """An organisation's contact persons: list, add (its own members and staff only)."""
    organisation = get_organisation_for_member(request.user, org_code)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            contact_add(organisation=organisation, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                for error in errors:
                    form.add_error(name if name in form.fields else None, error)
        else:
            messages.success(request, _("The contact person is added."))
            return redirect("surveys:contacts", org_code=organisation.code)
    return render(
        request,
        "surveys/fieldwork/contacts.html",
        {
            "organisation": organisation,
            "contacts": contacts_of(organisation),
            "form": form,
        },
        status=400 if form.is_bound and form.errors else 200,
    )


@require_POST
@login_required
def contact_delete(
    request: AuthenticatedHttpRequest, org_code: str, pk: int
) -> HttpResponse:
    organisation = get_organisation_for_member(request.user, org_code)
    contact = get_object_or_404(ContactPerson, pk=pk, organisation=organisation)
    contact_remove(contact=contact, by=request.user)
    messages.success(
        request, _("%(name)s is removed.") % {"name": contact.name or contact.email}
    )
    return redirect("surveys:contacts", org_code=organisation.code)


@staff_required
def staff_fieldwork(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Staff: the current questionnaires with invitations and reminder dates."""
    return render(
        request,
        "surveys/fieldwork/staff_index.html",
        {"rows": fieldwork_overview()},
    )


@staff_required
def staff_invitations(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """Staff: invite organisations of a questionnaire's audience; their e-mails, deadlines."""
    questionnaire = get_object_or_404(
        Questionnaire.objects.select_related("cycle"), pk=pk
    )
    # Only the frame: an extra question sent to a chosen set lists and invites that set.
    audience = frame_organisations(questionnaire)
    if request.method == "POST":
        return _invite(request, questionnaire, audience) or redirect(
            request.get_full_path()
        )
    filters = FilterForm(request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    rows = fieldwork_rows(questionnaire=questionnaire, organisations=audience)
    shown = fieldwork_filter(
        rows,
        county=chosen["county"].code if chosen.get("county") else "",
        rss=chosen["rss"].code if chosen.get("rss") else "",
        status=chosen.get("status", ""),
    )
    return render(
        request,
        "surveys/fieldwork/invitations.html",
        {
            "questionnaire": questionnaire,
            "rows": shown,
            "total": len(rows),
            "invited": sum(1 for r in rows if r.participation),
            "emailed": sum(1 for r in rows if r.last_email),
            "filters": filters,
            "extend_form": ExtendForm(),
        },
    )


@require_POST
@staff_required
def staff_extend(
    request: AuthenticatedHttpRequest, pk: int, org_code: str
) -> HttpResponse:
    """Staff: give one organisation a later deadline (with a reason)."""
    questionnaire = get_object_or_404(Questionnaire, pk=pk)
    organisation = get_object_or_404(Organisation, code=org_code)
    form = ExtendForm(request.POST)
    target = reverse("surveys:staff-invitations", args=[questionnaire.pk])
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, f"{organisation.name}: {error}")
        return redirect(f"{target}#org-{organisation.code}")
    try:
        participation_extend(
            questionnaire=questionnaire,
            organisation=organisation,
            closes_on=form.cleaned_data["closes_on"],
            reason=form.cleaned_data["reason"],
            by=request.user,
        )
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, f"{organisation.name}: {message}")
    else:
        messages.success(
            request,
            _("%(org)s may answer until %(date)s.")
            % {
                "org": organisation.name,
                "date": form.cleaned_data["closes_on"].isoformat(),
            },
        )
    return redirect(f"{target}#org-{organisation.code}")


@login_required
def area_invitations(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """An RSS coordinator invites the area's municipalities to the hjälpenkät."""
    rss = get_area_for_user(request.user, code)
    questionnaire = municipal_questionnaire()
    if questionnaire is None:
        raise Http404("No municipal questionnaire")
    area = frame_organisations(questionnaire).filter(rss=rss)
    if request.method == "POST":
        return _invite(request, questionnaire, area) or redirect(
            "surveys:area-invitations", code=rss.code
        )
    return render(
        request,
        "surveys/fieldwork/area.html",
        {
            "rss": rss,
            "questionnaire": questionnaire,
            "rows": fieldwork_rows(questionnaire=questionnaire, organisations=area),
        },
    )
