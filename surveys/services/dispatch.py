"""Handing the surveys' background work to the workers, for the services.

surveys.tasks imports the services (a task takes ids and calls one service), so the
services never import surveys.tasks back: they name the task, and it is looked up in the
Celery app's registry when sent (SurveysConfig.ready imports surveys.tasks, which
registers it). The looked-up task is the task object itself, so config.broker.publish
treats it as the tasks module's own would: it runs in-process in eager mode (no
REDIS_URL) and waits a bounded time for the broker otherwise. Not `send_task`, which
never runs eagerly.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.db import transaction

from config.broker import publish
from config.celery import app


def task_enqueue(*, name: str, args: Sequence, what: str) -> None:
    """Send the task `name` with args once the transaction commits; never fails the caller.

    `what` names the job row the task works on, for the warning when the broker does not
    take it (the row's requeue sends it later).
    """
    task = app.tasks[name]
    transaction.on_commit(lambda: publish(task, args, what=what), robust=True)
