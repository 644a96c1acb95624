"""The RSS compilation: which municipalities of an area have submitted."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Subquery

from regions.models import Organisation
from surveys.models import Questionnaire, Response
from surveys.models.questionnaire import MUNICIPAL_VIA_RSS_KEY


@dataclass(frozen=True)
class CompilationStatus:
    """An RSS area's municipalities, by whether their municipal questionnaire is submitted."""

    submitted: list[Organisation]
    missing: list[Organisation]

    @property
    def total(self) -> int:
        return len(self.submitted) + len(self.missing)

    @property
    def missing_names(self) -> list[str]:
        """The names as printed ("Karlshamn") of the municipalities not submitted."""
        return [m.name for m in self.missing]


def compilation_status(response: Response) -> CompilationStatus | None:
    """For an RSS's response to the RSS questionnaire: which municipalities of its area
    have submitted the cycle's current municipal questionnaire (1 query); else None."""
    if (
        response.questionnaire.audience != Questionnaire.Audience.RSS
        or response.organisation.kind != Organisation.Kind.RSS
    ):
        return None
    municipal = (
        Questionnaire.objects.filter(
            cycle_id=response.questionnaire.cycle_id,
            key=MUNICIPAL_VIA_RSS_KEY,
            is_current=True,
        )
        .order_by("-version")
        .values("pk")[:1]
    )
    submitted = Response.objects.filter(
        organisation=OuterRef("pk"),
        questionnaire=Subquery(municipal),
        status=Response.Status.SUBMITTED,
    )
    municipalities = Organisation.objects.filter(
        rss_id=response.organisation_id, kind=Organisation.Kind.MUNICIPALITY
    ).annotate(has_submitted=Exists(submitted))
    status = CompilationStatus(submitted=[], missing=[])
    for municipality in municipalities.order_by("code"):
        group = status.submitted if municipality.has_submitted else status.missing
        group.append(municipality)
    return status
