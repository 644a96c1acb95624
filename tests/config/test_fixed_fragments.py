"""`{% fixed %}`: markup rendered once per language and process, and only markup that
cannot vary with the request (config/templatetags/fixed.py)."""

from __future__ import annotations

import pytest
from django.template import Context, Engine, TemplateSyntaxError, engines
from django.templatetags.static import StaticNode
from django.utils import translation

FRAGMENT = (
    "{% load i18n static fixed %}"
    "{% fixed %}<a href=\"{% url 'surveys:home' %}\">{% translate 'Log out' %}</a>"
    "<script src=\"{% static 'js/site.js' %}\"></script>{% endfixed %}"
)
PLAIN = FRAGMENT.replace("{% fixed %}", "").replace("{% endfixed %}", "")


def engine() -> Engine:
    """The site's template engine (its tag libraries), templates compiled anew."""
    return engines["django"].engine


def test_a_fixed_fragment_renders_as_its_content_does():
    for language in ("sv", "en"):
        with translation.override(language):
            fixed = engine().from_string(FRAGMENT).render(Context())
            plain = engine().from_string(PLAIN).render(Context())
        assert fixed == plain
    with translation.override("sv"):
        assert "Logga ut" in engine().from_string(FRAGMENT).render(Context())


def test_a_fixed_fragment_is_rendered_once_per_language(monkeypatch):
    template = engine().from_string(FRAGMENT)
    calls = []
    original = StaticNode.handle_simple

    def counted(path):
        calls.append(path)
        return original(path)

    monkeypatch.setattr(StaticNode, "handle_simple", staticmethod(counted))
    with translation.override("sv"):
        first = template.render(Context())
        assert template.render(Context()) == first
    assert len(calls) == 1
    with translation.override("en"):
        english = template.render(Context())
    assert len(calls) == 2
    assert english != first and "Log out" in english


@pytest.mark.parametrize(
    ("content", "named"),
    [
        ("{{ user.username }}", "VariableNode"),
        ("{% csrf_token %}", "CsrfTokenNode"),
        ("{% if user %}x{% endif %}", "IfNode"),
        ("{% translate title %}", "{% translate %} of a variable"),
        (
            "{% translate 'Menu' as menu %}",
            "{% translate %} of a variable or with `as`",
        ),
        ("{% translate 'Menu'|upper %}", "{% translate %} of a variable"),
        ("{% static path %}", "{% static %} of a variable"),
        (
            "{% url 'surveys:response-review' response.pk %}",
            "{% url %} with a variable",
        ),
        ("{% url 'surveys:home' as home %}", "{% url %} with a variable or with `as`"),
    ],
)
def test_a_fixed_fragment_refuses_what_may_vary(content, named):
    source = (
        "{% load i18n static fixed %}{% fixed %}<p>" + content + "</p>{% endfixed %}"
    )
    with pytest.raises(TemplateSyntaxError) as refused:
        engine().from_string(source)
    assert named in str(refused.value)
    assert content.strip("{}% ").split()[0] in str(refused.value)


def test_the_site_templates_compile_with_their_fixed_fragments():
    """base.html and the section page hold only what a fixed fragment may hold."""
    from django.template.loader import get_template

    for name in ("base.html", "surveys/section.html"):
        get_template(name)
