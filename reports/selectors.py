"""Reads of the reports app: export jobs, and the result tables as the staff pages show them.

The result pages show what the documents print: the stored tables of a questionnaire's
current aggregation run (aggregation.selectors), the charts of reports.figures, and the
data-quality warnings of surveys.selectors.quality next to the values they concern.
"""

from __future__ import annotations

import datetime
import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.cache import cache
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.text import slugify

from aggregation.key_figures import key_figure_namer, organisation_segments
from aggregation.models import AggregationRun, ShareRow
from aggregation.rules.formatting import TICKED, YES
from aggregation.rules.key_figures import Namer
from aggregation.selectors import (
    AppendixTable,
    ShareArea,
    ShareTable,
    appendix_row_codes,
    appendix_tables,
    share_areas,
    share_tables,
    ticked_share_grid,
)
from regions.models import County, Organisation
from reports.charts import Chart
from reports.documents import DOCUMENTS, Document
from reports.formats import FORMATS, Format
from reports.models import ExportJob
from reports.profiles import region_profile_tables
from surveys.models import Question, Questionnaire, Response
from surveys.selectors.quality import QualityRow, quality_rows

if TYPE_CHECKING:
    # reports.figures draws with matplotlib: imported where a chart is built.
    from reports.figures import DefinedFigure

# Job rows listed per questionnaire on the export page.
JOBS_SHOWN = 10
NATIONAL = "riket"
# How long a chart's SVG is kept: a run's stored results never change.
CHART_CACHE_SECONDS = 24 * 60 * 60


# Export page ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DocumentChoice:
    """A document that can be made of a questionnaire, with its formats."""

    document: Document
    formats: list[Format]


@dataclass(frozen=True)
class JobRow:
    """An export job as listed: the row and the names of its document and format."""

    job: ExportJob
    document_label: str
    format_label: str

    @classmethod
    def of(cls, job: ExportJob) -> JobRow:
        document = DOCUMENTS.get(job.document)
        fmt = FORMATS.get(job.format)
        return cls(
            job,
            str(document.label) if document else job.document,
            fmt.label if fmt else job.format,
        )


@dataclass
class QuestionnaireExports:
    """One questionnaire on the export page: what can be exported, and the recent jobs."""

    questionnaire: Questionnaire
    documents: list[DocumentChoice]
    jobs: list[JobRow] = field(default_factory=list)


def export_documents(
    *, questionnaire: Questionnaire, has_appendix: bool
) -> list[DocumentChoice]:
    """The documents worth making of a questionnaire, in registry order, as each
    declares (Document.offered_for): the appendix only where questions are in the
    appendix; shares not of the free-text extra questionnaire; the region profile only of
    the region questionnaire; the receipt never (it is made per response)."""
    return [
        DocumentChoice(document, [FORMATS[key] for key in document.formats])
        for document in DOCUMENTS.values()
        if document.offered_for(questionnaire, has_appendix=has_appendix)
    ]


def export_overview(
    *, questionnaires: list[Questionnaire]
) -> list[QuestionnaireExports]:
    """For each questionnaire: its documents and its newest export jobs (2 queries)."""
    ids = [q.pk for q in questionnaires]
    with_appendix = set(
        Question.objects.filter(questionnaire_id__in=ids, in_appendix=True)
        .values_list("questionnaire_id", flat=True)
        .distinct()
    )
    overview = {
        q.pk: QuestionnaireExports(
            questionnaire=q,
            documents=export_documents(
                questionnaire=q, has_appendix=q.pk in with_appendix
            ),
        )
        for q in questionnaires
    }
    since = timezone.now() - datetime.timedelta(days=settings.EXPORT_KEEP_DAYS)
    # The staff's exports: not the documents the pages offer (receipts, blank forms,
    # region profiles built for their page, an area's free-text answers).
    jobs = ExportJob.objects.filter(
        questionnaire_id__in=ids,
        requested_at__gte=since,
        document__in=[key for key, spec in DOCUMENTS.items() if spec.exported],
        version="",
    ).select_related("organisation", "requested_by")
    for job in jobs.order_by("-requested_at", "-pk")[: JOBS_SHOWN * len(ids) * 3]:
        entry = overview[job.questionnaire_id]
        if len(entry.jobs) < JOBS_SHOWN:
            entry.jobs.append(JobRow.of(job))
    return list(overview.values())


