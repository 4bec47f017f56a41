"""URLs of the criteria exports (GET only, signed-in users, inside their scope)."""

from django.urls import path

from criteria.views import exports as views

urlpatterns = [
    path("exports/summary.xlsx", views.export_summary, name="export-summary"),
    path("exports/values.xlsx", views.export_values, name="export-values"),
    path("exports/values.csv", views.export_values_csv, name="export-values-csv"),
]
