"""Response rates: the staff page of a questionnaire and an RSS coordinator's area page."""

from __future__ import annotations

import csv
import datetime
import io
from typing import Any

import pandas as pd
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext_lazy

from surveys.models import Questionnaire
from surveys.permissions import (
    AuthenticatedHttpRequest,
    get_area_for_user,
    get_questionnaire_for_staff,
    staff_required,
)
from surveys.selectors import rates

STATUS_LABELS = {
    rates.NOT_STARTED: gettext_lazy("Not started"),
    rates.DRAFT: gettext_lazy("Draft"),
    rates.SUBMITTED: gettext_lazy("Submitted"),
}


def _csv_response(frame: pd.DataFrame, *, excel: bool, name: str) -> HttpResponse:
    text = organisations_csv(frame, excel=excel)
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


@staff_required
def questionnaire_rates(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
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
def area_rates(request: AuthenticatedHttpRequest, code: str) -> HttpResponse:
    """An RSS coordinator (or staff): the same figures for the municipalities of the area."""
    rss = get_area_for_user(request.user, code)
    choices = rates.area_questionnaires()
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


# The organisation list as CSV

CSV_HEADER = [
    "organisation_code",
    "organisation",
    "county",
    "rss",
    "status",
    "last_activity",
    "submitted_at",
]
# The CSV for Swedish Excel is read by people: Swedish headers and statuses.
CSV_HEADER_EXCEL = [
    gettext_lazy("Code"),
    gettext_lazy("Organisation"),
    gettext_lazy("County"),
    gettext_lazy("RSS"),
    gettext_lazy("Status"),
    gettext_lazy("Last activity"),
    gettext_lazy("Submitted on"),
]


def _timestamp(value: object) -> str:
    if (
        value is None
        or value is pd.NaT
        or (isinstance(value, float) and pd.isna(value))
    ):
        return ""
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, datetime.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return str(value)


def organisations_csv(frame: pd.DataFrame, *, excel: bool = False) -> str:
    """The organisation list as CSV text.

    Plain comma-separated UTF-8 by default, with the header CSV_HEADER and the status
    codes (for scripts); excel=True gives what Swedish Excel opens directly, for people:
    semicolons, a byte order mark (the caller encodes as UTF-8), Swedish headers
    (CSV_HEADER_EXCEL) and statuses.
    """
    buffer = io.StringIO()
    if excel:
        buffer.write("\ufeff")
    writer = csv.writer(buffer, delimiter=";" if excel else ",", lineterminator="\r\n")
    with translation.override(settings.LANGUAGE_CODE if excel else None):
        writer.writerow([str(h) for h in CSV_HEADER_EXCEL] if excel else CSV_HEADER)
        for row in frame.itertuples(index=False):
            writer.writerow(
                [
                    row.organisation_code,
                    row.organisation,
                    row.county or "",
                    row.rss if isinstance(row.rss, str) else "",
                    str(STATUS_LABELS[str(row.status)]) if excel else row.status,
                    _timestamp(row.last_activity),
                    _timestamp(row.submitted_at),
                ]
            )
    return buffer.getvalue()
