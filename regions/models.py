"""Reference data: counties, and the organisations that answer (regions, RSS, municipalities)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class County(models.Model):
    """A county (län); each has one region and one or more RSS."""

    code = models.CharField(_("county code"), max_length=2, unique=True)
    name = models.CharField(_("name"), max_length=100)

    class Meta:
        ordering = ["code"]
        verbose_name = _("county")
        verbose_name_plural = _("counties")

    def __str__(self) -> str:
        return self.name


class Organisation(models.Model):
    """A respondent organisation: a region, an RSS or a municipality.

    Users, invitations and responses refer to this one model, whatever the kind.
    """

    class Kind(models.TextChoices):
        REGION = "region", _("Region")
        RSS = "rss", _("RSS")
        MUNICIPALITY = "municipality", _("Municipality")

    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    # Region: the county code ("01"); RSS: "RSS-14-GR"; municipality: "0114".
    code = models.CharField(_("code"), max_length=20, unique=True)
    # As printed in tables: "Stockholm", "Jämtland Härjedalen", "Upplands Väsby".
    name = models.CharField(_("name"), max_length=200)
    # The organisation's own name: "Region Stockholm"; equal to name where none is given.
    full_name = models.CharField(_("full name"), max_length=200)
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, related_name="organisations"
    )
    # A municipality's RSS; empty for regions and RSS.
    rss = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="municipalities",
        limit_choices_to={"kind": "rss"},
    )
    population = models.PositiveIntegerField(_("population"), null=True, blank=True)

    class Meta:
        ordering = ["kind", "code"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="municipality", rss__isnull=False)
                | ~models.Q(kind="municipality"),
                name="municipality_has_rss",
            ),
        ]
        indexes = [
            # Listing the organisations of one kind in code order (loaders, demo, tables).
            models.Index(fields=["kind", "code"]),
        ]

    def __str__(self) -> str:
        return self.full_name or self.name
