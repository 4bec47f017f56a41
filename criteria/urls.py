"""URLs of the criteria app, mounted at /criteria/ (one module per group of pages)."""

from django.urls import include, path

urlpatterns = [
    path("", include("criteria.urls_catalogue")),
    path("", include("criteria.urls_overview")),
    path("", include("criteria.urls_assessments")),
    path("", include("criteria.urls_exports")),
    path("", include("criteria.urls_reports")),
]
