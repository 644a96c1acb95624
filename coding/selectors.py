"""Reads of the coding pages: the free-text answers, each coder's codes, the counts
per theme and level, the agreement between coders, the audit log and the export rows."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

import pandas as pd
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.utils.safestring import SafeString

from aggregation.key_figures import key_figure_namer
from aggregation.rules.agreement import Agreement, agreement_of
from aggregation.rules.formatting import share_phrase
from aggregation.rules.key_figures import Namer, slug
from aggregation.rules.shares import COUNTY, RIKET, RSS, shares_by_level
from aggregation.rules.themes import DISPUTED, theme_decisions, theme_tallies
from aggregation.selectors import unit_names
from coding.models import (
    Codebook,
    CodedAnswer,
    CodingChange,
    Quote,
    Resolution,
    Theme,
    ThemeCoding,
)
from coding.suggestions import (
    Keyworded,
    highlight,
    matched_words,
    search_terms,
    suggestions,
    text_matches,
)
from regions.models import Organisation
from surveys.models import Answer, Question, Questionnaire, QuestionType, Response

# What the organisations of a questionnaire count as in a share, and its levels.
COUNTED: dict[str, str] = {
    Organisation.Kind.REGION: "regions",
    Organisation.Kind.RSS: "rss",
    Organisation.Kind.MUNICIPALITY: "municipalities",
}
LEVELS: dict[str, tuple[str, ...]] = {
    Organisation.Kind.REGION: (RIKET, COUNTY),
    Organisation.Kind.RSS: (RIKET, COUNTY, RSS),
    Organisation.Kind.MUNICIPALITY: (RIKET, COUNTY, RSS),
}


def who(user: Any) -> str:
    if user is None:
        return ""
    return str(user.get_full_name() or user.get_username())


# The free-text answers ---------------------------------------------------------------


@dataclass
class FreeTextAnswer:
    """One organisation's answer to a free-text question (item), draft or submitted."""

    response: Response
    organisation: Organisation
    text: str

    @property
    def status(self) -> str:
        return self.response.status


def free_text_answers(*, question: Question, item: str) -> list[FreeTextAnswer]:
    """Every non-empty answer to the question (item), in organisation code order
    (1 query)."""
    answers = (
        Answer.objects.filter(question=question, item=item)
        .exclude(text="")
        .select_related("response__organisation__county", "response__organisation__rss")
        .order_by("response__organisation__code")
    )
    return [
        FreeTextAnswer(a.response, a.response.organisation, a.text) for a in answers
    ]


@dataclass
class Target:
    """A free-text question (item) of a questionnaire, with its codebook if any."""

    question: Question
    item: str
    index: int
    codebook: Codebook | None
    answers: int
    themes: int
    coded: int


def coding_targets(*, questionnaire: Questionnaire) -> list[Target]:
    """The free-text questions and items of a questionnaire, in order (4 queries)."""
    questions = list(
        questionnaire.questions.filter(type=QuestionType.FREE_TEXT).order_by("position")
    )
    codebooks = {
        (c.question_id, c.item): c
        for c in Codebook.objects.filter(question__in=questions)
    }
    answered: dict[tuple[int, str], int] = defaultdict(int)
    for question_id, item in (
        Answer.objects.filter(question__in=questions)
        .exclude(text="")
        .values_list("question_id", "item")
    ):
        answered[(question_id, item)] += 1
    themes: dict[int, int] = defaultdict(int)
    for codebook_id in Theme.objects.filter(
        codebook__in=codebooks.values()
    ).values_list("codebook_id", flat=True):
        themes[codebook_id] += 1
    coded: dict[int, set[int]] = defaultdict(set)
    for codebook_id, response_id in CodedAnswer.objects.filter(
        codebook__in=codebooks.values()
    ).values_list("codebook_id", "response_id"):
        coded[codebook_id].add(response_id)
    targets = []
    for question in questions:
        for index, item in enumerate(question.answer_items):
            codebook = codebooks.get((question.pk, item))
            targets.append(
                Target(
                    question=question,
                    item=item,
                    index=index,
                    codebook=codebook,
                    answers=answered[(question.pk, item)],
                    themes=themes[codebook.pk] if codebook else 0,
                    coded=len(coded[codebook.pk]) if codebook else 0,
                )
            )
    return targets


