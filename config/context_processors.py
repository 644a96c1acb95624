"""Template context on every page: the site's contacts for the footer and its pages."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, object]:
    """`site_contact`: support e-mail and telephone, the data protection officer's
    address and the day the accessibility statement was reviewed (SUPPORT_EMAIL, …).

    Not `site`: Django's login and password reset views set that to the current site.
    """
    return {
        "site_contact": {
            "support_email": settings.SUPPORT_EMAIL,
            "support_phone": settings.SUPPORT_PHONE,
            "data_protection_email": settings.DATA_PROTECTION_EMAIL,
            "accessibility_reviewed": settings.ACCESSIBILITY_REVIEWED,
        }
    }
