"""Who answers for an organisation, and how new people are invited."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from regions.models import Organisation


class Membership(models.Model):
    """A person's place in an organisation; staff need none (they see everything)."""

    class Role(models.TextChoices):
        RESPONDENT = "respondent", _("Respondent")
        # Only for RSS: also sees and enters the answers of the area's municipalities.
        COORDINATOR = "coordinator", _("RSS coordinator")

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership"
    )
    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="memberships"
    )
    role = models.CharField(
        _("role"), max_length=20, choices=Role.choices, default=Role.RESPONDENT
    )

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} @ {self.organisation}"

    @property
    def is_coordinator(self) -> bool:
        return (
            self.role == self.Role.COORDINATOR
            and self.organisation.kind == Organisation.Kind.RSS
        )


class Invitation(models.Model):
    """A signed, expiring, single-use link for a new person of an organisation."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("e-mail"))
    role = models.CharField(
        _("role"),
        max_length=20,
        choices=Membership.Role.choices,
        default=Membership.Role.RESPONDENT,
    )
    # Random part of the signed token; the link is worthless without the signature.
    nonce = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self) -> str:
        return f"{self.email} → {self.organisation}"
