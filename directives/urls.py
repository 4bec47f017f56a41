"""URLs of the directives app: the pages (``urlpatterns``, mounted at /directives/) and
the REST API (``api_urlpatterns``, mounted at /api/v1/directives/)."""

from django.urls import path
from rest_framework.routers import SimpleRouter

from directives import api
from directives.views import assignments as views_assignments
from directives.views import directives as views

urlpatterns = [
    path("", views.directive_list_view, name="directive-list"),
    path("new/", views.directive_new, name="directive-new"),
    path("<int:pk>/", views.directive_detail_view, name="directive-detail"),
    path("<int:pk>/attachments/", views.directive_attachment_add, name="directive-attachment-add"),
    path("attachments/<int:pk>/", views.directive_attachment, name="directive-attachment"),
    path("my-tasks/", views_assignments.my_tasks, name="directive-my-tasks"),
    path("board/", views_assignments.board, name="directive-board"),
    path("assignments/<int:pk>/", views_assignments.assignment_detail, name="directive-assignment"),
    path("assignments/<int:pk>/progress/", views_assignments.assignment_progress, name="directive-progress"),
    path("assignments/<int:pk>/done/", views_assignments.assignment_done, name="directive-done"),
    path("assignments/<int:pk>/reopen/", views_assignments.assignment_reopen_view, name="directive-reopen"),
    path(
        "assignments/<int:pk>/extension/", views_assignments.assignment_extension, name="directive-extension"
    ),
    path(
        "extensions/<int:pk>/decide/",
        views_assignments.extension_decide_view,
        name="directive-extension-decide",
    ),
    path("reports/<int:pk>/file/", views_assignments.report_file, name="directive-report-file"),
]

router = SimpleRouter()
router.register("", api.DirectiveViewSet, basename="directive-api")

api_urlpatterns = [path("parse/", api.parse_view, name="directive-api-parse"), *router.urls]