def export_job_get(*, pk: int) -> ExportJob | None:
    return (
        ExportJob.objects.select_related("questionnaire__cycle", "organisation")
        .filter(pk=pk)
        .first()
    )


def receipt_version(response: Response) -> str:
    """What a receipt is built from: the submission (a re-submitted response, or one
    whose answers changed since, gets a new receipt)."""
    submitted = response.submitted_at.isoformat() if response.submitted_at else ""
    return f"{response.version} {submitted}"


def questionnaire_form_version(
    *, questionnaire: Questionnaire, deadline: datetime.date
) -> str:
    """What a blank form is built from: the questionnaire's version, texts, sections and
    questions, and the deadline it prints (a digest; 3 queries)."""
    digest = hashlib.sha256()
    for part in (
        questionnaire.version,
        questionnaire.loaded_at,
        deadline,
        list(Questionnaire.objects.filter(pk=questionnaire.pk).values_list()),
        list(questionnaire.sections.order_by("pk").values_list()),
        list(questionnaire.questions.order_by("pk").values_list()),
    ):
        digest.update(repr(part).encode())
    return digest.hexdigest()[:40]


def regions_list() -> QuerySet[Organisation]:
    """The 21 regions in county-code order."""
    return Organisation.objects.filter(kind=Organisation.Kind.REGION).order_by("code")


# Result pages --------------------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    """A value as published, with the data-quality warnings on the answer behind it,
    and its key figure's name (aggregation.key_figures)."""

    value: str
    warnings: tuple[QualityRow, ...] = ()
    name: str = ""


@dataclass(frozen=True)
class ShareCell:
    """A share as the results page shows it, with its key figure's name (the figure as
    printed, "19/21"; .count, .denominator and .percent name its parts)."""

    share: ShareRow
    name: str

    @property
    def count(self) -> int:
        return self.share.count

    @property
    def denominator(self) -> int:
        return self.share.denominator

    @property
    def percent(self) -> int | None:
        return self.share.percent

    @property
    def unit(self) -> str:
        return self.share.unit

    @property
    def source(self) -> str:
        return self.share.source

    @property
    def municipalities(self) -> int | None:
        return self.share.municipalities

    @property
    def previous_percent(self) -> int | None:
        return self.share.previous_percent

    @property
    def previous_year(self) -> int | None:
        return self.share.previous_year


@dataclass
class AppendixRow:
    name: str
    code: str
    # Riket, or Riket of an earlier year.
    national: bool
    cells: list[Cell]


@dataclass
class AppendixView:
    table: AppendixTable
    rows: list[AppendixRow]
    chart: Chart | None
    # The chart is not built yet: the page loads it afterwards (results_chart).
    chart_pending: bool = False

    @property
    def chart_key(self) -> str:
        return self.table.code


ShareLine = tuple[str, str, list[ShareRow | None]]
NamedShareLine = tuple[str, str, list[ShareCell | None]]


@dataclass
class ShareGroup:
    """One share table as the page shows it: a question (item), or a multiple choice.

    A multiple choice answered by the organisations gives one stored table per
    alternative with the single option "Ja"; they are shown as one table with the
    alternatives as columns (as the shares PDF prints them) and one chart of them.
    """

    index: int
    code: str
    text: str
    # The item of a matrix question's table; "" for a question or a multiple choice.
    item: str
    counted: str
    # The stored tables (one, or a multiple choice's alternatives), unfiltered.
    tables: list[ShareTable]
    # Options, or the alternatives of a multiple choice.
    columns: list[str] = field(default_factory=list)
    # (level, unit name, cells in column order) of the selection.
    rows: list[ShareLine] = field(default_factory=list)
    # The same rows with each cell's key figure name (results_view fills it).
    named_rows: list[NamedShareLine] = field(default_factory=list)
    # Warnings of this question's answers by organisations in the selection.
    warnings: list[QualityRow] = field(default_factory=list)
    chart: Chart | None = None
    chart_pending: bool = False
    # A matrix's item tables: the first group of the question draws one chart of them
    # all (the share answering "Ja" per item); the other items' groups draw none.
    matrix_tables: list[ShareTable] = field(default_factory=list)
    in_matrix: bool = False

    @property
    def chart_key(self) -> str:
        return str(self.index)

    @property
    def ticked(self) -> bool:
        return len(self.tables) > 1


