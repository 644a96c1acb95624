"""Key figures ("nyckeltal"): a stable name, the value as printed and a sentence for
every published figure, so that the report's prose quotes the tables' own numbers.

Pure functions: no ORM, no settings. aggregation.key_figures reads a run's stored cells
and share rows and calls these; the results page names its cells with the same Namer.

A name is made of segments joined by ".":

    <questionnaire>.<question>[.<item>][.<option>].<level>[.<year>][.<measure>]

- questionnaire: the key of a definition file (region, rss, municipality, extra, statsbidrag), or
  "extra-<slug>" for an extra question made on the staff pages (questionnaire_prefix);
- question: the question's code as in the definitions (13, 29b, K04, S02);
- item: a matrix's item or a multiple choice's alternative, as a slug (item_slugs);
- option: the option of a share, as a slug; left out for "Ja" (the figure the report
  quotes: the ticked alternative of a multiple choice is "Ja" too);
- level: riket, län-<county code> (a county; a region's own value), or the RSS code as
  a slug (rss-01, rss-14-fyr);
- year: a national row of an earlier year (region.4.riket.2023);
- measure: none for the figure as printed ("19/21", "59 %", "Ja"), else count,
  denominator or percent of a share.

Slugs keep the Swedish letters å, ä and ö; other letters lose their accents (é → e);
everything is lower case, and every other run of characters is one "-". Items and
options get the shortest run of their leading words that no other item (option) of the
same question shares, and at least four characters while words are left ("Vet ej" is
"vet-ej"): "… äldre personer med stora vård- och omsorgsbehov" is "äldre",
"… personer med kroniska sjukdomar" is "personer-med-kroniska" beside
"… personer med funktionsnedsättning" ("personer-med-funktionsnedsättning"). Names are
looked up without regard to case (name_key).
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass

from aggregation.rules.formatting import (
    CANNOT_ESTIMATE_LABELS,
    MEAN_PERCENT,
    SUM_COUNT,
    UNTICKED,
    YES,
    format_percent,
    format_ratio,
)
from surveys.numbers import NotAWholeNumber, format_thousands, parse_whole_number

NATIONAL = "riket"
COUNTY_PREFIX = "län-"
MUNICIPALITY_PREFIX = "kommun-"
MEASURES = ("count", "denominator", "percent")
# The sign of Swedish official statistics for a figure that is missing.
MISSING = ".."
MISSING_TEXT = "uppgift saknas"
# A name: segments of letters (å, ä, ö included), digits, "-" and "_", joined by ".".
NAME_PATTERN = re.compile(r"[0-9A-Za-zÅÄÖåäö_-]+(?:\.[0-9A-Za-zÅÄÖåäö_-]+)+")
# A slug shorter than this takes the next word too, where there is one.
MIN_SLUG = 4
_KEPT = frozenset("abcdefghijklmnopqrstuvwxyz0123456789åäö")
_RATIO = re.compile(r"(\d+)/(\d+)")

# What a share counts (ShareRow.counted) → (one, several, all of them).
COUNTED_NOUNS: dict[str, tuple[str, str, str]] = {
    "municipalities": ("kommun", "kommuner", "kommunerna"),
    "regions": ("region", "regioner", "regionerna"),
    "rss": ("RSS", "RSS", "RSS:erna"),
    "counties": ("län", "län", "länen"),
}


@dataclass(frozen=True)
class KeyFigure:
    """One named figure: the value as the tables print it and a sentence for prose."""

    name: str
    value: str
    text: str

    @property
    def missing(self) -> bool:
        return self.value in ("", MISSING)


def slug(text: str) -> str:
    """Lower case, å ä ö kept, accents dropped, any other run of characters one "-"."""
    out: list[str] = []
    for char in unicodedata.normalize("NFC", text).casefold():
        if char in _KEPT:
            out.append(char)
            continue
        base = unicodedata.normalize("NFKD", char)[0]
        out.append(base if base in _KEPT and base not in "åäö" else "-")
    return re.sub("-+", "-", "".join(out)).strip("-")


def name_key(name: str) -> str:
    """A name as looked up: case and Unicode composition do not matter."""
    return unicodedata.normalize("NFC", name.strip()).casefold()


def _folded(name: str) -> str:
    """For suggestions only: å, ä → a and ö → o, so that "aldre" finds "äldre"."""
    return name_key(name).translate(str.maketrans("åäö", "aao"))


def distinct_slugs(texts: Sequence[str]) -> dict[str, str]:
    """Each text's slug: the fewest leading words no other text of the list shares,
    and at least MIN_SLUG characters while there are words left ("vet-ej", not "vet").

    A text whose words run out keeps all of them; texts that still clash (the same
    words) get "-2", "-3" in list order; a text without letters or digits is its
    place in the list (1, 2, …).
    """
    words = [slug(text).split("-") if slug(text) else [] for text in texts]
    result: dict[str, str] = {}
    taken: set[str] = set()
    for index, text in enumerate(texts):
        if text in result:
            continue
        own = words[index]
        if not own:
            candidate = str(index + 1)
        else:
            candidate = "-".join(own)
            for length in range(1, len(own) + 1):
                prefix = own[:length]
                if len("-".join(prefix)) < MIN_SLUG and length < len(own):
                    continue
                if not any(
                    other[:length] == prefix
                    for position, other in enumerate(words)
                    if position != index and texts[position] != text
                ):
                    candidate = "-".join(prefix)
                    break
        unique, number = candidate, 1
        while unique in taken:
            number += 1
            unique = f"{candidate}-{number}"
        taken.add(unique)
        result[text] = unique
    return result


@dataclass(frozen=True)
class QuestionLabels:
    """What the names of one question are made of: its code, items and options."""

    code: str
    items: Sequence[str] = ()
    options: Sequence[str] = ()


class Namer:
    """The names of one questionnaire's figures (one instance per questionnaire)."""

    def __init__(self, prefix: str, questions: Iterable[QuestionLabels]) -> None:
        self.prefix = prefix
        self._items: dict[str, dict[str, str]] = {}
        self._options: dict[str, dict[str, str]] = {}
        for question in questions:
            self._items[question.code] = distinct_slugs(list(question.items))
            self._options[question.code] = distinct_slugs(list(question.options))

    def _slug_of(self, table: dict[str, dict[str, str]], code: str, text: str) -> str:
        known = table.get(code, {})
        return known.get(text) or slug(text) or "x"

    def question(self, code: str, item: str = "", option: str | None = None) -> str:
        """prefix.question[.item][.option]; option "Ja" (or None) is left out."""
        parts = [self.prefix, code]
        if item:
            parts.append(self._slug_of(self._items, code, item))
        if option is not None and option != YES:
            parts.append(self._slug_of(self._options, code, option))
        return ".".join(parts)

    @staticmethod
    def level(level: str, unit: str) -> str:
        """riket, län-01 or rss-01 (ShareRow.level and unit)."""
        if level == NATIONAL:
            return NATIONAL
        if level == "county":
            return COUNTY_PREFIX + slug(unit)
        return slug(unit)

    def share(
        self,
        code: str,
        item: str,
        option: str,
        level: str,
        unit: str,
        measure: str = "",
    ) -> str:
        name = f"{self.question(code, item, option)}.{self.level(level, unit)}"
        return f"{name}.{measure}" if measure else name

    def appendix(self, code: str, item: str, row: str) -> str:
        """The name of an appendix cell; row is its level segment (riket, riket.2023,
        län-01: see organisation_segment)."""
        return f"{self.question(code, item)}.{row}"


