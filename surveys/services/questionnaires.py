"""Loading questionnaire definitions (versioned YAML per cycle) into the database."""

from __future__ import annotations

import csv
import datetime
import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction

from surveys.answers import TEXT_FORMATS
from surveys.models import (
    Answer,
    AnswerChange,
    Cycle,
    Question,
    Questionnaire,
    QuestionType,
    ReferenceFigure,
    Response,
    Section,
)
from surveys.models.questionnaire import (
    ANSWERED_LABEL,
    ANSWERED_OPTION,
    WEB_SOURCE_PREFIX,
    Rule,
    default_rule,
)
from surveys.numbers import NotAWholeNumber, parse_whole_number
from surveys.signals import announce_questionnaire_published

DEFINITIONS_DIR = Path(__file__).resolve().parent.parent / "definitions"
# Files are loaded in this order: the RSS questionnaire compiles municipal questions.
# Other questionnaire files (their name is the questionnaire's key, e.g. statsbidrag.yaml)
# follow in the order of their names.
AUDIENCE_ORDER = ["region", "municipality", "rss", "extra"]
# A questionnaire's key: its file's name without .yaml.
KEY_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
CLOSED_TYPES = {
    QuestionType.YES_NO,
    QuestionType.YES_PARTLY_NO,
    QuestionType.SINGLE_CHOICE,
    QuestionType.MULTIPLE_CHOICE,
    QuestionType.MATRIX,
}
QUESTIONNAIRE_KEYS = {
    "key",
    "audience",
    "version",
    "title",
    "introduction",
    "opens_on",
    "closes_on",
    "reconstructed",
    "reminders",
    "reference",
    "sections",
    "figures",
}
REFERENCE_KEYS = {"name", "label", "file", "column"}
FIGURE_KEYS = {"name", "title", "in_appendix", "bars"}
BAR_KEYS = {"question", "item", "label"}
SECTION_KEYS = {"title", "introduction", "questions"}
QUESTION_KEYS = {
    "code",
    "text",
    "help_text",
    "type",
    "options",
    "items",
    "required",
    "show_if",
    "validation",
    "previous",
    "reconstructed",
    "in_appendix",
    "footnote",
    "source",
    "summarises",
    "personal_data",
    "rule",
    "checks",
    "reference",
}
CHECK_KINDS = {
    # check name: {parameter: required?}
    "range": {"min": False, "max": False},
    "all_nines": {},
    "matches_percentage": {"question": True, "tolerance_pp": True},
    "far_below_percentage": {"question": True, "factor": True},
    # Money and counts: at most another question's figure (unused ≤ requisitioned) or
    # the organisation's reference figure (requisitioned ≤ allocation).
    "at_most": {"question": True},
    "at_most_reference": {"reference": True},
}
VALIDATION_KEYS = {"min", "max", "max_length"}
# An item written as a mapping: {label: ..., exclusive: true} or {label: ..., format: email}.
ITEM_KEYS = {"label", "exclusive", "format"}
LINE = "__line__"


# libyaml's loader when PyYAML was built with it (it is, in the wheels): ~5x faster.
# Both loaders have the same interface; the type checker is shown SafeLoader.
if TYPE_CHECKING:
    _BaseLoader = yaml.SafeLoader
else:
    _BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class _LineLoader(_BaseLoader):
    """A safe loader that remembers the line of every mapping, for error messages."""


def _construct_mapping(loader: _LineLoader, node: yaml.MappingNode) -> dict:
    mapping = loader.construct_mapping(node, deep=True)
    mapping[LINE] = node.start_mark.line + 1
    return mapping


_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _construct_mapping
)


def _strip_lines(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _strip_lines(v) for k, v in value.items() if k != LINE}
    if isinstance(value, list):
        return [_strip_lines(v) for v in value]
    return value


@dataclass
class LoadResult:
    """What happened to each questionnaire file."""

    lines: list[str] = field(default_factory=list)


class _Errors:
    def __init__(self, filename: str) -> None:
        self.filename = filename
        self.messages: list[str] = []

    def add(self, line: int | None, reason: str, code: str | None = None) -> None:
        where = self.filename
        if line:
            where += f" line {line}"
        if code is not None:
            where += f", question {code!r}"
        self.messages.append(f"{where}: {reason}")


def _read_yaml(path: Path, errors: _Errors) -> dict | None:
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)  # noqa: S506
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        errors.add(mark.line + 1 if mark else None, f"not valid YAML ({exc})")
        return None
    except UnicodeDecodeError:
        errors.add(None, "not UTF-8 text")
        return None
    if not isinstance(data, dict):
        errors.add(None, "the file must be a mapping of keys to values")
        return None
    return data


def _as_date(value: Any, key: str, line: int, errors: _Errors) -> datetime.date | None:
    if isinstance(value, datetime.date):
        return value
    errors.add(line, f"{key} must be a date written as YYYY-MM-DD, not {value!r}")
    return None