@dataclass
class ResultsView:
    """What the results page shows of one run, filtered."""

    appendix: list[AppendixView]
    shares: list[ShareGroup]
    # Every warning of the organisations in the selection (all questions).
    warnings: list[QualityRow]
    # (code, text) of every question with a table, for the question filter.
    questions: list[tuple[str, str]]
    counties: list[County]
    rss_list: list[Organisation]
    # The filter as applied: empty strings where not set.
    question: str
    county: County | None
    rss: Organisation | None
    # The RSS chosen does not lie in the county chosen: nothing matches.
    conflict: bool = False
    # Shares of municipalities: the RSS areas without any data (named on the page).
    areas_without_data: list[ShareArea] = field(default_factory=list)

    @property
    def has_previous(self) -> bool:
        """Some share shown has an earlier year's percent beside it."""
        return any(
            cell is not None and cell.previous_percent is not None
            for group in self.shares
            for _level, _unit, cells in group.rows
            for cell in cells
        )

    # The figures of the questionnaire's definition (Questionnaire.figures).
    figures: list[DefinedFigure] = field(default_factory=list)


@dataclass(frozen=True)
class _Selection:
    """The counties and RSS whose rows are shown; None: all."""

    counties: frozenset[str] | None
    rss: frozenset[str] | None

    def has_county(self, code: str) -> bool:
        return self.counties is None or code in self.counties

    def has_rss(self, code: str) -> bool:
        return self.rss is None or code in self.rss


def _selection(
    county: County | None, rss: Organisation | None, rss_list: Iterable[Organisation]
) -> _Selection:
    if county is None and rss is None:
        return _Selection(None, None)
    counties: set[str] | None = None
    if county is not None:
        counties = {county.code}
    if rss is not None:
        rss_county = {rss.county.code}
        counties = rss_county if counties is None else counties & rss_county
        return _Selection(frozenset(counties), frozenset({rss.code}))
    return _Selection(
        frozenset(counties or ()),
        frozenset(r.code for r in rss_list if r.county.code in (counties or ())),
    )


def _chart_cache_key(run: AggregationRun, name: str) -> str:
    finished = run.finished_at.timestamp() if run.finished_at else 0
    return f"reports:chart:{run.pk}:{run.fingerprint[:16]}:{finished}:{name}"


def _chart(
    run: AggregationRun, name: str, build: Callable[[], Chart | None], *, lazy: bool
) -> tuple[Chart | None, bool]:
    """A chart of a run's stored table and whether it is still to be built.

    Built once and cached (a run's tables never change). lazy: only a cached chart is
    returned; the page loads the others one by one (a chart takes a fifth of a second).
    """
    key = _chart_cache_key(run, name)
    found = cache.get(key)
    if found is not None:
        return found or None, False
    if lazy:
        return None, True
    chart = build()
    cache.set(key, chart or False, CHART_CACHE_SECONDS)
    return chart, False


def _appendix_chart_builder(table: AppendixTable) -> Callable[[], Chart | None]:
    from reports.figures import appendix_figure

    return lambda: appendix_figure(table, f"appendix-chart-{slugify(table.code)}")


def _share_chart_builder(group: ShareGroup) -> Callable[[], Chart | None]:
    from reports.figures import matrix_yes_chart, share_chart, ticked_shares_chart

    chart_id = f"share-chart-{group.index}"
    tables = group.tables
    if group.matrix_tables:
        matrix = group.matrix_tables
        return lambda: matrix_yes_chart(matrix, chart_id)
    if group.in_matrix:
        return lambda: None
    if group.ticked:
        return lambda: ticked_shares_chart(tables, chart_id)
    return lambda: share_chart(tables[0], chart_id)


