"""Pages of the reports app: exports and result tables for staff, PDFs for respondents."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    JsonResponse,
    QueryDict,
)
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from aggregation.key_figures import KeyFigureError, cycle_key_figures
from aggregation.models import AggregationRun
from aggregation.services import aggregation_status
from regions.models import Organisation
from reports import selectors, services
from reports.documents import DOCUMENTS
from reports.formats import FORMATS
from reports.forms import KeyFiguresFillForm
from reports.models import ExportJob
from reports.placeholders import fill
from surveys.deadlines import response_deadline
from surveys.frames import questionnaire_is_for
from surveys.models import Cycle, Questionnaire
from surveys.permissions import (
    AuthenticatedHttpRequest,
    get_area_for_user,
    get_questionnaire_for_audience,
    get_questionnaire_for_staff,
    get_region_for_user,
    get_response_for_user,
    is_staff,
    membership_of,
    staff_required,
)

# The export page lists the questionnaires of a cycle in this order.
AUDIENCE_ORDER: list[str] = [
    Questionnaire.Audience.REGION,
    Questionnaire.Audience.MUNICIPALITY,
    Questionnaire.Audience.RSS,
    Questionnaire.Audience.EXTRA,
]


def _get_job(pk: int) -> ExportJob:
    job = selectors.export_job_get(pk=pk)
    if job is None:
        raise Http404("No such export")
    return job


# Exports -------------------------------------------------------------------------------


@staff_required
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Reports and exports: per current questionnaire, start an export, see the jobs."""
    questionnaires = sorted(
        Questionnaire.objects.filter(is_current=True).select_related("cycle"),
        key=lambda q: (-q.cycle.year, AUDIENCE_ORDER.index(q.audience)),
    )
    overview = selectors.export_overview(questionnaires=questionnaires)
    return render(
        request,
        "reports/index.html",
        {
            "overview": overview,
            "regions": selectors.regions_list(),
            "in_flight": any(row.job.in_flight for q in overview for row in q.jobs),
        },
    )


@require_POST
@staff_required
def export_start(
    request: AuthenticatedHttpRequest, questionnaire_pk: int
) -> HttpResponse:
    """Staff start an export; the document is built in the background."""
    questionnaire = get_questionnaire_for_staff(request.user, questionnaire_pk)
    document = request.POST.get("document", "")
    organisation = None
    region = request.POST.get("region", "")
    if region:
        organisation = Organisation.objects.filter(
            kind=Organisation.Kind.REGION, code=region
        ).first()
    try:
        job = services.export_job_request(
            document=document,
            fmt=request.POST.get("format", ""),
            questionnaire=questionnaire,
            organisation=organisation,
            by=request.user,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _(
                "The export “%(document)s” of “%(questionnaire)s” has started. This "
                "page shows when it is ready to download."
            )
            % {
                "document": DOCUMENTS[job.document].label,
                "questionnaire": questionnaire.title,
            },
        )
    return redirect(f"{reverse('reports:index')}#questionnaire-{questionnaire.pk}")


@staff_required
def job_status(request: AuthenticatedHttpRequest, pk: int) -> JsonResponse:
    """The job's status and progress, for the export page's polling."""
    job = _get_job(pk)
    return JsonResponse(
        {
            "id": job.pk,
            "status": job.status,
            "status_label": job.get_status_display(),
            "progress": job.progress,
            "in_flight": job.in_flight,
            "message": job.message,
            "download_url": (
                reverse("reports:job-download", args=[job.pk])
                if job.status == ExportJob.Status.COMPLETE
                else None
            ),
        }
    )


@staff_required
def job_download(request: AuthenticatedHttpRequest, pk: int) -> FileResponse:
    """The file of a finished export, as an attachment under its own name."""
    job = _get_job(pk)
    if job.status != ExportJob.Status.COMPLETE or not job.file:
        raise Http404("The export has no file")
    try:
        handle = job.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("The export's file is gone") from exc
    return FileResponse(
        handle,
        as_attachment=True,
        filename=job.filename,
        content_type=_content_type(job),
    )


def _content_type(job: ExportJob) -> str:
    spec = FORMATS.get(job.format)
    return spec.content_type if spec else "application/octet-stream"


