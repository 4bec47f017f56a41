"""URLs of the criteria overview pages."""

from django.urls import path

from criteria.views import overview as views

urlpatterns = [
    path("overview/", views.overview, name="criteria-overview"),
    path("recognitions/", views.recognition_list, name="recognition-list"),
    path("recognitions/new/", views.recognition_create_view, name="recognition-create"),
    path("recognitions/recheck/", views.recognition_recheck_view, name="recognition-recheck"),
]
