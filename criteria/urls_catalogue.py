"""URLs of the criteria catalogue pages (mounted under /criteria/)."""

from django.urls import path

from criteria.views import catalogue

urlpatterns = [
    path("sets/", catalogue.criteria_set_list, name="criteria-set-list"),
    path("sets/<slug:code>/", catalogue.criteria_set_detail, name="criteria-set-detail"),
    path("sets/<slug:code>/copy/", catalogue.criteria_set_copy_view, name="criteria-set-copy"),
    path("indicators/<int:pk>/target/", catalogue.indicator_target, name="indicator-target"),
    path("criteria/<int:pk>/agency/", catalogue.criterion_agency, name="criterion-agency"),
]