def _string_list(
    value: Any, key: str, line: int | None, code: str, errors: _Errors
) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(
        isinstance(v, str) and v.strip() for v in value
    ):
        errors.add(line, f"{key} must be a list of non-empty texts", code)
        return []
    if len(set(value)) != len(value):
        errors.add(line, f"{key} has the same label twice", code)
    return [v.strip() for v in value]


def _parse_cycle(path: Path) -> dict:
    errors = _Errors(path.name)
    data = _read_yaml(path, errors)
    if data is not None:
        line = data.get(LINE, 1)
        for key in ("year", "name", "opens_on", "closes_on"):
            if key not in data:
                errors.add(line, f"missing key {key!r}")
        if "year" in data and not isinstance(data["year"], int):
            errors.add(line, "year must be a number")
        for key in ("opens_on", "closes_on"):
            if key in data:
                _as_date(data[key], key, line, errors)
    if errors.messages:
        raise ValidationError(errors.messages)
    return _strip_lines(data)


def _parse_questionnaire(
    path: Path, year: int, municipal_questions: dict[str, dict] | None
) -> dict:
    """Validate one questionnaire file; return its clean definition or raise."""
    errors = _Errors(path.name)
    data = _read_yaml(path, errors)
    if data is None:
        raise ValidationError(errors.messages)
    top_line = data.get(LINE, 1)
    for key in sorted(set(data) - QUESTIONNAIRE_KEYS - {LINE}):
        errors.add(top_line, f"unknown key {key!r}")
    for key in ("audience", "title", "opens_on", "closes_on", "sections"):
        if key not in data:
            errors.add(top_line, f"missing key {key!r}")
    audience = data.get("audience")
    if audience is not None and audience not in Questionnaire.Audience.values:
        errors.add(
            top_line,
            f"audience {audience!r} is not one of {', '.join(Questionnaire.Audience.values)}",
        )
    questionnaire_key = data.get("key", path.stem)
    if questionnaire_key != path.stem:
        errors.add(top_line, f"key {questionnaire_key!r} does not match the file name")
    elif (
        audience is not None
        and questionnaire_key in Questionnaire.Audience.values
        and questionnaire_key != audience
    ):
        errors.add(top_line, f"audience {audience!r} does not match the file name")
    version = data.get("version", 1)
    if not isinstance(version, int) or version < 1:
        errors.add(top_line, "version must be a whole number from 1")
    for key in ("opens_on", "closes_on"):
        if key in data:
            _as_date(data[key], key, top_line, errors)
    file_reconstructed = bool(data.get("reconstructed", False))
    reminders = _parse_reminders(data, top_line, errors)
    references = _parse_references(data.get("reference"), path, top_line, errors)
    reference_names = {r["name"] for r in references}

    sections_out: list[dict] = []
    seen: dict[str, dict] = {}
    sections = data.get("sections") or []
    if not isinstance(sections, list) or not sections:
        errors.add(top_line, "sections must be a non-empty list")
        sections = []
    for section in sections:
        if not isinstance(section, dict):
            errors.add(top_line, "every section must be a mapping with a title")
            continue
        s_line = section.get(LINE)
        for key in sorted(set(section) - SECTION_KEYS - {LINE}):
            errors.add(s_line, f"unknown key {key!r} in a section")
        if not section.get("title"):
            errors.add(s_line, "a section needs a title")
        questions_out = []
        questions = section.get("questions") or []
        if not isinstance(questions, list) or not questions:
            errors.add(s_line, f"section {section.get('title')!r} has no questions")
            questions = []
        for raw in questions:
            if not isinstance(raw, dict):
                errors.add(s_line, "every question must be a mapping")
                continue
            question = _parse_question(
                raw, seen, file_reconstructed, municipal_questions, errors
            )
            if question is not None:
                _check_reference_names(question, reference_names, errors)
                seen[question["code"]] = question
                questions_out.append(question)
        sections_out.append(
            {
                "title": str(section.get("title") or "").strip(),
                "introduction": str(section.get("introduction") or "").strip(),
                "questions": questions_out,
            }
        )
    figures = _parse_figures(data.get("figures"), top_line, seen, errors)
    if errors.messages:
        raise ValidationError(errors.messages)
    return {
        "key": questionnaire_key,
        "figures": figures,
        "audience": audience,
        "version": version,
        "title": str(data["title"]).strip(),
        "introduction": str(data.get("introduction") or "").strip(),
        "opens_on": data["opens_on"].isoformat(),
        "closes_on": data["closes_on"].isoformat(),
        "reconstructed": file_reconstructed,
        "reminders": reminders,
        "references": references,
        "sections": sections_out,
        "source_file": f"{year}/{path.name}",
    }