def organisation_segment(
    kind: str, code: str, county_code: str, *, national_code: str = "SE"
) -> str:
    """An appendix row as a level: riket (riket.2023 for "SE-2023"), a region as its
    county (län-01), an RSS as its code (rss-01), a municipality as kommun-0114."""
    if code == national_code:
        return NATIONAL
    if code.startswith(national_code + "-"):
        return f"{NATIONAL}.{slug(code[len(national_code) + 1 :])}"
    if kind == "region":
        return COUNTY_PREFIX + slug(county_code or code)
    if kind == "rss":
        return slug(code)
    return MUNICIPALITY_PREFIX + slug(code)


# Sentences ---------------------------------------------------------------------------


def _nouns(counted: str) -> tuple[str, str, str]:
    return COUNTED_NOUNS.get(counted, ("", "", ""))


def _with_noun(number: int, counted: str) -> str:
    one, several, _all = _nouns(counted)
    noun = one if number == 1 else several
    return f"{format_thousands(number)} {noun}".rstrip()


def ratio_text(count: int, denominator: int, counted: str) -> str:
    """ "19 av 21 regioner", "1 av 1 region"."""
    one, several, _all = _nouns(counted)
    noun = one if denominator == 1 else several
    return (
        f"{format_thousands(count)} av {format_thousands(denominator)} {noun}".rstrip()
    )


def percent_text(percent: int, counted: str) -> str:
    """ "91 procent av kommunerna"."""
    _one, _several, all_of_them = _nouns(counted)
    text = f"{format_thousands(percent)} procent"
    return f"{text} av {all_of_them}" if all_of_them else text


def printed_text(value: str, counted: str, rule: str = "") -> str:
    """A printed cell as a sentence: "19/21" → "19 av 21 regioner", "72 %" → "72
    procent" ("i genomsnitt 59 procent" for a national mean), "4 245 026" ("totalt
    4 245 026" for a national sum), "." → "Nej", "" → "uppgift saknas"."""
    value = value.strip()
    if value in ("", MISSING):
        return MISSING_TEXT
    if value == UNTICKED:
        return "Nej"
    ratio = _RATIO.fullmatch(value)
    if ratio:
        return ratio_text(int(ratio.group(1)), int(ratio.group(2)), counted)
    if value in CANNOT_ESTIMATE_LABELS.values():
        return value
    try:
        number = parse_whole_number(value, percent=value.endswith("%"))
    except NotAWholeNumber:
        return value
    if value.endswith("%"):
        text = f"{format_thousands(number)} procent"
        return f"i genomsnitt {text}" if rule == MEAN_PERCENT else text
    text = format_thousands(number)
    return f"totalt {text}" if rule == SUM_COUNT else text


