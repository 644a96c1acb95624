"""A question of a section page as HTML, built in Python: {% question_block block %}.

The section page shows up to a few dozen questions, each with its inputs (a matrix has a
radio button per row and option). Rendered through a template include per question this
was most of the page's time (docs/profile-section-page.md); this builds the same markup
(labels, fieldsets, aria attributes, ids) directly. Every value from the questionnaire
or the answers is escaped; the translated texts are the same msgids as before.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from typing import Any

from django import template
from django.forms import BoundField, Form, HiddenInput
from django.template import Context, Engine
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import capfirst
from django.utils.translation import gettext

from surveys.forms.responses import QuestionFields
from surveys.models import QuestionType
from surveys.numbers import format_thousands

register = template.Library()

CHOICES = {QuestionType.YES_NO, QuestionType.YES_PARTLY_NO, QuestionType.SINGLE_CHOICE}
NUMBERS = {
    QuestionType.PERCENTAGE,
    QuestionType.COUNT,
    QuestionType.INTEGER,
    QuestionType.MONEY,
}
# Values the confirmation and "cannot be estimated" checkboxes take as not ticked.
NOT_TICKED = ("False", "false", "0", "off")


def _e(value: Any) -> str:
    """A value as a template's {{ value }} writes it: None as "None", escaped.

    conditional_escape() with a short way for plain text, the most frequent value here
    (a page escapes some hundred names, ids and texts): the same characters escaped
    (html.escape, as django.utils.html.escape), without its lazy-text wrapper."""
    if type(value) is str:
        return html.escape(value)
    return conditional_escape(value)


def _blank(value: Any) -> str:
    """{{ value|default_if_none:'' }}"""
    return "" if value is None else _e(value)


def _lookup(mapping: Any, key: str) -> Any:
    """{{ mapping.key }}: "" where there is no such key."""
    if isinstance(mapping, Mapping):
        return mapping.get(key, "")
    return ""


def _chosen(value: Any, option: str) -> bool:
    if isinstance(value, list | tuple):
        return option in value
    return value == option


def _ticked(value: Any) -> bool:
    return bool(value) and value not in NOT_TICKED


def _checked(flag: bool) -> str:
    return " checked" if flag else ""


def _invalid(flag: Any) -> str:
    return " is-invalid" if flag else ""


@register.simple_tag(takes_context=True)
def question_block(context: Context, block: dict) -> SafeString:
    """A question's fieldset: its legend, texts, errors, inputs, warnings."""
    spec: QuestionFields = block["spec"]
    form: Form = context["form"]
    errors: list = block["errors"]
    warnings: list = block["warnings"]
    q = spec.question
    code = _e(q.code)
    out: list[str] = []
    add = out.append

    classes = "question"
    if q.show_if:
        classes += " followup"
    if errors:
        classes += " has-error"
    if warnings:
        classes += " has-warning"
    add(f'\n<fieldset class="{classes}" id="q-{code}"')
    if not block["shown"]:
        add(" hidden")
    if q.show_if:
        item = _lookup(q.show_if, "item")
        add(
            f' data-show-if-question="{_e(_lookup(q.show_if, "question"))}"'
            f' data-show-if-item="{_e(item) if item else ""}"'
            f' data-show-if-equals="{_e(_lookup(q.show_if, "equals"))}"'
        )
    if errors or warnings:
        described = [
            f"q-{code}-errors" if errors else "",
            " " if errors and warnings else "",
            f"q-{code}-warnings" if warnings else "",
        ]
        add(f' aria-describedby="{"".join(described)}"')
    add(">\n")
    add(f'  <legend id="q-{code}-legend">')
    if q.number:
        add(f'<span class="qcode">{_e(q.number)}.</span> ')
    add(_e(q.text))
    if not q.required:
        add(
            ' <span class="text-body-secondary fw-normal">'
            f"({gettext('optional')})</span>"
        )
    add("</legend>\n")
    if q.help_text:
        add(f'  <p class="form-text" id="q-{code}-help">{_e(q.help_text)}</p>\n')
    reference = block.get("reference")
    if reference:
        add(
            f'  <p class="reference-figure mb-2" id="q-{code}-reference">'
            f"{_e(capfirst(reference.label))}: "
            f"<strong>{_e(format_thousands(reference.value))} kr</strong></p>\n"
        )
    summary = block.get("summary")
    if summary:
        add(_summary(context, summary))
    if q.personal_data:
        add(
            '  <p class="form-text">'
            + gettext(
                "Personal data: shown only to your organisation and to Socialstyrelsen."
            )
            + "</p>\n"
        )
    if errors:
        add(f'  <ul class="errors list-unstyled mb-2" id="q-{code}-errors">\n')
        hidden = gettext("Error:")
        for error in errors:
            add(
                f'    <li><span class="visually-hidden">{hidden} </span>'
                f"{_e(error)}</li>\n"
            )
        add("  </ul>\n")

    if q.type in CHOICES:
        _choices(add, form[spec.cells[0].name], q.choice_options, errors)
    elif q.type == QuestionType.MULTIPLE_CHOICE:
        _multiple(add, form[spec.cells[0].name], spec, q)
    elif q.type == QuestionType.MATRIX:
        _matrix(add, form, spec, code, errors)
    elif q.type in NUMBERS:
        _number(add, form, spec, code, errors, warnings)
    elif q.type == QuestionType.COUNT_PER_OPTION:
        _counts(add, form, spec, code, errors, context.get("area_size"))
    else:
        _texts(add, form, spec, code, errors)

    if warnings:
        _warnings(add, warnings, code)
    stale = context.get("stale_diff")
    if stale:
        for key, saved in stale.items():
            if key == q.code:
                add(
                    '  <p class="stale-note alert alert-warning mt-2 mb-0">'
                    f"{gettext('Saved by a colleague:')} {_e(saved)}</p>\n"
                )
    add("</fieldset>\n")
    return mark_safe("".join(out))  # noqa: S308 (every value above is escaped)


