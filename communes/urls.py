from django.urls import path

from communes import views

urlpatterns = [
    path("", views.home, name="home"),
    path("units/<int:pk>/", views.unit_detail, name="unit-detail"),
    path("units/search/", views.unit_search_view, name="unit-search"),
]
