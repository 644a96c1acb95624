"""Writes of theme coding: codebooks, themes, codes, quotes and resolutions.

Every write is audited (CodingChange) in its own transaction. A coder's codes are
changed theme by theme (tick or untick one theme), never replaced as a whole: two
coders, or one coder in two windows, never undo each other's ticks.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from coding.models import (
    Codebook,
    CodedAnswer,
    CodingChange,
    Quote,
    Resolution,
    Theme,
    ThemeCoding,
)
from coding.selectors import previous_codebook
from surveys.models import Question, QuestionType, Response
from surveys.permissions import require_staff

MAX_NAME = 120


def _audit(
    *,
    codebook: Codebook,
    action: str,
    by: User,
    response: Response | None = None,
    theme: str = "",
    detail: str = "",
) -> None:
    CodingChange.objects.create(
        codebook=codebook,
        response=response,
        action=action,
        by=by,
        theme=theme[:MAX_NAME],
        detail=detail,
    )


def _copy_themes(*, source: Codebook, target: Codebook, by: User) -> int:
    existing = set(target.themes.values_list("name", flat=True))
    copied = [
        Theme(
            codebook=target,
            name=theme.name,
            description=theme.description,
            example=theme.example,
            keywords=theme.keywords,
            position=theme.position,
        )
        for theme in source.themes.all()
        if theme.name not in existing
    ]
    Theme.objects.bulk_create(copied)
    if copied:
        _audit(
            codebook=target,
            action=CodingChange.Action.THEMES_COPIED,
            by=by,
            detail=", ".join(t.name for t in copied),
        )
    return len(copied)


@transaction.atomic
def codebook_get_or_create(*, question: Question, item: str, by: User) -> Codebook:
    """The question's (item's) codebook; a new one takes the themes of the same
    question's codebook in the previous cycle."""
    require_staff(by)
    if question.type != QuestionType.FREE_TEXT:
        raise ValidationError(
            _("Question %(code)s is not a free-text question.")
            % {"code": question.code}
        )
    if item not in question.answer_items:
        raise ValidationError(
            _("Question %(code)s has no item “%(item)s”.")
            % {"code": question.code, "item": item}
        )
    codebook, created = Codebook.objects.get_or_create(question=question, item=item)
    if created:
        previous = previous_codebook(question=question, item=item)
        if previous is not None:
            _copy_themes(source=previous, target=codebook, by=by)
    return codebook


@transaction.atomic
def codebook_copy_previous(*, codebook: Codebook, by: User) -> int:
    """Copy the themes of the previous cycle's codebook that this one lacks."""
    require_staff(by)
    previous = previous_codebook(question=codebook.question, item=codebook.item)
    if previous is None:
        raise ValidationError(
            _("Question %(code)s has no codebook in the previous cycle.")
            % {"code": codebook.question.code}
        )
    return _copy_themes(source=previous, target=codebook, by=by)


def _clean_theme(codebook: Codebook, name: str, exclude: int = 0) -> str:
    name = " ".join(name.split())
    if not name:
        raise ValidationError({"name": _("A theme needs a name.")})
    if len(name) > MAX_NAME:
        raise ValidationError(
            {
                "name": _("A theme's name has at most %(n)d characters.")
                % {"n": MAX_NAME}
            }
        )
    clash = codebook.themes.filter(name__iexact=name).exclude(pk=exclude)
    if clash.exists():
        raise ValidationError(
            {"name": _("The codebook already has a theme “%(name)s”.") % {"name": name}}
        )
    return name


@transaction.atomic
def theme_create(
    *,
    codebook: Codebook,
    name: str,
    description: str = "",
    example: str = "",
    keywords: str = "",
    by: User,
) -> Theme:
    require_staff(by)
    name = _clean_theme(codebook, name)
    last = codebook.themes.order_by("-position").first()
    theme = Theme(
        codebook=codebook,
        name=name,
        description=description.strip(),
        example=example.strip(),
        keywords=keywords.strip(),
        position=(last.position + 1) if last else 1,
    )
    theme.full_clean()
    theme.save()
    _audit(
        codebook=codebook, action=CodingChange.Action.THEME_CREATED, by=by, theme=name
    )
    return theme


@transaction.atomic
def theme_update(
    *,
    theme: Theme,
    name: str,
    description: str,
    example: str,
    keywords: str,
    by: User,
) -> Theme:
    require_staff(by)
    old = Theme.objects.select_for_update().get(pk=theme.pk)
    name = _clean_theme(old.codebook, name, exclude=old.pk)
    changed = []
    for field, value in (
        ("name", name),
        ("description", description.strip()),
        ("example", example.strip()),
        ("keywords", keywords.strip()),
    ):
        if getattr(old, field) != value:
            changed.append(f"{field}: {getattr(old, field)} → {value}")
            setattr(old, field, value)
    if changed:
        old.full_clean()
        old.save()
        _audit(
            codebook=old.codebook,
            action=CodingChange.Action.THEME_CHANGED,
            by=by,
            theme=name,
            detail="; ".join(changed),
        )
    return old