def _is_ticked(table: ShareTable) -> bool:
    """One alternative of a multiple choice: an item whose only option is "Ja"."""
    return bool(table.item) and table.options == [TICKED]


def _share_groups(tables: list[ShareTable]) -> list[ShareGroup]:
    """The share tables in order, a multiple choice's alternatives in one group."""
    groups: list[ShareGroup] = []
    for table in tables:
        last = groups[-1] if groups else None
        if (
            last is not None
            and last.code == table.code
            and _is_ticked(table)
            and _is_ticked(last.tables[-1])
        ):
            last.tables.append(table)
            continue
        groups.append(
            ShareGroup(
                index=len(groups) + 1,
                code=table.code,
                text=table.text,
                item=table.item,
                counted=table.counted,
                tables=[table],
            )
        )
    for of_code in _by_code(groups).values():
        tables = [t for g in of_code for t in g.tables]
        matrix = (
            len(of_code) > 1
            and not any(g.ticked for g in of_code)
            and all(t.item and YES in t.options for t in tables)
        )
        if matrix:
            of_code[0].matrix_tables = tables
            for group in of_code:
                group.in_matrix = True
    for group in groups:
        if group.ticked:
            group.item = ""
            group.columns, group.rows = ticked_share_grid(group.tables)
        else:
            group.columns, group.rows = (
                list(group.tables[0].options),
                list(group.tables[0].rows),
            )
    return groups


def _by_code(groups: list[ShareGroup]) -> dict[str, list[ShareGroup]]:
    found: dict[str, list[ShareGroup]] = {}
    for group in groups:
        found.setdefault(group.code, []).append(group)
    return found


def _organisation_places(codes: Iterable[str]) -> dict[str, tuple[str, str, str]]:
    """Organisation code → (kind, county code, RSS code)."""
    return {
        code: (kind, county or "", rss or "")
        for code, kind, county, rss in Organisation.objects.filter(
            code__in=set(codes)
        ).values_list("code", "kind", "county__code", "rss__code")
    }


def _in_selection(
    selection: _Selection, code: str, place: tuple[str, str, str] | None
) -> bool:
    if selection.counties is None and selection.rss is None:
        return True
    if place is None:
        return False
    kind, county, rss = place
    if not selection.has_county(county):
        return False
    if kind == Organisation.Kind.RSS:
        return selection.has_rss(code)
    if kind == Organisation.Kind.MUNICIPALITY:
        return selection.has_rss(rss)
    return True


def _share_unit(cells: list) -> str:
    return next((cell.unit for cell in cells if cell is not None), "")


def _share_row_shown(selection: _Selection, level: str, cells: list) -> bool:
    if level == NATIONAL:
        return True
    unit = _share_unit(cells)
    if level == "county":
        return selection.has_county(unit)
    return selection.has_rss(unit)


def _named(
    namer: Namer, share: ShareRow | None, appendix_names: set[str]
) -> ShareCell | None:
    """The share with the name of the figure it shows ("2/3"). Where an appendix cell
    has that name (a region's own answer, "Ja", beside its county's "1/1"), the name of
    its count: the registry gives the name to the appendix (aggregation.key_figures)."""
    if share is None:
        return None
    name = namer.share(
        share.question_code, share.item, share.option, share.level, share.unit
    )
    if share.level != NATIONAL and name in appendix_names:
        name += ".count"
    return ShareCell(share, name)


