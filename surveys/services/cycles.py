"""Opening a cycle: copying the previous one, editing it before it opens, extra questions.

The next cycle starts as a copy of the last (2024 → 2025): every questionnaire made from
a definition file is copied with its sections and questions, each question linked to the
one it was copied from, the dates shifted by the years between. Staff then edit titles,
introductions and dates while no response exists, or write the copy as definition files
(`definitions_write`) and keep the new year as data.
"""

from __future__ import annotations

import datetime
import re
import shutil
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, cast

import yaml
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Field
from django.utils.text import slugify
from django.utils.translation import gettext as _

from regions.models import Organisation
from surveys.models import (
    Cycle,
    FormSubmission,
    Question,
    Questionnaire,
    QuestionnaireEvent,
    QuestionType,
    ReferenceFigure,
    Section,
)
from surveys.models.questionnaire import WEB_SOURCE_PREFIX, default_rule
from surveys.permissions import require_staff
from surveys.services.fieldwork import participations_invite
from surveys.services.questionnaires import (
    AUDIENCE_ORDER,
    DEFINITIONS_DIR,
    questionnaires_load,
)
from surveys.signals import announce_questionnaire_published

# The default reminders: three weeks and one week before closing (as the loader's).
DEFAULT_REMINDER_DAYS = (21, 7)
EXTRA_QUESTION_TYPES = (QuestionType.FREE_TEXT, QuestionType.YES_NO)
EXTRA_QUESTION_CODE = "E01"
# Question fields that are not copied as they are (new links, new parents).
NOT_COPIED = {"id", "questionnaire", "section", "previous", "previous_code", "source"}


