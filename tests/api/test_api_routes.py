"""Every route of the REST API is in one of the API permission matrices: a module
``tests/api/test_*_permissions.py`` names the routes it covers in ``COVERED_ROUTES``."""

import importlib
import pathlib

from ntm_portal.api_urls import urlpatterns


def _covered() -> set[str]:
    names: set[str] = set()
    for path in sorted(pathlib.Path(__file__).parent.glob("test_*_permissions.py")):
        names |= importlib.import_module(f"tests.api.{path.stem}").COVERED_ROUTES
    return names


def test_every_api_route_is_in_a_permission_matrix():
    routes = {pattern.name for pattern in urlpatterns}
    assert routes - _covered() == set()
    assert _covered() - routes == set(), "a matrix names a route that no longer exists"
