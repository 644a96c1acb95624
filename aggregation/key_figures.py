"""The key figures ("nyckeltal") of a questionnaire and of a cycle, and their providers.

Every published figure has a stable name (the scheme: aggregation.rules.key_figures),
its value as printed and a sentence. The figures come from providers: callables that
take a questionnaire and its current aggregation run (None when there is none) and
yield KeyFigure rows. The built-in provider "tables" names the run's stored appendix
cells and shares. Another app adds its own figures (for example counts of coded
themes) by registering a provider in its AppConfig.ready():

    from aggregation.key_figures import register_key_figure_provider

    def theme_figures(questionnaire, run):
        prefix = questionnaire_prefix(questionnaire)
        for theme in ...:
            yield KeyFigure(f"{prefix}.E01.tema.{slug(theme.name)}.count", "12", "12 kommuner")

    register_key_figure_provider("themes", theme_figures)

A provider's names must start with the questionnaire's prefix and a ".", follow
NAME_PATTERN and be new: key_figures() raises KeyFigureError naming the provider and
the name otherwise, so that no name ever means two figures.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from aggregation.models import AggregationRun
from aggregation.rules.key_figures import NAME_PATTERN as NAME_PATTERN
from aggregation.rules.key_figures import (
    AppendixRecord,
    KeyFigure,
    Namer,
    QuestionLabels,
    ShareRecord,
    appendix_figures,
    name_key,
    organisation_segment,
    share_figures,
    slug,
)
from aggregation.services import aggregation_statuses
from regions.models import Organisation
from surveys.models import Cycle, Question, Questionnaire, QuestionType
from surveys.models.questionnaire import WEB_SOURCE_PREFIX

Provider = Callable[[Questionnaire, AggregationRun | None], Iterable[KeyFigure]]
# What the appendix counts per audience (the nouns of the sentences).
COUNTED: dict[str, str] = {
    Questionnaire.Audience.REGION: "regions",
    Questionnaire.Audience.RSS: "rss",
    Questionnaire.Audience.MUNICIPALITY: "municipalities",
    Questionnaire.Audience.EXTRA: "municipalities",
}


class KeyFigureError(ValueError):
    """A provider gave a name outside its questionnaire's prefix, malformed or taken."""


def questionnaire_prefix(questionnaire: Questionnaire) -> str:
    """The first segment of its names: the questionnaire's key ("region",
    "municipality", "statsbidrag"), or
    "extra-<slug>" for an extra question made on the staff pages ("web:<slug>")."""
    if questionnaire.source_file.startswith(WEB_SOURCE_PREFIX):
        made = slug(questionnaire.source_file[len(WEB_SOURCE_PREFIX) :]) or "fraga"
        return f"{questionnaire.audience}-{made}"
    return str(questionnaire.key or questionnaire.audience)


def _labels(question: Question) -> QuestionLabels:
    items: list[str] = list(question.items or [])
    options: list[str] = question.choice_options
    if question.type == QuestionType.MULTIPLE_CHOICE:
        options = []
    return QuestionLabels(question.code, items, options)


def key_figure_namer(*, questionnaire: Questionnaire) -> Namer:
    """The names of the questionnaire's figures, from its questions (1 query)."""
    questions = questionnaire.questions.order_by("position")
    return Namer(questionnaire_prefix(questionnaire), map(_labels, questions))


def organisation_segments(codes: Iterable[str]) -> dict[str, str]:
    """Appendix row codes (organisation codes, SE, SE-2023) → level segments (1 query)."""
    codes = set(codes)
    places = {
        code: (kind, county or "")
        for code, kind, county in Organisation.objects.filter(
            code__in=codes
        ).values_list("code", "kind", "county__code")
    }
    segments = {}
    for code in codes:
        kind, county = places.get(code, ("", ""))
        segments[code] = organisation_segment(kind, code, county)
    return segments


