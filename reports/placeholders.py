"""A draft text's {{ name }} placeholders filled in with key figures.

Plain text substitution: the text is never a template. A placeholder is "{{", a key
figure's name (aggregation.rules.key_figures), optionally "|värde" for the value as
printed instead of the sentence, and "}}"; spaces inside are allowed. Everything else in
the text, "{% … %}" and HTML included, stays exactly as written. Pure: no Django.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from aggregation.rules.key_figures import (
    NAME_PATTERN,
    KeyFigure,
    Suggestions,
    name_key,
)

# The longest draft taken (characters) and the most placeholders in it.
MAX_TEXT = 200_000
MAX_PLACEHOLDERS = 5_000
# Unknown names that get suggestions (looking them up takes a moment each).
MAX_SUGGESTED = 20
# No braces inside and a bounded length: each "{{" is looked at for at most that many
# characters, so that a text full of "{{" takes linear time, not quadratic.
PLACEHOLDER = re.compile(r"\{\{([^{}]{0,300})\}\}")
# "|värde" (or "|value"): the value as printed ("91 %") instead of the sentence.
VALUE_FORMS = ("värde", "value")
TEXT_FORMS = ("text", "mening")


@dataclass(frozen=True)
class Used:
    """A known name of the text, with its figure and how often it is used."""

    name: str
    figure: KeyFigure
    count: int = 1


@dataclass(frozen=True)
class Unknown:
    """A placeholder that names no figure: as written, and the names it may mean."""

    written: str
    suggestions: tuple[str, ...] = ()


@dataclass
class Filled:
    """The text filled in (None when a placeholder is unknown), and what was used."""

    text: str | None
    used: list[Used] = field(default_factory=list)
    unknown: list[Unknown] = field(default_factory=list)

    @property
    def missing(self) -> list[Used]:
        """Known names whose figure is missing (".."): nobody answered."""
        return [used for used in self.used if used.figure.missing]


def _parse(inner: str) -> tuple[str, bool] | None:
    """(name, as value) of a placeholder's inside, or None if it is not a name."""
    name, _bar, form = inner.strip().partition("|")
    name, form = name.strip(), form.strip().casefold()
    if not NAME_PATTERN.fullmatch(name):
        return None
    if _bar and form not in VALUE_FORMS + TEXT_FORMS:
        return None
    return name, form in VALUE_FORMS


def fill(text: str, figures: Mapping[str, KeyFigure]) -> Filled:
    """Replace every {{ name }} by its figure's sentence ({{ name|värde }}: its value).

    `figures` is keyed by name_key. Any unknown or malformed placeholder refuses the
    whole text: Filled.text is None and Filled.unknown lists each (once, in order) with
    close names as suggestions.
    """
    used: dict[str, Used] = {}
    unknown: dict[str, str] = {}

    def replace(match: re.Match[str]) -> str:
        parsed = _parse(match.group(1))
        figure = figures.get(name_key(parsed[0])) if parsed else None
        if parsed is None or figure is None:
            written = match.group(0)
            unknown.setdefault(written, parsed[0] if parsed else match.group(1).strip())
            return written
        earlier = used.get(figure.name)
        used[figure.name] = Used(
            figure.name, figure, earlier.count + 1 if earlier else 1
        )
        return figure.value if parsed[1] else figure.text

    filled = PLACEHOLDER.sub(replace, text)
    suggest = (
        Suggestions(figure.name for figure in figures.values()) if unknown else None
    )
    refused = [
        Unknown(
            written,
            tuple(suggest(wanted)) if suggest and index < MAX_SUGGESTED else (),
        )
        for index, (written, wanted) in enumerate(unknown.items())
    ]
    return Filled(None if refused else filled, list(used.values()), refused)


def placeholder_count(text: str) -> int:
    return sum(1 for _match in PLACEHOLDER.finditer(text))
