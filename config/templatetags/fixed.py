"""`{% fixed %}…{% endfixed %}`: markup rendered once per language and process.

For the parts of a page that depend on nothing but the language: translated texts,
static file URLs and URLs without variable arguments (the page's head, its scripts, the
attributes of the autosave form). Every page otherwise renders each of those tags again
on every request, though they give the same text each time.

What may stand inside is checked when the template is compiled: text, `{% translate %}`
and `{% static %}` of a quoted string, `{% url %}` of a quoted name and quoted
arguments, and `{% load %}`. A variable, a filter or any other tag is a
TemplateSyntaxError, so nothing that depends on the request, the user or the data can
be kept by mistake.
"""

from __future__ import annotations

from django import template
from django.template.base import FilterExpression, Node, NodeList, TextNode, Variable
from django.template.defaulttags import LoadNode, URLNode
from django.templatetags.i18n import TranslateNode
from django.templatetags.static import StaticNode
from django.urls import get_script_prefix
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()


def _constant(expression: FilterExpression | None) -> bool:
    """A quoted string or a number, without filters: the same in every context."""
    if expression is None:
        return True
    if expression.filters:
        return False
    value = expression.var
    return not isinstance(value, Variable) or value.lookups is None


def _fixed_problem(node: Node) -> str | None:
    """Why this node may not stand inside {% fixed %}; None: it may."""
    if isinstance(node, TextNode | LoadNode):
        return None
    if isinstance(node, TranslateNode):
        if (
            node.asvar
            or not _constant(node.filter_expression)
            or not _constant(node.message_context)
        ):
            return "{% translate %} of a variable or with `as`"
        return None
    if isinstance(node, StaticNode):
        if node.varname or not _constant(node.path):
            return "{% static %} of a variable or with `as`"
        return None
    if isinstance(node, URLNode):
        arguments = [node.view_name, *node.args, *node.kwargs.values()]
        if node.asvar or not all(_constant(a) for a in arguments):
            return "{% url %} with a variable or with `as`"
        return None
    return f"{type(node).__name__} (a variable or a tag that may vary)"


class FixedNode(Node):
    child_nodelists = ("nodelist",)

    def __init__(self, nodelist: NodeList) -> None:
        self.nodelist = nodelist
        # Per compiled template: the cached template loader keeps it for the process.
        self.rendered: dict[tuple[str | None, str], SafeString] = {}

    def render(self, context: template.Context) -> SafeString:
        key = (get_language(), get_script_prefix())
        try:
            return self.rendered[key]
        except KeyError:
            html = mark_safe(self.nodelist.render(context))  # noqa: S308  (rendered by the template engine)
            self.rendered[key] = html
            return html


@register.tag
def fixed(parser: template.base.Parser, token: template.base.Token) -> FixedNode:
    """Markup rendered once per language and process (see the module)."""
    if len(token.split_contents()) != 1:
        raise template.TemplateSyntaxError("{% fixed %} takes no arguments.")
    nodelist = parser.parse(("endfixed",))
    parser.delete_first_token()
    for node in nodelist:
        problem = _fixed_problem(node)
        if problem is not None:
            raise template.TemplateSyntaxError(
                f"{{% fixed %}} holds only text, translations, static files and fixed "
                f"URLs, not {problem}: {node.token.contents if node.token else node!r}"
            )
    return FixedNode(nodelist)