def tables_provider(
    questionnaire: Questionnaire, run: AggregationRun | None
) -> Iterator[KeyFigure]:
    """The run's appendix cells and shares, named (4 queries).

    The appendix comes first: where a question has both (a region's yes/no question),
    the figure as printed is the appendix's ("19/21", a region's "Ja") and the share
    adds its count, denominator and percent.
    """
    if run is None:
        return
    namer = key_figure_namer(questionnaire=questionnaire)
    rules = dict(questionnaire.questions.values_list("code", "rule"))
    cells = list(
        run.appendix_cells.order_by("position").values_list(
            "question_code", "item", "organisation_code", "value"
        )
    )
    segments = organisation_segments(code for _q, _i, code, _v in cells)
    counted = COUNTED.get(questionnaire.audience, "")
    seen: set[str] = set()
    for figure in appendix_figures(
        namer,
        (AppendixRecord(q, i, segments[code], v) for q, i, code, v in cells),
        counted=counted,
        rules={code: str(rule) for code, rule in rules.items()},
    ):
        seen.add(figure.name)
        yield figure
    shares = run.share_rows.order_by("position").values_list(
        "question_code",
        "item",
        "option",
        "level",
        "unit",
        "counted",
        "count",
        "denominator",
        "percent",
    )
    for figure in share_figures(namer, (ShareRecord(*row) for row in shares)):
        if figure.name not in seen:
            yield figure


_PROVIDERS: dict[str, Provider] = {"tables": tables_provider}


def register_key_figure_provider(key: str, provider: Provider) -> None:
    """Add (or replace, under the same key) a provider of key figures."""
    _PROVIDERS[key] = provider


def unregister_key_figure_provider(key: str) -> None:
    _PROVIDERS.pop(key, None)


def key_figure_providers() -> dict[str, Provider]:
    return dict(_PROVIDERS)


def key_figures(
    *, questionnaire: Questionnaire, run: AggregationRun | None
) -> dict[str, KeyFigure]:
    """Every named figure of the questionnaire, by name_key, in providers' order.

    KeyFigureError for a name outside the questionnaire's prefix, malformed, or given
    twice (also by two providers).
    """
    prefix = questionnaire_prefix(questionnaire) + "."
    figures: dict[str, KeyFigure] = {}
    origin: dict[str, str] = {}
    for key, provider in _PROVIDERS.items():
        for figure in provider(questionnaire, run):
            if not figure.name.startswith(prefix) or not NAME_PATTERN.fullmatch(
                figure.name
            ):
                raise KeyFigureError(
                    f"Nyckeltalet ”{figure.name}” från ”{key}” är inte ett giltigt namn "
                    f"för enkäten ({prefix}…)."
                )
            lookup = name_key(figure.name)
            if lookup in figures:
                raise KeyFigureError(
                    f"Nyckeltalet ”{figure.name}” ges två gånger (av ”{origin[lookup]}” "
                    f"och ”{key}”)."
                )
            figures[lookup] = figure
            origin[lookup] = key
    return figures


@dataclass
class CycleKeyFigures:
    """The key figures of a cycle's current questionnaires, from their current results."""

    cycle: Cycle
    figures: dict[str, KeyFigure] = field(default_factory=dict)
    # Questionnaires without computed results (their names are unknown), and those whose
    # results are older than their answers.
    without_results: list[Questionnaire] = field(default_factory=list)
    stale: list[Questionnaire] = field(default_factory=list)


def cycle_key_figures(*, cycle: Cycle) -> CycleKeyFigures:
    """Every named figure of the cycle's current questionnaires, as their results pages
    show them (the current runs, not computed again)."""
    questionnaires = list(
        cycle.questionnaires.filter(is_current=True).order_by("audience", "pk")
    )
    result = CycleKeyFigures(cycle)
    for status in aggregation_statuses(questionnaires=questionnaires):
        questionnaire = status.questionnaire
        if status.current is None:
            result.without_results.append(questionnaire)
        elif status.is_stale:
            result.stale.append(questionnaire)
        for lookup, figure in key_figures(
            questionnaire=questionnaire, run=status.current
        ).items():
            if lookup in result.figures:
                raise KeyFigureError(
                    f"Nyckeltalet ”{figure.name}” finns i två enkäter av {cycle.year}."
                )
            result.figures[lookup] = figure
    return result
