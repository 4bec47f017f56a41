"""URLs of the dashboards app, mounted at /dashboard/."""

from django.urls import path

from dashboards.views import dashboard, map, scoreboard

urlpatterns = [
    path("", dashboard.dashboard_view, name="dashboard"),
    path("start/", dashboard.landing, name="landing"),
    path("map/", map.map_view, name="dashboard-map"),
    path("scoreboard/", scoreboard.scoreboard, name="dashboard-scoreboard"),
    path("scoreboard.xlsx", scoreboard.scoreboard_xlsx, name="dashboard-scoreboard-xlsx"),
]