def _parse_references(raw: Any, path: Path, line: int, errors: _Errors) -> list[dict]:
    """Reference figures per organisation, each from a CSV file beside the definition.

    The file has a column organisation_code (or municipality_code) and the named
    column of whole numbers; the figures are kept in the definition (its checksum
    follows the file).
    """
    if raw is None:
        return []
    if not isinstance(raw, list):
        errors.add(line, "reference must be a list of {name, label, file, column}")
        return []
    result = []
    for entry in raw:
        if not isinstance(entry, dict):
            errors.add(line, "reference must be a list of {name, label, file, column}")
            continue
        r_line = entry.get(LINE, line)
        spec = {k: v for k, v in entry.items() if k != LINE}
        for key in sorted(set(spec) - REFERENCE_KEYS):
            errors.add(r_line, f"unknown key {key!r} in a reference")
        missing = [k for k in sorted(REFERENCE_KEYS) if not spec.get(k)]
        if missing:
            errors.add(r_line, f"a reference needs {', '.join(missing)}")
            continue
        name = str(spec["name"])
        if not KEY_PATTERN.match(name):
            errors.add(
                r_line, f"reference name {name!r}: lower-case letters, _ and digits"
            )
        figures = _read_reference_file(
            path.parent / str(spec["file"]), str(spec["column"]), errors
        )
        result.append(
            {
                "name": name,
                "label": str(spec["label"]).strip(),
                "file": str(spec["file"]),
                "column": str(spec["column"]),
                "figures": figures,
            }
        )
    return result


def _read_reference_file(path: Path, column: str, errors: _Errors) -> dict[str, int]:
    """Organisation code → whole number, from a CSV file; problems with file and line."""
    if not path.is_file():
        errors.add(None, f"reference file {path.name} not found beside the definition")
        return {}
    figures: dict[str, int] = {}
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        fields = reader.fieldnames or []
        code_column = next(
            (c for c in ("organisation_code", "municipality_code") if c in fields), None
        )
        if code_column is None or column not in fields:
            errors.add(
                None,
                f"{path.name}: needs the columns organisation_code (or "
                f"municipality_code) and {column}",
            )
            return {}
        for row in reader:
            code = (row.get(code_column) or "").strip()
            raw = (row.get(column) or "").strip()
            where = f"{path.name} line {reader.line_num}"
            if not code:
                errors.add(None, f"{where}: no organisation code")
                continue
            if code in figures:
                errors.add(None, f"{where}: organisation {code} appears twice")
            try:
                figures[code] = parse_whole_number(raw)
            except NotAWholeNumber:
                errors.add(None, f"{where}: {column} {raw!r} is not a whole number")
    return figures


def _check_reference_names(
    question: dict, reference_names: set[str], errors: _Errors
) -> None:
    """A question that shows or checks against a reference names one of the file's."""
    named = [question["validation"].get("reference")] + [
        c.get("reference") for c in question["checks"]
    ]
    for name in named:
        if name is not None and name not in reference_names:
            errors.add(
                None,
                f"reference {name!r} is not declared under reference in this file",
                question["code"],
            )


def _parse_figures(
    raw: Any, line: int, questions: dict[str, dict], errors: _Errors
) -> list[dict]:
    """The figures drawn of the questionnaire's answers (docs/definitions.md).

    Each bar is the "Ja" of a closed question (or of one item of a matrix or multiple
    choice); a bar without an item on a question with items gives one bar per item.
    """
    if raw is None:
        return []
    if not isinstance(raw, list):
        errors.add(line, "figures must be a list")
        return []
    result: list[dict] = []
    names: set[str] = set()
    for entry in raw:
        if not isinstance(entry, dict):
            errors.add(line, "every figure must be a mapping with a name and bars")
            continue
        f_line = entry.get(LINE, line)
        name = str(entry.get("name") or "").strip()
        where = f"figure {name!r}" if name else "a figure"
        for key in sorted(set(entry) - FIGURE_KEYS - {LINE}):
            errors.add(f_line, f"unknown key {key!r} in {where}")
        if not name:
            errors.add(f_line, "a figure needs a name")
        elif name in names:
            errors.add(f_line, f"{where}: the name is used twice")
        names.add(name)
        title = str(entry.get("title") or "").strip()
        if not title:
            errors.add(f_line, f"{where} needs a title")
        bars_raw = entry.get("bars")
        if not isinstance(bars_raw, list) or not bars_raw:
            errors.add(f_line, f"{where}: bars must be a non-empty list")
            bars_raw = []
        bars: list[dict] = []
        for bar in bars_raw:
            bar = {"question": bar} if isinstance(bar, (str, int)) else bar
            if not isinstance(bar, dict):
                errors.add(f_line, f"{where}: a bar is a question code or a mapping")
                continue
            b_line = bar.get(LINE, f_line)
            for key in sorted(set(bar) - BAR_KEYS - {LINE}):
                errors.add(b_line, f"unknown key {key!r} in a bar of {where}")
            code = str(bar.get("question") or "").strip()
            question = questions.get(code)
            if question is None:
                errors.add(b_line, f"{where}: no question {code!r} in this file")
                continue
            options = choice_options_of(question)
            if question["type"] != QuestionType.MULTIPLE_CHOICE and "Ja" not in options:
                errors.add(
                    b_line,
                    f"{where}: question {code!r} has no option Ja to draw",
                )
                continue
            item = str(bar.get("item") or "").strip()
            items = question.get("items") or []
            if item and item not in items:
                errors.add(b_line, f"{where}: question {code!r} has no item {item!r}")
                continue
            label = str(bar.get("label") or "").strip()
            if items and not item:
                if label:
                    errors.add(
                        b_line,
                        f"{where}: a label needs an item (question {code!r} has items)",
                    )
                bars.extend(
                    {"question": code, "item": each, "label": each} for each in items
                )
                continue
            bars.append(
                {"question": code, "item": item, "label": label or item or code}
            )
        result.append(
            {
                "name": name,
                "title": title,
                "in_appendix": bool(entry.get("in_appendix", False)),
                "bars": bars,
            }
        )
    return result


