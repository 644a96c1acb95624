"""Deployment checks of this project (`manage.py check --deploy`)."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error, Tags, register

DEV_KEY_REFUSAL = (
    "SECRET_KEY is the development key: set SECRET_KEY to a long random value "
    "(at least 50 characters) before serving the site, or DEBUG=true on a "
    "development machine."
)


@register(Tags.security, deploy=True)
def secret_key_check(app_configs, **kwargs) -> list[Error]:
    """The development SECRET_KEY in the code can never sign a production session."""
    if settings.SECRET_KEY == settings.DEV_SECRET_KEY:
        return [Error(DEV_KEY_REFUSAL, id="config.E001")]
    return []