def previous_codebook(*, question: Question, item: str) -> Codebook | None:
    """The codebook of the same question (item) in the previous cycle, if it has one."""
    if question.previous_id is None:
        return None
    return Codebook.objects.filter(question_id=question.previous_id, item=item).first()


# The coding page ---------------------------------------------------------------------


@dataclass
class Filters:
    county: str = ""
    rss: str = ""
    kind: str = ""
    # Response status: "submitted" or "draft".
    status: str = ""
    # Coding status: "uncoded" or "coded" (by the coder), "disputed".
    coding: str = ""
    theme: int | None = None
    search: str = ""


@dataclass
class CodingRow:
    answer: FreeTextAnswer
    mine: set[int]
    coded_by_me: bool
    # Other coders' themes (empty when coding blind): coder's name → theme ids.
    others: dict[str, set[int]]
    disputed: bool
    quote: Quote | None
    suggested: list[Any]
    html: SafeString


@dataclass
class CodingPage:
    codebook: Codebook
    themes: list[Theme]
    rows: list[CodingRow]
    total: int
    counties: list[tuple[str, str]] = field(default_factory=list)
    areas: list[tuple[str, str]] = field(default_factory=list)
    kinds: list[tuple[str, str]] = field(default_factory=list)


def _codes_of(
    codebook: Codebook,
) -> tuple[dict[int, dict[int, set[int]]], dict[int, User]]:
    """response id → coder id → theme ids; and the coders (2 queries)."""
    codes: dict[int, dict[int, set[int]]] = defaultdict(dict)
    coders: dict[int, User] = {}
    for coded in CodedAnswer.objects.filter(codebook=codebook).select_related("coder"):
        codes[coded.response_id][coded.coder_id] = set()
        coders[coded.coder_id] = coded.coder
    for response_id, coder_id, theme_id in ThemeCoding.objects.filter(
        coded__codebook=codebook
    ).values_list("coded__response_id", "coded__coder_id", "theme_id"):
        codes[response_id].setdefault(coder_id, set()).add(theme_id)
    return codes, coders


