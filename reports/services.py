"""Writes of the reports app: asking for an export, or for a document a page offers.

An export is a job row (`ExportJob`), as an aggregation run is: `export_job_request`
checks what is asked for, stores the row and sends it to the workers once the transaction
commits (reports.tasks.export_job_send); the task builds it (reports.jobs.export_job_run).
"""

from __future__ import annotations

import datetime

from django.contrib.auth.models import AnonymousUser, User
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from regions.models import Organisation
from reports.documents import DOCUMENTS
from reports.formats import FORMATS
from reports.jobs import export_job_is_alive, export_jobs_recover_dead
from reports.models import ExportJob
from reports.selectors import questionnaire_form_version, receipt_version
from reports.tasks import export_job_send
from surveys.models import Participation, Questionnaire, Response

# A queued job that has not started after this long is sent to the broker again when the
# same export is asked for (the message may have been lost); a duplicate is harmless.
QUEUED_RESEND_AFTER = datetime.timedelta(minutes=5)

Status = ExportJob.Status


def _validate(
    *,
    document: str,
    fmt: str,
    questionnaire: Questionnaire,
    organisation: Organisation | None,
) -> None:
    """ValidationError, in Swedish, if this export cannot be made."""
    spec = DOCUMENTS.get(document)
    # The receipt is built for one response, not as an export job.
    if spec is None or not spec.exported:
        raise ValidationError(
            "Dokumentet ”%(document)s” finns inte.", params={"document": document}
        )
    if fmt not in FORMATS or fmt not in spec.formats:
        raise ValidationError(
            "%(document)s finns inte i formatet ”%(format)s”; välj %(formats)s.",
            params={
                "document": spec.label,
                "format": fmt,
                "formats": ", ".join(FORMATS[f].label for f in spec.formats),
            },
        )
    if spec.needs_organisation:
        if questionnaire.audience != Questionnaire.Audience.REGION:
            raise ValidationError(
                "%(document)s görs bara av regionenkäten, inte av ”%(questionnaire)s”.",
                params={"document": spec.label, "questionnaire": questionnaire.title},
            )
        if organisation is None or organisation.kind != Organisation.Kind.REGION:
            raise ValidationError(
                "Välj en region för %(document)s.", params={"document": spec.label}
            )


def export_job_request(
    *,
    document: str,
    fmt: str,
    questionnaire: Questionnaire,
    organisation: Organisation | None = None,
    by: User | None,
) -> ExportJob:
    """Ask for a document to be built in the background; the job row, queued.

    ValidationError (in Swedish) for a document or format that does not exist or a region
    profile without a region. The same export asked for again while it is queued or
    running returns that job rather than a second one.
    """
    spec = DOCUMENTS.get(document)
    if spec is not None and not spec.needs_organisation:
        organisation = None
    _validate(
        document=document,
        fmt=fmt,
        questionnaire=questionnaire,
        organisation=organisation,
    )
    with transaction.atomic():
        same = ExportJob.objects.filter(
            document=document,
            format=fmt,
            questionnaire=questionnaire,
            organisation=organisation,
        )
        return _in_flight_or_new(
            same,
            ExportJob(
                document=document,
                format=fmt,
                questionnaire=questionnaire,
                organisation=organisation,
                requested_by=by if by is not None and by.is_authenticated else None,
            ),
        )


def _in_flight_or_new(same: QuerySet[ExportJob], job: ExportJob) -> ExportJob:
    """The job of `same` queued (sent again when it has waited long) or running on a
    live worker; else `job`, saved and sent. Inside the caller's transaction."""
    # A job whose worker died is sent again now (or, past its attempts, failed: the
    # export then starts again at once as a new job).
    again = export_jobs_recover_dead(same)
    for pk in again:
        export_job_send(pk)
    if again:
        return same.get(pk=again[0])
    queued = same.filter(status=Status.CREATED).first()
    if queued is not None:
        if queued.requested_at < timezone.now() - QUEUED_RESEND_AFTER:
            export_job_send(queued.pk)
        return queued
    running = same.filter(status=Status.PROCESSING).first()
    if running is not None and export_job_is_alive(running):
        return running
    job.full_clean()
    job.save()
    export_job_send(job.pk)
    return job