def shift_years(day: datetime.date, years: int) -> datetime.date:
    """The same day `years` later (29 February becomes 28 February)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _replace_year(text: str, from_year: int, to_year: int) -> str:
    return re.sub(rf"\b{from_year}\b", str(to_year), text)


def default_reminders(
    opens_on: datetime.date, closes_on: datetime.date
) -> list[datetime.date]:
    """Three weeks and one week before closing, leaving out those before opening."""
    days = [closes_on - datetime.timedelta(days=d) for d in DEFAULT_REMINDER_DAYS]
    return [d for d in days if d > opens_on]


def check_dates(
    opens_on: datetime.date,
    closes_on: datetime.date,
    reminders: Sequence[datetime.date],
) -> None:
    """Raise ValidationError unless it opens before it closes and reminders fall between."""
    errors: dict[str, list[str]] = {}
    if closes_on < opens_on:
        errors["closes_on"] = [
            _("The closing date %(closes)s is before the opening date %(opens)s.")
            % {"closes": closes_on, "opens": opens_on}
        ]
    outside = [d for d in reminders if not opens_on < d <= closes_on]
    if outside:
        errors["reminder_dates"] = [
            _(
                "Reminder %(dates)s is not after the opening date %(opens)s and on "
                "or before the closing date %(closes)s."
            )
            % {
                "dates": ", ".join(str(d) for d in outside),
                "opens": opens_on,
                "closes": closes_on,
            }
        ]
    if errors:
        raise ValidationError(errors)


# Copying a cycle


def cycle_copy_preview(*, from_year: int, to_year: int) -> list[Questionnaire]:
    """The questionnaires cycle_copy would copy; ValidationError where it would refuse."""
    try:
        source = Cycle.objects.get(year=from_year)
    except Cycle.DoesNotExist as exc:
        raise ValidationError(
            _("Cycle %(year)s does not exist.") % {"year": from_year}
        ) from exc
    if to_year <= from_year:
        raise ValidationError(
            _("The new cycle %(to)s must come after %(from)s.")
            % {"to": to_year, "from": from_year}
        )
    if Cycle.objects.filter(year=to_year).exists():
        raise ValidationError(
            _("Cycle %(year)s already exists; it is not overwritten.")
            % {"year": to_year}
        )
    return sorted(
        source.questionnaires.filter(is_current=True).exclude(
            source_file__startswith=WEB_SOURCE_PREFIX
        ),
        key=lambda q: (
            AUDIENCE_ORDER.index(q.key)
            if q.key in AUDIENCE_ORDER
            else len(AUDIENCE_ORDER),
            q.key,
            q.pk,
        ),
    )


@transaction.atomic
def cycle_copy(*, from_year: int, to_year: int, by: User | None) -> Cycle:
    """Create cycle `to_year` as a copy of `from_year` and return it.

    Copies every current questionnaire made from a definition file (extra questions made
    on the web are one-off sends and stay behind) with its sections and questions; each
    copied question's `previous` is the question it was copied from. Dates and reminder
    dates move by the years between; the year in titles and in the cycle's name follows.
    Refuses when `to_year` exists or is not after `from_year`.
    """
    originals = cycle_copy_preview(from_year=from_year, to_year=to_year)
    source = Cycle.objects.get(year=from_year)
    years = to_year - from_year
    cycle = Cycle.objects.create(
        year=to_year,
        name=_replace_year(source.name, from_year, to_year),
        opens_on=shift_years(source.opens_on, years),
        closes_on=shift_years(source.closes_on, years),
    )
    copies: dict[int, Question] = {}
    sources: list[tuple[Question, int]] = []
    for original in originals:
        questionnaire = _copy_questionnaire(original, cycle, from_year, years)
        # Last year's reference figures (allocation key) until the new ones are loaded.
        ReferenceFigure.objects.bulk_create(
            ReferenceFigure(
                questionnaire=questionnaire,
                organisation_code=figure.organisation_code,
                name=figure.name,
                value=figure.value,
            )
            for figure in original.reference_figures.all()
        )
        sections = {}
        for section in original.sections.all():
            sections[section.pk] = Section.objects.create(
                questionnaire=questionnaire,
                position=section.position,
                title=section.title,
                introduction=section.introduction,
            )
        for question in original.questions.order_by("position"):
            fields = {
                f.name: getattr(question, f.name)
                for f in Question._meta.concrete_fields
                if f.name not in NOT_COPIED
            }
            copy = Question.objects.create(
                questionnaire=questionnaire,
                section=sections[question.section_id],
                previous=question,
                previous_code=question.code,
                **fields,
            )
            copies[question.pk] = copy
            if question.source_id is not None:
                sources.append((copy, question.source_id))
        QuestionnaireEvent.objects.create(
            questionnaire=questionnaire,
            kind=QuestionnaireEvent.Kind.COPIED,
            detail=f"{original.cycle.year}: {original.title} (v{original.version})",
            by=by,
        )
        announce_questionnaire_published(questionnaire_id=questionnaire.pk)
    for copy, source_id in sources:
        # A count-per-option question compiles the copied municipal question.
        copy.source = copies.get(source_id)
        copy.save(update_fields=["source"])
    return cycle


def _copy_questionnaire(
    original: Questionnaire, cycle: Cycle, from_year: int, years: int
) -> Questionnaire:
    name = original.source_file.rsplit("/", 1)[-1] or f"{original.key}.yaml"
    return Questionnaire.objects.create(
        cycle=cycle,
        audience=original.audience,
        key=original.key,
        version=1,
        is_current=True,
        title=_replace_year(original.title, from_year, cycle.year),
        introduction=original.introduction,
        opens_on=shift_years(original.opens_on, years),
        closes_on=shift_years(original.closes_on, years),
        reconstructed=original.reconstructed,
        reminder_dates=[
            shift_years(datetime.date.fromisoformat(d), years).isoformat()
            for d in original.reminder_dates
        ],
        source_file=f"{cycle.year}/{name}",
        references=original.references,
        figures=original.figures,
    )


@transaction.atomic
def questionnaire_update(
    *,
    questionnaire: Questionnaire,
    by: User,
    title: str,
    introduction: str,
    opens_on: datetime.date,
    closes_on: datetime.date,
    reminder_dates: Sequence[datetime.date],
) -> Questionnaire:
    """Change a questionnaire's texts and dates; only while it has no response at all."""
    require_staff(by)
    locked = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    count = locked.responses.count()
    if count:
        raise ValidationError(
            _(
                "%(title)s already has %(count)s response(s) and is no longer changed "
                "on this page."
            )
            % {"title": locked.title, "count": count}
        )
    title = title.strip()
    if not title:
        raise ValidationError({"title": _("Give a title.")})
    check_dates(opens_on, closes_on, reminder_dates)
    values = {
        "title": title,
        "introduction": introduction.strip(),
        "opens_on": opens_on,
        "closes_on": closes_on,
        "reminder_dates": sorted(d.isoformat() for d in set(reminder_dates)),
    }
    changed = [key for key, value in values.items() if getattr(locked, key) != value]
    if not changed:
        return locked
    for key in changed:
        setattr(locked, key, values[key])
    locked.full_clean()
    locked.save(update_fields=changed)
    QuestionnaireEvent.objects.create(
        questionnaire=locked,
        kind=QuestionnaireEvent.Kind.EDITED,
        detail=", ".join(
            str(cast(Field, Questionnaire._meta.get_field(key)).verbose_name)
            for key in changed
        ),
        by=by,
    )
    announce_questionnaire_published(questionnaire_id=locked.pk)
    return locked