def results_view(
    *,
    run: AggregationRun,
    question: str = "",
    county: str = "",
    rss: str = "",
    lazy_charts: bool = False,
) -> ResultsView:
    """The run's appendix and share tables with charts and warnings, filtered.

    question: one question's tables only. county, rss: the appendix keeps Riket and the
    regions of the county (of the RSS's county); the share tables keep the national row
    and the rows of the county and of the RSS (the RSS of the county); the warnings are
    those of the organisations there. Unknown codes are ignored. lazy_charts: with all
    the questions shown, the charts not yet cached are left for results_chart (marked
    chart_pending); one question's charts are always built.
    """
    counties = list(County.objects.order_by("code"))
    rss_list = list(
        Organisation.objects.filter(kind=Organisation.Kind.RSS)
        .select_related("county")
        .order_by("code")
    )
    chosen_county = next((c for c in counties if c.code == county), None)
    chosen_rss = next((r for r in rss_list if r.code == rss), None)
    selection = _selection(chosen_county, chosen_rss, rss_list)
    conflict = (
        chosen_county is not None
        and chosen_rss is not None
        and chosen_rss.county_id != chosen_county.pk
    )

    all_appendix = appendix_tables(run=run)
    all_shares = share_tables(run=run)
    questions: list[tuple[str, str]] = []
    tables: list[AppendixTable | ShareTable] = [*all_appendix, *all_shares]
    for table in tables:
        if (table.code, table.text) not in questions:
            questions.append((table.code, table.text))
    order = {
        code: position
        for position, code in enumerate(
            run.questionnaire.questions.order_by("position").values_list(
                "code", flat=True
            )
        )
    }
    questions.sort(key=lambda pair: order.get(pair[0], len(order)))
    if question not in {code for code, _text in questions}:
        question = ""
    lazy_charts = lazy_charts and not question

    warnings = quality_rows(questionnaire=run.questionnaire)
    places = _organisation_places(w.organisation_code for w in warnings)
    selected_warnings = [
        w
        for w in warnings
        if _in_selection(
            selection, w.organisation_code, places.get(w.organisation_code)
        )
    ]
    by_cell: dict[tuple[str, str, str], list[QualityRow]] = defaultdict(list)
    by_question: dict[str, list[QualityRow]] = defaultdict(list)
    for warning in selected_warnings:
        by_cell[(warning.organisation_code, warning.question, warning.item)].append(
            warning
        )
        by_question[warning.question].append(warning)

    region_codes = set(regions_list().values_list("code", flat=True))
    codes = appendix_row_codes(run=run) if all_appendix else {}
    namer = key_figure_namer(questionnaire=run.questionnaire)
    segments = organisation_segments(codes.values())
    appendix_names = {
        namer.appendix(table.code, item, segments.get(code, code))
        for table in all_appendix
        for (question, _name), code in codes.items()
        if question == table.code
        for item in table.columns
    }
    appendix = []
    for table in all_appendix:
        if question and table.code != question:
            continue
        rows = []
        for name, values in table.rows:
            code = codes.get((table.code, name), "")
            national = code not in region_codes
            if not national and not selection.has_county(code):
                continue
            rows.append(
                AppendixRow(
                    name=name,
                    code=code,
                    national=national,
                    cells=[
                        Cell(
                            value,
                            tuple(by_cell.get((code, table.code, item), ())),
                            namer.appendix(table.code, item, segments.get(code, code)),
                        )
                        for item, value in zip(table.columns, values, strict=True)
                    ],
                )
            )
        chart, pending = _chart(
            run,
            f"appendix:{table.code}",
            _appendix_chart_builder(table),
            lazy=lazy_charts,
        )
        appendix.append(AppendixView(table, rows, chart, pending))

    shares = []
    for group in _share_groups(all_shares):
        if question and group.code != question:
            continue
        # The chart is of the whole national row, whatever the filter keeps; a
        # matrix's one chart is drawn with its first item.
        if not group.in_matrix or group.matrix_tables:
            group.chart, group.chart_pending = _chart(
                run,
                f"share:{group.index}",
                _share_chart_builder(group),
                lazy=lazy_charts,
            )
        group.rows = [
            row for row in group.rows if _share_row_shown(selection, row[0], row[2])
        ]
        group.named_rows = [
            (level, unit, [_named(namer, cell, appendix_names) for cell in cells])
            for level, unit, cells in group.rows
        ]
        group.warnings = [
            w
            for w in by_question.get(group.code, [])
            if not group.item or w.item in ("", group.item)
        ]
        shares.append(group)

    figures = _defined_figures(run, all_shares, question)
    if question:
        selected_warnings = [w for w in selected_warnings if w.question == question]
    return ResultsView(
        figures=figures,
        appendix=appendix,
        shares=shares,
        warnings=selected_warnings,
        questions=questions,
        counties=counties,
        rss_list=rss_list,
        question=question,
        county=chosen_county,
        rss=chosen_rss,
        conflict=conflict,
        areas_without_data=(
            [a for a in share_areas(run=run) if not a.has_data] if all_shares else []
        ),
    )