@transaction.atomic
def theme_delete(*, theme: Theme, by: User) -> None:
    """Delete a theme nobody has ticked (a ticked theme is refused: merge by hand)."""
    require_staff(by)
    if theme.codings.exists() or theme.resolutions.exists():
        raise ValidationError(
            _("The theme “%(name)s” has codes and cannot be deleted.")
            % {"name": theme.name}
        )
    _audit(
        codebook=theme.codebook,
        action=CodingChange.Action.THEME_DELETED,
        by=by,
        theme=theme.name,
    )
    theme.delete()


def _check_response(codebook: Codebook, response: Response) -> None:
    if response.questionnaire_id != codebook.question.questionnaire_id:
        raise ValidationError(
            _("The response does not belong to the questionnaire of question %(code)s.")
            % {"code": codebook.question.code}
        )


def _coded(
    codebook: Codebook, response: Response, coder: User
) -> tuple[CodedAnswer, bool]:
    try:
        with transaction.atomic():
            return CodedAnswer.objects.get_or_create(
                codebook=codebook, response=response, coder=coder
            )
    except IntegrityError:
        # Another request of the same coder created it meanwhile.
        return CodedAnswer.objects.get(
            codebook=codebook, response=response, coder=coder
        ), False


@transaction.atomic
def coding_change(
    *,
    codebook: Codebook,
    response: Response,
    coder: User,
    add: Iterable[Theme] = (),
    remove: Iterable[Theme] = (),
) -> set[int]:
    """Tick and untick themes of one answer for one coder; the answer counts as coded
    by the coder from then on (also with no theme ticked). Returns the coder's themes.

    Ticking a ticked theme or unticking an unticked one changes nothing.
    """
    require_staff(coder)
    _check_response(codebook, response)
    add, remove = list(add), list(remove)
    for theme in [*add, *remove]:
        if theme.codebook_id != codebook.pk:
            raise ValidationError(
                _("The theme “%(name)s” is not in this codebook.")
                % {"name": theme.name}
            )
    coded, created = _coded(codebook, response, coder)
    if created:
        _audit(
            codebook=codebook,
            action=CodingChange.Action.CODED,
            by=coder,
            response=response,
        )
    for theme in add:
        _coding, new = ThemeCoding.objects.get_or_create(coded=coded, theme=theme)
        if new:
            _audit(
                codebook=codebook,
                action=CodingChange.Action.CODE_ADDED,
                by=coder,
                response=response,
                theme=theme.name,
            )
    for theme in remove:
        deleted, _counts = ThemeCoding.objects.filter(coded=coded, theme=theme).delete()
        if deleted:
            _audit(
                codebook=codebook,
                action=CodingChange.Action.CODE_REMOVED,
                by=coder,
                response=response,
                theme=theme.name,
            )
    coded.save(update_fields=["coded_at"])
    return set(coded.codings.values_list("theme_id", flat=True))


@transaction.atomic
def coding_uncode(*, codebook: Codebook, response: Response, coder: User) -> None:
    """The coder takes back an answer coded with no theme (it is uncoded again)."""
    require_staff(coder)
    coded = CodedAnswer.objects.filter(
        codebook=codebook, response=response, coder=coder
    ).first()
    if coded is None:
        return
    if coded.codings.exists():
        raise ValidationError(_("Untick the answer's themes first."))
    coded.delete()
    _audit(
        codebook=codebook,
        action=CodingChange.Action.UNCODED,
        by=coder,
        response=response,
    )


@transaction.atomic
def quote_set(
    *,
    codebook: Codebook,
    response: Response,
    show_organisation: bool | None,
    by: User,
) -> Quote | None:
    """Mark the answer as a quote (organisation shown or hidden); None removes it."""
    require_staff(by)
    _check_response(codebook, response)
    existing = (
        Quote.objects.select_for_update()
        .filter(codebook=codebook, response=response)
        .first()
    )
    if show_organisation is None:
        if existing is not None:
            existing.delete()
            _audit(
                codebook=codebook,
                action=CodingChange.Action.QUOTE_REMOVED,
                by=by,
                response=response,
            )
        return None
    detail = _("organisation shown") if show_organisation else _("organisation hidden")
    if existing is not None and existing.show_organisation == show_organisation:
        return existing
    quote, _created = Quote.objects.update_or_create(
        codebook=codebook,
        response=response,
        defaults={"show_organisation": show_organisation, "marked_by": by},
    )
    _audit(
        codebook=codebook,
        action=CodingChange.Action.QUOTE_MARKED,
        by=by,
        response=response,
        detail=str(detail),
    )
    return quote


@transaction.atomic
def resolution_set(
    *, codebook: Codebook, response: Response, theme: Theme, applies: bool, by: User
) -> Resolution:
    """Settle whether a theme applies to an answer the coders disagree on."""
    require_staff(by)
    _check_response(codebook, response)
    if theme.codebook_id != codebook.pk:
        raise ValidationError(
            _("The theme “%(name)s” is not in this codebook.") % {"name": theme.name}
        )
    resolution, _created = Resolution.objects.update_or_create(
        codebook=codebook,
        response=response,
        theme=theme,
        defaults={"applies": applies, "resolved_by": by},
    )
    _audit(
        codebook=codebook,
        action=CodingChange.Action.RESOLVED,
        by=by,
        response=response,
        theme=theme.name,
        detail=str(_("applies") if applies else _("does not apply")),
    )
    return resolution
