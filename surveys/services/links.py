"""The address every link in an e-mail starts with."""

from __future__ import annotations

from django.conf import settings

# Without SITE_URL in the settings, links in e-mails point here.
DEFAULT_SITE_URL = "http://localhost:8000"


def site_url() -> str:
    """SITE_URL: the start of every link sent by e-mail (invitations, account links,
    reminders), from a request or a background job alike. Never the request's Host
    header, which the client writes: a forged Host would send a colleague a working
    account link to another site."""
    return (getattr(settings, "SITE_URL", "") or DEFAULT_SITE_URL).rstrip("/")