def _summary(context: Context, summary: object) -> str:
    """An RSS's summary question: the area's answers it summarises (a template)."""
    engine = context.template.engine if context.template else Engine.get_default()
    source = engine.get_template("surveys/_summary_source.html")
    with context.push(status=summary):
        return "  " + source.render(context) + "\n"


def _choices(add, bf: BoundField, options: list[str], errors: list) -> None:
    name, auto_id, value = _e(bf.html_name), _e(bf.auto_id), bf.value()
    for index, option in enumerate(options):
        add(
            '      <div class="form-check">\n'
            f'        <input class="form-check-input{_invalid(errors)}" type="radio" '
            f'name="{name}" id="{auto_id}_{index}" value="{_e(option)}"'
            f"{_checked(_chosen(value, option))}>\n"
            f'        <label class="form-check-label" for="{auto_id}_{index}">'
            f"{_e(option)}</label>\n"
            "      </div>\n"
        )


def _multiple(add, bf: BoundField, spec: QuestionFields, q) -> None:
    name, auto_id, value = _e(bf.html_name), _e(bf.auto_id), bf.value()
    if not q.help_text:
        add(f'      <p class="form-text mt-0">{gettext("Tick all that apply.")}</p>\n')
    for index, item in enumerate(q.items):
        exclusive = item in spec.exclusive
        if exclusive:
            add(
                '        <p class="form-text my-1 exclusive-divider">'
                f"{gettext('or')}</p>\n"
            )
        add(
            '        <div class="form-check">\n'
            f'          <input class="form-check-input" type="checkbox" name="{name}" '
            f'id="{auto_id}_{index}" value="{_e(item)}"'
            f"{' data-exclusive' if exclusive else ''}"
            f"{_checked(_chosen(value, item))}>\n"
            f'          <label class="form-check-label" for="{auto_id}_{index}">'
            f"{_e(item)}</label>\n"
            "        </div>\n"
        )


def _matrix(add, form: Form, spec: QuestionFields, code: str, errors: list) -> None:
    q = spec.question
    options = [_e(option) for option in q.choice_options]
    add(
        '    <div class="table-responsive" tabindex="0" role="region" '
        f'aria-labelledby="q-{code}-legend">\n'
        '      <table class="table table-sm matrix mb-0">\n'
        f'        <caption class="visually-hidden">{_e(q.text)}</caption>\n'
        "        <thead><tr><td></td>"
    )
    for index, option in enumerate(options):
        add(f'<th scope="col" id="q-{code}-o{index}">{option}</th>')
    add("</tr></thead>\n        <tbody>\n")
    for row, cell in enumerate(spec.cells):
        bf = form[cell.name]
        name, auto_id, value = _e(bf.html_name), _e(bf.auto_id), bf.value()
        add(
            "            <tr>\n"
            f'              <th scope="row" id="q-{code}-r{row}">{_e(cell.label)}</th>\n'
        )
        for index, option in enumerate(q.choice_options):
            add(
                f'                <td><input class="form-check-input{_invalid(errors)}" '
                f'type="radio" name="{name}" id="{auto_id}_{index}" '
                f'value="{options[index]}" '
                f'aria-labelledby="q-{code}-r{row} q-{code}-o{index}"'
                f"{_checked(_chosen(value, option))}></td>\n"
            )
        add("            </tr>\n")
    add("        </tbody>\n      </table>\n    </div>\n")


