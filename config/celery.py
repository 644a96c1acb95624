"""The Celery app; configured from Django settings (CELERY_* names)."""

from __future__ import annotations

import logging
import os

from celery import Celery
from celery.signals import beat_init, celeryd_init, worker_ready

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def task_folders_make() -> None:
    """Make the folders of the filesystem broker (TASK_BROKER=filesystem:<folder>).

    kombu's filesystem transport does not make them itself. If they cannot be made, a
    task sent is not taken (config.broker.publish logs it) and its job row stays queued.
    """
    from django.conf import settings

    folder = getattr(settings, "TASK_BROKER_FOLDER", "")
    if not folder:
        return
    for name in ("queue", "control"):
        try:
            os.makedirs(os.path.join(folder, name), exist_ok=True)
        except OSError as exc:
            logging.getLogger(__name__).warning(
                "Cannot make the task folder %s: %s", folder, exc
            )


# The requeues a worker sends itself when it starts: the work left behind by each app.
START_UP_REQUEUES = (
    "aggregation.tasks.requeue",
    "reports.tasks.exports_requeue",
    "surveys.tasks.invitations_requeue",
    "surveys.tasks.submission_confirmations_requeue",
)


@worker_ready.connect
def requeue_on_worker_start(sender=None, **kwargs) -> None:
    """A worker that starts sends the aggregation runs left behind to the queue.

    Runs requested while the broker was down, and runs whose worker died, would
    otherwise wait for beat's next requeue (aggregation.tasks.requeue). Sent as a task,
    so that the work runs in a pool process, not in the worker's main process.
    """
    for name in START_UP_REQUEUES:
        app.send_task(name, kwargs={"older_than_seconds": 0})


@celeryd_init.connect
@beat_init.connect
def make_task_folders(sender=None, **kwargs) -> None:
    # Beat too: it sends the periodic tasks, also before any worker has started.
    task_folders_make()


@celeryd_init.connect
@beat_init.connect
def refuse_development_key(sender=None, **kwargs) -> None:
    """The worker and beat, like the web, refuse to start with DEBUG off and the
    development SECRET_KEY (config.checks): a worker signs invitation links too.

    SystemExit, not an exception: Celery logs and ignores what a signal handler raises.
    """
    from config.checks import DEV_KEY_REFUSAL, serves_with_development_key

    if serves_with_development_key():
        raise SystemExit(f"Refusing to start: {DEV_KEY_REFUSAL}")
