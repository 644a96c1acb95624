"""Theme suggestions by keyword and Swedish word stem, and highlighting in answers.

A theme is suggested for an answer when one of its keywords occurs in the answer, as
the same Swedish word stem (Snowball's Swedish stemmer: "bemanningen" and "bemanning" meet
at "bemanning"; "samverkar" gives "samverk", the start of "samverkan") or inside a compound ("hemsjukvården" holds "sjukvård"). A
suggestion is only shown: a person ticks the theme or not.

Highlighting escapes the answer's text first and then marks the matches, so an answer
can never bring its own HTML onto the page.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

_WORD = re.compile(r"\w+", re.UNICODE)
# A stem at least this long also matches inside a compound word.
COMPOUND_MIN = 5
# Longest search text taken into account (characters).
MAX_SEARCH = 200
_stemmer = snowballstemmer.stemmer("swedish")


@lru_cache(maxsize=20_000)
def stem(word: str) -> str:
    """The Swedish stem of one word, lower case."""
    return str(_stemmer.stemWord(word.lower()))


def words(text: str) -> list[tuple[int, int, str]]:
    """(start, end, word) of each word of the text."""
    return [(m.start(), m.end(), m.group(0)) for m in _WORD.finditer(text)]


@dataclass(frozen=True)
class Keyworded:
    """A theme as the suggestions see it: its id, name and keywords."""

    pk: int
    name: str
    keywords: Sequence[str]


@dataclass(frozen=True)
class Suggestion:
    theme: int
    name: str
    # The words of the answer that suggested it.
    matched: tuple[str, ...]


def _keyword_stems(keyword: str) -> list[str]:
    return [stem(word) for _, _, word in words(keyword)]


def _matches(word_stem: str, keyword_stem: str) -> bool:
    if word_stem == keyword_stem:
        return True
    if len(keyword_stem) >= COMPOUND_MIN and keyword_stem in word_stem:
        return True
    # Stems of one word cut at different places ("samverk" of "samverkar" and
    # "samverkan").
    return len(word_stem) >= COMPOUND_MIN and keyword_stem.startswith(word_stem)


def matched_words(text: str, keywords: Iterable[str]) -> list[tuple[int, int, str]]:
    """The words of the text that match a keyword (each word of a keyword of several
    words must occur for that keyword to match)."""
    found: list[tuple[int, int, str]] = []
    text_words = [(start, end, word, stem(word)) for start, end, word in words(text)]
    for keyword in keywords:
        stems = _keyword_stems(keyword)
        if not stems:
            continue
        hits = [
            [(s, e, w) for s, e, w, ws in text_words if _matches(ws, ks)]
            for ks in stems
        ]
        if all(hits):
            for hit in hits:
                found.extend(hit)
    return sorted(set(found))


def suggestions(text: str, themes: Sequence[Keyworded]) -> list[Suggestion]:
    """The themes whose keywords occur in the text, in the themes' order."""
    result = []
    for theme in themes:
        matched = matched_words(text, theme.keywords)
        if matched:
            names = tuple(dict.fromkeys(word for _, _, word in matched))
            result.append(Suggestion(theme.pk, theme.name, names))
    return result


def search_terms(query: str) -> list[str]:
    """The words of a search, lower case (at most MAX_SEARCH characters read)."""
    return [w.lower() for _, _, w in words(query[:MAX_SEARCH])]


def text_matches(text: str, terms: Sequence[str]) -> bool:
    """Every search term occurs in the text (case-insensitive)."""
    lowered = text.lower()
    return all(term in lowered for term in terms)


def _search_spans(text: str, terms: Sequence[str]) -> list[tuple[int, int]]:
    lowered = text.lower()
    spans = []
    for term in terms:
        start = lowered.find(term)
        while start != -1 and term:
            spans.append((start, start + len(term)))
            start = lowered.find(term, start + len(term))
    return spans


def _merged(spans: Iterable[tuple[int, int]]) -> list[tuple[int, int]]:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def highlight(
    text: str,
    *,
    terms: Sequence[str] = (),
    suggested: Iterable[tuple[int, int, str]] = (),
) -> SafeString:
    """The text, escaped, with the search terms in <mark> and the words that suggested a
    theme in <mark class="suggested">."""
    search = _merged(_search_spans(text, terms))
    hinted = _merged((start, end) for start, end, _ in suggested)
    boundaries = sorted({0, len(text)} | {p for span in search + hinted for p in span})
    parts = []
    for start, end in itertools.pairwise(boundaries):
        chunk = escape(text[start:end])
        in_search = any(s <= start and end <= e for s, e in search)
        in_hint = any(s <= start and end <= e for s, e in hinted)
        if in_search:
            parts.append(f"<mark>{chunk}</mark>")
        elif in_hint:
            parts.append(f'<mark class="suggested">{chunk}</mark>')
        else:
            parts.append(str(chunk))
    return mark_safe("".join(parts))  # noqa: S308 - every chunk is escaped above