def _parse_reminders(data: dict, line: int, errors: _Errors) -> list[str]:
    """Reminder dates; by default two: three weeks and one week before closing."""
    raw = data.get("reminders")
    closes_on = data.get("closes_on")
    if raw is None:
        if not isinstance(closes_on, datetime.date):
            return []
        return [
            (closes_on - datetime.timedelta(days=days)).isoformat() for days in (21, 7)
        ]
    if not isinstance(raw, list):
        errors.add(line, "reminders must be a list of dates")
        return []
    dates = [_as_date(value, "reminders", line, errors) for value in raw]
    return sorted(d.isoformat() for d in dates if d is not None)


def _parse_question(
    raw: dict,
    seen: dict[str, dict],
    file_reconstructed: bool,
    municipal_questions: dict[str, dict] | None,
    errors: _Errors,
) -> dict | None:
    line = raw.get(LINE)
    code = raw.get("code")
    if code is None or (not isinstance(code, str | int)) or not str(code).strip():
        errors.add(line, "a question needs a code")
        return None
    if not isinstance(code, str):
        errors.add(line, 'the code must be quoted text, e.g. code: "4"', str(code))
    code = str(code).strip()
    if code in seen:
        errors.add(line, "the code is used twice in this questionnaire", code)
    for key in sorted(set(raw) - QUESTION_KEYS - {LINE}):
        errors.add(line, f"unknown key {key!r}", code)
    text = raw.get("text")
    if not isinstance(text, str) or not text.strip():
        errors.add(line, "the question needs a text", code)
    qtype = raw.get("type")
    if qtype not in QuestionType.values:
        errors.add(
            line,
            f"type {qtype!r} is not one of {', '.join(QuestionType.values)}",
            code,
        )
        return None
    options = _string_list(raw.get("options"), "options", line, code, errors)
    items, exclusive, formats = _parse_items(
        raw.get("items"), qtype, line, code, errors
    )
    if qtype in (QuestionType.SINGLE_CHOICE, QuestionType.MATRIX) and len(options) < 2:
        errors.add(line, f"a {qtype} question needs at least two options", code)
    if qtype in (QuestionType.MATRIX, QuestionType.MULTIPLE_CHOICE) and not items:
        errors.add(line, f"a {qtype} question needs items", code)
    if qtype not in (QuestionType.SINGLE_CHOICE, QuestionType.MATRIX) and options:
        errors.add(line, f"a {qtype} question takes no options", code)
    if (
        qtype
        not in (
            QuestionType.MATRIX,
            QuestionType.MULTIPLE_CHOICE,
            QuestionType.FREE_TEXT,
        )
        and items
    ):
        errors.add(line, f"a {qtype} question takes no items", code)

    validation = raw.get("validation") or {}
    if not isinstance(validation, dict):
        errors.add(
            line, "validation must be a mapping such as {min: 0, max: 100}", code
        )
        validation = {}
    validation = {k: v for k, v in validation.items() if k != LINE}
    shown_reference = raw.get("reference")
    for key, value in validation.items():
        if key not in VALIDATION_KEYS:
            errors.add(line, f"unknown validation limit {key!r}", code)
        elif not isinstance(value, int) or isinstance(value, bool):
            errors.add(line, f"validation {key} must be a whole number", code)
    if shown_reference is not None:
        if qtype not in (QuestionType.MONEY, QuestionType.COUNT, QuestionType.INTEGER):
            errors.add(
                line, "only a money, count or integer question shows a reference", code
            )
        validation["reference"] = str(shown_reference)
    if exclusive:
        validation["exclusive"] = exclusive
    if formats:
        validation["formats"] = formats
    if qtype == QuestionType.PERCENTAGE:
        validation.setdefault("min", 0)
        validation.setdefault("max", 100)
    if qtype in (QuestionType.COUNT, QuestionType.COUNT_PER_OPTION, QuestionType.MONEY):
        validation.setdefault("min", 0)
    if (
        isinstance(validation.get("min"), int)
        and isinstance(validation.get("max"), int)
        and validation["min"] > validation["max"]
    ):
        errors.add(line, "validation min is larger than max", code)

    show_if = raw.get("show_if")
    if show_if is not None:
        show_if = _parse_show_if(show_if, line, code, seen, errors)

    source_code = raw.get("source")
    cells: list[dict] = []
    rule = raw.get("rule", default_rule(qtype, options))
    if rule not in Rule.values:
        errors.add(line, f"rule {rule!r} is not one of {', '.join(Rule.values)}", code)
    elif rule == Rule.MEAN_PERCENT and qtype != QuestionType.PERCENTAGE:
        errors.add(line, "rule mean_percent needs a percentage question", code)
    elif rule == Rule.SUM_COUNT and qtype not in (
        QuestionType.COUNT,
        QuestionType.INTEGER,
        QuestionType.MONEY,
    ):
        errors.add(
            line, "rule sum_count needs a count, integer or money question", code
        )
    elif rule == Rule.TOP_TWO_BOXES and (
        qtype != QuestionType.MATRIX or not {"4", "5"} <= set(options)
    ):
        errors.add(
            line, "rule top_two_boxes needs a matrix with the options 1 to 5", code
        )
    elif rule == Rule.YES_COUNT and "Ja" not in (
        ["Ja"]
        if qtype == QuestionType.MULTIPLE_CHOICE
        else choice_options_of({"type": qtype, "options": options})
    ):
        errors.add(line, "rule yes_count needs a question with the option Ja", code)
    checks = _parse_checks(raw.get("checks"), line, code, qtype, seen, errors)

    if qtype == QuestionType.COUNT_PER_OPTION:
        if municipal_questions is None:
            errors.add(
                line, "count_per_option is only allowed in the RSS questionnaire", code
            )
        elif not source_code:
            errors.add(
                line, "a count_per_option question needs a source question", code
            )
        elif str(source_code) not in municipal_questions:
            errors.add(
                line,
                f"source {source_code!r} is not a question of the municipal questionnaire",
                code,
            )
        else:
            source = municipal_questions[str(source_code)]
            if source["type"] not in CLOSED_TYPES:
                errors.add(
                    line,
                    f"source {source_code!r} is a {source['type']} question; only "
                    "questions with options can be counted per option",
                    code,
                )
            else:
                cells = derive_cells(source)
    elif source_code is not None:
        errors.add(line, "only count_per_option questions take a source", code)
    summarises = raw.get("summarises")
    if summarises is not None:
        summarises = _parse_summarises(
            summarises, qtype, source_code, municipal_questions, line, code, errors
        )
        source_code = summarises

    previous = raw.get("previous", code)
    if previous is not None:
        previous = str(previous)
    return {
        "code": code,
        "text": str(text or "").strip(),
        "help_text": str(raw.get("help_text") or "").strip(),
        "type": qtype,
        "options": options,
        "items": items,
        "cells": cells,
        "required": bool(raw.get("required", True)),
        "show_if": show_if,
        "validation": validation,
        "previous_code": previous,
        "reconstructed": bool(raw.get("reconstructed", file_reconstructed)),
        "in_appendix": bool(raw.get("in_appendix", False)),
        "footnote": str(raw.get("footnote") or "").strip(),
        "personal_data": bool(raw.get("personal_data", False)),
        "source_code": str(source_code) if source_code is not None else None,
        "rule": rule,
        "checks": checks,
    }