def _number(
    add, form: Form, spec: QuestionFields, code: str, errors: list, warnings: list
) -> None:
    q = spec.question
    bf = form[spec.cells[0].name]
    auto_id = _e(bf.auto_id)
    described = f"q-{code}-hint"
    if errors:
        described += f" q-{code}-errors"
    if warnings:
        described += f" q-{code}-warnings"
    unit = ""
    if q.type == QuestionType.PERCENTAGE:
        unit = '<span class="input-group-text">%</span>'
        hint = gettext("Whole percent from 0 to 100, for example 45.")
    elif q.type == QuestionType.MONEY:
        unit = '<span class="input-group-text">kr</span>'
        hint = gettext("Whole kronor in digits, without öre, for example 15 460 474.")
    else:
        hint = gettext("A whole number in digits, for example 12 500 or 1 600 000.")
    add(
        '      <div class="row g-2 align-items-center">\n'
        f'        <div class="col-auto"><label class="col-form-label" for="{auto_id}">'
        f"{_e(bf.label)}</label></div>\n"
        '        <div class="col-auto"><div class="input-group">\n'
        f'          <input class="form-control{_invalid(errors)}" type="text" '
        'inputmode="numeric" autocomplete="off" '
        f'name="{_e(bf.html_name)}" id="{auto_id}" value="{_blank(bf.value())}" '
        f'size="12" aria-describedby="{described}">\n'
        f"          {unit}\n"
        "        </div></div>\n"
        "      </div>\n"
        f'      <p class="form-text mb-0" id="q-{code}-hint">{hint}</p>\n'
    )
    if spec.cannot_estimate:
        ce = form[spec.cannot_estimate]
        ce_id = _e(ce.auto_id)
        add(
            '        <div class="form-check mt-2">\n'
            f'          <input class="form-check-input" type="checkbox" '
            f'name="{_e(ce.html_name)}" id="{ce_id}" '
            f'data-cannot-estimate-for="{auto_id}"{_checked(_ticked(ce.value()))}>\n'
            f'          <label class="form-check-label" for="{ce_id}">'
            f"{_e(ce.label)}</label>\n"
            "        </div>\n"
        )


def _count_input(bf: BoundField, errors: list, labelled_by: str) -> str:
    return (
        f'<td><input class="form-control form-control-sm{_invalid(errors)}" '
        'type="text" inputmode="numeric" autocomplete="off" size="5" '
        f'name="{_e(bf.html_name)}" id="{_e(bf.auto_id)}" value="{_blank(bf.value())}" '
        f'aria-labelledby="{labelled_by}"></td>'
    )


def _counts(
    add, form: Form, spec: QuestionFields, code: str, errors: list, area_size: Any
) -> None:
    q = spec.question
    add(
        '    <p class="form-text mt-0">'
        + gettext(
            "Number of municipalities of the area (%(n)s in all) per answer option."
        )
        % {"n": _e(area_size)}
        + "</p>\n"
    )
    if spec.grid:
        add(
            '      <div class="table-responsive" tabindex="0" role="region" '
            f'aria-labelledby="q-{code}-legend">\n'
            '      <table class="table table-sm w-auto matrix">\n'
            f'        <caption class="visually-hidden">{_e(q.text)}</caption>\n'
            "        <thead><tr><td></td>"
        )
        for index, option in enumerate(spec.grid.columns):
            add(f'<th scope="col" id="q-{code}-o{index}">{_e(option)}</th>')
        add("</tr></thead>\n        <tbody>\n")
        for row, grid_row in enumerate(spec.grid.rows):
            add(
                "            <tr>\n"
                f'              <th scope="row" id="q-{code}-r{row}">'
                f"{_e(grid_row.header)}</th>\n"
            )
            for index, cell in enumerate(grid_row.cells):
                labelled = f"q-{code}-r{row} q-{code}-o{index}"
                add(
                    f"                {_count_input(form[cell.name], errors, labelled)}\n"
                )
            add("            </tr>\n")
        add("        </tbody>\n      </table>\n      </div>\n")
        return
    add(
        '      <table class="table table-sm w-auto">\n'
        f'        <caption class="visually-hidden">{_e(q.text)}</caption>\n'
        f'        <thead><tr><th scope="col">{gettext("Answer option")}</th>'
        f'<th scope="col" id="q-{code}-count">{gettext("Municipalities")}</th>'
        "</tr></thead>\n        <tbody>\n"
    )
    for row, cell in enumerate(spec.cells):
        bf = form[cell.name]
        add(
            "            <tr>\n"
            f'              <th scope="row" class="fw-normal" id="q-{code}-r{row}">'
            f'<label for="{_e(bf.auto_id)}">{_e(cell.label)}</label></th>\n'
            f"              {_count_input(bf, errors, f'q-{code}-r{row} q-{code}-count')}\n"
            "            </tr>\n"
        )
    add("        </tbody>\n      </table>\n")