def document_job_request(
    *,
    document: str,
    fmt: str,
    questionnaire: Questionnaire,
    organisation: Organisation | None = None,
    response: Response | None = None,
    version: str = "",
    params: dict[str, object] | None = None,
    keep: bool = True,
    by: User | AnonymousUser | None,
) -> ExportJob:
    """The job of a document a page offers (a receipt, a blank form, a region profile,
    an area's free-text answers): built by a worker, never inside the request.

    keep: a finished job of the same document built from the same `version` is returned
    as it is (its file is served again); otherwise, or when its file is gone, a new job
    is queued. The same document queued or running is returned rather than asked twice.
    DocumentError-like ValidationError for a document or format that does not exist.
    """
    spec = DOCUMENTS.get(document)
    if spec is None or fmt not in spec.formats:
        raise ValidationError(
            "Dokumentet ”%(document)s” finns inte som ”%(format)s”.",
            params={"document": document, "format": fmt},
        )
    params = params or {}
    with transaction.atomic():
        same = ExportJob.objects.filter(
            document=document,
            format=fmt,
            questionnaire=questionnaire,
            organisation=organisation,
            response=response,
            version=version,
            params=params,
        )
        if keep:
            for done in same.filter(status=Status.COMPLETE).exclude(file=""):
                if done.file.storage.exists(done.file.name):
                    return done
        return _in_flight_or_new(
            same,
            ExportJob(
                document=document,
                format=fmt,
                questionnaire=questionnaire,
                organisation=organisation,
                response=response,
                version=version,
                params=params,
                requested_by=by if isinstance(by, User) else None,
            ),
        )


def receipt_job_request(
    *, response: Response, by: User | AnonymousUser | None
) -> ExportJob:
    """The receipt of a submitted response: built once per submission and kept."""
    return document_job_request(
        document="receipt",
        fmt="pdf",
        questionnaire=response.questionnaire,
        organisation=response.organisation,
        response=response,
        version=receipt_version(response),
        by=by,
    )


def blank_form_job_request(
    *,
    questionnaire: Questionnaire,
    deadline: datetime.date | None = None,
    by: User | AnonymousUser | None,
) -> ExportJob:
    """The blank form of a questionnaire printed with this deadline (default: its
    closing date): built once per version of the questionnaire and deadline, and kept.

    Everyone with the same deadline gets the same file: an extension's deadline is the
    job's params ("deadline"), not the organisation.
    """
    deadline = deadline or questionnaire.closes_on
    return document_job_request(
        document="questionnaire",
        fmt="pdf",
        questionnaire=questionnaire,
        params={}
        if deadline == questionnaire.closes_on
        else {"deadline": str(deadline)},
        version=questionnaire_form_version(
            questionnaire=questionnaire, deadline=deadline
        ),
        by=by,
    )


def blank_forms_queue(*, questionnaire: Questionnaire) -> list[ExportJob]:
    """Make the blank forms of a current questionnaire ahead, so that the first who
    asks finds them ready: one with its closing date and one per later deadline its
    organisations were given (extensions). The jobs already built or in flight are
    returned as they are; the new ones are sent once the transaction commits (a broker
    that is down leaves them queued for the requeue). An older version: none."""
    if not questionnaire.is_current:
        return []
    deadlines = {questionnaire.closes_on}
    for extended in Participation.objects.filter(
        questionnaire=questionnaire, closes_on__gt=questionnaire.closes_on
    ).values_list("closes_on", flat=True):
        if extended is not None:
            deadlines.add(extended)
    return [
        blank_form_job_request(questionnaire=questionnaire, deadline=deadline, by=None)
        for deadline in sorted(deadlines)
    ]


def export_job_recover(*, job: ExportJob) -> ExportJob:
    """The job as its page shows it: one whose worker died is sent again now, or failed
    past its attempts (EXPORT_MAX_ATTEMPTS)."""
    with transaction.atomic():
        for pk in export_jobs_recover_dead(ExportJob.objects.filter(pk=job.pk)):
            export_job_send(pk)
    job.refresh_from_db()
    return job