# Figures of a run ----------------------------------------------------------------------


@dataclass(frozen=True)
class ShareRecord:
    """One stored share (ShareRow): count and denominator of an option at one unit."""

    question: str
    item: str
    option: str
    level: str
    unit: str
    counted: str
    count: int
    denominator: int
    percent: int | None


@dataclass(frozen=True)
class AppendixRecord:
    """One stored appendix cell; row is its level segment (organisation_segment)."""

    question: str
    item: str
    row: str
    value: str


def share_figures(
    namer: Namer,
    shares: Iterable[ShareRecord],
    *,
    name_of: Callable[[ShareRecord], str] | None = None,
) -> Iterator[KeyFigure]:
    """Per share: the figure as printed ("19/21"), its count, denominator and percent.

    name_of names a share (without its measure) where the namer's share name does not
    fit: the coded themes of a free-text question are <question>.tema.<theme>.<level>.
    """
    for share in shares:
        base = (
            name_of(share)
            if name_of is not None
            else namer.share(
                share.question, share.item, share.option, share.level, share.unit
            )
        )
        answered = share.denominator > 0
        yield KeyFigure(
            base,
            format_ratio(share.count, share.denominator) if answered else MISSING,
            ratio_text(share.count, share.denominator, share.counted)
            if answered
            else MISSING_TEXT,
        )
        yield KeyFigure(
            f"{base}.count",
            format_thousands(share.count) if answered else MISSING,
            _with_noun(share.count, share.counted) if answered else MISSING_TEXT,
        )
        yield KeyFigure(
            f"{base}.denominator",
            format_thousands(share.denominator),
            _with_noun(share.denominator, share.counted),
        )
        # Always named: ".." where nobody in the unit answered.
        yield KeyFigure(
            f"{base}.percent",
            MISSING if share.percent is None else format_percent(share.percent),
            MISSING_TEXT
            if share.percent is None
            else percent_text(share.percent, share.counted),
        )


def appendix_figures(
    namer: Namer,
    cells: Iterable[AppendixRecord],
    *,
    counted: str,
    rules: Mapping[str, str],
) -> Iterator[KeyFigure]:
    """Every appendix cell as printed; the national row of a mean or a sum also gets
    .denominator, the number of organisations whose figure it is made of."""
    given: dict[tuple[str, str], int] = {}
    cells = list(cells)
    for cell in cells:
        if cell.row.startswith(NATIONAL):
            continue
        if _is_figure(cell.value):
            key = (cell.question, cell.item)
            given[key] = given.get(key, 0) + 1
    for cell in cells:
        rule = rules.get(cell.question, "")
        name = namer.appendix(cell.question, cell.item, cell.row)
        national = cell.row.startswith(NATIONAL)
        yield KeyFigure(
            name,
            cell.value if cell.value != "" else MISSING,
            printed_text(cell.value, counted, rule if national else ""),
        )
        if cell.row == NATIONAL and rule in (MEAN_PERCENT, SUM_COUNT):
            number = given.get((cell.question, cell.item), 0)
            yield KeyFigure(
                f"{name}.denominator",
                format_thousands(number),
                _with_noun(number, counted),
            )


def _is_figure(value: str) -> bool:
    try:
        parse_whole_number(value, percent=True)
    except NotAWholeNumber:
        return False
    return True


# Looking names up ----------------------------------------------------------------------


class Suggestions:
    """Close known names for unknown ones: built once over the known names.

    A name differing only in case or å/ä/ö comes first; then difflib's closest among
    the names of the same questionnaire and question (all names when there are none).
    """

    def __init__(self, names: Iterable[str]) -> None:
        self.by_folded: dict[str, str] = {}
        self.by_question: dict[str, list[str]] = {}
        for known in names:
            folded = _folded(known)
            if folded in self.by_folded:
                continue
            self.by_folded[folded] = known
            self.by_question.setdefault(_question_key(folded), []).append(folded)

    def __call__(self, name: str, *, limit: int = 3) -> list[str]:
        wanted = _folded(name)
        exact = self.by_folded.get(wanted)
        found = [exact] if exact else []
        pool = self.by_question.get(_question_key(wanted)) or list(self.by_folded)
        for candidate in difflib.get_close_matches(wanted, pool, n=limit, cutoff=0.75):
            if self.by_folded[candidate] not in found:
                found.append(self.by_folded[candidate])
        return found[:limit]


def _question_key(folded: str) -> str:
    """The questionnaire and question segments of a name."""
    return ".".join(folded.split(".")[:2])


def suggestions(name: str, names: Iterable[str], *, limit: int = 3) -> list[str]:
    """The known names closest to an unknown one (å/ä/ö and case aside)."""
    return Suggestions(names)(name, limit=limit)
