"""API URLs of the directives app, mounted at /api/v1/directives/."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from directives import api

router = SimpleRouter()
router.register("", api.DirectiveViewSet, basename="directive-api")

urlpatterns = [path("parse/", api.parse_view, name="directive-api-parse"), *router.urls]