def _parse_summarises(
    raw: Any,
    qtype: str,
    source_code: Any,
    municipal_questions: dict[str, dict] | None,
    line: int | None,
    code: str,
    errors: _Errors,
) -> str | None:
    """The municipal free-text question an RSS free-text question summarises (its
    code), or None with the reason in errors."""
    wanted = str(raw).strip()
    if qtype != QuestionType.FREE_TEXT:
        errors.add(line, "only free_text questions take summarises", code)
    elif source_code is not None:
        errors.add(line, "a question takes source or summarises, not both", code)
    elif municipal_questions is None:
        errors.add(line, "summarises is only allowed in the RSS questionnaire", code)
    elif wanted not in municipal_questions:
        errors.add(
            line,
            f"summarises {wanted!r} is not a question of the municipal questionnaire",
            code,
        )
    elif municipal_questions[wanted]["type"] != QuestionType.FREE_TEXT:
        errors.add(
            line,
            f"summarises {wanted!r}, a {municipal_questions[wanted]['type']} "
            "question; only free_text questions are summarised",
            code,
        )
    else:
        return wanted
    return None


def _parse_items(
    raw: Any, qtype: str, line: int | None, code: str, errors: _Errors
) -> tuple[list[str], list[str], dict[str, str]]:
    """Items as texts, or mappings with attributes; returns labels, exclusive, formats.

    `exclusive: true` marks the alternative of a multiple choice that excludes the
    others ("Inget av ovanstående"); `format: email | phone` makes a free-text item
    check its answer. Both are kept in the question's validation.
    """
    if not isinstance(raw, list):
        return _string_list(raw, "items", line, code, errors), [], {}
    labels: list[Any] = []
    exclusive: list[str] = []
    formats: dict[str, str] = {}
    for entry in raw:
        if not isinstance(entry, dict):
            labels.append(entry)
            continue
        entry = {k: v for k, v in entry.items() if k != LINE}
        label = entry.get("label")
        labels.append(label)
        for key in sorted(set(entry) - ITEM_KEYS):
            errors.add(line, f"unknown key {key!r} in an item", code)
        if not isinstance(label, str) or not label.strip():
            errors.add(line, "an item written as a mapping needs a label", code)
            continue
        label = label.strip()
        if "exclusive" in entry:
            if not isinstance(entry["exclusive"], bool):
                errors.add(line, "exclusive must be true or false", code)
            elif entry["exclusive"]:
                if qtype != QuestionType.MULTIPLE_CHOICE:
                    errors.add(
                        line, "only an item of a multiple_choice can be exclusive", code
                    )
                exclusive.append(label)
        if "format" in entry:
            if entry["format"] not in TEXT_FORMATS:
                errors.add(
                    line,
                    f"format {entry['format']!r} is not one of {', '.join(TEXT_FORMATS)}",
                    code,
                )
            elif qtype != QuestionType.FREE_TEXT:
                errors.add(line, "only an item of a free_text can have a format", code)
            else:
                formats[label] = entry["format"]
    if len(exclusive) > 1:
        errors.add(line, "at most one item can be exclusive", code)
    items = _string_list(labels, "items", line, code, errors)
    if exclusive and len(items) < 2:
        errors.add(line, "an exclusive item needs other items to exclude", code)
    return items, exclusive, formats