# Results -------------------------------------------------------------------------------


@staff_required
def results(request: AuthenticatedHttpRequest, questionnaire_pk: int) -> HttpResponse:
    """The stored tables and charts of a questionnaire, filtered, with warnings."""
    questionnaire = get_questionnaire_for_staff(request.user, questionnaire_pk)
    status = aggregation_status(questionnaire=questionnaire)
    view = None
    if status.current is not None:
        view = selectors.results_view(
            run=status.current,
            question=request.GET.get("question", ""),
            county=request.GET.get("county", ""),
            rss=request.GET.get("rss", ""),
            lazy_charts=True,
        )
    has_appendix = (
        bool(view and view.appendix)
        or questionnaire.questions.filter(in_appendix=True).exists()
    )
    all_names = request.GET.get("namn") == "alla"
    query = request.GET.copy()
    query["namn"] = "alla"
    names_query_all = query.urlencode()
    query.pop("namn")
    return render(
        request,
        "reports/results.html",
        {
            "all_names": all_names,
            "names_query_all": names_query_all,
            "names_query_national": query.urlencode(),
            "names_placeholder": "{{ namn }}",
            "questionnaire": questionnaire,
            "status": status,
            "run": status.current,
            "view": view,
            "documents": selectors.export_documents(
                questionnaire=questionnaire, has_appendix=has_appendix
            ),
            "regions": selectors.regions_list(),
        },
    )


@staff_required
def results_chart(
    request: AuthenticatedHttpRequest,
    questionnaire_pk: int,
    run_pk: int,
    kind: str,
    key: str,
) -> HttpResponse:
    """One chart of the results page as an HTML fragment (loaded by the page's script).

    A table without numbers has no chart: an empty fragment, not an error the browser logs.
    """
    questionnaire = get_questionnaire_for_staff(request.user, questionnaire_pk)
    run = get_object_or_404(
        AggregationRun,
        pk=run_pk,
        questionnaire=questionnaire,
        status=AggregationRun.Status.COMPLETE,
    )
    try:
        chart = selectors.results_chart(run=run, kind=kind, key=key)
    except LookupError:
        raise Http404("No such chart") from None
    return render(request, "reports/_chart.html", {"chart": chart})


