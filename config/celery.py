"""The Celery app; configured from Django settings (CELERY_* names)."""

from __future__ import annotations

import os

from celery import Celery
from celery.signals import worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@worker_ready.connect
def requeue_on_worker_start(sender=None, **kwargs) -> None:
    """A worker that starts sends the aggregation runs left behind to the queue.

    Runs requested while the broker was down, and runs whose worker died, would
    otherwise wait for beat's next requeue (aggregation.tasks.requeue). Sent as a task,
    so that the work runs in a pool process, not in the worker's main process.
    """
    app.send_task("aggregation.tasks.requeue", kwargs={"older_than_seconds": 0})
    app.send_task("reports.tasks.exports_requeue", kwargs={"older_than_seconds": 0})
    app.send_task("surveys.tasks.invitations_requeue", kwargs={"older_than_seconds": 0})
