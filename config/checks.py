"""Deployment checks of this project (`manage.py check --deploy`)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register

DEV_KEY_REFUSAL = (
    "SECRET_KEY is the development key: set SECRET_KEY to a long random value "
    "(at least 50 characters) before serving the site, or DEBUG=true on a "
    "development machine."
)


def serves_with_development_key() -> bool:
    """A process that serves (web, worker, beat) with DEBUG off and the development key:
    refused at start (config/wsgi.py, config/celery.py)."""
    return not settings.DEBUG and settings.SECRET_KEY == settings.DEV_SECRET_KEY


@register(Tags.security, deploy=True)
def secret_key_check(app_configs, **kwargs) -> list[Error]:
    """The development SECRET_KEY in the code can never sign a production session."""
    if settings.SECRET_KEY == settings.DEV_SECRET_KEY:
        return [Error(DEV_KEY_REFUSAL, id="config.E001")]
    return []
