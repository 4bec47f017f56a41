"""Every URL of the portal against every persona: the status each must get.

When a later issue adds a URL it adds a row here; test_every_url_is_in_the_matrix
fails until it does.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from communes.models import AdministrativeUnit

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous",
    "coordinator",
    "dai_tu_officer",
    "phu_binh_officer",
    "department_officer",
    "leader",
    "api_client_user",
]


def _dai_tu_commune():
    return AdministrativeUnit.objects.get(name="Xã Phúc Lương").pk


def _new_commune():
    return AdministrativeUnit.objects.get(name="Xã Phú Bình", valid_until=None).pk


# (url name, args factory, method, {persona: expected status})
MATRIX = [
    ("home", None, "get", {"anonymous": 302, "*": 200}),
    ("unit-search", None, "get", {"anonymous": 302, "*": 200}),
    ("unit-detail", _dai_tu_commune, "get", {"anonymous": 302, "phu_binh_officer": 404, "*": 200}),
    (
        "unit-detail",
        _new_commune,
        "get",
        {"anonymous": 302, "dai_tu_officer": 404, "phu_binh_officer": 404, "*": 200},
    ),
    # Adding a hamlet: a role holding communes.add_administrativeunit whose scope holds the
    # commune (in force today); a read-only scope gets 403, no scope 404.
    (
        "unit-detail",
        _new_commune,
        "post",
        {"anonymous": 302, "coordinator": 302, "dai_tu_officer": 404, "phu_binh_officer": 404, "*": 403},
    ),
    ("healthz", None, "get", {"*": 200}),
    ("login", None, "get", {"anonymous": 200, "*": 302}),
    ("logout", None, "post", {"*": 302}),
    ("admin:index", None, "get", {"anonymous": 302, "coordinator": 200, "*": 302}),
    ("api-schema", None, "get", {"anonymous": 401, "*": 200}),
    ("api-docs", None, "get", {"anonymous": 401, "*": 200}),
    ("set_language", None, "post", {"*": 302}),
]
COVERED = {row[0] for row in MATRIX}
# URL names that belong to Django or libraries and are covered through their index.
EXEMPT_PREFIXES = ("admin:",)


def _cases():
    for name, args, method, expected in MATRIX:
        for persona in PERSONAS:
            yield pytest.param(
                name,
                args,
                method,
                persona,
                expected.get(persona, expected.get("*")),
                id=f"{method}-{name}-{args.__name__ if args else ''}-{persona}",
            )


@pytest.mark.parametrize(("name", "args", "method", "persona", "status"), list(_cases()))
def test_permission_matrix(request, client, name, args, method, persona, status):
    if persona != "anonymous":
        client.force_login(request.getfixturevalue(persona))
    url = reverse(name, args=[args()] if args else None)
    data = {"name": "Xóm Ma Trận", "kind": "xom"} if name == "unit-detail" else {"language": "vi"}
    response = client.get(url) if method == "get" else client.post(url, data)
    assert response.status_code == status


def _names(resolver, prefix=""):
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            yield from _names(pattern, prefix + (pattern.namespace + ":" if pattern.namespace else ""))
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield prefix + pattern.name


def test_every_url_is_in_the_matrix():
    names = {name for name in _names(get_resolver()) if not name.startswith(EXEMPT_PREFIXES)}
    assert names - COVERED == set()
