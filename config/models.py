"""The site's own rows: the password reset requests its limits count."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PasswordResetRequest(models.Model):
    """One request for a password reset link, for the limits per address and per IP.

    The e-mail address is kept only as a keyed digest (config.password_reset.email_digest):
    the table says how often an address was asked for, never which address. Rows older
    than a day are deleted every night.
    """

    email_digest = models.CharField(_("e-mail address digest"), max_length=64)
    ip_address = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("password reset request")
        verbose_name_plural = _("password reset requests")
        indexes = [
            # The limit per address: requests for one digest in the last hour.
            models.Index(
                fields=["email_digest", "created_at"], name="pwreset_email_idx"
            ),
            # The limit per client: requests from one IP address in the last hour.
            models.Index(fields=["ip_address", "created_at"], name="pwreset_ip_idx"),
            # The nightly prune: rows older than a day.
            models.Index(fields=["created_at"], name="pwreset_created_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.created_at:%Y-%m-%d %H:%M} {self.ip_address or '-'}"