@staff_required
def key_figures_fill(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Staff paste a draft with {{ name }} placeholders and get it back filled in with
    the key figures of a cycle's current results; unknown names refuse the text."""
    cycles = list(
        Cycle.objects.filter(questionnaires__is_current=True)
        .distinct()
        .order_by("-year")
    )
    form = KeyFiguresFillForm(
        request.POST if request.method == "POST" else None,
        cycles=cycles,
        initial={"cycle": cycles[0].year if cycles else None},
    )
    context: dict[str, object] = {"form": form, "has_cycles": bool(cycles)}
    if request.method == "POST" and form.is_valid():
        try:
            figures = cycle_key_figures(cycle=form.chosen_cycle)
        except KeyFigureError as exc:
            form.add_error(None, str(exc))
        else:
            context["figures"] = figures
            context["filled"] = fill(form.cleaned_data["text"], figures.figures)
    return render(request, "reports/key_figures.html", context)


def _get_region_profile(
    request: HttpRequest, questionnaire_pk: int, code: str
) -> tuple[Questionnaire, Organisation]:
    """The region questionnaire, and the region if the user may see its profile."""
    questionnaire = get_object_or_404(
        Questionnaire.objects.select_related("cycle"),
        pk=questionnaire_pk,
        audience=Questionnaire.Audience.REGION,
    )
    return questionnaire, get_region_for_user(request.user, code)


@login_required
def region_profile(
    request: AuthenticatedHttpRequest, questionnaire_pk: int, code: str
) -> HttpResponse:
    """One region's published values beside Riket's."""
    questionnaire, region = _get_region_profile(request, questionnaire_pk, code)
    status = aggregation_status(questionnaire=questionnaire)
    tables = []
    if status.current is not None:
        tables = selectors.region_profile_view(run=status.current, organisation=region)
    return render(
        request,
        "reports/region_profile.html",
        {
            "questionnaire": questionnaire,
            "region": region,
            "status": status,
            "run": status.current,
            "tables": tables,
        },
    )


@login_required
def region_profile_pdf(
    request: AuthenticatedHttpRequest, questionnaire_pk: int, code: str
) -> HttpResponseBase:
    """The region profile as PDF: built by a worker from the current results and kept
    while they are current; the page waits for it when it is not built yet."""
    questionnaire, region = _get_region_profile(request, questionnaire_pk, code)
    status = aggregation_status(questionnaire=questionnaire)
    if status.current is None:
        messages.error(
            request, _("The results have not been computed yet: there is no profile.")
        )
        return redirect("reports:region-profile", questionnaire.pk, region.code)
    job = services.document_job_request(
        document="region_profile",
        fmt="pdf",
        questionnaire=questionnaire,
        organisation=region,
        version=f"run {status.current.pk}",
        by=request.user,
    )
    return _file_or_wait(job)


# Respondents' PDFs ---------------------------------------------------------------------


@login_required
def receipt_pdf(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    """The receipt of a submitted response, for those who may see the response: built
    by a worker when it was submitted and kept (the page waits for it if it is not
    ready yet)."""
    response = get_response_for_user(request.user, pk)
    if not response.is_submitted:
        messages.error(
            request, _("The receipt is there once the response has been submitted.")
        )
        return redirect("surveys:response-summary", pk=response.pk)
    return _file_or_wait(
        services.receipt_job_request(response=response, by=request.user)
    )


@login_required
def questionnaire_pdf(
    request: AuthenticatedHttpRequest, questionnaire_pk: int
) -> HttpResponseBase:
    """The blank printable questionnaire (no answers in it), for its audience (the
    organisations it is for and their RSS coordinator) and staff; 404 for others.

    Built once per version of the questionnaire (and deadline) by a worker and kept."""
    questionnaire = get_questionnaire_for_audience(request.user, questionnaire_pk)
    # A respondent's form gives their organisation's deadline (an extension); an RSS
    # coordinator's municipal form and staff's give the questionnaire's.
    membership = membership_of(request.user)
    deadline = questionnaire.closes_on
    if membership is not None and questionnaire_is_for(
        questionnaire, membership.organisation
    ):
        deadline = response_deadline(
            questionnaire=questionnaire, organisation_id=membership.organisation.pk
        )
    job = services.blank_form_job_request(
        questionnaire=questionnaire, deadline=deadline, by=request.user
    )
    return _file_or_wait(job)


# The documents the pages offer ---------------------------------------------------------


def _file_or_wait(job: ExportJob) -> HttpResponseBase:
    """The job's file if it is ready, else the page that follows the job.

    With tasks run eagerly (no broker set) the job is built when the request's
    transaction commits, after this view: the page then shows it ready.
    """
    if job.status == ExportJob.Status.COMPLETE and job.file:
        response = _job_file(job)
        if response is not None:
            return response
    return redirect("reports:document", pk=job.pk)


def _job_file(job: ExportJob) -> FileResponse | None:
    try:
        handle = job.file.open("rb")
    except FileNotFoundError:
        return None
    return FileResponse(
        handle,
        as_attachment=True,
        filename=job.filename,
        content_type=_content_type(job),
    )


def _document_job_for_user(request: AuthenticatedHttpRequest, pk: int) -> ExportJob:
    """The job of a document a page offers, for a user who may see what it is built
    from (staff: every job); 404 for anyone else."""
    job = _get_job(pk)
    user = request.user
    if is_staff(user):
        return job
    if job.document == "receipt" and job.response_id is not None:
        get_response_for_user(user, job.response_id)
    elif job.document == "questionnaire":
        get_questionnaire_for_audience(user, job.questionnaire_id)
    elif job.document == "region_profile" and job.organisation is not None:
        get_region_for_user(user, job.organisation.code)
    elif job.document == "area_free_text":
        get_area_for_user(user, str(job.params.get("rss", "")))
    else:
        raise Http404("No such document")
    return job


def _document_origin(job: ExportJob) -> str:
    """The address that asks for this document (again)."""
    if job.document == "receipt" and job.response_id is not None:
        return reverse("reports:receipt-pdf", args=[job.response_id])
    if job.document == "questionnaire":
        return reverse("reports:questionnaire-pdf", args=[job.questionnaire_id])
    if job.document == "region_profile" and job.organisation is not None:
        return reverse(
            "reports:region-profile-pdf",
            args=[job.questionnaire_id, job.organisation.code],
        )
    if job.document == "area_free_text":
        query = QueryDict(mutable=True)
        for key, value in job.params.items():
            if key not in ("rss", "question") and value:
                query[key] = "1" if value is True else str(value)
        query["export"] = job.format
        return (
            reverse(
                "reports:area-free-text-question",
                args=[
                    job.params.get("rss", ""),
                    job.questionnaire_id,
                    job.params.get("question", ""),
                ],
            )
            + "?"
            + query.urlencode()
        )
    return reverse("reports:index")


@login_required
def document(request: AuthenticatedHttpRequest, pk: int) -> HttpResponse:
    """A document being built: its progress while queued or running (the page follows
    it), the download when it is ready, the reason when it failed."""
    job = _document_job_for_user(request, pk)
    if job.status == ExportJob.Status.PROCESSING:
        # A job whose worker died is sent again now (the page follows it), or failed
        # past its attempts (the page says so and offers it again).
        job = services.export_job_recover(job=job)
    return render(
        request,
        "reports/document.html",
        {
            "job": job,
            "label": DOCUMENTS[job.document].label
            if job.document in DOCUMENTS
            else job.document,
            "format_label": FORMATS[job.format].label
            if job.format in FORMATS
            else job.format,
            "again_url": _document_origin(job),
        },
    )


@login_required
def document_status(request: AuthenticatedHttpRequest, pk: int) -> JsonResponse:
    """The document's status and progress, for its page's polling."""
    job = _document_job_for_user(request, pk)
    if job.status == ExportJob.Status.PROCESSING:
        job = services.export_job_recover(job=job)
    return JsonResponse(
        {
            "id": job.pk,
            "status": job.status,
            "status_label": job.get_status_display(),
            "progress": job.progress,
            "in_flight": job.in_flight,
        }
    )


@login_required
def document_download(request: AuthenticatedHttpRequest, pk: int) -> HttpResponseBase:
    """The file of a document that is ready."""
    job = _document_job_for_user(request, pk)
    if job.status != ExportJob.Status.COMPLETE or not job.file:
        return redirect("reports:document", pk=job.pk)
    response = _job_file(job)
    if response is None:
        raise Http404("The document's file is gone")
    return response


# Theme coding -------------------------------------------------------------------------


@staff_required
def theme_counts(request: AuthenticatedHttpRequest, codebook_pk: int) -> HttpResponse:
    """Per theme of a codebook: the share of organisations per riket, county and RSS,
    with a chart; the same unit and denominator as a closed question's shares."""
    from coding.models import Codebook
    from coding.selectors import theme_counts as counts_of
    from reports.figures import theme_chart

    codebook = get_object_or_404(
        Codebook.objects.select_related("question__questionnaire__cycle"),
        pk=codebook_pk,
    )
    counts = counts_of(codebook=codebook)
    return render(
        request,
        "reports/themes.html",
        {
            "codebook": codebook,
            "counts": counts,
            "chart": theme_chart(counts, f"themes-{codebook.pk}"),
            "all_names": request.GET.get("namn") == "alla",
            "names_placeholder": "{{ namn }}",
        },
    )


@staff_required
def codings_export(
    request: AuthenticatedHttpRequest, questionnaire_pk: int, fmt: str
) -> HttpResponseBase:
    """The codings of a questionnaire's free-text answers as CSV or XLSX, built by a
    worker: the file, or the page that follows it."""
    questionnaire = get_questionnaire_for_staff(request.user, questionnaire_pk)
    if fmt not in ("csv", "xlsx"):
        raise Http404("No such format")
    # Built by a worker like every document; never kept (the codings change).
    return _file_or_wait(
        services.document_job_request(
            document="codings",
            fmt=fmt,
            questionnaire=questionnaire,
            keep=False,
            by=request.user,
        )
    )