# Writing a cycle as definition files


class _Dumper(yaml.SafeDumper):
    """Indented lists and block texts, as the hand-written files have them."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


_Dumper.add_representer(str, _represent_str)


def _item_definition(
    item: str, exclusive: set[str], formats: dict[str, str]
) -> str | dict[str, Any]:
    if item in exclusive:
        return {"label": item, "exclusive": True}
    if item in formats:
        return {"label": item, "format": formats[item]}
    return item


def _question_definition(question: Question, reconstructed: bool) -> dict[str, Any]:
    data: dict[str, Any] = {"code": question.code, "text": question.text}
    if question.help_text:
        data["help_text"] = question.help_text
    data["type"] = question.type
    if question.options and question.type != QuestionType.COUNT_PER_OPTION:
        data["options"] = list(question.options)
    validation = dict(question.validation or {})
    # Item attributes are kept in validation and written back on their items.
    exclusive = set(validation.pop("exclusive", []))
    formats = validation.pop("formats", {})
    shown_reference = validation.pop("reference", None)
    if question.items:
        data["items"] = [
            _item_definition(item, exclusive, formats) for item in question.items
        ]
    if not question.required:
        data["required"] = False
    if question.show_if:
        data["show_if"] = dict(question.show_if)
    if validation:
        data["validation"] = validation
    if shown_reference:
        data["reference"] = shown_reference
    if question.previous_code != question.code:
        data["previous"] = question.previous_code
    if question.reconstructed != reconstructed:
        data["reconstructed"] = question.reconstructed
    if question.in_appendix:
        data["in_appendix"] = True
    if question.footnote:
        data["footnote"] = question.footnote
    if question.source is not None:
        # A free-text summary names the municipal question it summarises.
        key = "summarises" if question.type == QuestionType.FREE_TEXT else "source"
        data[key] = question.source.code
    if question.personal_data:
        data["personal_data"] = True
    if question.rule != default_rule(question.type, list(question.options)):
        data["rule"] = question.rule
    if question.checks:
        data["checks"] = [
            check["check"] if set(check) == {"check"} else dict(check)
            for check in question.checks
        ]
    return data


def questionnaire_definition(questionnaire: Questionnaire) -> dict[str, Any]:
    """The questionnaire as a definition mapping (docs/definitions.md), for a YAML file."""
    data: dict[str, Any] = {}
    if questionnaire.key != questionnaire.audience:
        data["key"] = questionnaire.key
    data |= {
        "audience": questionnaire.audience,
        "version": questionnaire.version,
        "title": questionnaire.title,
        "introduction": questionnaire.introduction,
        "opens_on": questionnaire.opens_on,
        "closes_on": questionnaire.closes_on,
        "reconstructed": questionnaire.reconstructed,
        "reminders": [
            datetime.date.fromisoformat(d) for d in questionnaire.reminder_dates
        ],
    }
    if questionnaire.references:
        # The figures stay in their file, copied beside the definition.
        data["reference"] = [
            {
                "name": r["name"],
                "label": r["label"],
                "file": r["file"],
                "column": r.get("column", r["name"]),
            }
            for r in questionnaire.references
        ]
    data["sections"] = []
    questions = list(
        questionnaire.questions.select_related("source").order_by("position")
    )
    for section in questionnaire.sections.order_by("position"):
        entry: dict[str, Any] = {"title": section.title}
        if section.introduction:
            entry["introduction"] = section.introduction
        entry["questions"] = [
            _question_definition(q, questionnaire.reconstructed)
            for q in questions
            if q.section_id == section.pk
        ]
        data["sections"].append(entry)
    if questionnaire.figures:
        data["figures"] = [
            {
                "name": figure["name"],
                "title": figure["title"],
                "in_appendix": figure.get("in_appendix", False),
                "bars": [
                    {
                        key: bar[key]
                        for key in ("question", "item", "label")
                        if bar.get(key)
                    }
                    for bar in figure["bars"]
                ],
            }
            for figure in questionnaire.figures
        ]
    return data


def definitions_write(*, cycle: Cycle, directory: Path | None = None) -> list[Path]:
    """Write the cycle as definition files (<directory>/<year>/*.yaml) and load them back.

    Loading them back checks the files and records their checksum, so a later
    `load_questionnaires <year>` of unchanged files is a no-op. Refuses to overwrite an
    existing folder; on any error the written folder is removed again.
    """
    folder = (directory or DEFINITIONS_DIR) / str(cycle.year)
    if folder.exists() and any(folder.iterdir()):
        raise ValidationError(
            _("%(folder)s already exists; it is not overwritten.") % {"folder": folder}
        )
    questionnaires = [
        q for q in cycle.questionnaires.filter(is_current=True) if not q.is_made_on_web
    ]
    paths = []
    folder.mkdir(parents=True, exist_ok=True)
    try:
        header = f"# Cycle {cycle.year}, written by copy_cycle. Schema: docs/definitions.md.\n"
        cycle_data = {
            "year": cycle.year,
            "name": cycle.name,
            "opens_on": cycle.opens_on,
            "closes_on": cycle.closes_on,
        }
        paths.append(_write(folder / "cycle.yaml", header, cycle_data))
        for questionnaire in questionnaires:
            paths.append(
                _write(
                    folder / f"{questionnaire.key}.yaml",
                    header,
                    questionnaire_definition(questionnaire),
                )
            )
            paths.extend(_copy_reference_files(questionnaire, folder, directory))
        with transaction.atomic():
            questionnaires_load(year=cycle.year, directory=folder.parent)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    return paths


def _copy_reference_files(
    questionnaire: Questionnaire, folder: Path, directory: Path | None
) -> list[Path]:
    """The reference files (the allocation key) of the questionnaire it was copied
    from, beside its new definition: last year's figures until new ones replace them."""
    if not questionnaire.references:
        return []
    linked = (
        questionnaire.questions.filter(previous__isnull=False)
        .select_related("previous__questionnaire")
        .first()
    )
    if linked is None or linked.previous is None:
        return []
    source_folder = linked.previous.questionnaire.source_file.rsplit("/", 1)[0]
    copied = []
    for reference in questionnaire.references:
        for base in (directory or DEFINITIONS_DIR, DEFINITIONS_DIR):
            source = base / source_folder / reference["file"]
            if source.is_file():
                target = folder / reference["file"]
                shutil.copyfile(source, target)
                copied.append(target)
                break
    return copied


def _write(path: Path, header: str, data: dict[str, Any]) -> Path:
    text = yaml.dump(
        data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100
    )
    path.write_text(header + text, encoding="utf-8")
    return path


# The extra question


def _web_source_file(cycle: Cycle, title: str) -> str:
    base = slugify(title)[:50].strip("-") or "extra"
    taken = set(cycle.questionnaires.values_list("source_file", flat=True))
    candidate, n = f"{WEB_SOURCE_PREFIX}{base}", 1
    while candidate in taken:
        n += 1
        candidate = f"{WEB_SOURCE_PREFIX}{base}-{n}"
    return candidate


def extra_question_create(*, once: str = "", **fields: Any) -> Questionnaire:
    """A one-question questionnaire of its own for the chosen municipalities, once.

    `once` is the form's one-time token: a second submit of the same form (double
    click, back and send again, a retry after an error) returns the questionnaire the
    first created instead of a duplicate. The fields are those of _extra_question_create.
    """
    if once:
        done = _created_by_form(once)
        if done is not None:
            return done
    try:
        return _extra_question_create(once=once, **fields)
    except IntegrityError:
        # The same form submitted at the same moment: the other request created it.
        done = _created_by_form(once) if once else None
        if done is None:
            raise
        return done


def _created_by_form(once: str) -> Questionnaire | None:
    submission = (
        FormSubmission.objects.filter(token=once, questionnaire__isnull=False)
        .select_related("questionnaire")
        .first()
    )
    return submission.questionnaire if submission is not None else None


@transaction.atomic
def _extra_question_create(
    *,
    once: str = "",
    cycle: Cycle,
    by: User,
    title: str,
    text: str,
    question_type: str,
    opens_on: datetime.date,
    closes_on: datetime.date,
    reminder_dates: Sequence[datetime.date] | None,
    organisations: Iterable[Organisation],
    introduction: str = "",
    base_url: str = "",
) -> Questionnaire:
    """A one-question questionnaire of its own for the chosen municipalities.

    It gets its own dates and reminders (None: three and one week before closing), and
    the chosen organisations are its frame, stored with it (for_chosen_set,
    chosen_organisations: only they see it, its response rate counts only them). They are
    invited with participations_invite, the e-mails sent once the transaction commits.
    """
    require_staff(by)
    organisations = list(organisations)
    errors: dict[str, list[str]] = {}
    if not title.strip():
        errors["title"] = [_("Give a title.")]
    if not text.strip():
        errors["text"] = [_("Write the question.")]
    if question_type not in EXTRA_QUESTION_TYPES:
        errors["question_type"] = [
            _("An extra question is a free text or a yes/no question.")
        ]
    if not organisations:
        errors["organisations"] = [_("Choose at least one municipality.")]
    others = [o for o in organisations if o.kind != Organisation.Kind.MUNICIPALITY]
    if others:
        errors["organisations"] = [
            _(
                "%(names)s are not municipalities; an extra question goes to municipalities."
            )
            % {"names": ", ".join(str(o) for o in others)}
        ]
    if errors:
        raise ValidationError(errors)
    reminders = (
        default_reminders(opens_on, closes_on)
        if reminder_dates is None
        else list(reminder_dates)
    )
    check_dates(opens_on, closes_on, reminders)
    questionnaire = Questionnaire.objects.create(
        cycle=cycle,
        audience=Questionnaire.Audience.EXTRA,
        key=Questionnaire.Audience.EXTRA,
        version=1,
        is_current=True,
        title=title.strip(),
        introduction=introduction.strip(),
        opens_on=opens_on,
        closes_on=closes_on,
        reminder_dates=sorted(d.isoformat() for d in set(reminders)),
        source_file=_web_source_file(cycle, title),
        for_chosen_set=True,
    )
    section = Section.objects.create(
        questionnaire=questionnaire, position=1, title=title.strip()
    )
    Question.objects.create(
        questionnaire=questionnaire,
        section=section,
        position=1,
        code=EXTRA_QUESTION_CODE,
        text=text.strip(),
        type=question_type,
        previous_code=None,
        rule=default_rule(question_type, []),
    )
    # The chosen set is fixed here, once: inviting later can never widen it.
    questionnaire.chosen_organisations.set(organisations)
    participations_invite(
        questionnaire=questionnaire,
        organisations=organisations,
        by=by,
        base_url=base_url,
    )
    QuestionnaireEvent.objects.create(
        questionnaire=questionnaire,
        kind=QuestionnaireEvent.Kind.CREATED,
        by=by,
    )
    announce_questionnaire_published(questionnaire_id=questionnaire.pk)
    if once:
        FormSubmission.objects.create(token=once[:64], questionnaire=questionnaire)
    return questionnaire
