"""Every staff-only view of the urlconf: the login for anonymous users, 403 for the others.

The views are found in the urlconf by their `staff_required` mark (surveys.permissions),
not from a list: a new staff page is swept as soon as it has a URL. The check comes
before any lookup, so the URLs' arguments need not name existing objects.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.converters import IntConverter, UUIDConverter

from tests.security.conftest import ROLES
from tests.security.test_permission_sweep import EXPECTED

pytestmark = pytest.mark.django_db


def _patterns(
    resolver: URLResolver | None = None, namespace: str = "", route: str = ""
) -> Iterator[tuple[str, str, URLPattern]]:
    """(namespaced name, route, pattern) of every named URL pattern of the project."""
    for entry in (resolver or get_resolver()).url_patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace or ""
            prefix = (
                f"{namespace}:{inner}" if namespace and inner else inner or namespace
            )
            yield from _patterns(entry, prefix, route + str(entry.pattern))
        elif entry.name is not None:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield name, route + str(entry.pattern), entry


def _url(name: str, pattern: URLPattern) -> str:
    """The URL with an argument of the right type for each converter."""
    kwargs: dict[str, object] = {}
    for key, converter in pattern.pattern.converters.items():
        if isinstance(converter, IntConverter):
            kwargs[key] = 1
        elif isinstance(converter, UUIDConverter):
            kwargs[key] = uuid.UUID(int=1)
        else:
            kwargs[key] = "x"
    return reverse(name, kwargs=kwargs)


STAFF_ONLY = sorted(
    (name, _url(name, pattern))
    for name, _route, pattern in _patterns()
    if getattr(pattern.callback, "staff_only", False)
)


def _request(client, url: str):
    """GET, or POST for the views that take only POST."""
    response = client.get(url)
    return client.post(url) if response.status_code == 405 else response


def test_the_staff_pages_are_the_staff_only_rules_of_the_permission_sweep():
    """The views marked staff-only are exactly the URLs whose rule in the sweep of every
    role is "login, 403 for every other role, staff in"."""
    names = {name for name, _url in STAFF_ONLY}
    staff_only_rules = {
        name
        for name, (_method, statuses) in EXPECTED.items()
        if statuses.split()[:-1] == ["302"] + ["403"] * (len(ROLES) - 2)
    }

    assert len(names) > 20
    assert sorted(names ^ staff_only_rules) == []


@pytest.mark.parametrize(("name", "url"), STAFF_ONLY)
def test_an_anonymous_user_is_sent_to_the_login(client, name, url):
    response = _request(client, url)

    assert response.status_code == 302, name
    assert response["Location"] == f"{reverse(settings.LOGIN_URL)}?next={url}"


@pytest.mark.parametrize(("name", "url"), STAFF_ONLY)
def test_a_respondent_who_is_not_staff_is_refused(
    client, municipality_respondent, name, url
):
    client.force_login(municipality_respondent)

    response = _request(client, url)

    assert response.status_code == 403, name
