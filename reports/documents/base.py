"""What a document is: its name, its formats and how each is built, and from what."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from django.utils.functional import Promise

from aggregation.models import AggregationRun
from regions.models import Organisation
from reports.formats import DocumentError, Progress
from surveys.models import Questionnaire, Response


@dataclass(frozen=True)
class Source:
    """What a document is built from (the registry checks that what it needs is there)."""

    questionnaire: Questionnaire
    organisation: Organisation | None = None
    response: Response | None = None
    # The results of the questionnaire, for the documents built from them.
    run: AggregationRun | None = None
    progress: Progress | None = None
    # The choices of a document made from a page's filters (ExportJob.params).
    params: Mapping[str, object] | None = None

    # What a builder needs, there (document_build checks it first, from the Document's
    # needs_* flags), or DocumentError.

    @property
    def results(self) -> AggregationRun:
        if self.run is None:
            raise DocumentError("Dokumentet byggs av resultaten, men de saknas.")
        return self.run

    @property
    def region(self) -> Organisation:
        if self.organisation is None:
            raise DocumentError("Dokumentet behöver en region.")
        return self.organisation

    @property
    def answered(self) -> Response:
        if self.response is None:
            raise DocumentError("Dokumentet behöver ett svar.")
        return self.response


# One format of a document: the source → the file's bytes.
Builder = Callable[[Source], bytes]
# A document's own file name stem (without the extension), from the questionnaire, the
# organisation and the params, when the registry's stem-key-year-organisation is not it.
Namer = Callable[[Questionnaire, Organisation | None, Mapping[str, object]], str]


@dataclass(frozen=True)
class Document:
    key: str
    label: str | Promise
    # The start of the file name: "bilaga" → "bilaga-region-2024.pdf".
    stem: str
    # Format key (reports.formats.FORMATS) → its builder, in the order offered.
    builders: Mapping[str, Builder]
    # Needs an organisation (the region of a region profile).
    needs_organisation: bool = False
    # Needs a response (the receipt of one).
    needs_response: bool = False
    # Built from the aggregation results (computed first when missing or stale).
    needs_results: bool = False
    # Offered on the staff export page and built by export jobs.
    exported: bool = True
    # The audiences whose questionnaires the export page offers it for (None: all).
    audiences: frozenset[str] | None = None
    # Offered only for a questionnaire with questions in the appendix.
    needs_appendix: bool = False
    # Its own file name (see Namer); None: reports.documents.document_filename's.
    namer: Namer | None = None

    @property
    def formats(self) -> tuple[str, ...]:
        return tuple(self.builders)

    def offered_for(self, questionnaire: Questionnaire, *, has_appendix: bool) -> bool:
        """Worth making of this questionnaire, as the export page offers it."""
        if not self.exported or (self.needs_appendix and not has_appendix):
            return False
        return self.audiences is None or questionnaire.audience in self.audiences