def _parse_checks(
    raw: Any,
    line: int | None,
    code: str,
    qtype: str,
    seen: dict[str, dict],
    errors: _Errors,
) -> list[dict]:
    """Plausibility checks: a list of names or mappings {check: name, parameters...}."""
    if raw is None:
        return []
    if not isinstance(raw, list):
        errors.add(line, "checks must be a list", code)
        return []
    result = []
    for entry in raw:
        spec = {"check": entry} if isinstance(entry, str) else entry
        if not isinstance(spec, dict) or spec.get("check") not in CHECK_KINDS:
            errors.add(
                line,
                f"unknown check {entry!r}; the checks are {', '.join(CHECK_KINDS)}",
                code,
            )
            continue
        spec = {k: v for k, v in spec.items() if k != LINE}
        parameters = CHECK_KINDS[spec["check"]]
        for key in set(spec) - {"check"} - set(parameters):
            errors.add(line, f"check {spec['check']} takes no {key!r}", code)
        for key, required in parameters.items():
            if required and key not in spec:
                errors.add(line, f"check {spec['check']} needs {key!r}", code)
        if qtype not in (
            QuestionType.PERCENTAGE,
            QuestionType.COUNT,
            QuestionType.INTEGER,
            QuestionType.MONEY,
        ):
            errors.add(line, f"check {spec['check']} needs a numeric question", code)
        if "reference" in spec:
            spec["reference"] = str(spec["reference"])
        if "question" in spec and spec["check"] == "at_most":
            spec["question"] = str(spec["question"])
            target = seen.get(spec["question"])
            if target is None or target["type"] != qtype:
                errors.add(
                    line,
                    f"check at_most: {spec['question']!r} is not an earlier {qtype} "
                    "question",
                    code,
                )
        elif "question" in spec:
            spec["question"] = str(spec["question"])
            target = seen.get(spec["question"])
            if target is None or target["type"] != QuestionType.PERCENTAGE:
                errors.add(
                    line,
                    f"check {spec['check']}: {spec['question']!r} is not an earlier "
                    "percentage question",
                    code,
                )
        result.append(spec)
    return result


def _parse_show_if(
    show_if: Any, line: int | None, code: str, seen: dict[str, dict], errors: _Errors
) -> dict | None:
    if not isinstance(show_if, dict):
        errors.add(line, "show_if must be a mapping {question: ..., equals: ...}", code)
        return None
    show_if = {k: v for k, v in show_if.items() if k != LINE}
    target_code = str(show_if.get("question", ""))
    equals = show_if.get("equals")
    if set(show_if) - {"question", "item", "equals"}:
        errors.add(line, "show_if takes only question, item and equals", code)
    target = seen.get(target_code)
    if target is None:
        errors.add(
            line,
            f"show_if refers to question {target_code!r}, which does not come "
            "before it in this questionnaire",
            code,
        )
        return None
    allowed = choice_options_of(target)
    item = show_if.get("item")
    if target["type"] == QuestionType.MULTIPLE_CHOICE:
        if item not in target["items"]:
            errors.add(
                line,
                f"show_if on multiple choice {target_code!r} needs an item among its "
                "alternatives",
                code,
            )
        allowed = ["Ja"]
    elif target["type"] == QuestionType.MATRIX:
        if item not in target["items"]:
            errors.add(
                line, f"show_if item {item!r} is not an item of {target_code!r}", code
            )
    elif item is not None:
        errors.add(line, f"question {target_code!r} has no items", code)
    if not allowed:
        errors.add(
            line,
            f"show_if cannot depend on {target['type']} question {target_code!r}",
            code,
        )
    elif str(equals) not in allowed:
        errors.add(
            line,
            f"show_if value {equals!r} is not an option of {target_code!r} "
            f"({', '.join(allowed)})",
            code,
        )
    result = {"question": target_code, "equals": str(equals)}
    if item is not None:
        result["item"] = item
    return result


