"""The REST API, under /api/v1/: every resource of every app, one router.

Each app's ``api`` module holds its view sets and says (``ROUTES``) under which path
each is served; this module only mounts them. The OpenAPI schema and its two
documentation pages are served beside them.
"""

from django.urls import path
from rest_framework.routers import SimpleRouter

from accounts import api as accounts_api
from communes import api as communes_api
from criteria import api as criteria_api
from directives import api as directives_api
from funding import api as funding_api

router = SimpleRouter()
for module in (communes_api, accounts_api, criteria_api, directives_api, funding_api):
    for prefix, viewset, basename in module.ROUTES:
        router.register(prefix, viewset, basename=basename)

urlpatterns = [
    path("directives/parse/", directives_api.parse_view, name="directive-api-parse"),
    *router.urls,
]