def _defined_figures(
    run: AggregationRun, tables: list[ShareTable], question: str
) -> list[DefinedFigure]:
    """The definition's figures (those drawing the question, when one is chosen)."""
    from reports.figures import DefinedFigure, definition_figure

    figures = []
    for index, spec in enumerate(run.questionnaire.figures or [], start=1):
        bars = spec.get("bars", [])
        if question and question not in {bar.get("question") for bar in bars}:
            continue
        chart, _pending = _chart(
            run,
            f"defined:{index}",
            partial(definition_figure, spec, tables, f"defined-figure-{index}"),
            lazy=False,
        )
        figures.append(
            DefinedFigure(
                str(spec.get("name", "")),
                str(spec.get("title", "")),
                chart,
                "" if chart else "no answers",
            )
        )
    return figures


def results_chart(*, run: AggregationRun, kind: str, key: str) -> Chart | None:
    """One chart of the results page: "appendix" and a question code, or "share" and
    the number of a share group. None for a table without numbers (it has no chart);
    LookupError if there is no such table."""
    if kind == "appendix":
        table = next((t for t in appendix_tables(run=run) if t.code == key), None)
        if table is None:
            raise LookupError(f"No appendix table {key}")
        return _chart(
            run, f"appendix:{key}", _appendix_chart_builder(table), lazy=False
        )[0]
    if kind == "share":
        group = next(
            (g for g in _share_groups(share_tables(run=run)) if g.chart_key == key),
            None,
        )
        if group is None:
            raise LookupError(f"No share group {key}")
        return _chart(run, f"share:{key}", _share_chart_builder(group), lazy=False)[0]
    raise LookupError(f"No kind of chart {kind}")


@dataclass
class ProfileRow:
    """One column of an appendix table: the region's value beside the national ones."""

    item: str
    value: Cell
    # (row name, value, key figure name) of Riket and Riket of earlier years.
    national: list[tuple[str, str, str]]


@dataclass
class ProfileTable:
    code: str
    text: str
    rows: list[ProfileRow]
    # The names of the national rows, as column headers.
    national_names: list[str]


def region_profile_view(
    *, run: AggregationRun, organisation: Organisation
) -> list[ProfileTable]:
    """Per appendix question the region has values in: its values beside the national
    ones (reports.profiles), with the warnings on its answers."""
    warnings: dict[tuple[str, str], list[QualityRow]] = defaultdict(list)
    for warning in quality_rows(questionnaire=run.questionnaire):
        if warning.organisation_code == organisation.code:
            warnings[(warning.question, warning.item)].append(warning)
    namer = key_figure_namer(questionnaire=run.questionnaire)
    codes = appendix_row_codes(run=run)
    segments = organisation_segments([organisation.code, *codes.values()])
    own = segments[organisation.code]
    tables = []
    for profile in region_profile_tables(run=run, organisation=organisation):
        if profile.values is None:
            continue
        table = profile.table
        national_rows = [
            (name, values, segments.get(codes.get((table.code, name), ""), ""))
            for name, values in profile.national
        ]
        rows = [
            ProfileRow(
                item=item,
                value=Cell(
                    profile.values[i],
                    tuple(warnings.get((table.code, item), ())),
                    namer.appendix(table.code, item, own),
                ),
                national=[
                    (name, values[i], namer.appendix(table.code, item, segment))
                    for name, values, segment in national_rows
                ],
            )
            for i, item in enumerate(table.columns)
        ]
        tables.append(
            ProfileTable(
                table.code, table.text, rows, [n for n, _v in profile.national]
            )
        )
    return tables