def choice_options_of(definition: dict) -> list[str]:
    """The options of a parsed question definition (yes/no types included)."""
    if definition["type"] == QuestionType.YES_NO:
        return ["Ja", "Nej"]
    if definition["type"] == QuestionType.YES_PARTLY_NO:
        return ["Ja", "Delvis", "Nej"]
    return list(definition["options"])


def derive_cells(source: dict) -> list[dict]:
    """The count cells of an RSS count-per-option question compiling `source`."""
    if source["type"] == QuestionType.MULTIPLE_CHOICE:
        return [
            {"label": item, "item": item, "option": "Ja"} for item in source["items"]
        ] + [{"label": ANSWERED_LABEL, "item": "", "option": ANSWERED_OPTION}]
    options = choice_options_of(source)
    if source["type"] == QuestionType.MATRIX:
        return [
            {"label": f"{item}: {option}", "item": item, "option": option}
            for item in source["items"]
            for option in options
        ]
    return [{"label": option, "item": "", "option": option} for option in options]


def _checksum(definition: dict) -> str:
    """Of the questions and texts: the figures are drawn of the answers, not asked, and
    change without a new version (_store_questionnaire)."""
    asked = {key: value for key, value in definition.items() if key != "figures"}
    payload = json.dumps(asked, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


@transaction.atomic
def questionnaires_load(*, year: int, directory: Path | None = None) -> LoadResult:
    """Load a cycle's definition files; all files or nothing.

    Unchanged files are a no-op. A changed file replaces its questionnaire in place only
    while no response of it has been submitted; after that the file must raise `version`,
    which creates a new version beside the old one (whose answers stay untouched).
    """
    folder = (directory or DEFINITIONS_DIR) / str(year)
    if not folder.is_dir():
        raise ValidationError(f"No definitions for {year}: folder {folder} not found")
    cycle_data = _parse_cycle(folder / "cycle.yaml")
    if cycle_data["year"] != year:
        raise ValidationError(
            f"cycle.yaml: year {cycle_data['year']} does not match the folder {year}"
        )
    cycle, _created = Cycle.objects.update_or_create(
        year=year,
        defaults={
            "name": cycle_data["name"],
            "opens_on": cycle_data["opens_on"],
            "closes_on": cycle_data["closes_on"],
        },
    )
    result = LoadResult()
    known = {p.stem for p in folder.glob("*.yaml")} - {"cycle"}
    unknown = {name for name in known if not KEY_PATTERN.match(name)}
    if unknown:
        raise ValidationError(
            [
                f"{name}.yaml: not a questionnaire file name; a name is the "
                "questionnaire's key: lower-case letters, digits and _ (e.g. "
                f"{', '.join(a + '.yaml' for a in AUDIENCE_ORDER)}, statsbidrag.yaml)"
                for name in sorted(unknown)
            ]
        )
    municipal: dict[str, dict] | None = None
    municipal_questionnaire: Questionnaire | None = None
    all_errors: list[str] = []
    order = [a for a in AUDIENCE_ORDER if a in known] + sorted(
        known - set(AUDIENCE_ORDER)
    )
    for audience in order:
        path = folder / f"{audience}.yaml"
        try:
            definition = _parse_questionnaire(
                path, year, municipal if audience == "rss" else None
            )
        except ValidationError as exc:
            all_errors.extend(exc.messages)
            continue
        if audience == "rss" and municipal_questionnaire is not None:
            definition["source_version"] = municipal_questionnaire.version
        questionnaire, line = _store_questionnaire(
            cycle, definition, municipal_questionnaire
        )
        result.lines.append(line)
        if audience == "municipality":
            municipal = {
                q["code"]: q for s in definition["sections"] for q in s["questions"]
            }
            municipal_questionnaire = questionnaire
    if all_errors:
        raise ValidationError(all_errors)
    return result


def _store_questionnaire(
    cycle: Cycle, definition: dict, municipal: Questionnaire | None
) -> tuple[Questionnaire, str]:
    audience = definition["audience"]
    name = definition["source_file"]
    checksum = _checksum(definition)
    key = definition["key"]
    # By file too: extra questions made on the web are current beside extra.yaml.
    current = Questionnaire.objects.filter(
        cycle=cycle, audience=audience, source_file=name, is_current=True
    ).first()
    fields = {
        "title": definition["title"],
        "introduction": definition["introduction"],
        "opens_on": definition["opens_on"],
        "closes_on": definition["closes_on"],
        "reconstructed": definition["reconstructed"],
        "reminder_dates": definition["reminders"],
        "source_file": name,
        "checksum": checksum,
        "references": [
            {
                "name": r["name"],
                "label": r["label"],
                "file": r["file"],
                "column": r["column"],
            }
            for r in definition["references"]
        ],
        "figures": definition["figures"],
    }
    if current is not None and current.checksum == checksum:
        if current.figures != definition["figures"]:
            current.figures = definition["figures"]
            current.save(update_fields=["figures"])
            announce_questionnaire_published(questionnaire_id=current.pk)
            return current, f"{name}: figures updated (version {current.version})"
        return current, f"{name}: unchanged (version {current.version})"
    if current is None or definition["version"] > current.version:
        if Questionnaire.objects.filter(
            cycle=cycle,
            audience=audience,
            source_file=name,
            version=definition["version"],
        ).exists():
            raise ValidationError(
                f"{name}: version {definition['version']} already exists; raise the version"
            )
        if current is not None:
            current.is_current = False
            current.save(update_fields=["is_current"])
        questionnaire = Questionnaire.objects.create(
            cycle=cycle,
            audience=audience,
            key=key,
            version=definition["version"],
            **fields,
        )
        _sync_questions(questionnaire, definition, municipal)
        _sync_reference_figures(questionnaire, definition)
        announce_questionnaire_published(questionnaire_id=questionnaire.pk)
        verb = "created" if current is None else f"new version (was {current.version})"
        return questionnaire, f"{name}: {verb}, version {questionnaire.version}"
    if definition["version"] < current.version:
        raise ValidationError(
            f"{name}: version {definition['version']} is older than the loaded version "
            f"{current.version}"
        )
    submitted = current.responses.filter(status=Response.Status.SUBMITTED).count()
    if submitted:
        raise ValidationError(
            f"{name}: questionnaire '{current.title}' version {current.version} has "
            f"{submitted} submitted response(s) and is not changed under them; to "
            f"publish the change, set version: {current.version + 1} in the file"
        )
    for key, value in fields.items():
        setattr(current, key, value)
    current.save()
    _sync_questions(current, definition, municipal)
    _sync_reference_figures(current, definition)
    announce_questionnaire_published(questionnaire_id=current.pk)
    return current, f"{name}: updated in place, version {current.version}"


def _sync_questions(
    questionnaire: Questionnaire, definition: dict, municipal: Questionnaire | None
) -> None:
    """Make the stored sections and questions equal to the definition, by code."""
    name = definition["source_file"]
    wanted = {q["code"] for s in definition["sections"] for q in s["questions"]}
    removed = questionnaire.questions.exclude(code__in=wanted)
    # Audit entries protect a question too, also after its answers were cleared.
    answered = set(
        Answer.objects.filter(question__in=removed).values_list(
            "question__code", flat=True
        )
    ) | set(
        AnswerChange.objects.filter(question__in=removed).values_list(
            "question__code", flat=True
        )
    )
    if answered:
        raise ValidationError(
            f"{name}: question(s) {', '.join(sorted(answered))} have draft answers "
            "(or had them) and cannot be removed; raise the version instead"
        )
    removed.delete()
    existing_sections = {s.position: s for s in questionnaire.sections.all()}
    existing_questions = {q.code: q for q in questionnaire.questions.all()}
    previous_questions = _previous_questions(questionnaire)
    sources = (
        {q.code: q for q in municipal.questions.all()} if municipal is not None else {}
    )
    position = 0
    for s_index, section_def in enumerate(definition["sections"], start=1):
        section = existing_sections.pop(s_index, None)
        if section is None:
            section = Section(questionnaire=questionnaire, position=s_index)
        section.title = section_def["title"]
        section.introduction = section_def["introduction"]
        section.save()
        for q_def in section_def["questions"]:
            position += 1
            question = existing_questions.get(q_def["code"]) or Question(
                questionnaire=questionnaire, code=q_def["code"]
            )
            question.section = section
            question.position = position
            for key in (
                "text",
                "help_text",
                "type",
                "options",
                "items",
                "cells",
                "required",
                "show_if",
                "validation",
                "previous_code",
                "reconstructed",
                "in_appendix",
                "footnote",
                "personal_data",
                "rule",
                "checks",
            ):
                setattr(question, key, q_def[key])
            question.previous = previous_questions.get(q_def["previous_code"] or "")
            question.source = sources.get(q_def["source_code"] or "")
            question.save()
    for section in existing_sections.values():
        section.delete()


def _sync_reference_figures(questionnaire: Questionnaire, definition: dict) -> None:
    """Replace the questionnaire's reference figures with the definition's."""
    questionnaire.reference_figures.all().delete()
    if not definition["references"]:
        return
    rows = [
        ReferenceFigure(
            questionnaire=questionnaire,
            organisation_code=code,
            name=reference["name"],
            value=value,
        )
        for reference in definition["references"]
        for code, value in reference["figures"].items()
    ]
    ReferenceFigure.objects.bulk_create(rows)


def _previous_questions(questionnaire: Questionnaire) -> dict[str, Question]:
    previous = (
        Questionnaire.objects.filter(
            cycle__year=questionnaire.cycle.year - 1,
            key=questionnaire.key,
            is_current=True,
        )
        .exclude(source_file__startswith=WEB_SOURCE_PREFIX)
        .first()
    )
    if previous is None:
        return {}
    return {q.code: q for q in previous.questions.all()}