def coding_page(
    *, codebook: Codebook, coder: User, filters: Filters, blind: bool
) -> CodingPage:
    """The answers of the codebook's question as the coder sees them, filtered."""
    themes = list(codebook.themes.all())
    keyworded = [Keyworded(t.pk, t.name, t.keyword_list or [t.name]) for t in themes]
    answers = free_text_answers(question=codebook.question, item=codebook.item)
    codes, coders = _codes_of(codebook)
    resolved = {
        (r.response_id, r.theme_id)
        for r in Resolution.objects.filter(codebook=codebook)
    }
    quotes = {q.response_id: q for q in Quote.objects.filter(codebook=codebook)}
    terms = search_terms(filters.search)
    counties = sorted(
        {(a.organisation.county.code, a.organisation.county.name) for a in answers}
    )
    areas = sorted(
        {
            (a.organisation.rss.code, a.organisation.rss.name)
            for a in answers
            if a.organisation.rss
        }
    )
    kinds = sorted(
        {(a.organisation.kind, str(a.organisation.get_kind_display())) for a in answers}
    )
    rows = []
    for answer in answers:
        organisation = answer.organisation
        if filters.county and organisation.county.code != filters.county:
            continue
        rss_code = organisation.rss.code if organisation.rss else organisation.code
        if filters.rss and rss_code != filters.rss:
            continue
        if filters.kind and organisation.kind != filters.kind:
            continue
        if filters.status and answer.response.status != filters.status:
            continue
        by_coder = codes.get(answer.response.pk, {})
        mine = by_coder.get(coder.pk, set())
        coded_by_me = coder.pk in by_coder
        disputed = False
        if len(by_coder) > 1:
            ticked = set().union(*by_coder.values())
            agreed = set.intersection(*by_coder.values())
            disputed = any(
                (answer.response.pk, theme) not in resolved for theme in ticked - agreed
            )
        if filters.coding == "uncoded" and coded_by_me:
            continue
        if filters.coding == "coded" and not coded_by_me:
            continue
        if filters.coding == "disputed" and (blind or not disputed):
            continue
        if filters.theme is not None:
            seen = mine if blind else set().union(mine, *by_coder.values())
            if filters.theme not in seen:
                continue
        if terms and not text_matches(answer.text, terms):
            continue
        suggested = suggestions(answer.text, keyworded)
        hinted = [
            span
            for theme in keyworded
            for span in matched_words(answer.text, theme.keywords)
        ]
        others = (
            {}
            if blind
            else {
                who(coders[coder_id]): themes_of
                for coder_id, themes_of in by_coder.items()
                if coder_id != coder.pk
            }
        )
        rows.append(
            CodingRow(
                answer=answer,
                mine=mine,
                coded_by_me=coded_by_me,
                others=others,
                disputed=disputed and not blind,
                quote=quotes.get(answer.response.pk),
                suggested=suggested,
                html=highlight(answer.text, terms=terms, suggested=hinted),
            )
        )
    return CodingPage(codebook, themes, rows, len(answers), counties, areas, kinds)


# Counts per theme --------------------------------------------------------------------


def _frames(
    codebook: Codebook, *, submitted_only: bool
) -> tuple[list[FreeTextAnswer], pd.DataFrame]:
    answers = free_text_answers(question=codebook.question, item=codebook.item)
    if submitted_only:
        answers = [a for a in answers if a.response.is_submitted]
    by_response = {a.response.pk: a.organisation.code for a in answers}
    coded = pd.DataFrame.from_records(
        [
            (by_response[r], c)
            for r, c in CodedAnswer.objects.filter(
                codebook=codebook, response_id__in=by_response
            ).values_list("response_id", "coder_id")
        ],
        columns=["organisation_code", "coder"],
    )
    names = dict(codebook.themes.values_list("pk", "name"))
    codes = pd.DataFrame.from_records(
        [
            (by_response[r], c, names[t])
            for r, c, t in ThemeCoding.objects.filter(
                coded__codebook=codebook, coded__response_id__in=by_response
            ).values_list("coded__response_id", "coded__coder_id", "theme_id")
        ],
        columns=["organisation_code", "coder", "theme"],
    )
    resolutions = pd.DataFrame.from_records(
        [
            (by_response[r], names[t], applies)
            for r, t, applies in Resolution.objects.filter(
                codebook=codebook, response_id__in=by_response
            ).values_list("response_id", "theme_id", "applies")
        ],
        columns=["organisation_code", "theme", "applies"],
    )
    return answers, theme_decisions(coded, codes, resolutions)


# The segment between a free-text question's name and a theme's in the key figures.
THEME_SEGMENT = "tema"


def theme_slugs(names: list[str]) -> dict[str, str]:
    """Each theme's segment in the key figure names: the slug of its name ("Samverkan
    med kommunerna" → "samverkan-med-kommunerna"); "-2", "-3" in codebook order where
    two names give the same slug; its place in the codebook where a name has none."""
    result: dict[str, str] = {}
    taken: set[str] = set()
    for index, name in enumerate(names):
        base = slug(name) or str(index + 1)
        unique, number = base, 1
        while unique in taken:
            number += 1
            unique = f"{base}-{number}"
        taken.add(unique)
        result[name] = unique
    return result


@dataclass
class ThemeShare:
    level: str
    unit: str
    name: str
    count: int
    denominator: int
    percent: int | None
    phrase: str
    # The key figure's name ("region.3.tema.samverkan.riket"); add .count,
    # .denominator or .percent for a part of it.
    key_figure: str = ""


