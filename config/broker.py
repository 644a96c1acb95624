"""One bounded, robust way to send a task to the broker (Redis, or a folder).

A web request that sends a task (a submit queues an aggregation, an export, invitation
e-mails) must neither fail nor hang when Redis refuses connections or stops answering.
`publish` connects and writes with short socket timeouts (BROKER_PUBLISH_TIMEOUT), never
retries, and returns False, logged, when the broker did not take the message. Every
caller has left a job row first (an aggregation run, an export job, an invitation
batch), which the requeue (Celery beat every 5 minutes, and each worker on start) sends
again once the broker is back; the tasks are safe to run twice.

With the filesystem broker (TASK_BROKER=filesystem:<folder>, bin/demo) a publish writes
one file: it cannot hang on a worker that is stopped or paused, and a folder that is
missing or not writable is a refusal like Redis's (logged, the row stays queued).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence

from celery import Task
from django.conf import settings
from django.core.signals import request_finished, request_started

logger = logging.getLogger(__name__)

# Within one web request, once the broker did not take a message the request's further
# tasks (a submit sends an aggregation run, a confirmation e-mail and a receipt) are left
# queued at once instead of each waiting BROKER_PUBLISH_TIMEOUT: a request waits for a
# broker that is down at most once. Outside requests (workers, commands) nothing changes.
_request = threading.local()


def _request_started(**kwargs: object) -> None:
    _request.active = True
    _request.broker_failed = False


def _request_finished(**kwargs: object) -> None:
    _request.active = False
    _request.broker_failed = False


request_started.connect(_request_started, dispatch_uid="config_broker_request_started")
request_finished.connect(
    _request_finished, dispatch_uid="config_broker_request_finished"
)


def publish(task: Task, args: Sequence = (), *, what: str) -> bool:
    """Send the task with args; False (and a warning) if the broker did not take it.

    `what` names the job row in the warning ("Aggregation run 7").

    With eager tasks (no REDIS_URL) the task runs here, as apply_async would run it.
    """
    app = task.app
    if app.conf.task_always_eager:
        task.apply_async(args=tuple(args))
        return True
    in_request = getattr(_request, "active", False)
    if in_request and getattr(_request, "broker_failed", False):
        logger.warning(
            "%s stays queued: the broker did not take this request's previous task; "
            "the requeue sends it when the broker is back.",
            what,
        )
        return False
    timeout = settings.BROKER_PUBLISH_TIMEOUT
    if settings.TASK_BROKER_FOLDER:
        from config.celery import task_folders_make

        task_folders_make()
    try:
        with app.connection_for_write(
            connect_timeout=timeout,
            transport_options={
                "socket_connect_timeout": timeout,
                "socket_timeout": timeout,
                # Connect once: no retry loop (kombu's default retries for ever).
                "max_retries": 0,
            },
        ) as connection:
            # celery-types lacks `connection`, an option of apply_async in Celery's docs.
            task.apply_async(  # type: ignore[call-arg]
                args=tuple(args), connection=connection, retry=False
            )
    except Exception as exc:  # refused, timed out, reset: whatever the transport raises
        if in_request:
            _request.broker_failed = True
        logger.warning(
            "%s stays queued: the broker is unreachable (%s: %s); the requeue sends "
            "it when the broker is back.",
            what,
            type(exc).__name__,
            exc,
        )
        return False
    return True