def _texts(add, form: Form, spec: QuestionFields, code: str, errors: list) -> None:
    q = spec.question
    max_length = _lookup(q.validation, "max_length")
    one_line = bool(max_length) and max_length <= 300
    for cell in spec.cells:
        bf = form[cell.name]
        auto_id = _e(bf.auto_id)
        invalid = _invalid(bf.errors or (errors and not q.items))
        labelled = "" if cell.label else f' aria-labelledby="q-{code}-legend"'
        add('      <div class="mb-2">\n')
        if cell.label:
            add(
                f'        <label class="form-label" for="{auto_id}">'
                f"{_e(cell.label)}</label>\n"
            )
        if one_line:
            kind, extra = "text", ""
            if cell.format == "email":
                kind, extra = "email", ' autocomplete="email" spellcheck="false"'
            elif cell.format == "phone":
                kind, extra = "tel", ' autocomplete="tel"'
            add(
                f'          <input class="form-control{invalid}" type="{kind}"{extra} '
                f'name="{_e(bf.html_name)}" id="{auto_id}" '
                f'value="{_blank(bf.value())}"{labelled}>\n'
            )
        else:
            add(
                f'          <textarea class="form-control{invalid}" rows="4" '
                f'name="{_e(bf.html_name)}" id="{auto_id}"{labelled}>'
                f"{_blank(bf.value())}</textarea>\n"
            )
        add("      </div>\n")


def _warnings(add, warnings: list[dict], code: str) -> None:
    add(
        '    <div class="alert alert-warning mt-3 mb-0 quality-warnings" '
        f'id="q-{code}-warnings">\n'
        f'      <p class="mb-1"><strong>{gettext("Check the value.")}</strong> '
        + gettext(
            "It looks unlikely. Correct it, or confirm that it is right; the "
            "questionnaire can be submitted either way."
        )
        + "</p>\n"
    )
    for warning in warnings:
        label = warning["label"]
        prefix = f"{_e(label)}: " if label else ""
        add('        <ul class="mb-2">\n          ')
        for reason in warning["reasons"]:
            add(f"<li>{prefix}{_e(reason)}</li>")
        add("\n        </ul>\n")
        ok: BoundField = warning["confirm"]
        ok_id = _e(ok.auto_id)
        add(
            '          <div class="form-check">\n'
            f'            <input class="form-check-input" type="checkbox" '
            f'name="{_e(ok.html_name)}" id="{ok_id}"{_checked(_ticked(ok.value()))}>\n'
            f'            <label class="form-check-label" for="{ok_id}">{_e(ok.label)}'
            f"{f' ({_e(label)})' if label else ''}</label>\n"
            "          </div>\n"
        )
    add("    </div>\n")


@register.simple_tag
def hidden_input(field: BoundField) -> SafeString:
    """{{ field }} of a hidden field (the page's version): the markup of Django's
    widget template (input.html with attrs.html), built without rendering it."""
    widget = field.field.widget
    if not isinstance(widget, HiddenInput):
        return mark_safe(str(field))  # noqa: S308 (Django's own rendering)
    attrs = {**widget.attrs, **field.build_widget_attrs({})}
    if field.auto_id and "id" not in widget.attrs:
        attrs.setdefault("id", field.auto_id)
    value = widget.format_value(field.value())
    out = f'<input type="{widget.input_type}" name="{_e(field.html_name)}"'
    if value is not None:
        out += f' value="{_e(value)}"'
    for name, setting in attrs.items():
        if setting is True:
            out += f" {_e(name)}"
        elif setting is not False:
            out += f' {_e(name)}="{_e(setting)}"'
    return mark_safe(out + ">")  # noqa: S308 (every value escaped above)


@register.simple_tag
def section_links(links: list[tuple[Any, str]], current: Any) -> SafeString:
    """The items of the page's list of sections, each with its progress: the same
    markup as the former template loop (a loop over every section cost about as much
    as the rest of the page's own template)."""
    answered = gettext("answered")
    out: list[str] = []
    for progress, url in links:
        here = progress.section.pk == current.pk
        active, white = (" active", " text-white") if here else ("", "")
        current_page = ' aria-current="page"' if here else ""
        badge = "text-bg-success" if progress.complete else "text-bg-secondary"
        out.append(
            '\n          <li class="list-group-item d-flex justify-content-between '
            f'align-items-start{active}">\n'
            f'            <a class="ms-2 me-auto{white}" href="{_e(url)}"{current_page}>'
            f"{_e(progress.section.title)}</a>\n"
            f'            <span class="badge {badge}">{_e(progress.answered)}/'
            f'{_e(progress.total)}<span class="visually-hidden"> {answered}</span>'
            "</span>\n"
            "          </li>\n        "
        )
    return mark_safe("".join(out))  # noqa: S308 (every value escaped above)