@dataclass
class ThemeCount:
    theme: str
    riket: ThemeShare | None
    counties: list[ThemeShare]
    areas: list[ThemeShare]
    disputed: int
    # The start of the theme's key figure names ("region.3.tema.samverkan"): a level
    # follows.
    key_figure: str = ""


@dataclass
class ThemeCounts:
    codebook: Codebook
    counted: str
    answered: int
    coded: int
    disputed: int
    themes: list[ThemeCount]


def theme_counts(*, codebook: Codebook) -> ThemeCounts:
    """Per theme: how many organisations' submitted answers it applies to, per riket,
    county and RSS, with the denominator (those that answered) and the report's phrase."""
    questionnaire = codebook.question.questionnaire
    kind = questionnaire.organisation_kind
    counted = COUNTED[kind]
    answers, decisions = _frames(codebook, submitted_only=True)
    themes = list(codebook.themes.values_list("name", flat=True))
    tallies = theme_tallies(
        question=codebook.question.code,
        item=codebook.item,
        themes=themes,
        answered=[a.organisation.code for a in answers],
        decisions=decisions,
    )
    units = pd.DataFrame.from_records(
        [
            (
                a.organisation.code,
                a.organisation.county.code,
                a.organisation.rss.code if a.organisation.rss else a.organisation.code,
            )
            for a in answers
        ],
        columns=["code", "county_code", "rss_code"],
    )
    shares = shares_by_level(tallies, units, counted=counted, levels=LEVELS[kind])
    names = unit_names()
    namer = key_figure_namer(questionnaire=questionnaire)
    base = f"{namer.question(codebook.question.code, codebook.item)}.{THEME_SEGMENT}"
    slugs = theme_slugs(themes)
    by_theme: dict[str, ThemeCount] = {
        theme: ThemeCount(theme, None, [], [], 0, f"{base}.{slugs[theme]}")
        for theme in themes
    }
    for row in shares.to_dict("records"):
        percent = None if pd.isna(row["percent"]) else int(row["percent"])
        count, denominator = int(row["count"]), int(row["denominator"])
        share = ThemeShare(
            level=str(row["level"]),
            unit=str(row["unit"]),
            name=names.get(str(row["unit"]), str(row["unit"])),
            count=count,
            denominator=denominator,
            percent=percent,
            phrase=share_phrase(count, denominator, percent, counted),
            key_figure=(
                f"{by_theme[str(row['option'])].key_figure}."
                f"{Namer.level(str(row['level']), str(row['unit']))}"
            ),
        )
        entry = by_theme[str(row["option"])]
        if row["level"] == RIKET:
            entry.riket = share
        elif row["level"] == COUNTY:
            entry.counties.append(share)
        else:
            entry.areas.append(share)
    disputed = decisions[decisions["status"] == DISPUTED]
    for theme, number in disputed.groupby("theme").size().items():
        if theme in by_theme:
            by_theme[str(theme)].disputed = int(number)
    coded_organisations = set(
        CodedAnswer.objects.filter(
            codebook=codebook,
            response_id__in=[a.response.pk for a in answers],
        ).values_list("response_id", flat=True)
    )
    return ThemeCounts(
        codebook=codebook,
        counted=counted,
        answered=len(answers),
        coded=len(coded_organisations),
        disputed=int(disputed["organisation_code"].nunique()),
        themes=list(by_theme.values()),
    )


# Agreement between two coders --------------------------------------------------------


@dataclass
class ThemeAgreement:
    theme: Theme
    agreement: Agreement


@dataclass
class Disagreement:
    answer: FreeTextAnswer
    theme: Theme
    ticked_by: list[str]
    not_ticked_by: list[str]
    resolution: Resolution | None


@dataclass
class AgreementPage:
    coders: list[User]
    first: User | None
    second: User | None
    both: int
    themes: list[ThemeAgreement]
    disagreements: list[Disagreement]


def coders_of(*, codebook: Codebook) -> list[User]:
    """The coders of the codebook, the one who coded most first."""
    counts: dict[int, int] = defaultdict(int)
    for coder_id in CodedAnswer.objects.filter(codebook=codebook).values_list(
        "coder_id", flat=True
    ):
        counts[coder_id] += 1
    users = User.objects.in_bulk(list(counts))
    return sorted(users.values(), key=lambda u: (-counts[u.pk], u.pk))


def agreement_page(
    *, codebook: Codebook, first: User | None = None, second: User | None = None
) -> AgreementPage:
    """Cohen's kappa per theme between two coders over the answers both coded, and
    every answer and theme where the coders disagree (resolved or not)."""
    coders = coders_of(codebook=codebook)
    if first is None and coders:
        first = coders[0]
    if second is None:
        second = next((c for c in coders if first is None or c.pk != first.pk), None)
    themes = list(codebook.themes.all())
    answers = {
        a.response.pk: a
        for a in free_text_answers(question=codebook.question, item=codebook.item)
    }
    codes, coder_users = _codes_of(codebook)
    both = []
    if first is not None and second is not None:
        both = [
            r
            for r, by in codes.items()
            if first.pk in by and second.pk in by and r in answers
        ]
    result = []
    for theme in themes:
        first_says = [theme.pk in codes[r][first.pk] for r in both] if first else []
        second_says = [theme.pk in codes[r][second.pk] for r in both] if second else []
        result.append(ThemeAgreement(theme, agreement_of(first_says, second_says)))
    resolutions = {
        (r.response_id, r.theme_id): r
        for r in Resolution.objects.filter(codebook=codebook).select_related(
            "resolved_by"
        )
    }
    disagreements = []
    for response_id, by_coder in sorted(
        codes.items(),
        key=lambda kv: answers[kv[0]].organisation.code if kv[0] in answers else "",
    ):
        if len(by_coder) < 2 or response_id not in answers:
            continue
        for theme in themes:
            ticked = [c for c, t in by_coder.items() if theme.pk in t]
            if ticked and len(ticked) < len(by_coder):
                disagreements.append(
                    Disagreement(
                        answer=answers[response_id],
                        theme=theme,
                        ticked_by=[who(coder_users[c]) for c in ticked],
                        not_ticked_by=[
                            who(coder_users[c]) for c in by_coder if c not in ticked
                        ],
                        resolution=resolutions.get((response_id, theme.pk)),
                    )
                )
    return AgreementPage(coders, first, second, len(both), result, disagreements)


# Audit and export --------------------------------------------------------------------


def coding_changes(*, codebook: Codebook) -> QuerySet[CodingChange]:
    """The codebook's audit log, newest first."""
    return (
        CodingChange.objects.filter(codebook=codebook)
        .select_related("by", "response__organisation")
        .order_by("-at", "-id")
    )


CODING_COLUMNS = ["question", "item", "organisation", "theme", "coder"]


def coding_rows(
    *, questionnaire: Questionnaire
) -> list[tuple[str, str, str, str, str]]:
    """Every theme ticked by every coder in the questionnaire's codebooks: question,
    item, organisation (code), theme, coder (1 query)."""
    rows = (
        ThemeCoding.objects.filter(
            coded__codebook__question__questionnaire=questionnaire
        )
        .select_related(
            "coded__codebook__question",
            "coded__response__organisation",
            "coded__coder",
            "theme",
        )
        .order_by(
            "coded__codebook__question__position",
            "coded__codebook__item",
            "coded__response__organisation__code",
            "theme__position",
            "theme__id",
            "coded__coder__username",
        )
    )
    return [
        (
            r.coded.codebook.question.code,
            r.coded.codebook.item,
            r.coded.response.organisation.code,
            r.theme.name,
            r.coded.coder.get_username(),
        )
        for r in rows
    ]
